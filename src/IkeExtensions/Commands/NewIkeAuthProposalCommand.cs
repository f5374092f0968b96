using System;
using System.Management.Automation;
using System.Security;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>New-IkeAuthProposal: one authentication proposal (Kerberos, pre-shared key, certificate or CGA), as New-NetIPsecAuthProposal makes.</summary>
    [Cmdlet(VerbsCommon.New, "IkeAuthProposal", DefaultParameterSetName = KerberosParameterSet)]
    [OutputType(typeof(AuthProposal))]
    public sealed class NewIkeAuthProposalCommand : PSCmdlet
    {
        /// <summary>Parameter set for Kerberos V5.</summary>
        public const string KerberosParameterSet = "Kerberos";

        /// <summary>Parameter set for a pre-shared key.</summary>
        public const string PreSharedKeyParameterSet = "PreSharedKey";

        /// <summary>Parameter set for certificates.</summary>
        public const string CertificateParameterSet = "Certificate";

        /// <summary>Parameter set for CGA (MS-IKEE 3.4).</summary>
        public const string CgaParameterSet = "Cga";

        /// <summary>Kerberos V5 authentication (IKEv1 and AuthIP; not IKEv2).</summary>
        [Parameter(Mandatory = true, ParameterSetName = KerberosParameterSet)]
        public SwitchParameter Kerberos { get; set; }

        /// <summary>Use the user's credentials instead of the computer's (AuthIP extended mode).</summary>
        [Parameter(ParameterSetName = KerberosParameterSet)]
        public SwitchParameter User { get; set; }

        /// <summary>A Kerberos proxy server (IAKerb).</summary>
        [Parameter(ParameterSetName = KerberosParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? Proxy { get; set; }

        /// <summary>The pre-shared key (IKEv1 only). Policy files leave it out unless exported with -IncludeSecrets.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PreSharedKeyParameterSet)]
        [ValidateNotNull]
        public SecureString? PreSharedKey { get; set; }

        /// <summary>Certificate authentication.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateParameterSet)]
        public SwitchParameter Cert { get; set; }

        /// <summary>The subject DN of the CA the peer's certificate must chain to.</summary>
        [Parameter(ParameterSetName = CertificateParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? Authority { get; set; }

        /// <summary>Whether -Authority is a root (default) or an intermediate CA.</summary>
        [Parameter(ParameterSetName = CertificateParameterSet)]
        public CertificateAuthorityType AuthorityType { get; set; } = CertificateAuthorityType.Root;

        /// <summary>The SHA-1 thumbprint the peer's certificate must have (40 hex digits).</summary>
        [Parameter(ParameterSetName = CertificateParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? Thumbprint { get; set; }

        /// <summary>The signature algorithm: RSA (default), ECDSA256 or ECDSA384.</summary>
        [Parameter(ParameterSetName = CertificateParameterSet)]
        public CertificateSigning Signing { get; set; } = CertificateSigning.RSA;

        /// <summary>CGA authentication (IPv6 cryptographically generated addresses; IKEv1 and AuthIP).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CgaParameterSet)]
        public SwitchParameter Cga { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                AuthProposal proposal = ParameterSetName switch
                {
                    PreSharedKeyParameterSet => new PreSharedKeyAuthProposal(SecureStringSecrets.ToPreSharedKey(PreSharedKey!)),
                    CertificateParameterSet => new CertificateAuthProposal(Authority, AuthorityType, Thumbprint, Signing),
                    CgaParameterSet => new CgaAuthProposal(),
                    _ => new KerberosAuthProposal(User ? KerberosPrincipal.User : KerberosPrincipal.Machine, Proxy),
                };
                if (proposal is CertificateAuthProposal c && c.Authority == null && c.Thumbprint == null)
                    throw new ArgumentException("A certificate proposal needs -Authority or -Thumbprint.");
                WriteObject(proposal);
            }
            catch (ArgumentException e)
            {
                WriteError(new ErrorRecord(e, ErrorIds.IkePolicyInvalid, ErrorCategory.InvalidArgument, ParameterSetName));
            }
        }
    }
}
