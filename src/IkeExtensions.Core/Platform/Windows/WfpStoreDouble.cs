using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// What BFE holds, shared by the <see cref="WfpStoreDouble"/> sessions opened on it (as BFE is shared by engine
    /// handles): built-in layers and sublayers plus the objects sessions added.
    /// </summary>
    public sealed class WfpDoubleEngine
    {
        /// <summary>FWPM_SUBLAYER_UNIVERSAL, the default sublayer (fwpmu.h).</summary>
        public static readonly Guid UniversalSublayer = new Guid("eebecc03-ced4-4380-819a-2734397b2b74");

        /// <summary>The IPsec-related layers of shared/reference/netsecurity-wfp*.md (fwpmu.h GUIDs, V4 then V6).</summary>
        public static readonly IReadOnlyList<Guid> BuiltInLayers = new[]
        {
            "b14b7bdb-dbbd-473e-bed4-8b4708d4f270", "b64786b3-f687-4eb9-89d2-8ef32acdabe2", // IKEEXT
            "eda65c74-610d-4bc5-948f-3c4f89556867", "13c48442-8d87-4261-9a29-59d2abc348b4", // IPSEC
            "5926dfc8-e3cf-4426-a283-dc393f5d0f9d", "634a869f-fc23-4b90-b0c1-bf620a36ae6f", // INBOUND_TRANSPORT
            "09e61aea-d214-46e2-9b21-b26b0b2f28c8", "e1735bde-013f-4655-b351-a49e15762df0", // OUTBOUND_TRANSPORT
            "e1cd9fe7-f4b5-4273-96c0-592e487b8650", "a3b42c97-9f04-4672-b87e-cee9c483257f", // ALE_AUTH_RECV_ACCEPT
            "c38d57d1-05a7-4c33-904f-7fbceee60e82", "4a72393b-319f-44bc-84c3-ba54dcb3b6b4", // ALE_AUTH_CONNECT
        }.Select(g => new Guid(g)).ToArray();

        internal readonly HashSet<Guid> Layers = new HashSet<Guid>(BuiltInLayers);
        internal readonly HashSet<Guid> BuiltInSublayers = new HashSet<Guid> { UniversalSublayer };
        internal Dictionary<Guid, WfpStoredObject> Providers = new Dictionary<Guid, WfpStoredObject>();
        internal Dictionary<Guid, WfpStoredObject> Sublayers = new Dictionary<Guid, WfpStoredObject>();
        internal Dictionary<Guid, WfpStoredObject> Contexts = new Dictionary<Guid, WfpStoredObject>();
        internal Dictionary<Guid, WfpStoredObject> Filters = new Dictionary<Guid, WfpStoredObject>();
        /// <summary>Which dynamic session added an object (objects added in one go when it closes).</summary>
        internal Dictionary<Guid, WfpStoreDouble> DynamicOwner = new Dictionary<Guid, WfpStoreDouble>();
        internal WfpStoreDouble? TransactionOwner;

        /// <summary>Adds a layer the double should know (tests of unknown layers use a GUID not listed here).</summary>
        public void AddLayer(Guid layerKey) => Layers.Add(layerKey);

        /// <summary>Every object, ordered, one line each: two snapshots are equal exactly when the states are.</summary>
        public IReadOnlyList<string> Snapshot() =>
            Providers.Values.Concat(Sublayers.Values).Concat(Contexts.Values).Concat(Filters.Values)
                .OrderBy(o => o.Kind).ThenBy(o => o.Key).Select(o => o.ToString()).ToList();

        public int ObjectCount => Providers.Count + Sublayers.Count + Contexts.Count + Filters.Count;

        /// <summary>BFE restarts (reboot): only persistent objects survive.</summary>
        public void Restart()
        {
            foreach (var map in new[] { Providers, Sublayers, Contexts, Filters })
                foreach (var key in map.Where(kv => !kv.Value.Persistent).Select(kv => kv.Key).ToList()) map.Remove(key);
            DynamicOwner.Clear();
            TransactionOwner = null;
        }

        internal (Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoreDouble>) Copy() =>
            (new Dictionary<Guid, WfpStoredObject>(Providers), new Dictionary<Guid, WfpStoredObject>(Sublayers),
             new Dictionary<Guid, WfpStoredObject>(Contexts), new Dictionary<Guid, WfpStoredObject>(Filters),
             new Dictionary<Guid, WfpStoreDouble>(DynamicOwner));
    }

    /// <summary>
    /// An in-memory <see cref="IWfpStore"/> that enforces the rules BFE enforces, with BFE's error codes: unique keys;
    /// a sublayer, provider context or filter needs its provider to exist; a filter needs its layer, its sublayer and
    /// its provider context to exist; objects in use cannot be deleted; a persistent object cannot be added through a
    /// dynamic session nor reference a non-persistent one; one transaction at a time, none nested, Abort restores
    /// everything. Closing a dynamic session deletes what it added. Tests can make the Nth add fail.
    /// </summary>
    public sealed class WfpStoreDouble : IWfpStore
    {
        private readonly WfpDoubleEngine engine;
        private (Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoredObject>, Dictionary<Guid, WfpStoreDouble>)? saved;
        private int addsUntilFailure;
        private uint injectedError;
        private bool disposed;

        public WfpStoreDouble(WfpDoubleEngine? engine = null, bool dynamicSession = false)
        {
            this.engine = engine ?? new WfpDoubleEngine();
            IsDynamicSession = dynamicSession;
        }

        public WfpDoubleEngine Engine => engine;
        public bool IsDynamicSession { get; }
        public bool InTransaction => saved != null;
        /// <summary>Successful adds and deletes through this session (aborted ones included).</summary>
        public int Mutations { get; private set; }
        public int Commits { get; private set; }
        public int Aborts { get; private set; }

        /// <summary>The <paramref name="n"/>th add from now (1 = the next) fails with <paramref name="errorCode"/>.</summary>
        public void RejectAdd(int n, uint errorCode = FwpErrors.ERROR_ACCESS_DENIED)
        {
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(n));
            addsUntilFailure = n;
            injectedError = errorCode;
        }

        public void BeginTransaction()
        {
            Live();
            if (engine.TransactionOwner != null) throw new WfpException(FwpErrors.FWP_E_TXN_IN_PROGRESS, "a transaction is already in progress; WFP transactions do not nest");
            saved = engine.Copy();
            engine.TransactionOwner = this;
        }

        public void Commit()
        {
            RequireTransaction();
            saved = null;
            engine.TransactionOwner = null;
            Commits++;
        }

        public void Abort()
        {
            RequireTransaction();
            var s = saved!.Value;
            (engine.Providers, engine.Sublayers, engine.Contexts, engine.Filters, engine.DynamicOwner) = s;
            saved = null;
            engine.TransactionOwner = null;
            Aborts++;
        }

        public void AddProvider(WfpStoredObject provider)
        {
            BeforeAdd(provider, WfpDescriptionKind.Provider);
            if (engine.Providers.ContainsKey(provider.Key)) throw Exists(provider);
            Added(engine.Providers, provider);
        }

        public void AddSublayer(WfpStoredObject sublayer)
        {
            BeforeAdd(sublayer, WfpDescriptionKind.Sublayer);
            if (engine.Sublayers.ContainsKey(sublayer.Key) || engine.BuiltInSublayers.Contains(sublayer.Key)) throw Exists(sublayer);
            CheckProvider(sublayer);
            Added(engine.Sublayers, sublayer);
        }

        public void AddProviderContext(WfpStoredObject providerContext)
        {
            BeforeAdd(providerContext, WfpDescriptionKind.ProviderContext);
            if (engine.Contexts.ContainsKey(providerContext.Key)) throw Exists(providerContext);
            CheckProvider(providerContext);
            Added(engine.Contexts, providerContext);
        }

        public void AddFilter(WfpStoredObject filter)
        {
            BeforeAdd(filter, WfpDescriptionKind.Filter);
            if (engine.Filters.ContainsKey(filter.Key)) throw Exists(filter);
            if (!engine.Layers.Contains(filter.LayerKey))
                throw new WfpException(FwpErrors.FWP_E_LAYER_NOT_FOUND, $"{Describe(filter)}: layer {{{filter.LayerKey}}} does not exist");
            if (filter.SublayerKey != Guid.Empty && !engine.BuiltInSublayers.Contains(filter.SublayerKey))
            {
                if (!engine.Sublayers.TryGetValue(filter.SublayerKey, out var sublayer))
                    throw new WfpException(FwpErrors.FWP_E_SUBLAYER_NOT_FOUND, $"{Describe(filter)}: sublayer {{{filter.SublayerKey}}} does not exist");
                CheckLifetime(filter, sublayer);
            }
            CheckProvider(filter);
            if (filter.ProviderContextKey is Guid contextKey)
            {
                if (!engine.Contexts.TryGetValue(contextKey, out var context))
                    throw new WfpException(FwpErrors.FWP_E_PROVIDER_CONTEXT_NOT_FOUND,
                        $"{Describe(filter)}: provider context {{{contextKey}}} does not exist (add provider contexts before the filters that reference them)");
                CheckLifetime(filter, context);
            }
            Added(engine.Filters, filter);
        }

        public WfpStoredObject? GetProvider(Guid key)
        {
            Live();
            return engine.Providers.TryGetValue(key, out var p) ? p : null;
        }

        public IReadOnlyList<WfpStoredObject> EnumerateProviders()
        {
            Live();
            return engine.Providers.Values.OrderBy(o => o.Key).ToList();
        }

        public IReadOnlyList<WfpStoredObject> EnumerateSublayers(Guid providerKey) => Owned(engine.Sublayers, providerKey);
        public IReadOnlyList<WfpStoredObject> EnumerateProviderContexts(Guid providerKey) => Owned(engine.Contexts, providerKey);
        public IReadOnlyList<WfpStoredObject> EnumerateFilters(Guid providerKey) => Owned(engine.Filters, providerKey);

        public void DeleteProvider(Guid key)
        {
            Live();
            if (!engine.Providers.ContainsKey(key)) throw new WfpException(FwpErrors.FWP_E_PROVIDER_NOT_FOUND, $"provider {{{key}}} does not exist");
            var user = engine.Sublayers.Values.Concat(engine.Contexts.Values).Concat(engine.Filters.Values).FirstOrDefault(o => o.ProviderKey == key);
            if (user != null) throw new WfpException(FwpErrors.FWP_E_IN_USE, $"provider {{{key}}} is in use by {Describe(user)}");
            Deleted(engine.Providers, key);
        }

        public void DeleteSublayer(Guid key)
        {
            Live();
            if (!engine.Sublayers.ContainsKey(key)) throw new WfpException(FwpErrors.FWP_E_SUBLAYER_NOT_FOUND, $"sublayer {{{key}}} does not exist");
            var user = engine.Filters.Values.FirstOrDefault(f => f.SublayerKey == key);
            if (user != null) throw new WfpException(FwpErrors.FWP_E_IN_USE, $"sublayer {{{key}}} is in use by {Describe(user)}");
            Deleted(engine.Sublayers, key);
        }

        public void DeleteProviderContext(Guid key)
        {
            Live();
            if (!engine.Contexts.ContainsKey(key)) throw new WfpException(FwpErrors.FWP_E_PROVIDER_CONTEXT_NOT_FOUND, $"provider context {{{key}}} does not exist");
            var user = engine.Filters.Values.FirstOrDefault(f => f.ProviderContextKey == key);
            if (user != null) throw new WfpException(FwpErrors.FWP_E_IN_USE, $"provider context {{{key}}} is in use by {Describe(user)}");
            Deleted(engine.Contexts, key);
        }

        public void DeleteFilter(Guid key)
        {
            Live();
            if (!engine.Filters.ContainsKey(key)) throw new WfpException(FwpErrors.FWP_E_FILTER_NOT_FOUND, $"filter {{{key}}} does not exist");
            Deleted(engine.Filters, key);
        }

        /// <summary>Closes the session: an open transaction is aborted; a dynamic session's objects are deleted.</summary>
        public void Dispose()
        {
            if (disposed) return;
            if (engine.TransactionOwner == this) Abort();
            if (IsDynamicSession)
            {
                var mine = engine.DynamicOwner.Where(kv => kv.Value == this).Select(kv => kv.Key).ToList();
                foreach (var key in mine)
                {
                    engine.Filters.Remove(key);
                    engine.Contexts.Remove(key);
                    engine.Sublayers.Remove(key);
                    engine.Providers.Remove(key);
                    engine.DynamicOwner.Remove(key);
                }
            }
            disposed = true;
        }

        private void BeforeAdd(WfpStoredObject o, WfpDescriptionKind kind)
        {
            Live();
            if (o.Kind != kind) throw new ArgumentException($"{Describe(o)} passed to the {kind} add");
            if (addsUntilFailure > 0 && --addsUntilFailure == 0)
                throw new WfpException(injectedError, $"{Describe(o)}: add rejected (failure injected by the test)");
            if (o.Persistent && IsDynamicSession)
                throw new WfpException(FwpErrors.FWP_E_DYNAMIC_SESSION_IN_PROGRESS, $"{Describe(o)}: persistent objects cannot be added in a dynamic session");
        }

        private void CheckProvider(WfpStoredObject o)
        {
            if (o.ProviderKey is not Guid providerKey) return;
            if (!engine.Providers.TryGetValue(providerKey, out var provider))
                throw new WfpException(FwpErrors.FWP_E_PROVIDER_NOT_FOUND, $"{Describe(o)}: provider {{{providerKey}}} does not exist");
            CheckLifetime(o, provider);
        }

        private static void CheckLifetime(WfpStoredObject o, WfpStoredObject referenced)
        {
            if (o.Persistent && !referenced.Persistent)
                throw new WfpException(FwpErrors.FWP_E_LIFETIME_MISMATCH, $"persistent {Describe(o)} cannot reference non-persistent {Describe(referenced)}");
        }

        private void Added(Dictionary<Guid, WfpStoredObject> map, WfpStoredObject o)
        {
            map[o.Key] = o;
            if (IsDynamicSession) engine.DynamicOwner[o.Key] = this;
            Mutations++;
        }

        private void Deleted(Dictionary<Guid, WfpStoredObject> map, Guid key)
        {
            map.Remove(key);
            engine.DynamicOwner.Remove(key);
            Mutations++;
        }

        private IReadOnlyList<WfpStoredObject> Owned(Dictionary<Guid, WfpStoredObject> map, Guid providerKey)
        {
            Live();
            return map.Values.Where(o => o.ProviderKey == providerKey).OrderBy(o => o.Key).ToList();
        }

        private void RequireTransaction()
        {
            Live();
            if (engine.TransactionOwner != this || saved == null)
                throw new WfpException(FwpErrors.FWP_E_NO_TXN_IN_PROGRESS, "no transaction is in progress in this session");
        }

        private void Live()
        {
            if (disposed) throw new ObjectDisposedException(nameof(WfpStoreDouble));
        }

        private static WfpException Exists(WfpStoredObject o) =>
            new WfpException(FwpErrors.FWP_E_ALREADY_EXISTS, $"{Describe(o)}: an object with this key already exists");

        private static string Describe(WfpStoredObject o) => $"{o.Kind} '{o.Name}' {{{o.Key}}}";
    }
}
