using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Remove-IkeQuickModeSA: deletes Quick Mode SA pairs of a responder; the peer is told with a protected DELETE in an
    /// Informational exchange under the Main Mode SA (MS-IKEE 3.8 reliable delete). Pipe Get-IkeQuickModeSA output to it.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IkeQuickModeSA", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(QuickModeSaInfo))]
    public sealed class RemoveIkeQuickModeSACommand : RemoveIkeSACommandBase<QuickModeSaInfo>
    {
        /// <summary>Deletes Quick Mode SAs.</summary>
        public RemoveIkeQuickModeSACommand()
            : base("QuickMode", "Quick Mode SA", (responders, filter) => IkeSaQuery.QuickModeSas(responders, filter), (responder, id) => responder.RemoveQuickModeSaAsync(id))
        {
        }
    }
}
