using System;
using System.Collections.Generic;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Get-IkeQuickModeSA: Quick Mode (IPsec) SA pairs of this session's responders, or with -Windows Windows' IPsec SA
    /// contexts (IPsecSaContextEnum1). Rows carry a ResponderId note property for Remove-IkeQuickModeSA.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IkeQuickModeSA", DefaultParameterSetName = ResponderParameterSet)]
    [OutputType(typeof(QuickModeSaInfo))]
    public sealed class GetIkeQuickModeSACommand : PSCmdlet
    {
        /// <summary>Parameter set for SAs of our responders.</summary>
        public const string ResponderParameterSet = "Responder";

        /// <summary>Parameter set for Windows' IKEEXT SAs.</summary>
        public const string WindowsParameterSet = "Windows";

        /// <summary>SA ids.</summary>
        [Parameter(Position = 0)]
        public long[]? Id { get; set; }

        /// <summary>The peer's address (with or without port); wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? RemoteAddress { get; set; }

        /// <summary>Only the Quick Mode SAs keyed by these Main Mode SAs.</summary>
        [Parameter]
        public long[]? MainModeSaId { get; set; }

        /// <summary>Responders to read; default: every running responder of the session.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ResponderParameterSet)]
        [ValidateNotNull]
        public IkeResponder[]? Responder { get; set; }

        /// <summary>Ids of responders to read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ResponderParameterSet)]
        public int[]? ResponderId { get; set; }

        /// <summary>Read Windows' own IPsec SA contexts instead of our responders'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WindowsParameterSet)]
        public SwitchParameter Windows { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var filter = new SaFilter { Ids = Id, RemoteAddress = RemoteAddress, MainModeSaIds = MainModeSaId };
            try
            {
                IReadOnlyList<SaRow<QuickModeSaInfo>> rows = Windows
                    ? IkeSaQuery.WindowsQuickModeSas(filter)
                    : IkeSaQuery.QuickModeSas(Sources(), filter);
                foreach (SaRow<QuickModeSaInfo> row in rows) WriteObject(SaOutput.Wrap(row));
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                WriteError(ErrorRecordFactory.FromManagement(e, "QuickMode"));
            }
        }

        private IEnumerable<IkeResponder> Sources()
        {
            ResponderRegistry registry = SessionResponders.Current;
            if (Responder != null) return Responder;
            if (ResponderId == null) return registry.Running();
            foreach (IkeManagementException missing in registry.Missing(null, ResponderId)) WriteError(ErrorRecordFactory.FromManagement(missing));
            return registry.Find(null, ResponderId);
        }
    }
}
