using System;
using System.Linq;
using System.Net;
using IkeExtensions.Engine.V2;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>NAT traversal for IKEv2 (RFC 7296 §2.23, RFC 3948) through the in-memory harness's simulated NATs.</summary>
    public sealed class IkeV2NatTraversalTests
    {
        private static readonly IPAddress NatA = IPAddress.Parse("203.0.113.1");
        private static readonly IPAddress NatB = IPAddress.Parse("203.0.113.2");
        private const byte IkeSaInit = 34, IkeAuth = 35, Informational = 37;

        private static TrafficSelector Net(string cidr)
        {
            var t = TrafficSelectorV2.Parse(cidr);
            return new TrafficSelector(t.Start, t.End);
        }

        private static bool IsKeepAlive(byte[] d) => d.Length == 1 && d[0] == 0xFF;
        private static byte Exchange(byte[] d) => d.Length > 18 ? d[18] : (byte)0;

        /// <summary>A behind a (port-changing) NAT, tunnel mode, established.</summary>
        private static TwoPeerV2Harness EstablishedBehindNat(bool randomPorts = true, Action<IkeV2EngineOptions>? configureA = null)
        {
            var h = new TwoPeerV2Harness(configureA: configureA);
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressA.Address, NatA, randomPorts));
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Single(h.B.EstablishedIkeSas);
            return h;
        }

        [Fact]
        public void Rfc7296_2_23_InitiatorBehindNat_FloatsTo4500ForIkeAuth_ResponderFollowsTheMappedPort()
        {
            var h = EstablishedBehindNat();
            var nat = h.Nats[0];
            var a = h.A.EstablishedIkeSas[0];
            var b = h.B.EstablishedIkeSas[0];
            // The initiator: NAT in front of itself, moved to 4500 on both ends.
            Assert.True(a.NatDetectedLocal);
            Assert.False(a.NatDetectedRemote);
            Assert.Equal("192.0.2.1:4500", a.LocalEndpoint.ToString());
            Assert.Equal("192.0.2.2:4500", a.RemoteEndpoint.ToString());
            Assert.Equal(4500, a.LocalUdpEncapsulationPort);
            Assert.Equal(4500, a.RemoteUdpEncapsulationPort);
            // The responder: NAT in front of the peer, now on its 4500 and the NAT's mapping of the peer's 4500.
            var mapped4500 = nat.MappingOf(new IPEndPoint(TwoPeerV2Harness.AddressA.Address, 4500))!;
            var mapped500 = nat.MappingOf(TwoPeerV2Harness.AddressA)!;
            Assert.NotEqual(mapped500, mapped4500);
            Assert.False(b.NatDetectedLocal);
            Assert.True(b.NatDetectedRemote);
            Assert.Equal("192.0.2.2:4500", b.LocalEndpoint.ToString());
            Assert.Equal(mapped4500, b.RemoteEndpoint);
            Assert.Equal(mapped4500.Port, b.RemoteUdpEncapsulationPort);
            // On the wire: IKE_SA_INIT on 500 both ways, IKE_AUTH on 4500 both ways.
            var ike = h.Sent.Where(d => !IsKeepAlive(d.Data)).ToList();
            Assert.All(ike.Where(d => Exchange(d.Data) == IkeSaInit), d => Assert.True(d.From.Port == 500 && (d.To.Port == 500 || d.To.Equals(mapped500))));
            Assert.All(ike.Where(d => Exchange(d.Data) == IkeSaInit), d => Assert.True(ContainsNotify(d.Data, 16388) && ContainsNotify(d.Data, 16389)));
            var auth = ike.Where(d => Exchange(d.Data) == IkeAuth).ToList();
            Assert.Equal(2, auth.Count);
            Assert.All(auth, d => Assert.True(d.From.Port == 4500 && (d.To.Port == 4500 || d.To.Equals(mapped4500))));
            // The response went to where the request came from: the NAT's mapping of A's 4500.
            Assert.Contains(h.Delivered, d => Exchange(d.Data) == IkeAuth && d.From.Equals(mapped4500));
            Assert.Contains(h.B.Log, l => l.Contains("floated to " + mapped4500));
        }

        [Fact]
        public void Rfc7296_2_23_ChildSaUnderNat_IsUdpEncapsulatedTunnel_OnBothSides()
        {
            var h = EstablishedBehindNat();
            var a = Assert.Single(h.A.EstablishedChildren);
            var b = Assert.Single(h.B.EstablishedChildren);
            Assert.True(a.UdpEncapsulated);
            Assert.True(b.UdpEncapsulated);
            Assert.Equal("UdpEncapsulatedTunnel", a.EncapsulationMode);
            Assert.Equal("UdpEncapsulatedTunnel", b.EncapsulationMode);
            Assert.Equal(a.InboundSpi, b.OutboundSpi);
            Assert.Equal(4500, a.LocalEndpoint.Port);
            Assert.Equal(4500, b.LocalEndpoint.Port);
        }

        [Fact]
        public void Rfc7296_2_23_WithoutNat_NoFloat_PlainTunnel_NoKeepalives()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(70));
            var a = Assert.Single(h.A.EstablishedIkeSas);
            Assert.False(a.NatDetectedLocal || a.NatDetectedRemote);
            Assert.Equal(500, a.LocalEndpoint.Port);
            Assert.Equal(500, h.B.EstablishedIkeSas[0].RemoteEndpoint.Port);
            Assert.Equal(0, a.LocalUdpEncapsulationPort);
            var child = Assert.Single(h.A.EstablishedChildren);
            Assert.False(child.UdpEncapsulated);
            Assert.Equal("Tunnel", child.EncapsulationMode);
            Assert.DoesNotContain(h.Sent, d => IsKeepAlive(d.Data));
        }

        [Fact]
        public void Rfc3948_2_3_Keepalives_OnlyFromTheSideBehindTheNat_AtTheInterval()
        {
            var h = EstablishedBehindNat();
            var floatedAt = h.Sent.First(d => Exchange(d.Data) == IkeAuth).At;
            h.Run(TimeSpan.FromSeconds(65));
            var keepalives = h.Sent.Where(d => IsKeepAlive(d.Data)).ToList();
            Assert.Equal(3, keepalives.Count); // at ~20, 40 and 60 s after the float
            Assert.All(keepalives, k => Assert.Equal("192.0.2.1:4500", k.From.ToString()));
            Assert.All(keepalives, k => Assert.Equal("192.0.2.2:4500", k.To.ToString()));
            Assert.InRange((keepalives[0].At - floatedAt).TotalSeconds, 20, 20.2);
            Assert.Equal(TimeSpan.FromSeconds(20), keepalives[1].At - keepalives[0].At);
            Assert.Equal(TimeSpan.FromSeconds(20), keepalives[2].At - keepalives[1].At);
            // Through the NAT they arrive from the NAT's mapping, and the responder takes them silently.
            Assert.All(h.Delivered.Where(d => IsKeepAlive(d.Data)), d => Assert.Equal(h.B.EstablishedIkeSas[0].RemoteEndpoint, d.From));
            Assert.Equal(0, h.B.Engine.Statistics.MalformedDropped);
            Assert.Single(h.B.EstablishedIkeSas);
        }

        [Fact]
        public void Rfc3948_2_3_KeepaliveInterval_IsAnOption()
        {
            var h = EstablishedBehindNat(configureA: o => o.NatKeepAliveInterval = TimeSpan.FromSeconds(5));
            h.Run(TimeSpan.FromSeconds(21));
            var keepalives = h.Sent.Where(d => IsKeepAlive(d.Data)).ToList();
            Assert.InRange(keepalives.Count, 4, 5);
            Assert.All(keepalives.Zip(keepalives.Skip(1), (x, y) => y.At - x.At), gap => Assert.Equal(TimeSpan.FromSeconds(5), gap));
        }

        [Fact]
        public void Rfc7296_2_23_ResponderBehindNat_InitiatorFloats_ResponderFollowsAndSendsKeepalives()
        {
            var h = new TwoPeerV2Harness();
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressB.Address, NatB, portForwarding: true));
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"), peer: new IPEndPoint(NatB, 500));
            h.Run(TimeSpan.FromSeconds(25));
            var a = Assert.Single(h.A.EstablishedIkeSas);
            var b = Assert.Single(h.B.EstablishedIkeSas);
            Assert.True(a.NatDetectedRemote);
            Assert.False(a.NatDetectedLocal);
            Assert.Equal("203.0.113.2:4500", a.RemoteEndpoint.ToString());
            Assert.True(b.NatDetectedLocal);
            Assert.Equal("192.0.2.2:4500", b.LocalEndpoint.ToString());
            Assert.Equal("192.0.2.1:4500", b.RemoteEndpoint.ToString());
            Assert.True(Assert.Single(h.B.EstablishedChildren).UdpEncapsulated);
            var keepalives = h.Sent.Where(d => IsKeepAlive(d.Data)).ToList();
            Assert.NotEmpty(keepalives);
            Assert.All(keepalives, k => Assert.Equal(TwoPeerV2Harness.AddressB.Address, k.From.Address));
        }

        [Fact]
        public void Rfc7296_2_23_ForgedOrReplayedMessageFromNewAddress_DoesNotMoveTheSa()
        {
            var h = EstablishedBehindNat();
            var b = h.B.EstablishedIkeSas[0];
            var before = b.RemoteEndpoint;
            var attacker = new IPEndPoint(IPAddress.Parse("198.51.100.99"), 4500);
            var local = b.LocalEndpoint;
            var authRequest = h.Sent.First(d => Exchange(d.Data) == IkeAuth).Data;
            int logBefore = h.B.Log.Count;

            // 1. The IKE_AUTH request replayed from elsewhere: integrity holds but it is old (message ID 1 < window).
            h.B.Engine.Receive(local, attacker, authRequest);
            // 2. The same with a flipped octet in the ICV: fails the integrity check.
            var forged = (byte[])authRequest.Clone();
            forged[forged.Length - 1] ^= 0x01;
            h.B.Engine.Receive(local, attacker, forged);
            // 3. A new message ID, garbage inside the SK payload: fails the integrity check too.
            var fresh = (byte[])authRequest.Clone();
            fresh[23] = 2; // message ID 2, the next one B expects
            h.B.Engine.Receive(local, attacker, fresh);

            var after = h.B.Engine.IkeSas.Find(b.Id)!;
            Assert.Equal(before, after.RemoteEndpoint);
            Assert.Equal(local, after.LocalEndpoint);
            Assert.Equal(IkeV2SaState.Established, after.State);
            Assert.DoesNotContain(h.B.Log.Skip(logBefore), l => l.Contains("following"));
            // 2 is dropped as an old message ID that is no retransmission; 3 fails the integrity check.
            Assert.Equal(1, h.B.Engine.Statistics.MalformedDropped);
            // The SA still works from the real peer: a liveness check is answered.
            Assert.True(h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Contains(h.A.Log, l => l.Contains("liveness check answered"));
        }

        [Fact]
        public void Rfc7296_2_23_NatMappingChanges_ResponderNotBehindNat_FollowsTheAuthenticatedRequest()
        {
            var h = EstablishedBehindNat();
            var nat = h.Nats[0];
            var old = h.B.EstablishedIkeSas[0].RemoteEndpoint;
            nat.Reset(); // the NAT forgets: A's next datagram gets a new port
            Assert.True(h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            var now = nat.MappingOf(new IPEndPoint(TwoPeerV2Harness.AddressA.Address, 4500))!;
            Assert.NotEqual(old, now);
            Assert.Equal(now, h.B.EstablishedIkeSas[0].RemoteEndpoint);
            Assert.Contains(h.A.Log, l => l.Contains("liveness check answered"));
        }

        [Fact]
        public void Rfc7296_2_23_HostBehindNat_DoesNotFollowAChangedPeerAddress_ButAnswersThere()
        {
            // Both behind NATs: B (port forwarding) must not move its SA when A's mapping changes (§2.23 SHOULD NOT),
            // yet its response goes to where the request came from (§2.11), so A's liveness check is answered.
            var h = new TwoPeerV2Harness();
            var natA = new SimulatedNat(TwoPeerV2Harness.AddressA.Address, NatA, randomPorts: true);
            h.Nats.Add(natA);
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressB.Address, NatB, portForwarding: true));
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"), peer: new IPEndPoint(NatB, 500));
            h.Run(TimeSpan.FromSeconds(3));
            var b = Assert.Single(h.B.EstablishedIkeSas);
            Assert.True(b.NatDetectedLocal && b.NatDetectedRemote);
            var old = b.RemoteEndpoint;
            natA.Reset();
            Assert.True(h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(old, h.B.EstablishedIkeSas[0].RemoteEndpoint);
            Assert.Contains(h.B.Log, l => l.Contains("not followed"));
            Assert.Contains(h.A.Log, l => l.Contains("liveness check answered"));
        }

        [Fact]
        public void Rfc7296_2_23_1_TransportModeBehindNat_ChildEstablished_OriginalAddressesRecorded()
        {
            var h = new TwoPeerV2Harness();
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressA.Address, NatA));
            h.Initiate(); // transport mode, host selectors: A names itself 192.0.2.1, B sees 203.0.113.1
            h.Run(TimeSpan.FromSeconds(3));
            var a = Assert.Single(h.A.EstablishedChildren);
            var b = Assert.Single(h.B.EstablishedChildren);
            Assert.Equal("UdpEncapsulatedTransport", a.EncapsulationMode);
            Assert.Equal("UdpEncapsulatedTransport", b.EncapsulationMode);
            Assert.Equal(NatA, h.B.EstablishedIkeSas[0].RemoteEndpoint.Address);
            Assert.Equal(IPAddress.Parse("192.0.2.1"), b.PeerOriginalInitiatorAddress);
            Assert.Equal(IPAddress.Parse("192.0.2.2"), b.PeerOriginalResponderAddress);
        }

        [Fact]
        public void Rfc7296_2_23_ForceUdpEncapsulation_FloatsAndEncapsulatesWithoutNat()
        {
            var h = new TwoPeerV2Harness(configureA: o => o.ForceUdpEncapsulation = true);
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(30));
            var a = Assert.Single(h.A.EstablishedIkeSas);
            var b = Assert.Single(h.B.EstablishedIkeSas);
            Assert.Equal(4500, a.LocalEndpoint.Port);
            Assert.Equal("192.0.2.1:4500", b.RemoteEndpoint.ToString());
            Assert.True(b.NatDetectedRemote); // the faked NAT_DETECTION_SOURCE_IP
            Assert.True(Assert.Single(h.A.EstablishedChildren).UdpEncapsulated);
            Assert.True(Assert.Single(h.B.EstablishedChildren).UdpEncapsulated);
            Assert.DoesNotContain(h.Sent, d => IsKeepAlive(d.Data)); // nobody is really behind a NAT
        }

        [Fact]
        public void Rfc7296_2_23_NatTraversalOff_NoDetectionNotifies_NoFloat()
        {
            var h = new TwoPeerV2Harness(configureB: o => o.NatTraversal = false);
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressA.Address, NatA));
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(3));
            var a = Assert.Single(h.A.EstablishedIkeSas);
            Assert.False(a.NatDetectedLocal); // B sent no NAT_DETECTION_*: it does not do NAT-T, so neither do we
            Assert.Equal(500, a.LocalEndpoint.Port);
            Assert.Equal("Tunnel", Assert.Single(h.A.EstablishedChildren).EncapsulationMode);
            Assert.All(h.Sent.Where(d => !IsKeepAlive(d.Data)), d => Assert.Equal(500, d.To.Port));
        }

        [Fact]
        public void Rfc7296_2_23_SecondChildUnderNat_RidesTheFloatedIkeSa_OnPort4500_UdpEncapsulated()
        {
            var h = EstablishedBehindNat();
            int sentBefore = h.Sent.Count;
            // The administrator names the SA by the address it started from (port 500): the floated SA is reused.
            var row = h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.3/32"));
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Equal(h.A.EstablishedIkeSas[0].Id, row.Id);
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Equal(2, h.A.EstablishedChildren.Count);
            Assert.All(h.A.EstablishedChildren.Concat(h.B.EstablishedChildren), c => Assert.Equal("UdpEncapsulatedTunnel", c.EncapsulationMode));
            var createChild = h.Sent.Skip(sentBefore).Where(d => Exchange(d.Data) == 36).ToList(); // CREATE_CHILD_SA
            Assert.Equal(2, createChild.Count);
            Assert.All(createChild, d => Assert.Equal(4500, d.From.Port));
        }
    
        [Fact]
        public void Rfc7296_2_23_InitiatorWithoutNatTraversal_ResponderAnswersWithoutNatDetection_NoFloat()
        {
            var h = new TwoPeerV2Harness(configureA: o => o.NatTraversal = false);
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressA.Address, NatA));
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(3));
            // Neither IKE_SA_INIT message carries NAT_DETECTION_*: A sent none, so B answered with none.
            var init = h.Sent.Where(d => Exchange(d.Data) == IkeSaInit).Select(d => d.Data).ToList();
            Assert.Equal(2, init.Count);
            Assert.All(init, d => Assert.False(ContainsNotify(d, 16388) || ContainsNotify(d, 16389)));
            var a = Assert.Single(h.A.EstablishedIkeSas);
            Assert.False(a.NatDetectedLocal);
            Assert.Equal(500, a.LocalEndpoint.Port);
            Assert.Equal("Tunnel", Assert.Single(h.B.EstablishedChildren).EncapsulationMode);
        }

        /// <summary>Walks the unencrypted payload chain of an IKE_SA_INIT message looking for a Notify (41) of <paramref name="type"/>.</summary>
        private static bool ContainsNotify(byte[] m, int type)
        {
            int next = m[16], at = 28;
            while (next != 0 && at + 4 <= m.Length)
            {
                int length = (m[at + 2] << 8) | m[at + 3];
                if (length < 4) return false;
                if (next == 41 && at + 8 <= m.Length && ((m[at + 6] << 8) | m[at + 7]) == type) return true;
                next = m[at];
                at += length;
            }
            return false;
        }
}
}
