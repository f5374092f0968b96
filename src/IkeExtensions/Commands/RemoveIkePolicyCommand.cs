using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.PowerShell.Completers;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>Remove-IkePolicy: deletes an applied policy's WFP objects and its provider in one transaction.</summary>
    [Cmdlet(VerbsCommon.Remove, "IkePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WfpApplyResult))]
    public sealed class RemoveIkePolicyCommand : PSCmdlet
    {
        /// <summary>Names of the policies to remove (no wildcards: removal is by exact name).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Write what was removed to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (!ShouldProcess(name, "Remove IPsec policy from WFP")) continue;
                try
                {
                    var (store, owned) = SessionPolicyStore.Open(WfpPersistence.Persistent);
                    try
                    {
                        WfpApplyResult result = store.Remove(name);
                        if (result.Removed.Count == 0)
                            WriteError(ErrorRecordFactory.FromManagement(new IkeManagementException(IkeManagementError.PolicyNotFound,
                                $"No IPsec policy named '{name}' is applied to WFP.", name)));
                        else if (PassThru) WriteObject(result);
                    }
                    finally
                    {
                        if (owned) store.Dispose();
                    }
                }
                catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
                {
                    WriteError(ErrorRecordFactory.FromManagement(e, target: name));
                }
            }
        }
    }
}
