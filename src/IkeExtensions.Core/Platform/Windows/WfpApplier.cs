using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>How long applied objects live: across reboots (PERSISTENT flags) or only while the dynamic session
    /// that added them stays open.</summary>
    public enum WfpPersistence
    {
        Persistent,
        Dynamic,
    }

    /// <summary>What one apply did, by key. <see cref="Changed"/> is false when the plan already matched WFP.</summary>
    public sealed class WfpApplyResult
    {
        internal WfpApplyResult(IReadOnlyList<Guid> added, IReadOnlyList<Guid> replaced, IReadOnlyList<Guid> removed, IReadOnlyList<Guid> unchanged)
        {
            Added = added;
            Replaced = replaced;
            Removed = removed;
            Unchanged = unchanged;
        }

        public IReadOnlyList<Guid> Added { get; }
        public IReadOnlyList<Guid> Replaced { get; }
        public IReadOnlyList<Guid> Removed { get; }
        public IReadOnlyList<Guid> Unchanged { get; }
        public bool Changed => Added.Count + Replaced.Count + Removed.Count > 0;
        public override string ToString() => $"{Added.Count} added, {Replaced.Count} replaced, {Removed.Count} removed, {Unchanged.Count} unchanged";
    }

    /// <summary>
    /// Makes WFP hold exactly a plan's objects, in one transaction: adds what is missing, replaces ours that changed,
    /// removes ours that the plan no longer has (sync), and writes nothing when the plan already matches (idempotent).
    /// "Ours" are the objects whose providerKey is the plan's provider; nothing else is read for the diff or deleted.
    /// Each object carries a fingerprint of its description (providerData), which is how a change is recognised.
    /// Deletes run filters → provider contexts → sublayers → provider and adds the reverse, and replacing a provider
    /// context or sublayer also replaces our filters that reference it, so WFP's reference rules hold at every step.
    /// Any failure aborts the transaction: WFP is left exactly as it was.
    /// </summary>
    public sealed class WfpApplier
    {
        private readonly IWfpStore store;

        public WfpApplier(IWfpStore store) => this.store = store ?? throw new ArgumentNullException(nameof(store));

        public WfpApplyResult Apply(IReadOnlyList<WfpObjectDescription> plan, WfpPersistence persistence)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            var provider = Validate(plan);
            CheckSession(persistence);
            bool persistent = persistence == WfpPersistence.Persistent;
            var desired = plan.ToDictionary(d => d.Key, d => WfpStoredObject.From(d, provider.Key, persistent, Fingerprint(d, provider.Key, persistent)));
            return InTransaction(() =>
            {
                var current = ReadOurs(provider.Key);
                var remove = new HashSet<Guid>(current.Values.Where(c => !desired.TryGetValue(c.Key, out var d) || !Same(c, d)).Select(c => c.Key));
                if (remove.Contains(provider.Key))
                    remove.UnionWith(current.Keys);
                foreach (var f in current.Values.Where(c => c.Kind == WfpDescriptionKind.Filter))
                    if (remove.Contains(f.SublayerKey) || (f.ProviderContextKey is Guid ctx && remove.Contains(ctx)))
                        remove.Add(f.Key);
                var add = plan.Where(d => !current.ContainsKey(d.Key) || remove.Contains(d.Key)).Select(d => d.Key).ToList();
                Delete(current, remove);
                foreach (var kind in AddOrder)
                    foreach (var key in add.Where(k => desired[k].Kind == kind))
                        Add(desired[key]);
                return new WfpApplyResult(
                    add.Where(k => !current.ContainsKey(k)).ToList(),
                    add.Where(k => current.ContainsKey(k)).ToList(),
                    remove.Where(k => !desired.ContainsKey(k)).ToList(),
                    plan.Select(d => d.Key).Where(k => !add.Contains(k)).ToList());
            }, "applying the WFP plan of provider " + Describe(provider));
        }

        /// <summary>Deletes every object of <paramref name="providerKey"/> and the provider itself, in one transaction.</summary>
        public WfpApplyResult Remove(Guid providerKey) => InTransaction(() =>
        {
            var current = ReadOurs(providerKey);
            Delete(current, new HashSet<Guid>(current.Keys));
            return new WfpApplyResult(Array.Empty<Guid>(), Array.Empty<Guid>(), current.Keys.ToList(), Array.Empty<Guid>());
        }, $"removing the WFP objects of provider {{{providerKey}}}");

        /// <summary>SHA-256 over everything the description says plus owner and lifetime: equal exactly when nothing changed.</summary>
        public static byte[] Fingerprint(WfpObjectDescription d, Guid providerKey, bool persistent)
        {
            using var ms = new MemoryStream();
            using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
            {
                w.Write("ikex-wfp-1");
                w.Write((int)d.Kind);
                w.Write(d.Key.ToByteArray());
                w.Write(d.Name);
                w.Write(d.Description ?? "\0");
                w.Write(d.Kind == WfpDescriptionKind.Provider ? Guid.Empty.ToByteArray() : providerKey.ToByteArray());
                w.Write(d.LayerKey.ToByteArray());
                w.Write(d.SublayerKey.ToByteArray());
                w.Write((d.ProviderContextKey ?? Guid.Empty).ToByteArray());
                w.Write(d.Weight);
                w.Write(persistent);
                w.Write(d.Payload.Length);
                w.Write(d.Payload);
            }
            using var sha = SHA256.Create();
            return sha.ComputeHash(ms.ToArray());
        }

        private static readonly WfpDescriptionKind[] AddOrder =
            { WfpDescriptionKind.Provider, WfpDescriptionKind.Sublayer, WfpDescriptionKind.ProviderContext, WfpDescriptionKind.Filter };

        private static readonly WfpDescriptionKind[] DeleteOrder =
            { WfpDescriptionKind.Filter, WfpDescriptionKind.ProviderContext, WfpDescriptionKind.Sublayer, WfpDescriptionKind.Provider };

        private static WfpObjectDescription Validate(IReadOnlyList<WfpObjectDescription> plan)
        {
            var providers = plan.Where(d => d.Kind == WfpDescriptionKind.Provider).ToList();
            if (providers.Count != 1)
                throw new ArgumentException($"a WFP plan needs exactly one provider (it tags the plan's objects); this one has {providers.Count}", nameof(plan));
            var duplicate = plan.GroupBy(d => d.Key).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
                throw new ArgumentException($"WFP object keys must be unique; {{{duplicate.Key}}} is used by {string.Join(" and ", duplicate)}", nameof(plan));
            return providers[0];
        }

        private void CheckSession(WfpPersistence persistence)
        {
            if (persistence == WfpPersistence.Persistent && store.IsDynamicSession)
                throw new InvalidOperationException("persistent WFP objects cannot be added through a dynamic session; open the store without FWPM_SESSION_FLAG_DYNAMIC");
            if (persistence == WfpPersistence.Dynamic && !store.IsDynamicSession)
                throw new InvalidOperationException("dynamic WFP objects need a dynamic session (FWPM_SESSION_FLAG_DYNAMIC): they are deleted when it closes");
        }

        private Dictionary<Guid, WfpStoredObject> ReadOurs(Guid providerKey) => ReadOurs(store, providerKey);

        /// <summary>A provider and every sublayer, provider context and filter it owns, by key (empty when the provider does not exist).</summary>
        internal static Dictionary<Guid, WfpStoredObject> ReadOurs(IWfpStore store, Guid providerKey)
        {
            var result = new Dictionary<Guid, WfpStoredObject>();
            var provider = store.GetProvider(providerKey);
            if (provider == null) return result;
            result[provider.Key] = provider;
            foreach (var o in store.EnumerateSublayers(providerKey).Concat(store.EnumerateProviderContexts(providerKey)).Concat(store.EnumerateFilters(providerKey)))
                result[o.Key] = o;
            return result;
        }

        private void Delete(Dictionary<Guid, WfpStoredObject> current, HashSet<Guid> remove)
        {
            foreach (var kind in DeleteOrder)
                foreach (var o in current.Values.Where(c => c.Kind == kind && remove.Contains(c.Key)).OrderBy(c => c.Key))
                {
                    switch (kind)
                    {
                        case WfpDescriptionKind.Filter: store.DeleteFilter(o.Key); break;
                        case WfpDescriptionKind.ProviderContext: store.DeleteProviderContext(o.Key); break;
                        case WfpDescriptionKind.Sublayer: store.DeleteSublayer(o.Key); break;
                        default: store.DeleteProvider(o.Key); break;
                    }
                }
        }

        private void Add(WfpStoredObject o)
        {
            switch (o.Kind)
            {
                case WfpDescriptionKind.Provider: store.AddProvider(o); break;
                case WfpDescriptionKind.Sublayer: store.AddSublayer(o); break;
                case WfpDescriptionKind.ProviderContext: store.AddProviderContext(o); break;
                default: store.AddFilter(o); break;
            }
        }

        private static bool Same(WfpStoredObject current, WfpStoredObject desired) =>
            current.Kind == desired.Kind && current.Tag.AsSpan().SequenceEqual(desired.Tag);

        private WfpApplyResult InTransaction(Func<WfpApplyResult> body, string what)
        {
            store.BeginTransaction();
            WfpApplyResult result;
            try
            {
                result = body();
            }
            catch (Exception e) when (e is WfpException || e is PlatformNotSupportedException || e is InvalidOperationException)
            {
                TryAbort();
                throw new WfpApplyException($"{what} failed, the transaction was aborted and nothing changed: {e.Message}", e);
            }
            catch
            {
                TryAbort();
                throw;
            }
            if (result.Changed) store.Commit();
            else store.Abort();   // read-only: nothing to write, nothing committed
            return result;
        }

        private void TryAbort()
        {
            try { store.Abort(); }
            catch (WfpException) { }
        }

        private static string Describe(WfpObjectDescription d) => $"'{d.Name}' {{{d.Key}}}";
    }
}
