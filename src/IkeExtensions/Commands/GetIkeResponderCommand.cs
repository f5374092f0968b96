using System;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.PowerShell.Completers;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>Get-IkeResponder: lists the responders this session started (running and stopped ones still registered).</summary>
    [Cmdlet(VerbsCommon.Get, "IkeResponder", DefaultParameterSetName = NameParameterSet)]
    [OutputType(typeof(IkeResponder))]
    public sealed class GetIkeResponderCommand : PSCmdlet
    {
        /// <summary>Parameter set for -Name.</summary>
        public const string NameParameterSet = "Name";

        /// <summary>Parameter set for -Id.</summary>
        public const string IdParameterSet = "Id";

        /// <summary>Names of responders; wildcards allowed. Default: all.</summary>
        [Parameter(Position = 0, ParameterSetName = NameParameterSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ResponderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Ids of responders.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdParameterSet)]
        [Alias("ResponderId")]
        public int[] Id { get; set; } = Array.Empty<int>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ResponderRegistry registry = SessionResponders.Current;
            bool byName = ParameterSetName == NameParameterSet;
            foreach (IkeManagementException missing in registry.Missing(byName ? Name : null, byName ? null : Id))
                WriteError(ErrorRecordFactory.FromManagement(missing));
            WriteObject(registry.Find(byName ? Name : null, byName ? null : Id), enumerateCollection: true);
        }
    }
}
