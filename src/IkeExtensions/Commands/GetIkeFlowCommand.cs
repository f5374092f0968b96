using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.NegotiationDiscovery;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Get-IkeFlow: the connection (flow) state table of MS-IKEE 3.1.1 with the 3.7.1 flags (Secure, GuaranteedEncryption,
    /// Acquire) as a Test-IkeFlow run left it, for the host or the peer.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IkeFlow")]
    [OutputType(typeof(NdFlowEntry))]
    public sealed class GetIkeFlowCommand : PSCmdlet
    {
        /// <summary>A Test-IkeFlow result.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public NdSimulationResult? InputObject { get; set; }

        /// <summary>The peer's table instead of the host's.</summary>
        [Parameter]
        public SwitchParameter Peer { get; set; }

        /// <summary>Only flows marked secure.</summary>
        [Parameter]
        public SwitchParameter Secure { get; set; }

        /// <summary>The remote address of the flow; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? RemoteAddress { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (NdFlowEntry flow in NdFlowTester.Flows(InputObject!, Peer))
                if ((!Secure || flow.Secure) && NamePattern.MatchesAny(RemoteAddress, flow.Remote))
                    WriteObject(flow);
        }
    }
}
