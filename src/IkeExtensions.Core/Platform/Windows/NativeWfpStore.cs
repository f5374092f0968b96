using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// <see cref="IWfpStore"/> over fwpuclnt.dll. The engine session opens on first use; off Windows every operation
    /// throws <see cref="PlatformNotSupportedException"/> naming WFP and the host OS, never doing nothing silently.
    /// Needs an elevated process (BFE refuses management calls otherwise: ERROR_ACCESS_DENIED).
    /// </summary>
    public sealed class NativeWfpStore : IWfpStore
    {
        private const uint EnumBatch = 256;
        private readonly IWfpNativeEncoder? encoder;
        private readonly string sessionName;
        private WfpEngineHandle? engine;

        public NativeWfpStore(bool dynamicSession = false, IWfpNativeEncoder? encoder = null, string sessionName = "IkeExtensions")
        {
            IsDynamicSession = dynamicSession;
            this.encoder = encoder;
            this.sessionName = sessionName;
        }

        public bool IsDynamicSession { get; }

        public void BeginTransaction() => WfpEngine.Check(FwpUclnt.FwpmTransactionBegin0(Engine("FwpmTransactionBegin0"), 0), "FwpmTransactionBegin0");
        public void Commit() => WfpEngine.Check(FwpUclnt.FwpmTransactionCommit0(Engine("FwpmTransactionCommit0")), "FwpmTransactionCommit0");
        public void Abort() => WfpEngine.Check(FwpUclnt.FwpmTransactionAbort0(Engine("FwpmTransactionAbort0")), "FwpmTransactionAbort0");

        public void AddProvider(WfpStoredObject provider)
        {
            IntPtr e = Engine("FwpmProviderAdd0");
            using var a = new NativeArena();
            Check(FwpUclnt.FwpmProviderAdd0(e, WfpNativeCodec.WriteProvider(provider, a), IntPtr.Zero), "FwpmProviderAdd0", provider);
        }

        public void AddSublayer(WfpStoredObject sublayer)
        {
            IntPtr e = Engine("FwpmSubLayerAdd0");
            using var a = new NativeArena();
            Check(FwpUclnt.FwpmSubLayerAdd0(e, WfpNativeCodec.WriteSublayer(sublayer, a), IntPtr.Zero), "FwpmSubLayerAdd0", sublayer);
        }

        public void AddProviderContext(WfpStoredObject providerContext)
        {
            IntPtr e = Engine("FwpmProviderContextAdd1");
            using var a = new NativeArena();
            Check(FwpUclnt.FwpmProviderContextAdd1(e, WfpNativeCodec.WriteProviderContext(providerContext, a, encoder), IntPtr.Zero, out _),
                "FwpmProviderContextAdd1", providerContext);
        }

        public void AddFilter(WfpStoredObject filter)
        {
            IntPtr e = Engine("FwpmFilterAdd0");
            using var a = new NativeArena();
            Check(FwpUclnt.FwpmFilterAdd0(e, WfpNativeCodec.WriteFilter(filter, a, encoder), IntPtr.Zero, out _), "FwpmFilterAdd0", filter);
        }

        public WfpStoredObject? GetProvider(Guid key)
        {
            IntPtr e = Engine("FwpmProviderGetByKey0");
            uint rc = FwpUclnt.FwpmProviderGetByKey0(e, ref key, out IntPtr p);
            if (rc == FwpErrors.FWP_E_PROVIDER_NOT_FOUND) return null;
            WfpEngine.Check(rc, "FwpmProviderGetByKey0");
            using var memory = new WfpMemory(p);
            return WfpNativeCodec.ReadProvider(memory.Pointer);
        }

        public IReadOnlyList<WfpStoredObject> EnumerateProviders() =>
            Enumerate(WfpEnumKind.Provider, null, WfpNativeCodec.ReadProvider);

        public IReadOnlyList<WfpStoredObject> EnumerateSublayers(Guid providerKey) =>
            Enumerate(WfpEnumKind.SubLayer, providerKey, WfpNativeCodec.ReadSublayer);

        public IReadOnlyList<WfpStoredObject> EnumerateProviderContexts(Guid providerKey) =>
            Enumerate(WfpEnumKind.ProviderContext, providerKey, WfpNativeCodec.ReadProviderContext);

        public IReadOnlyList<WfpStoredObject> EnumerateFilters(Guid providerKey) =>
            Enumerate(WfpEnumKind.Filter, providerKey, WfpNativeCodec.ReadFilter);

        public void DeleteProvider(Guid key) => WfpEngine.Check(FwpUclnt.FwpmProviderDeleteByKey0(Engine("FwpmProviderDeleteByKey0"), ref key), $"FwpmProviderDeleteByKey0 {{{key}}}");
        public void DeleteSublayer(Guid key) => WfpEngine.Check(FwpUclnt.FwpmSubLayerDeleteByKey0(Engine("FwpmSubLayerDeleteByKey0"), ref key), $"FwpmSubLayerDeleteByKey0 {{{key}}}");
        public void DeleteProviderContext(Guid key) => WfpEngine.Check(FwpUclnt.FwpmProviderContextDeleteByKey0(Engine("FwpmProviderContextDeleteByKey0"), ref key), $"FwpmProviderContextDeleteByKey0 {{{key}}}");
        public void DeleteFilter(Guid key) => WfpEngine.Check(FwpUclnt.FwpmFilterDeleteByKey0(Engine("FwpmFilterDeleteByKey0"), ref key), $"FwpmFilterDeleteByKey0 {{{key}}}");

        public void Dispose()
        {
            engine?.Dispose();
            engine = null;
        }

        /// <summary>
        /// Enumerates every object of a kind and keeps those of <paramref name="providerKey"/> (the sublayer template
        /// filters by provider in BFE; filters and contexts are filtered here, which also covers every layer at once).
        /// </summary>
        private List<WfpStoredObject> Enumerate(WfpEnumKind kind, Guid? providerKey, Func<IntPtr, WfpStoredObject> read)
        {
            IntPtr e = Engine("enumerating WFP objects");
            var result = new List<WfpStoredObject>();
            using var a = new NativeArena();
            IntPtr template = kind == WfpEnumKind.SubLayer && providerKey is Guid pk ? a.Struct(new FWPM_SUBLAYER_ENUM_TEMPLATE0 { providerKey = a.Guid(pk) }) : IntPtr.Zero;
            uint rc;
            IntPtr raw;
            switch (kind)
            {
                case WfpEnumKind.SubLayer: rc = FwpUclnt.FwpmSubLayerCreateEnumHandle0(e, template, out raw); break;
                case WfpEnumKind.ProviderContext: rc = FwpUclnt.FwpmProviderContextCreateEnumHandle0(e, template, out raw); break;
                case WfpEnumKind.Provider: rc = FwpUclnt.FwpmProviderCreateEnumHandle0(e, template, out raw); break;
                default: rc = FwpUclnt.FwpmFilterCreateEnumHandle0(e, template, out raw); break;
            }
            WfpEngine.Check(rc, kind + " CreateEnumHandle");
            using var handle = new WfpEnumHandle(engine!, kind, raw);
            while (true)
            {
                IntPtr entries;
                uint count;
                switch (kind)
                {
                    case WfpEnumKind.SubLayer: rc = FwpUclnt.FwpmSubLayerEnum0(e, handle.DangerousGetHandle(), EnumBatch, out entries, out count); break;
                    case WfpEnumKind.ProviderContext: rc = FwpUclnt.FwpmProviderContextEnum1(e, handle.DangerousGetHandle(), EnumBatch, out entries, out count); break;
                    case WfpEnumKind.Provider: rc = FwpUclnt.FwpmProviderEnum0(e, handle.DangerousGetHandle(), EnumBatch, out entries, out count); break;
                    default: rc = FwpUclnt.FwpmFilterEnum0(e, handle.DangerousGetHandle(), EnumBatch, out entries, out count); break;
                }
                WfpEngine.Check(rc, kind + " Enum");
                using (var memory = new WfpMemory(entries))
                {
                    for (int i = 0; i < count; i++)
                    {
                        var o = read(Marshal.ReadIntPtr(entries, i * IntPtr.Size));
                        if (providerKey == null || o.ProviderKey == providerKey) result.Add(o);
                    }
                }
                if (count < EnumBatch) break;
            }
            return result;
        }

        private IntPtr Engine(string operation)
        {
            if (!WindowsPlatform.IsWindows) throw WindowsPlatform.NotSupported(operation);
            engine ??= WfpEngine.Open(IsDynamicSession, sessionName);
            return engine.DangerousGetHandle();
        }

        private static void Check(uint rc, string call, WfpStoredObject o)
        {
            if (rc != 0) throw new WfpException(rc, $"{call} of {o.Kind} '{o.Name}' {{{o.Key}}} failed");
        }
    }
}
