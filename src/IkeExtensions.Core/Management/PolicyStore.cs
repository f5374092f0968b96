using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;

namespace IkeExtensions.Management
{
    /// <summary>What an apply does (or a dry run would do) to one object.</summary>
    public enum PolicyChangeAction
    {
        Add,
        Replace,
        Remove,
        Unchanged,
    }

    /// <summary>One object of a plan, or one of ours the plan no longer has, and what happens to it.</summary>
    public sealed class PolicyChange
    {
        internal PolicyChange(PolicyChangeAction action, WfpDescriptionKind kind, Guid key, string name)
        {
            Action = action;
            Kind = kind;
            Key = key;
            Name = name;
        }

        public PolicyChangeAction Action { get; }
        public WfpDescriptionKind Kind { get; }
        public Guid Key { get; }
        public string Name { get; }
        public override string ToString() => $"{Action} {Kind} '{Name}' {{{Key}}}";
    }

    /// <summary>The outcome of <see cref="PolicyStore.Apply"/> or <see cref="PolicyStore.DryRun"/>: every change in plan order, removals last.</summary>
    public sealed class PolicyApplyResult
    {
        internal PolicyApplyResult(string policyName, WfpPersistence persistence, WfpPlan plan, WfpApplyResult result, IReadOnlyList<PolicyChange> changes)
        {
            PolicyName = policyName;
            Persistence = persistence;
            Plan = plan;
            Result = result;
            Changes = changes;
        }

        public string PolicyName { get; }
        public WfpPersistence Persistence { get; }
        public WfpPlan Plan { get; }
        public WfpApplyResult Result { get; }
        public IReadOnlyList<PolicyChange> Changes { get; }
        public bool Changed => Result.Changed;
        public override string ToString() => $"policy '{PolicyName}' ({Persistence.ToString().ToLowerInvariant()}): {Result}";
    }

    /// <summary>One applied policy as read back from WFP: its provider and how many objects it owns, by kind and layer.</summary>
    public sealed class AppliedPolicy
    {
        internal AppliedPolicy(string name, WfpStoredObject provider, IReadOnlyList<WfpStoredObject> sublayers, IReadOnlyList<WfpStoredObject> providerContexts,
            IReadOnlyList<WfpStoredObject> filters)
        {
            Name = name;
            ProviderKey = provider.Key;
            Persistent = provider.Persistent;
            Sublayers = sublayers.Count;
            ProviderContexts = providerContexts.Count;
            Filters = filters.Count;
            ProviderContextNames = providerContexts.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            FiltersByLayer = filters.GroupBy(f => LayerName(f.LayerKey)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count());
        }

        public string Name { get; }
        public Guid ProviderKey { get; }
        public bool Persistent { get; }
        public int Sublayers { get; }
        public int ProviderContexts { get; }
        public int Filters { get; }
        /// <summary>Provider, sublayers, provider contexts and filters.</summary>
        public int ObjectCount => 1 + Sublayers + ProviderContexts + Filters;
        public IReadOnlyList<string> ProviderContextNames { get; }
        /// <summary>Filter counts by layer (SDK name, e.g. FWPM_LAYER_IKEEXT_V4; the GUID for layers the compiler does not use).</summary>
        public IReadOnlyDictionary<string, int> FiltersByLayer { get; }

        public override string ToString() =>
            $"{Name}: {(Persistent ? "persistent" : "dynamic")}, {ObjectCount} objects ({Sublayers} sublayer(s), {ProviderContexts} provider context(s), {Filters} filter(s))";

        private static readonly Dictionary<Guid, string> Layers = new[]
        {
            WfpGuids.LayerIkeExtV4, WfpGuids.LayerIkeExtV6, WfpGuids.LayerIpsecV4, WfpGuids.LayerIpsecV6, WfpGuids.LayerInboundTransportV4,
            WfpGuids.LayerInboundTransportV6, WfpGuids.LayerOutboundTransportV4, WfpGuids.LayerOutboundTransportV6, WfpGuids.LayerAleAuthRecvAcceptV4,
            WfpGuids.LayerAleAuthRecvAcceptV6,
        }.ToDictionary(l => l.Key, l => l.Name);

        internal static string LayerName(Guid layer) => Layers.TryGetValue(layer, out var name) ? name : layer.ToString("D");
    }

