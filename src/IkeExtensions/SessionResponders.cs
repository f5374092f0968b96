using System;
using System.Management.Automation.Runspaces;
using IkeExtensions.Management;

namespace IkeExtensions.PowerShell
{
    /// <summary>
    /// The <see cref="ResponderRegistry"/> of the calling runspace (one PowerShell session). Use subscribes to the
    /// runspace's StateChanged event (once), so closing the session stops its responders (peers are told, sockets closed).
    /// </summary>
    internal static class SessionResponders
    {
        internal static ResponderRegistry Current
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                if (runspace != null)
                {
                    runspace.StateChanged -= OnStateChanged;
                    runspace.StateChanged += OnStateChanged;
                }
                return ResponderRegistry.ForSession(runspace?.InstanceId ?? Guid.Empty);
            }
        }

        private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
        {
            if (sender is Runspace r && (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken))
                ResponderRegistry.ReleaseSession(r.InstanceId);
        }
    }
}
