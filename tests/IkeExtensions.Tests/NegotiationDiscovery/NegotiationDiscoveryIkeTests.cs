using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.NegotiationDiscovery;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Engine;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.NegotiationDiscovery
{
    /// <summary>The IKE side of negotiation discovery: vendor ID and MMSAD flag (3.7.4.1, 3.7.5.1, 3.7.5.2), EXCHANGE_INFO and QM SA flags (3.7.4.1, 3.7.5.3, 3.7.5.4, 2.2.6).</summary>
    public class NegotiationDiscoveryIkeTests
    {
        private static NdSecurityPolicy Nd(bool boundary, bool guarantee = false) => new NdSecurityPolicy(new[]
        {
            new NdRule { Name = "nd", NegotiationDiscovery = boundary ? NdDirections.Both : NdDirections.Outbound, Boundary = boundary, GuaranteeEncryption = guarantee },
        });

        private static TwoPeerHarness Negotiate(NdSecurityPolicy? a, NdSecurityPolicy? b, ExchangeInfoFlags? acquire, bool windows = true)
        {
            var h = new TwoPeerHarness(
                configureA: o => { if (a != null) o.WithNegotiationDiscovery(a); if (!windows) o.MicrosoftVendorIdVersion = null; },
                configureB: o => { if (b != null) o.WithNegotiationDiscovery(b); if (!windows) o.MicrosoftVendorIdVersion = null; });
            var request = new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);
            if (acquire is ExchangeInfoFlags f) request.ForAcquire(f);
            h.A.Engine.Initiate(request);
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Single(h.B.EstablishedQuickModes);
            return h;
        }

        [Fact]
        public void Section_3_7_5_1_And_3_7_5_2_VendorId_SetsNegotiationDiscoverySupported()
        {
            var both = Negotiate(Nd(true), Nd(true), null);
            Assert.True(both.A.EstablishedMainModes.Single().NegotiationDiscoverySupported);
            Assert.True(both.B.EstablishedMainModes.Single().NegotiationDiscoverySupported);

            var onlyA = Negotiate(Nd(true), null, null);
            Assert.False(onlyA.A.EstablishedMainModes.Single().NegotiationDiscoverySupported); // B has no ND policy: no vendor ID in message 2
            Assert.True(onlyA.B.EstablishedMainModes.Single().NegotiationDiscoverySupported);
            Assert.Contains("MS-Negotiation Discovery Capable", onlyA.B.EstablishedMainModes.Single().PeerVendorIds);

            var none = Negotiate(null, null, null);
            Assert.False(none.B.EstablishedMainModes.Single().NegotiationDiscoverySupported);
        }

        [Fact]
        public void Section_3_7_5_3_And_3_7_5_4_ExchangeInfo_SetsBoundaryAndGuaranteedEncryption()
        {
            var h = Negotiate(Nd(true, guarantee: true), Nd(true), ExchangeInfoFlags.NdBoundary | ExchangeInfoFlags.GuaranteeEncryption);
            var a = h.A.EstablishedQuickModes.Single();
            var b = h.B.EstablishedQuickModes.Single();
            Assert.True(b.Boundary);              // 3.7.5.3: ND_BOUNDARY in message #5
            Assert.True(b.GuaranteedEncryption);  // 3.7.5.3: GUARANTEE_ENCRYPTION in message #5
            Assert.True(a.Boundary);              // 3.7.5.4: ND_BOUNDARY in message #6 (B's rule has Boundary)
            Assert.True(a.GuaranteedEncryption);  // 3.7.1: an encryption SA negotiated for a Guaranteed Encryption flow
        }

        [Fact]
        public void Section_3_7_5_3_ResponderWithoutBoundary_SendsNoFlag()
        {
            var h = Negotiate(Nd(true), Nd(false), ExchangeInfoFlags.NdBoundary);
            Assert.False(h.A.EstablishedQuickModes.Single().Boundary);
            Assert.True(h.B.EstablishedQuickModes.Single().Boundary);
            Assert.False(h.B.EstablishedQuickModes.Single().GuaranteedEncryption);
        }

        [Fact]
        public void Section_3_7_4_1_NoFlags_NoExchangeInfo()
        {
            var h = Negotiate(Nd(false), Nd(false), ExchangeInfoFlags.None);
            Assert.False(h.A.EstablishedQuickModes.Single().Boundary);
            Assert.False(h.B.EstablishedQuickModes.Single().Boundary);
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("EXCHANGE_INFO", StringComparison.Ordinal));
        }

        [Fact]
        public void Section_3_7_4_1_WithoutAcquire_TheRuleFlagsApply()
        {
            // An administrator's Initiate (no Acquire attached): the SPD rule's Boundary and Guarantee Encryption.
            var h = Negotiate(Nd(true, guarantee: true), Nd(true), null);
            Assert.True(h.B.EstablishedQuickModes.Single().Boundary);
            Assert.True(h.B.EstablishedQuickModes.Single().GuaranteedEncryption);
        }

        [Fact]
        public void Section_2_2_6_ExchangeInfo_NonWindowsPeers_PlainFlags_StillUnderstood()
        {
            var h = Negotiate(Nd(true, guarantee: true), Nd(true), ExchangeInfoFlags.NdBoundary | ExchangeInfoFlags.GuaranteeEncryption, windows: false);
            Assert.True(h.A.EstablishedQuickModes.Single().Boundary);
            Assert.True(h.B.EstablishedQuickModes.Single().Boundary);
            Assert.True(h.B.EstablishedQuickModes.Single().GuaranteedEncryption);
        }

        private sealed class NullOutput : IEngineOutput
        {
            public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram) { }
            public void OnEvent(EngineEvent engineEvent) { }
            public void Log(IkeExtensions.Engine.LogLevel level, string message) { }
        }

        private static (NegotiationDiscoveryExtension Extension, QuickModeSession Session) Session(bool windows, uint messageId = 0x11223344)
        {
            var options = new IkeV1EngineOptions(new FakeClock(), new DeterministicRandomSource("nd"), IkeV1Policy.Default, new PeerAuthorizationDatabase())
                .WithNegotiationDiscovery(Nd(true));
            var ctx = new EngineContext(options, new NullOutput());
            var mm = new MainModeSa(1, TwoPeerHarness.AddressA, TwoPeerHarness.AddressB, 1, true, DateTime.UtcNow);
            var parent = new Phase1Session(mm, true) { Extensions = windows ? SaExtensions.MicrosoftImplementation : SaExtensions.None };
            var qm = new QuickModeSa(2, 1, TwoPeerHarness.AddressA, TwoPeerHarness.AddressB, false, messageId, DateTime.UtcNow);
            return (new NegotiationDiscoveryExtension(ctx), new QuickModeSession(qm, parent));
        }

        [Fact]
        public void Section_2_2_6_ExchangeInfo_TowardWindowsPeer_CarriesMessageIdFirst_AndSpiSize8()
        {
            var (ext, q) = Session(windows: true);
            var payloads = new List<IkePayload>();
            ext.Build(q, 2, payloads); // responder's message #6: its rule has Boundary
            var n = Assert.IsType<NotificationPayload>(Assert.Single(payloads));
            Assert.Equal(NotifyMessageType.ExchangeInfo, n.MessageType);
            Assert.Equal(8, n.Spi.Length);
            Assert.Equal(new byte[] { 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 1 }, n.Data.ToArray());
            Assert.Equal(ExchangeInfoFlags.NdBoundary, ext.Read(q, payloads));

            var (plainExt, plain) = Session(windows: false);
            var plainPayloads = new List<IkePayload>();
            plainExt.Build(plain, 2, plainPayloads);
            var p = Assert.IsType<NotificationPayload>(Assert.Single(plainPayloads));
            Assert.Equal(0, p.Spi.Length);
            Assert.Equal(new byte[] { 0, 0, 0, 1 }, p.Data.ToArray());

            // A Message ID for another Quick Mode is not ours.
            var (_, other) = Session(windows: true, messageId: 0x55667788);
            Assert.Equal(ExchangeInfoFlags.None, ext.Read(other, payloads));
        }
    }
}
