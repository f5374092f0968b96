using System;
using System.Collections.Concurrent;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.Management
{
    /// <summary>
    /// The policy stores Set-/Get-/Remove-IkePolicy use. A persistent store is opened per call (the caller disposes it); a
    /// dynamic store stays open for the session, because WFP deletes a dynamic session's objects when the session closes:
    /// <see cref="ReleaseSession"/> (the runspace closed) closes it. <see cref="Factory"/> lets tests use a store double.
    /// </summary>
    public static class PolicyStoreSessions
    {
        private static readonly ConcurrentDictionary<Guid, PolicyStore> Dynamic = new ConcurrentDictionary<Guid, PolicyStore>();

        /// <summary>Opens the store for a persistence; default <see cref="PolicyStore.OpenNative"/>.</summary>
        public static Func<WfpPersistence, PolicyStore> Factory { get; set; } = PolicyStore.OpenNative;

        /// <summary>A store and whether the caller must dispose it (false for the session's dynamic store).</summary>
        public static (PolicyStore Store, bool Owned) Open(Guid sessionId, WfpPersistence persistence)
        {
            if (persistence == WfpPersistence.Persistent) return (Translate(() => Factory(persistence)), true);
            return (Dynamic.GetOrAdd(sessionId, _ => Translate(() => Factory(WfpPersistence.Dynamic))), false);
        }

        /// <summary>Closes the session's dynamic store (its policies vanish). True when it had one.</summary>
        public static bool ReleaseSession(Guid sessionId)
        {
            if (!Dynamic.TryRemove(sessionId, out var store)) return false;
            store.Dispose();
            return true;
        }

        private static PolicyStore Translate(Func<PolicyStore> open)
        {
            try
            {
                return open();
            }
            catch (PlatformNotSupportedException e)
            {
                throw new IkeManagementException(IkeManagementError.NotSupported, e.Message, "WFP", e);
            }
        }
    }
}
