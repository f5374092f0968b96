using System.Management.Automation;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell
{
    /// <summary>
    /// SA rows as the SA cmdlets write them: the DTO with a ResponderId note property (null for Windows' IKEEXT SAs), so
    /// <c>Get-IkeMainModeSA | Remove-IkeMainModeSA</c> binds -Id and -ResponderId by property name.
    /// </summary>
    internal static class SaOutput
    {
        internal const string ResponderIdProperty = "ResponderId";

        internal static PSObject Wrap<T>(SaRow<T> row) where T : class => WithResponderId(row.Sa, row.ResponderId);

        internal static PSObject WithResponderId(object value, int? responderId)
        {
            var o = new PSObject(value);
            o.Properties.Add(new PSNoteProperty(ResponderIdProperty, responderId));
            return o;
        }
    }
}
