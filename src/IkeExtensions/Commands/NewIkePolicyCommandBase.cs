using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// The parameters and composition shared by New-IkeTransportPolicy and New-IkeNegotiationDiscoveryPolicy: both compose
    /// a transport-mode policy from the seed (IkePolicyComposer) and differ only in its kind.
    /// </summary>
    public abstract class NewIkePolicyCommandBase : PSCmdlet
    {
        /// <summary>Unique policy name (seeds the WFP object keys).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "";

        /// <summary>Free text.</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>IPv4, IPv6 or Both; default: the family of -LocalAddress/-RemoteAddress, or Both.</summary>
        [Parameter]
        public AddressFamilies AddressFamily { get; set; } = AddressFamilies.Both;

        /// <summary>Permit ICMP and ICMPv6 in the clear.</summary>
        [Parameter]
        public SwitchParameter ExemptIcmp { get; set; }

        /// <summary>Allow only encrypting SAs (MS-IKEE 3.7.1 Guarantee Encryption).</summary>
        [Parameter]
        public SwitchParameter GuaranteeEncryption { get; set; }

        /// <summary>Keying modules in preference order: IKEv1 (default), AuthIP, IKEv2.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public KeyingModule[]? KeyModule { get; set; }

        /// <summary>Main mode proposals (New-IkeMainModeCryptoProposal) in preference order.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public MainModeCryptoProposal[]? MainModeProposal { get; set; }

        /// <summary>Main mode SA lifetime in minutes (1-2879; default 480).</summary>
        [Parameter]
        [ValidateRange(1, 2879)]
        public int MainModeMaxMinutes { get; set; } = 480;

        /// <summary>Quick mode proposals (New-IkeQuickModeCryptoProposal) in preference order.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public QuickModeCryptoProposal[]? QuickModeProposal { get; set; }

        /// <summary>Perfect forward secrecy group for quick mode (default None).</summary>
        [Parameter]
        public DhGroup PfsGroup { get; set; } = DhGroup.None;

        /// <summary>Phase 1 authentication proposals (New-IkeAuthProposal) in preference order.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public AuthProposal[]? AuthProposal { get; set; }

        /// <summary>Local addresses: an address, a subnet, a range or Any.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? LocalAddress { get; set; }

        /// <summary>Remote addresses: an address, a subnet, a range or Any.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? RemoteAddress { get; set; }

        /// <summary>TCP, UDP, ICMPv4, ICMPv6, Any or a protocol number.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Protocol { get; set; }

        /// <summary>Local ports or port ranges (TCP and UDP only).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? LocalPort { get; set; }

        /// <summary>Remote ports or port ranges (TCP and UDP only).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? RemotePort { get; set; }

        /// <summary>The kind of policy the cmdlet composes.</summary>
        protected abstract PolicyKind Kind { get; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                WriteObject(IkePolicyComposer.Compose(new PolicyComposition
                {
                    Name = Name,
                    Description = Description,
                    Kind = Kind,
                    AddressFamilies = MyInvocation.BoundParameters.ContainsKey(nameof(AddressFamily)) ? AddressFamily : (AddressFamilies?)null,
                    ExemptIcmp = ExemptIcmp,
                    GuaranteeEncryption = GuaranteeEncryption,
                    KeyModules = KeyModule,
                    MainModeProposals = MainModeProposal,
                    MainModeLifetimeMinutes = MainModeMaxMinutes,
                    QuickModeProposals = QuickModeProposal,
                    PfsGroup = PfsGroup,
                    AuthProposals = AuthProposal,
                    LocalAddress = LocalAddress,
                    RemoteAddress = RemoteAddress,
                    Protocol = Protocol,
                    LocalPort = LocalPort,
                    RemotePort = RemotePort,
                }));
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e, target: Name));
            }
        }
    }
}
