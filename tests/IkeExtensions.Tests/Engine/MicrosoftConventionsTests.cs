using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.Policy;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>MS-IKEE 1.7, 2.2.6 and every deviation of 3.1.5 from RFC 2407/2408/2409/3947.</summary>
    public class MicrosoftConventionsTests
    {
        private static InitiateRequest Request() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);
        private static IkeMessage Decode(byte[] b) { Assert.True(IkeMessage.TryDecode(b, out var m, out var e), e.ToString()); return m; }

        private static TwoPeerHarness.PeerCertificates Certs(Lazy<IkeExtensions.Crypto.Certificates.CertificateCredential> own) =>
            new TwoPeerHarness.PeerCertificates(own.Value, TestCertificates.Trust(TestCertificates.Ca.Value.Cert));

        [Fact]
        public void MsIkee_1_7_VersionedMicrosoftVendorId_IsSentAsConfigured_AndThePeersVersionIsRead()
        {
            var h = new TwoPeerHarness(configureA: o => o.MicrosoftVendorIdVersion = 7);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            var vids = Decode(h.Wire[0]).FindAll<VendorIdPayload>().Select(v => v.Known).Where(k => k != null).Select(k => k!.Value).ToList();
            Assert.Contains(vids, k => k.Kind == VendorIdKind.MicrosoftImplementation && k.Number == 7);
            Assert.Contains(vids, k => k.Kind == VendorIdKind.KeyModules && k.Number == 0);
            var b = h.B.EstablishedMainModes.Single();
            Assert.Equal(7, b.PeerWindowsVersion);
            Assert.True(b.Extensions.HasFlag(SaExtensions.MicrosoftImplementation | SaExtensions.KeyModules));
        }

        [Fact]
        public void MsIkee_1_7_AuthIpVendorIds_AreRecognisedAndReported()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Request());
            var mm1 = Decode(h.Wire[0]);
            var withAuthIp = new IkeMessage(mm1.Header, mm1.Payloads.Concat(new IkePayload[]
            {
                VendorIdPayload.For(VendorIdKind.MsMamieExists), VendorIdPayload.For(VendorIdKind.AuthIpInitiatorDhGroup, 3),
            }).ToList()).Encode();
            h.ReplaceInFlight(h.Wire[0], withAuthIp);
            h.Run(TimeSpan.FromMilliseconds(300));
            var b = h.B.Engine.MainModeSas.Snapshot().Single();
            Assert.True(b.Extensions.HasFlag(SaExtensions.AuthIp));
            Assert.Contains("AUTHIP_INIT_KE_DH_GROUP (IKEEXT_DH_GROUP_14)", b.PeerVendorIds);
        }

        [Fact]
        public void MsIkee_3_1_5_Rfc2407_4_5_UnknownAttributes_DoNotAbortProposalSelection()
        {
            var ours = IkeV1Policy.Default.MainMode;
            var offer = ProposalCodecAccess.Offer(ours.Take(1).ToList());
            var t = offer.Proposals[0].Transforms[0];
            var withUnknown = new Transform(t.Number, t.TransformId, t.Attributes.Concat(new[] { DataAttribute.Variable(0x7ABC, new byte[] { 1, 2, 3 }), DataAttribute.Basic(0x7ABD, 9) }).ToList());
            var sa = new SecurityAssociationPayload(offer.Doi, offer.Situation, new[] { new Proposal(1, ProtocolId.Isakmp, default, new[] { withUnknown }) });
            Assert.True(ProposalCodecAccess.Selects(sa, ours));
        }

        [Fact]
        public void MsIkee_3_1_5_NoProposalChosen_IsAnUnprotectedNotify_CarryingNotifyStatusForWindowsPeers()
        {
            var a = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14) }, IkeV1Policy.Default.QuickMode);
            var b = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha1, 19) }, IkeV1Policy.Default.QuickMode);
            var h = new TwoPeerHarness(a, b);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            var notify = Decode(h.Wire[1]);
            Assert.False(notify.HasEncryptedBody);
            Assert.DoesNotContain(notify.Payloads, p => p.Type == PayloadType.Hash);
            var fail = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason!;
            Assert.Contains("NoProposalChosen", fail);
            Assert.Contains("ERROR_IPSEC_IKE_POLICY_MATCH (13868)", fail);
        }

        [Theory]
        [InlineData(9u)]  // IV: the last cipher block of the last decrypted packet (message 5)
        [InlineData(5u)]  // note 12: toward Windows 2000–Vista, the last cipher block of the last sent packet (message 4)
        public void MsIkee_3_1_5_Note12_AuthenticationFailureInTheLastRoundTrip_IsAProtectedNotify_TheInitiatorCanRead(uint initiatorVersion)
        {
            var h = new TwoPeerHarness(pskA: null, pskB: null, certificatesA: Certs(TestCertificates.Rogue), certificatesB: Certs(TestCertificates.B),
                configureA: o => o.MicrosoftVendorIdVersion = initiatorVersion);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2)); // well before the negotiation timeout: the reason arrives in the notify
            var fail = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason!;
            Assert.Contains("AuthenticationFailed", fail);
            Assert.Contains("ERROR_IPSEC_IKE_AUTH_FAIL (13801)", fail);
            var notify = Decode(h.Wire.Last(w => w[18] == (byte)ExchangeType.Informational));
            Assert.True(notify.HasEncryptedBody); // protected, in the last round trip
        }

        [Fact]
        public void MsIkee_2_2_6_QuickModeFailureTowardAWindowsPeer_CarriesTheMessageIdAndANotifyStatus()
        {
            var a = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.Aes, 256, IpsecAuthenticationAlgorithm.HmacSha2_256) });
            var b = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.TripleDes, 0, IpsecAuthenticationAlgorithm.HmacSha1) });
            var h = new TwoPeerHarness(a, b);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            var fail = h.A.Events.Where(e => e.Kind == EngineEventKind.QuickModeFailed).Select(e => e.Reason).ToList();
            Assert.Contains(fail, r => r!.Contains("NoProposalChosen"));
            Assert.Contains(fail, r => r!.Contains("13868"));
        }

        [Fact]
        public void MsIkee_3_1_5_NotifiesAreNotRetransmitted()
        {
            var a = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.Aes, 256, IpsecAuthenticationAlgorithm.HmacSha2_256) });
            var b = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.TripleDes, 0, IpsecAuthenticationAlgorithm.HmacSha1) });
            var h = new TwoPeerHarness(a, b);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
            Assert.Equal(0, h.B.Engine.Statistics.Retransmissions);
        }
    }

    /// <summary>Reaches the internal proposal codec for the 3.1.5 unknown-attribute rule.</summary>
    internal static class ProposalCodecAccess
    {
        public static SecurityAssociationPayload Offer(System.Collections.Generic.IReadOnlyList<MainModeProposal> p) => IkeExtensions.Engine.ProposalCodec.MainModeOffer(p);
        public static bool Selects(SecurityAssociationPayload sa, System.Collections.Generic.IReadOnlyList<MainModeProposal> ours) => IkeExtensions.Engine.ProposalCodec.SelectMainMode(sa, ours) != null;
    }
}
