using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// ConvertTo-IkeWfpFilter: compiles a policy to the ordered WFP objects it becomes (provider, sublayer, provider
    /// contexts, filters) as the win32 FWP scenarios prescribe, without touching WFP. Set-IkePolicy applies the same objects.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "IkeWfpFilter")]
    [OutputType(typeof(WfpObject))]
    public sealed class ConvertToIkeWfpFilterCommand : PSCmdlet
    {
        /// <summary>The policies to compile.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public IpsecPolicy[] Policy { get; set; } = Array.Empty<IpsecPolicy>();

        /// <summary>Compile without the PERSISTENT flags (objects that vanish when the session closes).</summary>
        [Parameter]
        public SwitchParameter Dynamic { get; set; }

        /// <summary>Only the filters (no provider, sublayer or provider contexts).</summary>
        [Parameter]
        public SwitchParameter FilterOnly { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (IpsecPolicy policy in Policy)
            {
                try
                {
                    WfpCompilation compilation = WfpCompiler.Compile(IkePolicyComposer.Validated(policy), new WfpCompileOptions { Persistent = !Dynamic });
                    WriteVerbose($"{compilation.Policy}: {compilation.Objects.Count} WFP objects.");
                    foreach (WfpObject o in compilation.Objects)
                        if (!FilterOnly || o is WfpFilter) WriteObject(o);
                }
                catch (IkeManagementException e)
                {
                    WriteError(ErrorRecordFactory.FromManagement(e, target: policy));
                }
            }
        }
    }
}
