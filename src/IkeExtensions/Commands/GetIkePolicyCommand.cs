using System;
using System.Linq;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.PowerShell.Completers;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>Get-IkePolicy: the policies applied to the Windows Filtering Platform (one provider each), read back from WFP.</summary>
    [Cmdlet(VerbsCommon.Get, "IkePolicy")]
    [OutputType(typeof(AppliedPolicy))]
    public sealed class GetIkePolicyCommand : PSCmdlet
    {
        /// <summary>Policy names; wildcards allowed. Default: all.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var (store, owned) = SessionPolicyStore.Open(WfpPersistence.Persistent);
                try
                {
                    var applied = store.Get();
                    foreach (string missing in NamePattern.Unmatched(Name, applied.Select(p => p.Name)))
                        WriteError(ErrorRecordFactory.FromManagement(new IkeManagementException(IkeManagementError.PolicyNotFound,
                            $"No IPsec policy named '{missing}' is applied to WFP.", missing)));
                    WriteObject(applied.Where(p => NamePattern.MatchesAny(Name, p.Name)), enumerateCollection: true);
                }
                finally
                {
                    if (owned) store.Dispose();
                }
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                WriteError(ErrorRecordFactory.FromManagement(e));
            }
        }
    }
}