    /// <summary>
    /// The policy-store façade the CLI (<c>ikex policy apply|remove|show</c>) and the cmdlets call:
    /// <see cref="Apply"/> = compile (<see cref="WfpCompiler"/>) → map (<see cref="WfpObjectMapper"/>) → encode every
    /// object once in scratch memory (<see cref="IWfpNativeEncoder"/>: a missing pre-shared key, a bad authority name or an
    /// unsupported context fails here, before WFP is touched) → <see cref="WfpApplier"/> (one transaction: idempotent,
    /// all-or-nothing). Each policy owns its own provider, so policies are applied and removed independently.
    /// Over <see cref="NativeWfpStore"/> off Windows every call throws a one-line <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    public sealed class PolicyStore : IDisposable
    {
        /// <summary>The closing hint of the platform error (what works on any OS).</summary>
        public const string PlatformHint = "'ikex policy apply --dry-run' shows the plan on any OS.";

        private readonly IWfpStore store;
        private readonly IWfpNativeEncoder encoder;
        private readonly bool ownsStore;

        public PolicyStore(IWfpStore store, IWfpNativeEncoder? encoder = null, bool ownsStore = false)
        {
            this.store = store ?? throw new ArgumentNullException(nameof(store));
            this.encoder = encoder ?? new WfpNativeEncoder();
            this.ownsStore = ownsStore;
        }

        /// <summary>BFE through fwpuclnt.dll: a dynamic session for <see cref="WfpPersistence.Dynamic"/> (its objects live
        /// until this store is disposed), a normal one otherwise.</summary>
        public static PolicyStore OpenNative(WfpPersistence persistence = WfpPersistence.Persistent)
        {
            var encoder = new WfpNativeEncoder();
            return new PolicyStore(new NativeWfpStore(persistence == WfpPersistence.Dynamic, encoder), encoder, ownsStore: true);
        }

        public IWfpStore Store => store;

        /// <summary>Compiles, maps and encodes without touching any store: what <see cref="Apply"/> would hand the applier.</summary>
        public static WfpPlan Plan(IpsecPolicy policy, WfpPersistence persistence, IWfpNativeEncoder? encoder = null)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var compilation = WfpCompiler.Compile(policy, new WfpCompileOptions { Persistent = persistence == WfpPersistence.Persistent });
            var plan = WfpObjectMapper.Map(compilation);
            Encode(plan, persistence, encoder ?? new WfpNativeEncoder());
            return plan;
        }

