using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell.Completers
{
    /// <summary>Completes -Name of Get-IkeResponder / Stop-IkeResponder with the names of this session's responders (quoted when needed).</summary>
    public sealed class ResponderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return SessionResponders.Current.GetAll().Where(r => pattern.IsMatch(r.Name))
                .Select(r => new CompletionResult(Quote(r.Name), r.Name, CompletionResultType.ParameterValue, $"{r.Id}: {r.LocalEndpoint} ({r.State})"));
        }

        internal static string Quote(string text) =>
            text.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '@', '#' }) >= 0 ? "'" + text.Replace("'", "''") + "'" : text;
    }
}
