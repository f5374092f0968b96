using System;
using System.Collections.Generic;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Get-IkeMainModeSA: Main Mode (IKE phase 1) SAs of this session's responders, or with -Windows those of Windows'
    /// IKEEXT service (IkeextSaEnum1). Rows carry a ResponderId note property for Remove-IkeMainModeSA.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IkeMainModeSA", DefaultParameterSetName = ResponderParameterSet)]
    [OutputType(typeof(MainModeSaInfo))]
    public sealed class GetIkeMainModeSACommand : PSCmdlet
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

        /// <summary>Responders to read; default: every running responder of the session.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ResponderParameterSet)]
        [ValidateNotNull]
        public IkeResponder[]? Responder { get; set; }

        /// <summary>Ids of responders to read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ResponderParameterSet)]
        public int[]? ResponderId { get; set; }

        /// <summary>Read Windows' own IKE/AuthIP SAs (IKEEXT) instead of our responders'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WindowsParameterSet)]
        public SwitchParameter Windows { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var filter = new SaFilter { Ids = Id, RemoteAddress = RemoteAddress };
            try
            {
                IReadOnlyList<SaRow<MainModeSaInfo>> rows = Windows
                    ? IkeSaQuery.WindowsMainModeSas(filter)
                    : IkeSaQuery.MainModeSas(Sources(), filter);
                foreach (SaRow<MainModeSaInfo> row in rows) WriteObject(SaOutput.Wrap(row));
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                WriteError(ErrorRecordFactory.FromManagement(e, "MainMode"));
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
