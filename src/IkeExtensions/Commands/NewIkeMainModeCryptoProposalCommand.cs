using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>New-IkeMainModeCryptoProposal: one main mode (IKE phase 1) proposal, as New-NetIPsecMainModeCryptoProposal makes.</summary>
    [Cmdlet(VerbsCommon.New, "IkeMainModeCryptoProposal")]
    [OutputType(typeof(MainModeCryptoProposal))]
    public sealed class NewIkeMainModeCryptoProposalCommand : PSCmdlet
    {
        /// <summary>The cipher (AES-GCM is not allowed in main mode).</summary>
        [Parameter(Position = 0)]
        public Encryption Encryption { get; set; } = Encryption.AES256;

        /// <summary>The hash (AES-GMAC is not allowed in main mode).</summary>
        [Parameter(Position = 1)]
        public Hash Hash { get; set; } = Hash.SHA256;

        /// <summary>The Diffie-Hellman group.</summary>
        [Parameter(Position = 2)]
        public DhGroup KeyExchange { get; set; } = DhGroup.DH14;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                WriteObject(IkePolicyComposer.MainModeProposal(Encryption, Hash, KeyExchange));
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e));
            }
        }
    }
}
