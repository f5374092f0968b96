using System;
using System.Linq;
using System.Net;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>RFC 2409 §5 Main Mode + §5.5 Quick Mode between two engines in memory.</summary>
    public class MainModeQuickModeTests
    {
        private static InitiateRequest Transport() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);

        private static void AssertPairedSas(TwoPeerHarness h)
        {
            var a = Assert.Single(h.A.EstablishedQuickModes);
            var b = Assert.Single(h.B.EstablishedQuickModes);
            Assert.Equal(a.InboundSpi, b.OutboundSpi);
            Assert.Equal(a.OutboundSpi, b.InboundSpi);
            var ka = h.A.Engine.KeyMaterialOf(a.Id)!.Value;
            var kb = h.B.Engine.KeyMaterialOf(b.Id)!.Value;
            Assert.Equal(ka.Inbound, kb.Outbound);   // RFC 2409 §5.5: KEYMAT is bound to the SPI of the receiving side
            Assert.Equal(ka.Outbound, kb.Inbound);
            Assert.NotEqual(ka.Inbound, ka.Outbound);

            var ma = Assert.Single(h.A.EstablishedMainModes);
            var mb = Assert.Single(h.B.EstablishedMainModes);
            Assert.Equal((ma.InitiatorCookie, ma.ResponderCookie), (mb.InitiatorCookie, mb.ResponderCookie));
            Assert.True(ma.IsInitiator);
            Assert.False(mb.IsInitiator);
            Assert.Equal("192.0.2.2", ma.RemoteFirstId);
            Assert.Equal("192.0.2.1", mb.RemoteFirstId);
        }

        [Fact]
        public void Rfc2409_MainModeAndQuickMode_WithPsk_EstablishMatchingSaPairs()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            AssertPairedSas(h);
            Assert.Equal(9, h.Wire.Count); // MM 6 + QM 3, nothing retransmitted
            Assert.Equal("Transport", h.A.EstablishedQuickModes[0].EncapsulationMode);
            Assert.Equal("AES-CBC-256", h.A.EstablishedMainModes[0].CipherAlgorithm);
            Assert.Contains("MS NT5 ISAKMPOAKLEY (Windows 8 and later)", h.B.EstablishedMainModes[0].PeerVendorIds);
        }

        [Theory]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha1, 2)]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 192, IkeHashAlgorithm.Sha2_256, 14)]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 19)]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_384, 20)]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha2_256, 24)]
        [InlineData(IkeEncryptionAlgorithm.TripleDesCbc, 0, IkeHashAlgorithm.Sha1, 2)]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_512, 14)]
        public void EveryCipherHashAndGroup_Negotiates(IkeEncryptionAlgorithm enc, int bits, IkeHashAlgorithm hash, int group)
        {
            var policy = new IkeV1Policy(new[] { new MainModeProposal(enc, bits, hash, group) },
                new[] { new QuickModeProposal(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha1) });
            var h = new TwoPeerHarness(policy, policy);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            AssertPairedSas(h);
            Assert.Equal(group, h.B.EstablishedMainModes[0].GroupId);
            Assert.Equal(enc == IkeEncryptionAlgorithm.TripleDesCbc || hash == IkeHashAlgorithm.Sha1 || group == 2, h.B.EstablishedMainModes[0].IsWeak);
        }

        [Theory]
        [InlineData(EspTransformId.Aes, 256, IpsecAuthenticationAlgorithm.HmacSha2_256, 14)]
        [InlineData(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha1, 19)]
        [InlineData(EspTransformId.TripleDes, 0, IpsecAuthenticationAlgorithm.HmacSha1, 0)]
        public void Rfc2409_5_5_QuickMode_WithAndWithoutPfs_InTunnelModeWithClientIds(EspTransformId enc, int bits, IpsecAuthenticationAlgorithm integ, int pfs)
        {
            var policy = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(enc, bits, integ, pfs) });
            var h = new TwoPeerHarness(policy, policy);
            var request = new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB, EncapsulationModeChoice.Tunnel,
                new TrafficSelector(IPAddress.Parse("198.51.100.0"), IPAddress.Parse("198.51.100.255")),
                new TrafficSelector(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("203.0.113.7"), 6, 443));
            h.A.Engine.Initiate(request);
            h.Run(TimeSpan.FromSeconds(3));
            AssertPairedSas(h);
            var b = h.B.EstablishedQuickModes[0];
            Assert.Equal("Tunnel", b.EncapsulationMode);
            Assert.Equal(pfs, b.PfsGroup);
            Assert.Equal("198.51.100.0-198.51.100.255", b.RemoteTrafficSelector!.ToString());
            Assert.Equal("203.0.113.7 proto 6 port 443", b.LocalTrafficSelector!.ToString());
        }

        [Fact]
        public void WrongPsk_FailsCleanly_WithNoSaOnEitherSide()
        {
            var h = new TwoPeerHarness(pskB: "a-different-key");
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(90));
            Assert.Empty(h.A.Engine.MainModeSas.Snapshot());
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
            Assert.Empty(h.A.Engine.QuickModeSas.Snapshot());
            Assert.Contains(h.B.Events, e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("interop-test-psk") || l.Contains("a-different-key"));
        }

        [Fact]
        public void NoCommonProposal_IsAnsweredWithNoProposalChosen_AndFailsTheInitiator()
        {
            var a = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14) }, IkeV1Policy.Default.QuickMode);
            var b = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha1, 19) }, IkeV1Policy.Default.QuickMode);
            var h = new TwoPeerHarness(a, b);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("NoProposalChosen"));
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        public void UnderLossDuplicationAndReordering_TheInitiatorRetransmits_AndTheSidesEndConsistent(int seed)
        {
            var h = new TwoPeerHarness(seed: seed) { DropRate = 0.3, DuplicateRate = 0.3, MaxDelay = TimeSpan.FromMilliseconds(400) };
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500));
            Assert.True(h.A.EstablishedQuickModes.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            Assert.Equal(0, h.B.Engine.Statistics.Retransmissions); // MS-IKEE 3.1.5: the responder never retransmits
            if (h.B.EstablishedQuickModes.Count == 1)
            {
                AssertPairedSas(h);
            }
            else
            {
                // RFC 2409 §5.5 has no acknowledgement of HASH(3): when it is lost the responder cannot complete, and
                // (not retransmitting, MS-IKEE 3.1.5) drops its half of the SA at the negotiation timeout, leaving nothing half-open.
                Assert.Contains(h.B.Events, e => e.Kind == EngineEventKind.QuickModeFailed && e.Reason == "negotiation timed out");
                Assert.Empty(h.B.Engine.QuickModeSas.Snapshot());
                Assert.Single(h.B.EstablishedMainModes);
            }
        }

        [Fact]
        public void DuplicatedRequests_AreAnsweredFromTheStoredResponse_NotReprocessed()
        {
            var h = new TwoPeerHarness { DuplicateRate = 1.0 };
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            AssertPairedSas(h);
            Assert.Equal(1, h.B.Engine.Statistics.MainModeEstablished);
            Assert.Equal(1, h.B.Engine.Statistics.QuickModeEstablished);
        }

        [Fact]
        public void DeletingTheQuickModeSa_RemovesItOnBothSides_ThenTheMainModeSa()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes[0].Id));
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.Engine.QuickModeSas.Snapshot());
            Assert.Empty(h.B.Engine.QuickModeSas.Snapshot());
            Assert.True(h.B.Engine.DeleteMainModeSa(h.B.EstablishedMainModes[0].Id));
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.Engine.MainModeSas.Snapshot());
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void QuickModeLifetime_TriggersARekeyBeforeExpiry_AndTheOldSaExpires()
        {
            var policy = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha2_256, 0, lifetimeSeconds: 100) });
            var h = new TwoPeerHarness(policy, policy);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            uint first = h.A.EstablishedQuickModes.Single().InboundSpi;
            h.Run(TimeSpan.FromSeconds(95), TimeSpan.FromSeconds(1));
            Assert.Equal(2, h.A.EstablishedQuickModes.Count); // rekeyed at 90 s, old one still valid
            h.Run(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
            var remaining = Assert.Single(h.A.EstablishedQuickModes);
            Assert.NotEqual(first, remaining.InboundSpi);
            Assert.Single(h.B.EstablishedQuickModes);
        }

        [Fact]
        public void ExpiredMainModeSa_KeepsItsQuickModeSas_AndANewRequestRunsAFreshMainMode()
        {
            var policy = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14, lifetimeSeconds: 100) },
                IkeV1Policy.Default.QuickMode);
            var h = new TwoPeerHarness(policy, policy);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            long firstMm = h.A.EstablishedMainModes.Single().Id;
            h.Run(TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(1));
            Assert.Single(h.A.EstablishedQuickModes);          // the Quick Mode SA outlives its Main Mode SA's lifetime
            Assert.Single(h.A.Engine.MainModeSas.Snapshot());  // which stays for it
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(2, h.A.Engine.MainModeSas.Snapshot().Count);
            Assert.Contains(h.A.EstablishedQuickModes, q => q.MainModeSaId != firstMm);
            h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes.Single(q => q.MainModeSaId == firstMm).Id);
            h.Run(TimeSpan.FromSeconds(2));
            Assert.DoesNotContain(h.A.Engine.MainModeSas.Snapshot(), m => m.Id == firstMm); // removed once its last Quick Mode SA went
        }

        [Fact]
        public void ResponderLifetime_Rfc2407_4_6_3_1_ShortensTheInitiatorsSa()
        {
            var a = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha2_256, 0, lifetimeSeconds: 3600) });
            var b = new IkeV1Policy(IkeV1Policy.Default.MainMode, new[] { new QuickModeProposal(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha2_256, 0, lifetimeSeconds: 600) });
            var h = new TwoPeerHarness(a, b);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(600, h.A.EstablishedQuickModes.Single().LifetimeSeconds);
            Assert.Equal(600, h.B.EstablishedQuickModes.Single().LifetimeSeconds);
        }

        [Fact]
        public void AggressiveMode_IsRefused_WithALoggedReason()
        {
            var h = new TwoPeerHarness();
            var header = new IkeExtensions.Wire.IsakmpHeader(7, 0, IkeExtensions.Wire.PayloadType.None, 1, 0, IkeExtensions.Wire.ExchangeType.Aggressive, 0, 0, 0);
            var m = new IkeExtensions.Wire.IkeMessage(header, new IkeExtensions.Wire.IkePayload[] { new IkeExtensions.Wire.NoncePayload(new byte[16]) });
            h.B.Engine.Receive(TwoPeerHarness.AddressB, TwoPeerHarness.AddressA, m.Encode());
            Assert.Equal(1, h.B.Engine.Statistics.AggressiveModeRefused);
            Assert.Contains(h.B.Log, l => l.Contains("Aggressive Mode") && l.Contains("refused"));
            Assert.Empty(h.Wire);
        }
    }
}
