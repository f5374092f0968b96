using System;
using BenchmarkDotNet.Attributes;
using IkeExtensions.NegotiationDiscovery;

namespace IkeExtensions.Benchmarks
{
    /// <summary>
    /// Negotiation discovery per-packet decisions (MS-IKEE 3.7.4.1 / 3.7.4.2) with 1 million live IPv4 flows: 1M TCP flows
    /// from one host to 4096 peers, half of which hold a QM SA (so half the flows are Secure and go over ESP, half stay in
    /// clear with Acquire set). Each operation is one decision; packets are visited in a random order so the flow table
    /// is probed all over its ~40 MB, not in cache order. Goals (issue 5): ≥ 20 million decisions/s per core, 0 bytes
    /// allocated per decision, ≤ 128 bytes of memory per flow (printed by the setup as "bytes per flow").
    /// </summary>
    [MemoryDiagnoser]
    public class FlowDecisionBenchmarks
    {
        private const int Flows = 1_000_000;
        private const int Peers = 4096;
        private NegotiationDiscoveryEngine _engine = null!;
        private NdPacket[] _packets = Array.Empty<NdPacket>();
        private NdPacket[] _inboundEsp = Array.Empty<NdPacket>();
        private NdDecision[] _decisions = new NdDecision[Flows];

        [GlobalSetup]
        public void Setup()
        {
            var host = NdAddress.Parse("10.0.0.1");
            var policy = new NdSecurityPolicy(new[]
            {
                new NdRule { Name = "icmp", Action = NdRuleAction.Bypass, Protocol = 1 },
                new NdRule { Name = "nd", NegotiationDiscovery = NdDirections.Both, Boundary = true },
            });
            var packets = new NdPacket[Flows];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = GC.GetTotalMemory(true);
            _engine = new NegotiationDiscoveryEngine(policy, Flows);
            for (int i = 0; i < Flows; i++)
            {
                var peer = NdAddress.FromV4(0x0A010000u + (uint)(i % Peers));
                packets[i] = NdPacket.Tcp(host, peer, (ushort)(1024 + i / Peers), 443);
                _engine.Outbound(packets[i]); // creates the flow (clear, Acquire)
            }
            long after = GC.GetTotalMemory(true);
            Console.WriteLine($"// flows: {_engine.Flows.Count}, table slots: {_engine.Flows.V4.Capacity}, bytes per flow: {(after - before) / (double)Flows:F1}");

            for (int p = 0; p < Peers; p += 2)
                _engine.SecurityAssociations.Add(new NdSaEntry(p + 1, host, NdAddress.FromV4(0x0A010000u + (uint)p), false, false, false));
            var random = new Random(42);
            for (int i = Flows - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (packets[i], packets[j]) = (packets[j], packets[i]);
            }
            _packets = packets;
            _inboundEsp = Array.ConvertAll(packets, p => p.With(NdEncapsulation.Esp));
            foreach (var p in _packets) _engine.Outbound(p); // flows with an SA become Secure
        }

        [Benchmark(OperationsPerInvoke = Flows)]
        public int Outbound()
        {
            int sum = 0;
            var e = _engine;
            var packets = _packets;
            for (int i = 0; i < packets.Length; i++) sum += (int)e.Outbound(packets[i]).Verdict;
            return sum;
        }

        /// <summary>The burst API: 16 flow-table misses overlapped at a time.</summary>
        [Benchmark(OperationsPerInvoke = Flows)]
        public int OutboundBurst()
        {
            _engine.Decide(NdDirection.Outbound, _packets, _decisions);
            return (int)_decisions[0].Verdict;
        }

        [Benchmark(OperationsPerInvoke = Flows)]
        public int InboundEspBurst()
        {
            _engine.Decide(NdDirection.Inbound, _inboundEsp, _decisions);
            return (int)_decisions[0].Verdict;
        }

        [Benchmark(OperationsPerInvoke = Flows)]
        public int InboundClear()
        {
            int sum = 0;
            var e = _engine;
            var packets = _packets;
            for (int i = 0; i < packets.Length; i++) sum += (int)e.Inbound(packets[i]).Verdict;
            return sum;
        }

        [Benchmark(OperationsPerInvoke = Flows)]
        public int InboundEsp()
        {
            int sum = 0;
            var e = _engine;
            var packets = _inboundEsp;
            for (int i = 0; i < packets.Length; i++) sum += (int)e.Inbound(packets[i]).Verdict;
            return sum;
        }
    }
}
