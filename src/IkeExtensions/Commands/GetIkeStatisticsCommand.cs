using System;
using System.Collections.Generic;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>Get-IkeStatistics: the engine's and the UDP host's counters of each responder, with the SA counts.</summary>
    [Cmdlet(VerbsCommon.Get, "IkeStatistics")]
    [OutputType(typeof(IkeStatisticsInfo))]
    public sealed class GetIkeStatisticsCommand : PSCmdlet
    {
        /// <summary>Responders to read; default: every running responder of the session.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public IkeResponder[]? Responder { get; set; }

        /// <summary>Ids of responders to read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int[]? ResponderId { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ResponderRegistry registry = SessionResponders.Current;
            IEnumerable<IkeResponder> sources = Responder ?? (ResponderId == null ? registry.Running() : registry.Find(null, ResponderId));
            if (Responder == null && ResponderId != null)
                foreach (IkeManagementException missing in registry.Missing(null, ResponderId)) WriteError(ErrorRecordFactory.FromManagement(missing));
            foreach (IkeResponder responder in sources)
            {
                try
                {
                    WriteObject(SaOutput.WithResponderId(responder.GetStatistics(), responder.Id));
                }
                catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
                {
                    WriteError(ErrorRecordFactory.FromManagement(e));
                }
            }
        }
    }
}
