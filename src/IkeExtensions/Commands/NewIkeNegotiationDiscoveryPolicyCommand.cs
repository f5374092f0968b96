using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// New-IkeNegotiationDiscoveryPolicy: a transport-mode policy with negotiation discovery (MS-IKEE 3.7): outbound traffic
    /// may go clear while IKE runs (Request); inbound is required, or also requested with -Boundary. Unset parts keep the
    /// seed's values: AES/SHA-2 crypto, Kerberos, IKEv1, all unicast traffic.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "IkeNegotiationDiscoveryPolicy")]
    [OutputType(typeof(IpsecPolicy))]
    public sealed class NewIkeNegotiationDiscoveryPolicyCommand : NewIkePolicyCommandBase
    {
        /// <summary>Boundary mode: inbound clear traffic is accepted too (IPSEC_POLICY_FLAG_ND_BOUNDARY).</summary>
        [Parameter]
        public SwitchParameter Boundary { get; set; }

        /// <inheritdoc />
        protected override PolicyKind Kind => Boundary ? PolicyKind.NegotiationDiscoveryBoundary : PolicyKind.NegotiationDiscovery;
    }
}
