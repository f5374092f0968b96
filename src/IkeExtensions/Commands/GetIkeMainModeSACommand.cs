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
    public sealed class GetIkeMainModeSACommand : GetIkeSACommandBase<MainModeSaInfo>
    {
        /// <summary>Reads Main Mode SAs.</summary>
        public GetIkeMainModeSACommand()
            : base("MainMode", (responders, filter) => IkeSaQuery.MainModeSas(responders, filter), filter => IkeSaQuery.WindowsMainModeSas(filter))
        {
        }
    }
}
