using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.NegotiationDiscovery;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.NegotiationDiscovery
{
    /// <summary>The decision engine against MS-IKEE 3.7.4.1 (outbound) and 3.7.4.2 (inbound), and the flow table of 3.1.1 / 3.7.1.</summary>
    public class NegotiationDiscoveryDecisionTests
    {
        private static readonly NdAddress Host = NdAddress.Parse("192.0.2.10");
        private static readonly NdAddress Peer = NdAddress.Parse("192.0.2.20");

        private static NegotiationDiscoveryEngine Engine(bool boundary = true, bool guarantee = false, NdDirections nd = NdDirections.Both, int capacity = 64) =>
            new NegotiationDiscoveryEngine(new NdSecurityPolicy(new[]
            {
                new NdRule { Name = "icmp-exempt", Action = NdRuleAction.Bypass, Protocol = IpProtocols.Icmp },
                new NdRule { Name = "nd", NegotiationDiscovery = nd, Boundary = boundary && (nd & NdDirections.Inbound) != 0, GuaranteeEncryption = guarantee },
            }), capacity);

        private static NdPacket Tcp(ushort local = 49152, ushort remote = 80, NdEncapsulation e = NdEncapsulation.Clear) => NdPacket.Tcp(Host, Peer, local, remote, e);

        private static void AddSa(NegotiationDiscoveryEngine e, long id = 1, bool boundary = false, bool ge = false, bool udp = false) =>
            e.SecurityAssociations.Add(new NdSaEntry(id, Host, Peer, boundary, ge, udp));

        [Fact]
        public void Section_3_7_4_1_NoSa_NotSecure_SendsClear_And_TriggersOneAcquirePerFlow()
        {
            var e = Engine();
            var first = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.SendClear, first.Verdict);
            Assert.Equal(NdReason.OutboundClearAcquire, first.Reason);
            Assert.True(first.Acquire);
            Assert.Equal(ExchangeInfoFlags.NdBoundary, first.AcquireFlags);
            Assert.Equal(FlowFlags.Acquire, first.Flow);
            for (int i = 0; i < 5; i++)
            {
                var next = e.Outbound(Tcp());
                Assert.Equal(NdVerdict.SendClear, next.Verdict);
                Assert.Equal(NdReason.OutboundClearAcquirePending, next.Reason);
                Assert.False(next.Acquire);
            }
            // Another flow to the same peer has its own Acquire.
            Assert.True(e.Outbound(Tcp(49153)).Acquire);
        }

        [Fact]
        public void Section_3_7_4_1_SaMatches_SendsSecured_And_SetsSecure()
        {
            var e = Engine();
            e.Outbound(Tcp());
            AddSa(e);
            var d = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.SendSecured, d.Verdict);
            Assert.Equal(NdReason.OutboundSecured, d.Reason);
            Assert.Equal(1, d.SaId);
            Assert.True((d.Flow & FlowFlags.Secure) != 0);
        }

        [Fact]
        public void Section_3_7_4_1_SecureFlow_WithoutSa_IsNeverSentInClear_AndRetriggersIke()
        {
            var e = Engine();
            AddSa(e);
            Assert.Equal(NdVerdict.SendSecured, e.Outbound(Tcp()).Verdict);
            e.SecurityAssociations.Remove(1); // SA deleted or expired
            for (int i = 0; i < 3; i++)
            {
                var d = e.Outbound(Tcp());
                Assert.Equal(NdVerdict.Queue, d.Verdict);
                Assert.Equal(NdReason.OutboundSecureFlowNoSa, d.Reason);
                Assert.True(d.Acquire); // "MUST trigger IKE" every time; IKE coalesces
            }
            // Inbound clear on the Secure flow is discarded (3.7.4.2).
            Assert.Equal(NdReason.InboundClearFlowSecure, e.Inbound(Tcp()).Reason);
            AddSa(e, 2);
            Assert.Equal(NdVerdict.SendSecured, e.Outbound(Tcp()).Verdict);
        }

        [Fact]
        public void Section_3_7_4_1_GuaranteedEncryptionMismatch_Renegotiates()
        {
            var e = Engine(guarantee: true);
            AddSa(e, 1, ge: false);
            var d = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.SendClear, d.Verdict); // flow not Secure: as in the no-SA case
            Assert.Equal(NdReason.OutboundGuaranteedEncryptionMismatchClear, d.Reason);
            Assert.True(d.Acquire);
            Assert.Equal(ExchangeInfoFlags.NdBoundary | ExchangeInfoFlags.GuaranteeEncryption, d.AcquireFlags);
            Assert.False(e.Outbound(Tcp()).Acquire); // once per flow
            AddSa(e, 2, ge: true);
            var secured = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.SendSecured, secured.Verdict);
            Assert.Equal(2, secured.SaId); // the SA whose Guaranteed Encryption matches is preferred
            e.SecurityAssociations.Remove(2);
            var queued = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.Queue, queued.Verdict); // Secure flow: the non-GE SA is not used, nothing in clear
            Assert.Equal(NdReason.OutboundGuaranteedEncryptionMismatchQueued, queued.Reason);
        }

        [Fact]
        public void Section_3_7_4_1_UdpEspSaWithBoundary_SendsClear()
        {
            var e = Engine();
            AddSa(e, boundary: true, udp: true);
            var d = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.SendClear, d.Verdict);
            Assert.Equal(NdReason.OutboundClearUdpEspBoundary, d.Reason);
            Assert.False((d.Flow & FlowFlags.Secure) != 0);
            // Boundary without UDP-ESP, or UDP-ESP without Boundary: secured.
            var e2 = Engine();
            AddSa(e2, boundary: true, udp: false);
            Assert.Equal(NdVerdict.SendSecured, e2.Outbound(Tcp()).Verdict);
            var e3 = Engine();
            AddSa(e3, boundary: false, udp: true);
            Assert.Equal(NdVerdict.SendSecured, e3.Outbound(Tcp()).Verdict);
        }

        [Fact]
        public void Section_3_7_4_1_GuaranteeEncryptionRule_SetsFlowFlag_WithOrWithoutSa()
        {
            var e = Engine(guarantee: true);
            Assert.True((e.Outbound(Tcp()).Flow & FlowFlags.GuaranteedEncryption) != 0);
            AddSa(e, ge: true);
            Assert.True((e.Outbound(Tcp(50000)).Flow & FlowFlags.GuaranteedEncryption) != 0);
        }

        [Fact]
        public void Section_3_7_4_1_NonNdRule_FollowsRfc4301()
        {
            var e = Engine(nd: NdDirections.None);
            var d = e.Outbound(Tcp());
            Assert.Equal(NdVerdict.Queue, d.Verdict);
            Assert.Equal(NdReason.OutboundProtectNoSa, d.Reason);
            var icmp = e.Outbound(NdPacket.Icmp(Host, Peer, 8, 0));
            Assert.Equal(NdReason.OutboundBypass, icmp.Verdict == NdVerdict.SendClear ? icmp.Reason : (NdReason)255);
        }

        [Fact]
        public void Section_3_7_4_2_FirstClearPacket_AcceptedOnlyUnderInboundNdRule()
        {
            var boundary = Engine();
            var d = boundary.Inbound(Tcp(80, 50000));
            Assert.Equal(NdVerdict.Accept, d.Verdict);
            Assert.Equal(NdReason.InboundFirstClearNdRule, d.Reason);
            Assert.Equal(NdReason.InboundClearFlowNotSecure, boundary.Inbound(Tcp(80, 50000)).Reason);

            var outboundOnly = Engine(nd: NdDirections.Outbound);
            var x = outboundOnly.Inbound(Tcp(80, 50000));
            Assert.Equal(NdVerdict.Discard, x.Verdict);
            Assert.Equal(NdReason.InboundFirstClearNoNdRule, x.Reason);
            Assert.Equal(0, outboundOnly.Flows.Count); // a discarded first packet leaves no flow: its retransmission is still "first"
            Assert.Equal(NdReason.InboundFirstClearNoNdRule, outboundOnly.Inbound(Tcp(80, 50000)).Reason);

            // The reply to our own clear connection belongs to an existing flow that is not Secure: accepted.
            outboundOnly.Outbound(Tcp());
            Assert.Equal(NdReason.InboundClearFlowNotSecure, outboundOnly.Inbound(Tcp()).Reason);
        }

        [Fact]
        public void Section_3_7_4_2_EspOrAh_SetsSecure_ThenClearIsDiscarded()
        {
            foreach (var enc in new[] { NdEncapsulation.Esp, NdEncapsulation.Ah })
            {
                var e = Engine();
                Assert.Equal(NdReason.InboundNoSa, e.Inbound(Tcp(e: enc)).Reason); // no SA: RFC 4301 drops it
                AddSa(e);
                var d = e.Inbound(Tcp(e: enc));
                Assert.Equal(NdVerdict.Accept, d.Verdict);
                Assert.Equal(NdReason.InboundSecured, d.Reason);
                Assert.True((d.Flow & FlowFlags.Secure) != 0);
                var clear = e.Inbound(Tcp());
                Assert.Equal(NdVerdict.Discard, clear.Verdict);
                Assert.Equal(NdReason.InboundClearFlowSecure, clear.Reason);
            }
        }

        [Fact]
        public void Section_3_7_4_2_SaWithGuaranteedEncryption_PropagatesToFlow_ClearOrNot()
        {
            var e = Engine();
            AddSa(e, ge: true);
            Assert.True((e.Inbound(Tcp(1000, 80)).Flow & FlowFlags.GuaranteedEncryption) != 0); // clear first packet
            Assert.True((e.Inbound(Tcp(1001, 80, NdEncapsulation.Esp)).Flow & FlowFlags.GuaranteedEncryption) != 0);
            // The flow now carries Guaranteed Encryption outbound too, and the GE SA serves it.
            Assert.Equal(NdVerdict.SendSecured, e.Outbound(Tcp(1000, 80)).Verdict);
        }

        [Fact]
        public void Section_3_1_1_FlowKeys_V4V6_TcpUdp_Icmp_ProtocolOnly_AreDistinctEntries()
        {
            var e = Engine();
            var v6Host = NdAddress.Parse("2001:db8::10");
            var v6Peer = NdAddress.Parse("2001:db8::20");
            var packets = new[]
            {
                NdPacket.Tcp(Host, Peer, 1, 2), NdPacket.Udp(Host, Peer, 1, 2), NdPacket.Tcp(Host, Peer, 2, 1),
                NdPacket.Tcp(v6Host, v6Peer, 1, 2), NdPacket.Udp(v6Host, v6Peer, 1, 2),
                NdPacket.Icmp(v6Host, v6Peer, 128, 0), NdPacket.Icmp(v6Host, v6Peer, 129, 0),
                new NdPacket(Host, Peer, 47), new NdPacket(v6Host, v6Peer, 47),
            };
            foreach (var p in packets) e.Outbound(p);
            Assert.Equal(packets.Length, e.Flows.Count);
            Assert.Equal(4, e.Flows.V4.Count);
            Assert.Equal(5, e.Flows.V6.Count);
            // Protocol-only entries ignore whatever sits in the port fields; both directions share the entry.
            Assert.Equal(NdReason.OutboundClearAcquirePending, e.Outbound(new NdPacket(Host, Peer, 47, 9, 9)).Reason);
            Assert.Equal(NdReason.InboundClearFlowNotSecure, e.Inbound(NdPacket.Tcp(v6Host, v6Peer, 1, 2)).Reason);
            Assert.Contains(e.Flows.Snapshot(e.Policy), f => f.Kind == FlowKind.Icmp && f.LocalPort == 129 && f.Family == "IPv6");
        }

        [Fact]
        public void Section_3_7_4_DecisionsAllocateNothing()
        {
            var e = Engine(capacity: 4096);
            AddSa(e, 1);
            var packets = Enumerable.Range(0, 2000).Select(i => Tcp((ushort)(10000 + i))).ToArray();
            foreach (var p in packets) e.Outbound(p); // create the flows (table pre-sized)
            long before = GC.GetAllocatedBytesForCurrentThread();
            long sink = 0;
            for (int round = 0; round < 50; round++)
                foreach (var p in packets)
                {
                    sink += (int)e.Outbound(p).Verdict;
                    sink += (int)e.Inbound(p.With(NdEncapsulation.Esp)).Verdict;
                    sink += (int)e.Inbound(p).Verdict;
                }
            // New flows within capacity allocate nothing either.
            for (int i = 0; i < 500; i++) sink += (int)e.Outbound(Tcp((ushort)(30000 + i))).Verdict;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(sink > 0);
            Assert.Equal(0, allocated);
        }

        [Fact]
        public void Section_3_7_4_BurstDecisions_MatchSingleDecisions_AndAllocateNothing()
        {
            var one = Engine(capacity: 4096);
            var burst = Engine(capacity: 4096);
            AddSa(one, 1);
            AddSa(burst, 1);
            var packets = Enumerable.Range(0, 1000).Select(i => i % 3 == 0 ? NdPacket.Tcp(Host, NdAddress.Parse("192.0.2.99"), (ushort)i, 80) : Tcp((ushort)(i % 400)))
                .ToArray();
            var decisions = new NdDecision[packets.Length];
            burst.Decide(NdDirection.Outbound, packets, decisions); // warm up and create the flows
            for (int i = 0; i < packets.Length; i++)
            {
                var d = one.Outbound(packets[i]);
                Assert.Equal((d.Verdict, d.Reason, d.Acquire, d.Flow), (decisions[i].Verdict, decisions[i].Reason, decisions[i].Acquire, decisions[i].Flow));
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 20; round++) burst.Decide(NdDirection.Inbound, packets, decisions);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        [Fact]
        public void Section_3_7_1_FlowTable_InsertRemoveGrow_AgreesWithDictionary()
        {
            var table = new FlowTable<FlowKeyV4>(4);
            var reference = new Dictionary<FlowKeyV4, uint>();
            var random = new Random(7);
            for (int i = 0; i < 50_000; i++)
            {
                var k = new FlowKeyV4((uint)random.Next(64), (uint)random.Next(64), IpProtocols.Tcp, FlowKind.Ports, (ushort)random.Next(8), 80);
                int slot = table.IndexOf(k);
                Assert.Equal(reference.ContainsKey(k), slot >= 0);
                if (random.Next(3) == 0)
                {
                    Assert.Equal(reference.Remove(k), table.Remove(k));
                }
                else if (slot < 0)
                {
                    uint v = (uint)random.Next(1 << 20);
                    table.Insert(k, v);
                    reference[k] = v;
                }
                else Assert.Equal(reference[k], table.StateAt(slot) & ~FlowTable<FlowKeyV4>.Occupied);
            }
            Assert.Equal(reference.Count, table.Count);
            foreach (var kv in reference) Assert.Equal(kv.Value, table.StateAt(table.IndexOf(kv.Key)) & ~FlowTable<FlowKeyV4>.Occupied);
        }

        [Fact]
        public void Section_3_7_1_MemoryPerFlow_IsAtMost128Bytes()
        {
            const int flows = 1_000_000;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = GC.GetTotalMemory(true);
            var e = new NegotiationDiscoveryEngine(Engine().Policy, flows);
            for (int i = 0; i < flows; i++)
                e.Outbound(NdPacket.Tcp(Host, NdAddress.FromV4(0xC6336400u + (uint)(i >> 16)), (ushort)(i & 0xFFFF), 443));
            long after = GC.GetTotalMemory(true);
            Assert.Equal(flows, e.Flows.Count);
            double perFlow = (after - before) / (double)flows;
            Assert.True(perFlow <= 128, $"{perFlow:F1} bytes per flow");
            GC.KeepAlive(e);
        }

        [Fact]
        public void Section_3_7_1_Spd_BoundaryBelongsToInboundNdRules()
        {
            Assert.Throws<ArgumentException>(() => new NdSecurityPolicy(new[] { new NdRule { NegotiationDiscovery = NdDirections.Outbound, Boundary = true } }));
            Assert.Throws<ArgumentException>(() => new NdSecurityPolicy(new[] { new NdRule { Action = NdRuleAction.Bypass, NegotiationDiscovery = NdDirections.Both } }));
            var p = new NdSecurityPolicy(new[] { new NdRule { RemoteAddress = NdAddressRange.Parse("198.51.100.0/24"), NegotiationDiscovery = NdDirections.Outbound } });
            Assert.Equal(0, p.Match(NdPacket.Tcp(Host, NdAddress.Parse("198.51.100.7"), 1, 2)));
            Assert.Equal(-1, p.Match(NdPacket.Tcp(Host, NdAddress.Parse("198.51.101.7"), 1, 2)));
            Assert.True(p.HasNegotiationDiscovery);
        }
    }
}
