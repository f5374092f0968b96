using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.PowerShell.Completers
{
    /// <summary>Completes -Name of Get-IkePolicy / Remove-IkePolicy with the applied policies' names (none off Windows).</summary>
    public sealed class PolicyNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            try
            {
                var (store, owned) = SessionPolicyStore.Open(WfpPersistence.Persistent);
                try
                {
                    return store.Get().Where(p => pattern.IsMatch(p.Name))
                        .Select(p => new CompletionResult(ResponderNameCompleter.Quote(p.Name), p.Name, CompletionResultType.ParameterValue, p.ToString())).ToList();
                }
                finally
                {
                    if (owned) store.Dispose();
                }
            }
            catch (Exception e) when (ErrorRecordFactory.IsManagementError(e))
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
