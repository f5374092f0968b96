using System;
using System.IO;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Export-IkePolicy: writes a policy to a versioned policy file (schemaVersion 1, NetSecurity names) for SYSVOL, GPO
    /// startup scripts, DSC and 'ikex'. Pre-shared keys are left out unless -IncludeSecrets.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IkePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IpsecPolicy))]
    public sealed class ExportIkePolicyCommand : PSCmdlet
    {
        /// <summary>The policy to write (from New-Ike*Policy or Import-IkePolicy).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public IpsecPolicy? Policy { get; set; }

        /// <summary>The file to write (one policy per file).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Write pre-shared keys in clear text (otherwise they are left out).</summary>
        [Parameter]
        public SwitchParameter IncludeSecrets { get; set; }

        /// <summary>Replace an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the policy to the pipeline after exporting it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string file;
            try
            {
                file = GetUnresolvedProviderPathFromPSPath(Path);
            }
            catch (Exception e) when (ErrorRecordFactory.IsInputError(e))
            {
                WriteError(ErrorRecordFactory.PolicyPath(e, Path));
                return;
            }
            if (!ShouldProcess(file, $"Export policy '{Policy!.Name}'" + (IncludeSecrets ? " with secrets in clear text" : ""))) return;
            try
            {
                IkePolicyFiles.Export(Policy, file, IncludeSecrets, Force);
                if (PassThru) WriteObject(Policy);
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorRecordFactory.PolicyPath(e, file));
            }
        }
    }
}
