using System;
using System.Collections.Generic;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// The WFP management calls the applier needs, one method per fwpuclnt.dll function family. Implemented by
    /// <see cref="NativeWfpStore"/> (BFE through P/Invoke, Windows only) and <see cref="WfpStoreDouble"/> (in memory,
    /// enforcing the same rules) so the apply logic is tested off Windows.
    /// </summary>
    public interface IWfpStore : IDisposable
    {
        /// <summary>The session is dynamic (FWPM_SESSION_FLAG_DYNAMIC): its objects vanish when it closes, and
        /// persistent objects cannot be added through it.</summary>
        bool IsDynamicSession { get; }

        /// <summary>FwpmTransactionBegin0; WFP refuses nested transactions.</summary>
        void BeginTransaction();
        void Commit();
        void Abort();

        void AddProvider(WfpStoredObject provider);
        void AddSublayer(WfpStoredObject sublayer);
        void AddProviderContext(WfpStoredObject providerContext);
        void AddFilter(WfpStoredObject filter);

        WfpStoredObject? GetProvider(Guid key);
        /// <summary>Every provider (FwpmProviderEnum0): how a caller finds the plans it applied earlier.</summary>
        IReadOnlyList<WfpStoredObject> EnumerateProviders();
        /// <summary>The sublayers, provider contexts and filters whose providerKey is <paramref name="providerKey"/>.</summary>
        IReadOnlyList<WfpStoredObject> EnumerateSublayers(Guid providerKey);
        IReadOnlyList<WfpStoredObject> EnumerateProviderContexts(Guid providerKey);
        IReadOnlyList<WfpStoredObject> EnumerateFilters(Guid providerKey);

        void DeleteProvider(Guid key);
        void DeleteSublayer(Guid key);
        void DeleteProviderContext(Guid key);
        void DeleteFilter(Guid key);
    }
}
