using System;
using System.Management.Automation;
using System.Net;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Test-IkeFlow: runs packets of one flow, or a trace file, between a host with the policy and a simulated peer through
    /// the negotiation discovery decision engine (MS-IKEE 3.7.4) and two in-memory IKEv1 engines, and returns what each
    /// side decided per packet, the IKE timeline, the SAs and both flow tables (see Get-IkeFlow). Nothing touches the network.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IkeFlow", DefaultParameterSetName = PacketParameterSet)]
    [OutputType(typeof(NdSimulationResult))]
    public sealed class TestIkeFlowCommand : PSCmdlet
    {
        /// <summary>Parameter set for one flow described by parameters.</summary>
        public const string PacketParameterSet = "Packet";

        /// <summary>Parameter set for a trace file.</summary>
        public const string TraceParameterSet = "Trace";

        /// <summary>The host's policy; its SPD is what the decision engine runs. Default: no policy (everything bypassed).</summary>
        [Parameter(ValueFromPipeline = true)]
        public IpsecPolicy? Policy { get; set; }

        /// <summary>The peer's address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PacketParameterSet)]
        [ValidateNotNullOrEmpty]
        public string RemoteAddress { get; set; } = "";

        /// <summary>The host's address.</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        [ValidateNotNullOrEmpty]
        public string LocalAddress { get; set; } = "192.0.2.10";

        /// <summary>TCP (default), UDP, ICMPv4, ICMPv6 or a protocol number.</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Protocol { get; set; } = "TCP";

        /// <summary>The host's port (or ICMP type).</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        [ValidateRange(0, 65535)]
        public int LocalPort { get; set; } = 49152;

        /// <summary>The peer's port (or ICMP code).</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        [ValidateRange(0, 65535)]
        public int RemotePort { get; set; } = 80;

        /// <summary>Outbound (the host sends, default) or Inbound (the peer sends).</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        public FlowDirection Direction { get; set; } = FlowDirection.Outbound;

        /// <summary>The simulated peer: Capable (default), Incapable, BoundaryServer or RequireServer.</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        public NdPeerKind PeerKind { get; set; } = NdPeerKind.Capable;

        /// <summary>Packets on the flow, one second apart (1-1000; default 2).</summary>
        [Parameter(ParameterSetName = PacketParameterSet)]
        [ValidateRange(1, 1000)]
        public int Count { get; set; } = 2;

        /// <summary>A trace file in the 'ikex nd simulate' format.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TraceParameterSet)]
        [ValidateNotNullOrEmpty]
        public string TracePath { get; set; } = "";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                NdSimulationResult result = ParameterSetName == TraceParameterSet
                    ? NdFlowTester.TestTrace(GetUnresolvedProviderPathFromPSPath(TracePath), Policy)
                    : NdFlowTester.TestPacket(new FlowTestRequest
                    {
                        Policy = Policy,
                        LocalAddress = Address(LocalAddress),
                        RemoteAddress = Address(RemoteAddress),
                        Protocol = Protocol,
                        LocalPort = (ushort)LocalPort,
                        RemotePort = (ushort)RemotePort,
                        Direction = Direction,
                        PeerKind = PeerKind,
                        PacketCount = Count,
                    });
                foreach (string failure in result.ExpectationFailures) WriteWarning(failure);
                WriteObject(result);
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e));
            }
        }

        private static IPAddress Address(string text) =>
            IPAddress.TryParse(text, out IPAddress? a) ? a : throw new IkeManagementException(IkeManagementError.PolicyInvalid, $"'{text}' is not an IPv4 or IPv6 address.", text);
    }
}
