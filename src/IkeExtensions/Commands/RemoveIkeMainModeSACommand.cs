using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Commands
{
    /// <summary>
    /// Remove-IkeMainModeSA: deletes Main Mode SAs of a responder with the reliable delete of MS-IKEE 3.8 (the peer is
    /// told, and the Quick Mode SAs the Main Mode SA keyed go with it). Pipe Get-IkeMainModeSA output to it.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IkeMainModeSA", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(MainModeSaInfo))]
    public sealed class RemoveIkeMainModeSACommand : RemoveIkeSACommandBase<MainModeSaInfo>
    {
        /// <summary>Deletes Main Mode SAs.</summary>
        public RemoveIkeMainModeSACommand()
            : base("MainMode", "Main Mode SA", (responders, filter) => IkeSaQuery.MainModeSas(responders, filter), (responder, id) => responder.RemoveMainModeSaAsync(id))
        {
        }
    }
}
