using System;
using System.Collections.Generic;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.PowerShell.Completers;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>Stop-IkeResponder: deletes a responder's SAs (peers are told), closes its sockets and removes it from the session.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "IkeResponder", DefaultParameterSetName = NameParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IkeResponder))]
    public sealed class StopIkeResponderCommand : PSCmdlet
    {
        /// <summary>Parameter set for -Name.</summary>
        public const string NameParameterSet = "Name";

        /// <summary>Parameter set for -Id.</summary>
        public const string IdParameterSet = "Id";

        /// <summary>Parameter set for -InputObject.</summary>
        public const string InputObjectParameterSet = "InputObject";

        /// <summary>Names of responders to stop; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameParameterSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ResponderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Ids of responders to stop.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdParameterSet)]
        [Alias("ResponderId")]
        public int[] Id { get; set; } = Array.Empty<int>();

        /// <summary>Responder objects (from Start-IkeResponder or Get-IkeResponder).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectParameterSet)]
        [ValidateNotNull]
        public IkeResponder[] InputObject { get; set; } = Array.Empty<IkeResponder>();

        /// <summary>Write each stopped responder to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ResponderRegistry registry = SessionResponders.Current;
            IReadOnlyList<IkeResponder> targets = ParameterSetName switch
            {
                NameParameterSet => registry.Find(Name, null),
                IdParameterSet => registry.Find(null, Id),
                _ => InputObject,
            };
            if (ParameterSetName != InputObjectParameterSet)
                foreach (IkeManagementException missing in registry.Missing(ParameterSetName == NameParameterSet ? Name : null, ParameterSetName == IdParameterSet ? Id : null))
                    WriteError(ErrorRecordFactory.FromManagement(missing));
            foreach (IkeResponder responder in targets)
            {
                if (!ShouldProcess($"{responder.Id}: {responder.Name} ({responder.LocalEndpoint})", "Stop IKE responder")) continue;
                registry.Stop(responder);
                if (PassThru) WriteObject(responder);
            }
        }
    }
}
