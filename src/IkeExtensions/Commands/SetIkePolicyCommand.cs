using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Set-IkePolicy: applies a policy to the Windows Filtering Platform in one transaction: adds what is missing, replaces
    /// what changed, removes what the policy no longer has, and changes nothing when WFP already matches (idempotent).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IkePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PolicyApplyResult))]
    public sealed class SetIkePolicyCommand : PSCmdlet
    {
        /// <summary>The policies to apply (from New-Ike*Policy or Import-IkePolicy).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public IpsecPolicy[] Policy { get; set; } = Array.Empty<IpsecPolicy>();

        /// <summary>Apply to a dynamic WFP session: the objects vanish when this PowerShell session closes (nothing survives a reboot).</summary>
        [Parameter]
        public SwitchParameter Dynamic { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            WfpPersistence persistence = Dynamic ? WfpPersistence.Dynamic : WfpPersistence.Persistent;
            foreach (IpsecPolicy policy in Policy)
            {
                if (!ShouldProcess($"{policy.Name} ({policy.Kind}, {persistence.ToString().ToLowerInvariant()})", "Apply IPsec policy to WFP")) continue;
                try
                {
                    var (store, owned) = SessionPolicyStore.Open(persistence);
                    try
                    {
                        PolicyApplyResult result = store.Apply(IkePolicyComposer.Validated(policy), persistence);
                        WriteVerbose(result.ToString());
                        WriteObject(result);
                    }
                    finally
                    {
                        if (owned) store.Dispose();
                    }
                }
                catch (Exception e) when (ErrorRecordFactory.IsManagementError(e) || e is ArgumentException)
                {
                    WriteError(e is ArgumentException ? new ErrorRecord(e, ErrorIds.IkePolicyInvalid, ErrorCategory.InvalidArgument, policy)
                        : ErrorRecordFactory.FromManagement(e, target: policy.Name));
                }
            }
        }
    }
}
