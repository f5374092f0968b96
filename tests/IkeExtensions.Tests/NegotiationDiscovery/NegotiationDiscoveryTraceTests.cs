using System;
using System.IO;
using System.Linq;
using IkeExtensions.Management;
using IkeExtensions.NegotiationDiscovery;
using Xunit;

namespace IkeExtensions.Tests.NegotiationDiscovery
{
    /// <summary>
    /// The four examples of MS-IKEE (figures 7, 8 of 3.7 and 19, 20 of 4.1) and the "never back to clear" property, as
    /// traces under Vectors/nd run through the simulator (real decision engines, real IKE engines in memory). Each trace
    /// asserts every packet's outcome and reason in its "expect" fields; the tests below assert the essentials again.
    /// </summary>
    public class NegotiationDiscoveryTraceTests
    {
        private static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", "nd", name);

        private static NdSimulationResult Run(string trace)
        {
            var policy = NdSimulationJson.ReadPolicyFile(Vector("host-nd.policy.json"));
            var result = NegotiationDiscoverySimulator.Run(NdSimulationJson.ReadTraceFile(Vector(trace), policy));
            Assert.True(result.Passed, string.Join(Environment.NewLine, result.ExpectationFailures.Concat(result.Timeline)));
            return result;
        }

        private static void Packet(NdSimulationResult r, int index, NdVerdict host, NdReason hostReason, NdVerdict? peer = null, NdReason? peerReason = null)
        {
            var p = r.Packets.Single(x => x.Index == index);
            Assert.Equal(host, p.Host!.Verdict);
            Assert.Equal(hostReason, p.Host.Reason);
            if (peer.HasValue) Assert.Equal(peer, p.Peer!.Verdict);
            if (peerReason.HasValue) Assert.Equal(peerReason, p.Peer!.Reason);
        }

        [Fact]
        public void Section_3_7_Figure7_TwoCapablePeers_ClearUntilQuickMode_ThenSecured()
        {
            var r = Run("fig07-capable-peer.trace.json");
            Packet(r, 1, NdVerdict.SendClear, NdReason.OutboundClearAcquire, NdVerdict.Accept, NdReason.InboundFirstClearNdRule);
            Packet(r, 2, NdVerdict.Accept, NdReason.InboundClearFlowNotSecure, NdVerdict.SendClear);
            Packet(r, 3, NdVerdict.SendClear, NdReason.OutboundClearAcquirePending);
            Packet(r, 5, NdVerdict.Accept, NdReason.InboundSecured, NdVerdict.SendSecured, NdReason.OutboundSecured);
            Packet(r, 6, NdVerdict.SendSecured, NdReason.OutboundSecured, NdVerdict.Accept, NdReason.InboundSecured);
            Packet(r, 7, NdVerdict.Discard, NdReason.InboundClearFlowSecure);
            Assert.True(r.PeerNegotiationDiscoverySupported); // 3.7.5.2: MMSAD flag from the peer's vendor ID
            var flow = Assert.Single(r.HostFlows);
            Assert.True(flow.Secure);
            Assert.True(flow.Acquire);
            Assert.Single(r.Timeline, l => l.Contains("host: Acquire", StringComparison.Ordinal)); // one Acquire: the peer's is coalesced
        }

        [Fact]
        public void Section_3_7_Figure8_IncapablePeer_StaysClear_OneAcquire()
        {
            var r = Run("fig08-incapable-peer.trace.json");
            Assert.All(r.Packets.Where(p => p.Direction.StartsWith("host", StringComparison.Ordinal)), p => Assert.Equal(NdVerdict.SendClear, p.Host!.Verdict));
            Assert.All(r.Packets.Where(p => p.Direction.StartsWith("peer", StringComparison.Ordinal)),
                p => Assert.Equal(NdReason.InboundClearFlowNotSecure, p.Host!.Reason));
            Assert.Equal(1, r.Packets.Count(p => p.Host!.Acquire));
            Assert.Contains(r.Timeline, l => l.Contains("Main Mode failed", StringComparison.Ordinal));
            var flow = Assert.Single(r.HostFlows);
            Assert.False(flow.Secure);
            Assert.True(flow.Acquire);
            Assert.Empty(r.QuickModeSas);
        }

        [Fact]
        public void Section_4_1_Figure19_BoundaryServer_AcceptsClearSyn_ThenProtected()
        {
            var r = Run("fig19-boundary-server.trace.json");
            Packet(r, 1, NdVerdict.SendClear, NdReason.OutboundClearAcquire, NdVerdict.Accept, NdReason.InboundFirstClearNdRule);
            Packet(r, 5, NdVerdict.Accept, NdReason.InboundSecured, NdVerdict.SendSecured);
            Assert.Equal(NdReason.InboundClearFlowSecure, r.Packets.Single(p => p.Index == 7).Peer!.Reason);
            // EXCHANGE_INFO ND_BOUNDARY both ways (3.7.4.1 message #5, 3.7.5.3 message #6): both QM SAs carry Boundary.
            Assert.Equal(2, r.QuickModeSas.Count);
            Assert.All(r.QuickModeSas, sa => Assert.True(sa.Boundary));
        }