        public PolicyApplyResult Apply(IpsecPolicy policy, WfpPersistence persistence)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            RequirePlatform($"Applying IPsec policy '{policy.Name}'");
            var plan = Plan(policy, persistence, encoder);
            var before = ReadOurs(plan.ProviderKey);
            var result = new WfpApplier(store).Apply(plan.Objects, persistence);
            return new PolicyApplyResult(policy.Name, persistence, plan, result, Changes(plan, result, before));
        }

        /// <summary>Deletes a policy's objects and its provider in one transaction; Removed is empty when it was not applied.</summary>
        public WfpApplyResult Remove(string policyName)
        {
            if (string.IsNullOrEmpty(policyName)) throw new ArgumentException("a policy name is required", nameof(policyName));
            RequirePlatform($"Removing IPsec policy '{policyName}'");
            return new WfpApplier(store).Remove(WfpObjectMapper.ProviderKeyFor(policyName));
        }

        /// <summary>The applied policies (providers <see cref="WfpObjectMapper"/> made), by name.</summary>
        public IReadOnlyList<AppliedPolicy> Get()
        {
            RequirePlatform("Reading the applied IPsec policies");
            var list = new List<AppliedPolicy>();
            foreach (var provider in store.EnumerateProviders())
            {
                string? name = WfpObjectMapper.PolicyNameOf(provider.Key, provider.Name);
                if (name == null) continue;
                list.Add(new AppliedPolicy(name, provider, store.EnumerateSublayers(provider.Key), store.EnumerateProviderContexts(provider.Key),
                    store.EnumerateFilters(provider.Key)));
            }
            return list.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        }

        /// <summary>Every object of every applied policy, providers first (what <c>ikex policy show --json</c> dumps).</summary>
        public IReadOnlyList<WfpStoredObject> Snapshot()
        {
            RequirePlatform("Reading the applied IPsec policies");
            var list = new List<WfpStoredObject>();
            foreach (var provider in store.EnumerateProviders().Where(p => WfpObjectMapper.PolicyNameOf(p.Key, p.Name) != null).OrderBy(p => p.Key))
                list.AddRange(ReadOurs(provider.Key).Values);
            return list.OrderBy(o => o.Kind).ThenBy(o => o.Key).ToList();
        }

        /// <summary>
        /// What <see cref="Apply"/> would do against a described state, on any OS: the state (objects as
        /// <see cref="Snapshot"/> gives them, and/or policies applied persistently first) is loaded into a
        /// <see cref="WfpStoreDouble"/>, and the policy is applied there.
        /// </summary>
        public static PolicyApplyResult DryRun(IpsecPolicy policy, WfpPersistence persistence, IEnumerable<WfpStoredObject>? currentObjects = null,
            IEnumerable<IpsecPolicy>? currentPolicies = null)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var engine = new WfpDoubleEngine();
            using var persistentSession = new WfpStoreDouble(engine);
            using var dynamicSession = new WfpStoreDouble(engine, dynamicSession: true);
            if (currentObjects != null) LoadCurrent(engine, persistentSession, dynamicSession, currentObjects);
            foreach (var p in currentPolicies ?? Enumerable.Empty<IpsecPolicy>())
                new PolicyStore(persistentSession).Apply(p, WfpPersistence.Persistent);
            var target = persistence == WfpPersistence.Dynamic ? dynamicSession : persistentSession;
            return new PolicyStore(target).Apply(policy, persistence);
        }

        public void Dispose()
        {
            if (ownsStore) store.Dispose();
        }

        /// <summary>Loads a described state into the doubles: providers, sublayers and provider contexts, then filters
        /// (each filter's layer is added to <paramref name="engine"/>); persistent objects go to <paramref name="persistent"/>,
        /// the others to <paramref name="dynamic"/>. A <see cref="WfpException"/> for an object that does not load propagates.</summary>
        internal static void Load(WfpDoubleEngine engine, WfpStoreDouble persistent, WfpStoreDouble dynamic, IEnumerable<WfpStoredObject> objects)
        {
            foreach (var o in objects.OrderBy(o => o.Kind).ThenBy(o => o.Key))
            {
                var session = o.Persistent ? persistent : dynamic;
                switch (o.Kind)
                {
                    case WfpDescriptionKind.Provider: session.AddProvider(o); break;
                    case WfpDescriptionKind.Sublayer: session.AddSublayer(o); break;
                    case WfpDescriptionKind.ProviderContext: session.AddProviderContext(o); break;
                    default:
                        engine.AddLayer(o.LayerKey);
                        session.AddFilter(o);
                        break;
                }
            }
        }

        /// <summary><see cref="Load"/> for <see cref="DryRun"/>: an object that does not load is a bad argument.</summary>
        private static void LoadCurrent(WfpDoubleEngine engine, WfpStoreDouble persistent, WfpStoreDouble dynamic, IEnumerable<WfpStoredObject> objects)
        {
            try
            {
                Load(engine, persistent, dynamic, objects);
            }
            catch (WfpException e)
            {
                throw new ArgumentException($"the current state cannot be loaded: {e.Message}", nameof(objects), e);
            }
        }

        /// <summary>Writes every object of the plan into scratch native memory, as the native store will, and frees it.</summary>
        private static void Encode(WfpPlan plan, WfpPersistence persistence, IWfpNativeEncoder encoder)
        {
            bool persistent = persistence == WfpPersistence.Persistent;
            using var arena = new NativeArena();
            foreach (var d in plan.Objects)
            {
                var o = WfpStoredObject.From(d, plan.ProviderKey, persistent, Array.Empty<byte>());
                if (d.Kind == WfpDescriptionKind.ProviderContext) WfpNativeCodec.WriteProviderContext(o, arena, encoder);
                else if (d.Kind == WfpDescriptionKind.Filter) WfpNativeCodec.WriteFilter(o, arena, encoder);
            }
        }

        private Dictionary<Guid, WfpStoredObject> ReadOurs(Guid providerKey) => WfpApplier.ReadOurs(store, providerKey);

        private static IReadOnlyList<PolicyChange> Changes(WfpPlan plan, WfpApplyResult result, Dictionary<Guid, WfpStoredObject> before)
        {
            var added = new HashSet<Guid>(result.Added);
            var replaced = new HashSet<Guid>(result.Replaced);
            var list = plan.Objects.Select(d => new PolicyChange(
                added.Contains(d.Key) ? PolicyChangeAction.Add : replaced.Contains(d.Key) ? PolicyChangeAction.Replace : PolicyChangeAction.Unchanged,
                d.Kind, d.Key, d.Name)).ToList();
            foreach (var key in result.Removed)
            {
                before.TryGetValue(key, out var o);
                list.Add(new PolicyChange(PolicyChangeAction.Remove, o?.Kind ?? WfpDescriptionKind.Filter, key, o?.Name ?? ""));
            }
            return list;
        }

        private void RequirePlatform(string operation)
        {
            if (store is NativeWfpStore && !WindowsPlatform.IsWindows) throw WindowsPlatform.NotSupported(operation, PlatformHint);
        }
    }
}
