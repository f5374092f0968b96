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
    public sealed class GetIkeQuickModeSACommand : GetIkeSACommandBase<QuickModeSaInfo>
    {
        /// <summary>Reads Quick Mode SAs.</summary>
        public GetIkeQuickModeSACommand()
            : base("QuickMode", (responders, filter) => IkeSaQuery.QuickModeSas(responders, filter), filter => IkeSaQuery.WindowsQuickModeSas(filter))
        {
        }

        /// <summary>Only the Quick Mode SAs keyed by these Main Mode SAs.</summary>
        [Parameter]
        public long[]? MainModeSaId { get; set; }

        /// <inheritdoc />
        private protected override long[]? MainModeSaIds => MainModeSaId;
    }
}
