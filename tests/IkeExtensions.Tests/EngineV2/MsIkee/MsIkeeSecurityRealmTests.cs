using System;
using System.Linq;
using System.Text;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using IkeExtensions.Wire.VendorIds;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;
using static IkeExtensions.Tests.EngineV2.MsIkee.MsIkeeV2TestSupport;

namespace IkeExtensions.Tests.EngineV2.MsIkee
{
    /// <summary>MS-IKEE 1.3.12, 2.2.10, 3.14: the "MSFT IPsec Security Realm Id" vendor ID in the IKEv2 engine.</summary>
    public sealed class MsIkeeSecurityRealmTests
    {
        /// <summary>Independent computation with BouncyCastle: MD5(vendor ID string) | HMAC-MD5(key "SecurityRealmPolicyHmacKey", realm).</summary>
        private static byte[] ExpectedVendorId(string realm)
        {
            var md5 = new MD5Digest();
            var text = Encoding.ASCII.GetBytes("MSFT IPsec Security Realm Id");
            md5.BlockUpdate(text, 0, text.Length);
            var result = new byte[32];
            md5.DoFinal(result, 0);
            var hmac = new HMac(new MD5Digest());
            hmac.Init(new KeyParameter(Encoding.ASCII.GetBytes("SecurityRealmPolicyHmacKey")));
            var name = Encoding.UTF8.GetBytes(realm);
            hmac.BlockUpdate(name, 0, name.Length);
            hmac.DoFinal(result, 16);
            return result;
        }

        private static TwoPeerV2Harness Realms(string? initiatorRealm, Action<IkeV2EngineOptions> responder)
            => new TwoPeerV2Harness(configureA: o => o.SecurityRealm = initiatorRealm, configureB: responder);

        [Fact]
        public void MsIkee_2_2_10_RealmVendorId_IsMd5PrefixThenHmacMd5OfTheRealm_MatchesBouncyCastle_AndIsSentInIkeSaInit()
        {
            var expected = ExpectedVendorId("Halo Infinite");
            // The prefix is the one MS-IKEE's vendor ID table prints for "MSFT IPsec Security Realm Id".
            Assert.Equal("686a8cbdfe634b405146fb2baf33e9e8", HexFormat.ToHex(expected.AsSpan(0, 16)));
            Assert.Equal(expected, SecurityRealmId.VendorIdData(SecurityRealmId.Compute("Halo Infinite")));
            Assert.NotEqual(expected.Skip(16), SecurityRealmId.Compute("Halo"));

            var h = Realms("Halo Infinite", o => o.SecurityRealm = "Halo Infinite");
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            var init = Sent(h, TwoPeerV2Harness.AddressA, ExchangeType.IkeSaInit).First();
            var vid = init.FindAll<VendorIdPayload>().Single(v => v.Known?.Kind == VendorIdKind.SecurityRealmId);
            Assert.Equal(32, vid.Data.Length); // note <11>: 32 bytes
            Assert.Equal(expected, vid.Data.ToArray());
            // The responder sends no realm vendor ID of its own (3.14.5.1 is about initiators).
            Assert.DoesNotContain(Sent(h, TwoPeerV2Harness.AddressB, ExchangeType.IkeSaInit).Single().FindAll<VendorIdPayload>(),
                v => v.Known?.Kind == VendorIdKind.SecurityRealmId);
        }

        [Fact]
        public void MsIkee_3_14_5_1_Responder_ChoosesThePolicyWhoseRealmIdMatches_BothRowsRecordTheRealm()
        {
            var h = Realms("Halo", o =>
            {
                o.RealmPolicies.Add(new IkeV2SecurityRealmPolicy("Forza", IkeV2Policy.Default));
                o.RealmPolicies.Add(new IkeV2SecurityRealmPolicy("Halo", MakePolicy("aes256-sha256-modp2048", "aes128-sha256")));
            });
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            Assert.True(h.B.EstablishedIkeSas.Count == 1, Logs(h));
            var b = h.B.EstablishedIkeSas[0];
            var a = h.A.EstablishedIkeSas[0];
            string id = HexFormat.ToHex(SecurityRealmId.Compute("Halo"));
            Assert.Equal("Halo", b.SecurityRealm);
            Assert.Equal(id, b.SecurityRealmId);
            Assert.Equal("Halo", a.SecurityRealm);
            Assert.Equal(id, a.SecurityRealmId);
            // The child was negotiated under the chosen realm policy: its ESP proposal, not the main policy's first one.
            Assert.Equal("AES-CBC-128", h.B.EstablishedChildren.Single().EncryptionAlgorithm);
            Assert.Equal("AES-CBC-128", h.A.EstablishedChildren.Single().EncryptionAlgorithm);
        }

        [Fact]
        public void MsIkee_3_14_5_1_Responder_RealmIdMismatch_RealmPolicyNotChosen_NoProposalChosen()
        {
            var h = Realms("Forza", o => o.SecurityRealm = "Halo");
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("NoProposalChosen"));
            Assert.Contains(h.B.Log, l => l.Contains("matches none of 1 security realm policies"));
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
        }

