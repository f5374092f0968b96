using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>Import-IkePolicy: reads and validates policy files written by Export-IkePolicy or 'ikex policy new'.</summary>
    [Cmdlet(VerbsData.Import, "IkePolicy")]
    [OutputType(typeof(IpsecPolicy))]
    public sealed class ImportIkePolicyCommand : PSCmdlet
    {
        /// <summary>Policy files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string path in Path)
            {
                IReadOnlyList<string> files;
                ProviderInfo provider;
                try
                {
                    files = GetResolvedProviderPathFromPSPath(path, out provider);
                }
                catch (Exception e) when (ErrorRecordFactory.IsInputError(e))
                {
                    WriteError(ErrorRecordFactory.PolicyPath(e, path));
                    continue;
                }
                if (provider.Name != "FileSystem")
                {
                    WriteError(ErrorRecordFactory.PolicyPathNotFileSystem(path, provider.Name));
                    continue;
                }
                if (files.Count == 0) WriteError(ErrorRecordFactory.PolicyPath(new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), path));
                foreach (string file in files) Import(file);
            }
        }

        private void Import(string file)
        {
            try
            {
                WriteVerbose($"Reading policy file '{file}'.");
                WriteObject(IkePolicyFiles.Import(file));
            }
            catch (IkeManagementException e)
            {
                WriteError(ErrorRecordFactory.FromManagement(e, target: file));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorRecordFactory.PolicyPath(e, file));
            }
        }
    }
}
