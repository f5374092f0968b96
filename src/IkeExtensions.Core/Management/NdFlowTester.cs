using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.NegotiationDiscovery;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Management
{
    /// <summary>Which side sends the packet Test-IkeFlow runs: our host (outbound) or the peer (inbound).</summary>
    public enum FlowDirection
    {
        Outbound,
        Inbound,
    }

    /// <summary>One flow for Test-IkeFlow: the host's policy, the peer, the packet's 5-tuple and how many packets to send.</summary>
    public sealed class FlowTestRequest
    {
        public IpsecPolicy? Policy { get; set; }
        public NdPeerKind PeerKind { get; set; } = NdPeerKind.Capable;
        public IPAddress LocalAddress { get; set; } = IPAddress.Parse("192.0.2.10");
        public IPAddress RemoteAddress { get; set; } = IPAddress.Parse("192.0.2.20");
        /// <summary>"TCP", "UDP", "ICMPv4", "ICMPv6" or 0-255.</summary>
        public string Protocol { get; set; } = "TCP";
        /// <summary>The host's port (or ICMP type) and the peer's port (or ICMP code).</summary>
        public ushort LocalPort { get; set; } = 49152;
        public ushort RemotePort { get; set; } = 80;
        public FlowDirection Direction { get; set; } = FlowDirection.Outbound;
        /// <summary>Packets on the flow, one second apart (the first triggers IKE; later ones show the secured state).</summary>
        public int PacketCount { get; set; } = 2;
    }

    /// <summary>
    /// Test-IkeFlow's engine: maps an <see cref="IpsecPolicy"/> to the MS-IKEE 3.7.1 SPD the decision engine runs
    /// (<see cref="SpdFromPolicy"/>) and runs packets or a trace through <see cref="NegotiationDiscoverySimulator"/>.
    /// </summary>
    public static class NdFlowTester
    {
        /// <summary>
        /// The SPD of a policy in NetSecurity terms: ICMP bypass rules first when ICMP is exempt, then one securing rule per
        /// local × remote address with outbound negotiation discovery (NegotiationDiscovery), inbound and outbound with
        /// Boundary (NegotiationDiscoveryBoundary) or none (Transport: Require both ways) and Guarantee Encryption. Port
        /// ranges become "any" (the SPD matches single ports only).
        /// </summary>
        public static NdSecurityPolicy SpdFromPolicy(IpsecPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var rules = new List<NdRule>();
            if (policy.ExemptIcmp)
            {
                rules.Add(new NdRule { Name = "icmp-exempt", Action = NdRuleAction.Bypass, Protocol = IpProtocols.Icmp });
                rules.Add(new NdRule { Name = "icmpv6-exempt", Action = NdRuleAction.Bypass, Protocol = IpProtocols.IcmpV6 });
            }
            var t = policy.Traffic;
            var locals = t.LocalAddresses.Count == 0 ? new[] { NdAddressRange.Any } : t.LocalAddresses.Select(Range).ToArray();
            var remotes = t.RemoteAddresses.Count == 0 ? new[] { NdAddressRange.Any } : t.RemoteAddresses.Select(Range).ToArray();
            foreach (var local in locals)
                foreach (var remote in remotes)
                    rules.Add(new NdRule
                    {
                        Name = policy.Name,
                        Action = NdRuleAction.Secure,
                        NegotiationDiscovery = policy.Kind switch
                        {
                            PolicyKind.NegotiationDiscovery => NdDirections.Outbound,
                            PolicyKind.NegotiationDiscoveryBoundary => NdDirections.Both,
                            _ => NdDirections.None,
                        },
                        Boundary = policy.Kind == PolicyKind.NegotiationDiscoveryBoundary,
                        GuaranteeEncryption = policy.GuaranteeEncryption,
                        LocalAddress = local,
                        RemoteAddress = remote,
                        Protocol = t.Protocol ?? 0,
                        LocalPort = SinglePort(t.LocalPorts),
                        RemotePort = SinglePort(t.RemotePorts),
                    });
            return new NdSecurityPolicy(rules);
        }

        /// <summary>Runs <see cref="FlowTestRequest.PacketCount"/> packets of one flow between the host and a peer of <see cref="FlowTestRequest.PeerKind"/>.</summary>
        public static NdSimulationResult TestPacket(FlowTestRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.PacketCount < 1 || request.PacketCount > 1000)
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, "-Count must be 1-1000.", request.PacketCount);
            if (!PolicyTrafficSelector.TryParseProtocol(request.Protocol, out byte? protocol) || protocol == null)
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, $"-Protocol: '{request.Protocol}' is not TCP, UDP, ICMPv4, ICMPv6 or 0-255.", request.Protocol);
            var scenario = new NdScenario
            {
                Name = $"{request.Direction} {PolicyTrafficSelector.ProtocolName(protocol)} {request.LocalAddress}:{request.LocalPort} <-> {request.RemoteAddress}:{request.RemotePort}",
                HostAddress = request.LocalAddress,
                PeerAddress = request.RemoteAddress,
                HostPolicy = request.Policy == null ? NdSecurityPolicy.Empty : SpdFromPolicy(request.Policy),
                PeerKind = request.PeerKind,
            };
            for (int i = 0; i < request.PacketCount; i++)
                scenario.Events.Add(new NdTraceEvent
                {
                    Time = i,
                    From = request.Direction == FlowDirection.Outbound ? NdTraceSide.Host : NdTraceSide.Peer,
                    Protocol = protocol.Value,
                    HostPort = request.LocalPort,
                    PeerPort = request.RemotePort,
                    Note = i == 0 ? "first packet" : $"packet {i + 1}",
                });
            return Run(scenario);
        }

        /// <summary>Runs a trace file (the <c>ikex nd simulate</c> format) with the host's SPD taken from <paramref name="policy"/>.</summary>
        public static NdSimulationResult TestTrace(string tracePath, IpsecPolicy? policy)
        {
            NdScenario scenario;
            try
            {
                scenario = NdSimulationJson.ReadTraceFile(tracePath, policy == null ? NdSecurityPolicy.Empty : SpdFromPolicy(policy));
            }
            catch (NdFormatException e)
            {
                throw new IkeManagementException(IkeManagementError.TraceInvalid, e.Message, tracePath, e);
            }
            return Run(scenario);
        }

        /// <summary>The host's (or the peer's) flow state table at the end of a run: what Get-IkeFlow lists.</summary>
        public static IReadOnlyList<NdFlowEntry> Flows(NdSimulationResult result, bool peer = false)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            return peer ? result.PeerFlows : result.HostFlows;
        }

        private static NdSimulationResult Run(NdScenario scenario)
        {
            try
            {
                return NegotiationDiscoverySimulator.Run(scenario);
            }
            catch (ArgumentException e)
            {
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, e.Message, scenario.Name, e);
            }
        }

        private static NdAddressRange Range(PolicyAddress a) => NdAddressRange.Parse(a.ToString());

        private static ushort SinglePort(IReadOnlyList<PortRange> ports) => ports.Count == 1 && ports[0].IsSingle ? ports[0].Low : (ushort)0;
    }
}