        [Fact]
        public void MsIkee_3_14_5_1_Responder_WithoutRealmVendorId_SkipsRealmPolicies()
        {
            // Only a realm policy: a request without the vendor ID finds no policy.
            var only = Realms(null, o => o.SecurityRealm = "Halo");
            only.Initiate();
            only.Run(TimeSpan.FromSeconds(3));
            Assert.Empty(only.B.Engine.IkeSas.Snapshot());
            Assert.Contains(only.B.Log, l => l.Contains("security realm policies skipped: no \"MSFT IPsec Security Realm Id\" vendor ID"));

            // A realm policy first and a policy without realm after it: the realm one is skipped, the other chosen.
            var mixed = Realms(null, o => o.RealmPolicies.Add(new IkeV2SecurityRealmPolicy("Halo", MakePolicy("aes256-sha256-modp2048", "aes128-sha256"))));
            mixed.Initiate();
            mixed.Run(TimeSpan.FromSeconds(3));
            var b = mixed.B.EstablishedIkeSas.Single();
            Assert.Null(b.SecurityRealm);
            Assert.Null(b.SecurityRealmId);
            Assert.Equal("AES-CBC-256", mixed.B.EstablishedChildren.Single().EncryptionAlgorithm);
        }

        [Fact]
        public void MsIkee_3_14_5_1_HigherPriorityPolicyWithoutRealm_IsChosenOverAMatchingRealmPolicy()
        {
            var h = Realms("Halo", o =>
            {
                o.RealmPolicies.Add(new IkeV2SecurityRealmPolicy(null, IkeV2Policy.Default));
                o.RealmPolicies.Add(new IkeV2SecurityRealmPolicy("Halo", IkeV2Policy.Default));
            });
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            var b = h.B.EstablishedIkeSas.Single();
            Assert.Null(b.SecurityRealm);
            // The realm ID the peer sent is still recorded.
            Assert.Equal(HexFormat.ToHex(SecurityRealmId.Compute("Halo")), b.SecurityRealmId);
            // Not a realm SA: later children need no vendor ID.
            Assert.Null(OnlySession(h.B.Engine).RealmId);
        }

        [Fact]
        public void MsIkee_3_14_5_2_CreateChildSa_OnRealmIkeSa_CarriesTheRealmVendorId_AndIsAccepted()
        {
            var h = Realms("Halo", o => o.SecurityRealm = "Halo");
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            h.Initiate(); // a second child: CREATE_CHILD_SA on the realm IKE SA
            h.Run(TimeSpan.FromSeconds(3));
            Assert.True(h.B.EstablishedChildren.Count == 2, Logs(h));
            Assert.Equal(2, h.A.EstablishedChildren.Count);
            Assert.DoesNotContain(h.B.Log, l => l.Contains("discarded"));
        }

        [Fact]
        public void MsIkee_3_14_5_2_ChildRequestWithoutRealmVendorId_OnRealmIkeSa_IsDiscarded_ChildFails()
        {
            var h = Realms("Halo", o => o.SecurityRealm = "Halo");
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.B.EstablishedChildren);
            // The initiator "forgets" the vendor ID (a non-conforming peer): its CREATE_CHILD_SA goes without it.
            OnlySession(h.A.Engine).RealmId = null;
            int bSent = h.Wire.Count(w => w.From.Equals(TwoPeerV2Harness.AddressB));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(10));
            // Discarded: no response at all (the retransmissions are dropped too), no child on the responder.
            Assert.Equal(bSent, h.Wire.Count(w => w.From.Equals(TwoPeerV2Harness.AddressB)));
            Assert.Single(h.B.EstablishedChildren);
            Assert.Contains(h.B.Log, l => l.Contains("CreateChildSa request without the \"MSFT IPsec Security Realm Id\" vendor ID") && l.Contains("discarded"));
            Assert.True(h.A.Engine.Statistics.Retransmissions > 0);
            // The initiator's child negotiation fails: the IKE SA goes when its retransmissions run out (RFC 7296 §2.4).
            h.Run(TimeSpan.FromSeconds(120));
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeFailed);
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_14_5_2_ChildWithAnotherRealmId_IsRefused_NoProposalChosen_WithNotifyStatus()
        {
            var h = Realms("Halo", o => { o.SecurityRealm = "Halo"; o.SendMsNotifyStatus = true; });
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            OnlySession(h.A.Engine).RealmId = SecurityRealmId.Compute("Forza");
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.B.EstablishedChildren);
            Assert.Single(h.A.EstablishedChildren);
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeFailed && e.Reason!.Contains("NO_PROPOSAL_CHOSEN"));
            Assert.Contains(h.B.Log, l => l.Contains("is not the IKE SA's"));
            var a = h.A.EstablishedIkeSas.Single();
            Assert.Equal(MsNotifyStatus.ErrorIpsecIkeNoPolicy, a.PeerNotifyStatus);
        }
    }
}
