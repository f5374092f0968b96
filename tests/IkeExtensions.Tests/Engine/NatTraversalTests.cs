using System;
using System.Linq;
using System.Net;
using IkeExtensions.Engine;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>MS-IKEE 3.2 NAT traversal (RFC 3947) between two engines, with and without a NAT in the harness.</summary>
    public class NatTraversalTests
    {
        private static InitiateRequest Request(EncapsulationModeChoice mode = EncapsulationModeChoice.Transport) => mode == EncapsulationModeChoice.Transport
            ? new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB)
            : new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB, mode,
                new TrafficSelector(IPAddress.Parse("198.51.100.1"), IPAddress.Parse("198.51.100.1")),
                new TrafficSelector(IPAddress.Parse("198.51.100.2"), IPAddress.Parse("198.51.100.2")));

        private static IkeMessage Decode(byte[] b) { Assert.True(IkeMessage.TryDecode(b, out var m, out var e), e.ToString()); return m; }

        [Fact]
        public void MsIkee_3_2_4_1_MessageOneAdvertisesBothRevisions_AndRfc3947IsSelected_3_2_5_1()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            var mm1 = Decode(h.Wire[0]);
            var kinds = mm1.FindAll<VendorIdPayload>().Select(v => v.Known?.Kind).ToList();
            Assert.Contains(VendorIdKind.NatTraversalRfc3947, kinds);
            Assert.Contains(VendorIdKind.NatTraversalDraft02, kinds);
            var mm2 = Decode(h.Wire[1]);
            Assert.Contains(mm2.FindAll<VendorIdPayload>(), v => v.Known?.Kind == VendorIdKind.NatTraversalDraft02); // 3.2.5.1: as message 1 would
            Assert.Equal(NatTraversalRevision.Rfc3947, h.A.EstablishedMainModes.Single().NatTraversalRevision);
            Assert.Equal(NatTraversalRevision.Rfc3947, h.B.EstablishedMainModes.Single().NatTraversalRevision);
        }

        [Fact]
        public void Rfc3947_3_2_WithoutANat_NatDIsExchanged_NothingIsDetected_AndNothingFloats()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(2, Decode(h.Wire[2]).FindAll<NatDiscoveryPayload>().Count());
            Assert.Equal(2, Decode(h.Wire[3]).FindAll<NatDiscoveryPayload>().Count());
            var a = h.A.EstablishedMainModes.Single();
            Assert.False(a.NatDetectedLocal || a.NatDetectedRemote);
            Assert.Equal(500, a.LocalEndpoint.Port);
            Assert.Equal("Transport", h.B.EstablishedQuickModes.Single().EncapsulationMode);
            Assert.Equal(0, h.KeepAlives);
        }

        [Theory]
        [InlineData(EncapsulationModeChoice.Transport, "UdpEncapsulatedTransport")]
        [InlineData(EncapsulationModeChoice.Tunnel, "UdpEncapsulatedTunnel")]
        public void Rfc3947_BehindANat_BothSidesDetectIt_FloatTo4500_AndNegotiateUdpEncapsulation(EncapsulationModeChoice mode, string expected)
        {
            var h = new TwoPeerHarness { NatPublicAddressOfA = IPAddress.Parse("203.0.113.10") };
            h.A.Engine.Initiate(Request(mode));
            h.Run(TimeSpan.FromSeconds(3));
            var a = h.A.EstablishedMainModes.Single();
            var b = h.B.EstablishedMainModes.Single();
            Assert.True(a.NatDetectedLocal);
            Assert.False(a.NatDetectedRemote);
            Assert.True(b.NatDetectedRemote);
            Assert.Equal(4500, a.LocalEndpoint.Port);
            Assert.Equal(4500, a.RemoteEndpoint.Port);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.10"), 44500), b.RemoteEndpoint); // the NAT's mapping of A's 4500
            Assert.Equal(4500, b.LocalUdpEncapsulationPort);
            Assert.Equal(expected, h.A.EstablishedQuickModes.Single().EncapsulationMode);
            Assert.Equal(expected, h.B.EstablishedQuickModes.Single().EncapsulationMode);
        }

        [Fact]
        public void MsIkee_3_1_5_BehindANat_NatOaIsSent_AndTheResponderLearnsTheOriginalAddress()
        {
            var h = new TwoPeerHarness { NatPublicAddressOfA = IPAddress.Parse("203.0.113.10") };
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(3));
            var qm = h.B.EstablishedQuickModes.Single();
            Assert.Equal(IPAddress.Parse("192.0.2.1"), qm.PeerOriginalInitiatorAddress);
        }

        [Fact]
        public void Rfc3948_4_BehindANat_KeepAlivesGoOutEvery20Seconds()
        {
            var h = new TwoPeerHarness { NatPublicAddressOfA = IPAddress.Parse("203.0.113.10") };
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(3));
            int before = h.KeepAlives;
            h.Run(TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(1));
            Assert.InRange(h.KeepAlives - before, 3, 4);
        }

        [Fact]
        public void MsIkee_3_2_5_1_APeerWithOnlyTheDraft_GetsTheDraftRevision_ItsPayloadNumbers_AndItsEncapsulationModes()
        {
            var h = new TwoPeerHarness(configureA: o => o.NatTraversalRfc3947 = false) { NatPublicAddressOfA = IPAddress.Parse("203.0.113.10") };
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Equal(NatTraversalRevision.Draft02, h.A.EstablishedMainModes.Single().NatTraversalRevision);
            Assert.Equal(NatTraversalRevision.Draft02, h.B.EstablishedMainModes.Single().NatTraversalRevision);
            Assert.Equal(2, Decode(h.Wire[2]).Payloads.Count(p => p.Type == PayloadType.NatDiscoveryDraft));  // 0x82 (MS-IKEE 2.2.1)
            Assert.Equal(2, Decode(h.Wire[3]).Payloads.Count(p => p.Type == PayloadType.NatDiscoveryDraft));
            Assert.Equal("UdpEncapsulatedTransportDraft", h.B.EstablishedQuickModes.Single().EncapsulationMode); // 0xF004 (MS-IKEE 2.2.2)
            Assert.Equal(IPAddress.Parse("192.0.2.1"), h.B.EstablishedQuickModes.Single().PeerOriginalInitiatorAddress); // NAT-OA as 0x83
        }

        [Fact]
        public void MsIkee_3_2_5_1_NoCommonRevision_MeansNoNatTraversal()
        {
            var h = new TwoPeerHarness(configureA: o => o.NatTraversalRfc3947 = false, configureB: o => o.NatTraversalDraft02 = false);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(NatTraversalRevision.None, h.B.EstablishedMainModes.Single().NatTraversalRevision);
            Assert.Empty(Decode(h.Wire[2]).FindAll<NatDiscoveryPayload>());
        }
    }
}
