using System;
using System.Management.Automation.Runspaces;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.PowerShell
{
    /// <summary>The calling session's policy store (<see cref="PolicyStoreSessions"/>); closing the runspace closes its dynamic store.</summary>
    internal static class SessionPolicyStore
    {
        internal static (PolicyStore Store, bool Owned) Open(WfpPersistence persistence)
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            Guid id = runspace?.InstanceId ?? Guid.Empty;
            var opened = PolicyStoreSessions.Open(id, persistence);
            if (!opened.Owned && runspace != null)
            {
                runspace.StateChanged -= OnStateChanged;
                runspace.StateChanged += OnStateChanged;
            }
            return opened;
        }

        private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
        {
            if (sender is Runspace r && (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken))
                PolicyStoreSessions.ReleaseSession(r.InstanceId);
        }
    }
}
