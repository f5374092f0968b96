using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// New-IkeTransportPolicy: a transport-mode policy that requires IPsec both ways (win32 FWP "Transport Mode": inbound and
    /// outbound Require). Unset parts keep the seed's values: AES/SHA-2 crypto, Kerberos, IKEv1, all unicast traffic.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "IkeTransportPolicy")]
    [OutputType(typeof(IpsecPolicy))]
    public sealed class NewIkeTransportPolicyCommand : NewIkePolicyCommandBase
    {
        /// <inheritdoc />
        protected override PolicyKind Kind => PolicyKind.Transport;
    }
}
