using System;
using System.Collections.Generic;
using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// The parameters and query shared by Get-IkeMainModeSA and Get-IkeQuickModeSA: SAs of this session's responders, or with
    /// -Windows those of Windows' own IKE/IPsec services, written with a ResponderId note property for Remove-Ike*SA.
    /// </summary>
    /// <typeparam name="TInfo">The SA row type (MainModeSaInfo or QuickModeSaInfo).</typeparam>
    public abstract class GetIkeSACommandBase<TInfo> : PSCmdlet where TInfo : class
    {
        /// <summary>Parameter set for SAs of our responders.</summary>
        public const string ResponderParameterSet = "Responder";

        /// <summary>Parameter set for Windows' IKEEXT SAs.</summary>
        public const string WindowsParameterSet = "Windows";

        private readonly string _saKind;
        private readonly Func<IEnumerable<IkeResponder>, SaFilter, IReadOnlyList<SaRow<TInfo>>> _query;
        private readonly Func<SaFilter, IReadOnlyList<SaRow<TInfo>>> _queryWindows;

        /// <summary>Binds the query to one kind of SA.</summary>
        /// <param name="saKind">The SA kind error records carry ("MainMode" or "QuickMode").</param>
        /// <param name="query">Reads SA rows of responders.</param>
        /// <param name="queryWindows">Reads Windows' own SAs.</param>
        private protected GetIkeSACommandBase(
            string saKind,
            Func<IEnumerable<IkeResponder>, SaFilter, IReadOnlyList<SaRow<TInfo>>> query,
            Func<SaFilter, IReadOnlyList<SaRow<TInfo>>> queryWindows)
        {
            _saKind = saKind;
            _query = query;
            _queryWindows = queryWindows;
        }

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

        /// <summary>Read Windows' own SAs instead of our responders'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WindowsParameterSet)]
        public SwitchParameter Windows { get; set; }

        /// <summary>Main Mode SA ids whose keyed SAs to keep (null: no such filter).</summary>
        private protected virtual long[]? MainModeSaIds => null;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var filter = new SaFilter { Ids = Id, RemoteAddress = RemoteAddress, MainModeSaIds = MainModeSaIds };
            try
            {
                IReadOnlyList<SaRow<TInfo>> rows = Windows
                    ? _queryWindows(filter)
                    : _query(Sources(), filter);
                foreach (SaRow<TInfo> row in rows) WriteObject(SaOutput.Wrap(row));
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                WriteError(ErrorRecordFactory.FromManagement(e, _saKind));
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
