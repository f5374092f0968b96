using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>New-IkeQuickModeCryptoProposal: one quick mode (IPsec) proposal, as New-NetIPsecQuickModeCryptoProposal makes.</summary>
    [Cmdlet(VerbsCommon.New, "IkeQuickModeCryptoProposal")]
    [OutputType(typeof(QuickModeCryptoProposal))]
    public sealed class NewIkeQuickModeCryptoProposalCommand : PSCmdlet
    {
        /// <summary>ESP (default), AH, or "AH,ESP".</summary>
        [Parameter(Position = 0)]
        public Encapsulation Encapsulation { get; set; } = Encapsulation.ESP;

        /// <summary>The ESP cipher (None for integrity-only ESP).</summary>
        [Parameter]
        public Encryption Encryption { get; set; } = Encryption.AES256;

        /// <summary>The ESP integrity algorithm (AES-GMAC with AES-GCM).</summary>
        [Parameter]
        public Hash ESPHash { get; set; } = Hash.SHA256;

        /// <summary>The AH integrity algorithm (with -Encapsulation AH or "AH,ESP").</summary>
        [Parameter]
        public Hash AHHash { get; set; } = Hash.None;

        /// <summary>SA lifetime in minutes (5-2879).</summary>
        [Parameter]
        [ValidateRange(5, 2879)]
        public int MaxMinutes { get; set; } = 60;

        /// <summary>SA lifetime in kilobytes (20480-2147483647).</summary>
        [Parameter]
        [ValidateRange(20480, int.MaxValue)]
        public int MaxKiloBytes { get; set; } = QuickModeCryptoProposal.DefaultLifetimeKilobytes;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Encapsulation == Encapsulation.ESP && !MyInvocation.BoundParameters.ContainsKey(nameof(ESPHash)) && Encryption.IsGcm())
                ESPHash = Encryption.MatchingGmac();
            try
            {
                WriteObject(IkePolicyComposer.QuickModeProposal(Encapsulation, Encryption, ESPHash, AHHash, MaxMinutes, MaxKiloBytes));
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e));
            }
        }
    }
}