        [Fact]
        public void Section_4_1_Figure20_RequireServer_DropsClearSyns_AcceptsProtectedRetransmission()
        {
            var r = Run("fig20-require-server.trace.json");
            Packet(r, 1, NdVerdict.SendClear, NdReason.OutboundClearAcquire, NdVerdict.Discard, NdReason.InboundFirstClearNoNdRule);
            Packet(r, 2, NdVerdict.SendClear, NdReason.OutboundClearAcquirePending, NdVerdict.Discard, NdReason.InboundFirstClearNoNdRule);
            Packet(r, 3, NdVerdict.SendSecured, NdReason.OutboundSecured, NdVerdict.Accept, NdReason.InboundSecured);
            Assert.DoesNotContain(r.PeerFlows, f => !f.Secure);
            // The server's rule has no Boundary: message #6 carries no EXCHANGE_INFO, so the host's SA lacks it; the
            // server's SA has it from the client's message #5.
            Assert.False(r.QuickModeSas.Single(s => s.Side == "host").Boundary);
            Assert.True(r.QuickModeSas.Single(s => s.Side == "peer").Boundary);
            Assert.False(r.PeerNegotiationDiscoverySupported); // a require-only server sends no ND vendor ID
        }

        [Fact]
        public void Section_1_3_5_SecuredFlow_NeverReturnsToClear_AfterSaDeleted()
        {
            var r = Run("secured-flow-never-clear-delete.trace.json");
            AssertNeverClearAfterSecure(r);
            var queued = r.Packets.Single(p => p.Index == 4);
            Assert.Equal(NdReason.OutboundSecureFlowNoSa, queued.Host!.Reason);
            Assert.Equal(NdVerdict.SendSecured, queued.LaterVerdict);
        }

        [Fact]
        public void Section_1_3_5_SecuredFlow_NeverReturnsToClear_AfterSaExpired()
        {
            var r = Run("secured-flow-never-clear-expiry.trace.json");
            AssertNeverClearAfterSecure(r);
            Assert.Contains(r.Timeline, l => l.Contains("lifetime expired", StringComparison.Ordinal));
            Assert.Equal(NdVerdict.SendSecured, r.Packets.Single(p => p.Index == 3).LaterVerdict);
            Assert.Equal(NdVerdict.SendSecured, r.Packets.Single(p => p.Index == 5).LaterVerdict);
        }

        /// <summary>Once a side sent or received a packet of the flow over ESP, none of its packets goes out in clear and no clear packet is accepted.</summary>
        private static void AssertNeverClearAfterSecure(NdSimulationResult r)
        {
            bool hostSecure = false, peerSecure = false;
            foreach (var p in r.Packets.OrderBy(p => p.Time))
            {
                foreach (var (d, secure) in new[] { (p.Host, hostSecure), (p.Peer, peerSecure) })
                {
                    if (d == null || !secure) continue;
                    Assert.NotEqual(NdVerdict.SendClear, d.Verdict);
                    if (d.Verdict == NdVerdict.Accept) Assert.Equal(NdReason.InboundSecured, d.Reason);
                }
                hostSecure |= p.Host != null && (p.Host.Verdict == NdVerdict.SendSecured || p.Host.Reason == NdReason.InboundSecured);
                peerSecure |= p.Peer != null && (p.Peer.Verdict == NdVerdict.SendSecured || p.Peer.Reason == NdReason.InboundSecured);
            }
            Assert.True(hostSecure);
            Assert.All(r.HostFlows, f => Assert.True(f.Secure));
        }

        [Fact]
        public void Section_3_7_Simulator_ReportsUnmetExpectations()
        {
            var policy = NdSimulationJson.ReadPolicyFile(Vector("host-nd.policy.json"));
            var scenario = NdSimulationJson.ReadTraceFile(Vector("fig20-require-server.trace.json"), policy);
            scenario.Events[0].Expect!.Peer = "Accept";
            var r = NegotiationDiscoverySimulator.Run(scenario);
            Assert.False(r.Passed);
            Assert.Contains(r.ExpectationFailures, f => f.Contains("expected Accept, got Discard", StringComparison.Ordinal));
        }

        [Fact]
        public void Section_3_7_TraceFormat_RejectsUnknownFields()
        {
            var e = Assert.Throws<NdFormatException>(() => NdSimulationJson.ParsePolicy("{\"rules\":[{\"name\":\"x\",\"boundry\":true}]}"));
            Assert.Contains("boundry", e.Message, StringComparison.Ordinal);
            Assert.Throws<NdFormatException>(() => NdSimulationJson.ParsePolicy("{\"rules\":[{\"negotiationDiscovery\":\"outbound\",\"boundary\":true}]}"));
            Assert.Throws<NdFormatException>(() => NdSimulationJson.ParseTrace("{\"host\":\"192.0.2.1\",\"events\":[]}", NdSecurityPolicy.Empty));
        }

        [Fact]
        public void Section_3_7_Cli_NdSimulate_PrintsOutcomesAndFlowTable()
        {
            var r = IkeExtensions.Tests.Cli.IkexProcess.Run("nd", "simulate", "--policy", Vector("host-nd.policy.json"), "--trace", Vector("fig19-boundary-server.trace.json"));
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Contains("SYN: sent clear -> accepted", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("[MS-IKEE 3.7.4.2] first clear packet of a new flow matches an inbound ND rule", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("Host flow table", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("All expectations met.", r.StdOut, StringComparison.Ordinal);
            var json = IkeExtensions.Tests.Cli.IkexProcess.Run("nd", "simulate", "--policy", Vector("host-nd.policy.json"), "--trace", Vector("fig08-incapable-peer.trace.json"), "--json");
            Assert.Equal(0, json.ExitCode);
            Assert.Contains("\"reason\": \"OutboundClearAcquire\"", json.StdOut, StringComparison.Ordinal);
            var bad = IkeExtensions.Tests.Cli.IkexProcess.Run("nd", "simulate", "--policy", Vector("fig08-incapable-peer.trace.json"), "--trace", Vector("fig08-incapable-peer.trace.json"));
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("unknown field", bad.StdErr, StringComparison.Ordinal);
        }
    }
}
