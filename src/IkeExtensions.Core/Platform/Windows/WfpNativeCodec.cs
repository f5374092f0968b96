using System;
using System.Runtime.InteropServices;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// Stored objects to and from the native WFP structs. Pure memory work, so it is tested on any OS by writing a
    /// struct and reading it back; <see cref="NativeWfpStore"/> passes the written pointers to fwpuclnt.dll and reads
    /// what FwpmXxxEnum returns with the same readers.
    /// </summary>
    internal static class WfpNativeCodec
    {
        public const uint FWP_ACTION_PERMIT = 0x1002;

        public static IntPtr WriteProvider(WfpStoredObject o, NativeArena a) => a.Struct(new FWPM_PROVIDER0
        {
            providerKey = o.Key,
            displayData = Display(o, a),
            flags = o.Persistent ? FwpValues.FWPM_PROVIDER_FLAG_PERSISTENT : 0,
            providerData = a.Blob(o.Tag),
        });

        public static IntPtr WriteSublayer(WfpStoredObject o, NativeArena a) => a.Struct(new FWPM_SUBLAYER0
        {
            subLayerKey = o.Key,
            displayData = Display(o, a),
            flags = o.Persistent ? FwpValues.FWPM_SUBLAYER_FLAG_PERSISTENT : 0,
            providerKey = ProviderKey(o, a),
            providerData = a.Blob(o.Tag),
            weight = o.Weight,
        });

        public static IntPtr WriteProviderContext(WfpStoredObject o, NativeArena a, IWfpNativeEncoder? encoder)
        {
            if (encoder == null)
                throw new InvalidOperationException($"provider context '{o.Name}' {{{o.Key}}}: its IKE/IPsec policy needs an IWfpNativeEncoder to be written");
            var native = new FWPM_PROVIDER_CONTEXT1
            {
                providerContextKey = o.Key,
                displayData = Display(o, a),
                flags = o.Persistent ? FwpValues.FWPM_PROVIDER_CONTEXT_FLAG_PERSISTENT : 0,
                providerKey = ProviderKey(o, a),
                providerData = a.Blob(o.Tag),
            };
            encoder.EncodeProviderContext(o, ref native, a);
            return a.Struct(native);
        }

        /// <summary>Without an encoder the filter is the recipes' policy filter: no conditions, automatic weight, PERMIT.</summary>
        public static IntPtr WriteFilter(WfpStoredObject o, NativeArena a, IWfpNativeEncoder? encoder)
        {
            var native = new FWPM_FILTER0
            {
                filterKey = o.Key,
                displayData = Display(o, a),
                flags = o.Persistent ? FwpValues.FWPM_FILTER_FLAG_PERSISTENT : 0,
                providerKey = ProviderKey(o, a),
                providerData = a.Blob(o.Tag),
                layerKey = o.LayerKey,
                subLayerKey = o.SublayerKey,
                weight = new FWP_VALUE0 { type = FwpValues.FWP_EMPTY },
                action = new FWPM_ACTION0 { type = FWP_ACTION_PERMIT },
            };
            encoder?.EncodeFilter(o, ref native, a);
            if (o.ProviderContextKey is Guid context)
            {
                native.flags |= FwpValues.FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT;
                native.u = new FWPM_FILTER0_CONTEXT { providerContextKey = context };
            }
            return a.Struct(native);
        }

        public static WfpStoredObject ReadProvider(IntPtr p)
        {
            var n = Marshal.PtrToStructure<FWPM_PROVIDER0>(p);
            return new WfpStoredObject(WfpDescriptionKind.Provider, n.providerKey, Name(n.displayData), null, Guid.Empty, Guid.Empty, null, 0,
                (n.flags & FwpValues.FWPM_PROVIDER_FLAG_PERSISTENT) != 0, NativeArena.ReadBlob(n.providerData));
        }

        public static WfpStoredObject ReadSublayer(IntPtr p)
        {
            var n = Marshal.PtrToStructure<FWPM_SUBLAYER0>(p);
            return new WfpStoredObject(WfpDescriptionKind.Sublayer, n.subLayerKey, Name(n.displayData), NativeArena.ReadGuid(n.providerKey),
                Guid.Empty, Guid.Empty, null, n.weight, (n.flags & FwpValues.FWPM_SUBLAYER_FLAG_PERSISTENT) != 0, NativeArena.ReadBlob(n.providerData));
        }

        public static WfpStoredObject ReadProviderContext(IntPtr p)
        {
            var n = Marshal.PtrToStructure<FWPM_PROVIDER_CONTEXT1>(p);
            return new WfpStoredObject(WfpDescriptionKind.ProviderContext, n.providerContextKey, Name(n.displayData), NativeArena.ReadGuid(n.providerKey),
                Guid.Empty, Guid.Empty, null, 0, (n.flags & FwpValues.FWPM_PROVIDER_CONTEXT_FLAG_PERSISTENT) != 0, NativeArena.ReadBlob(n.providerData));
        }

        public static WfpStoredObject ReadFilter(IntPtr p)
        {
            var n = Marshal.PtrToStructure<FWPM_FILTER0>(p);
            Guid? context = (n.flags & FwpValues.FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT) != 0 ? n.u.providerContextKey : (Guid?)null;
            return new WfpStoredObject(WfpDescriptionKind.Filter, n.filterKey, Name(n.displayData), NativeArena.ReadGuid(n.providerKey),
                n.layerKey, n.subLayerKey, context, 0, (n.flags & FwpValues.FWPM_FILTER_FLAG_PERSISTENT) != 0, NativeArena.ReadBlob(n.providerData));
        }

        private static FWPM_DISPLAY_DATA0 Display(WfpStoredObject o, NativeArena a) =>
            new FWPM_DISPLAY_DATA0 { name = a.String(o.Name), description = a.String(o.Source?.Description) };

        private static IntPtr ProviderKey(WfpStoredObject o, NativeArena a) => o.ProviderKey is Guid k ? a.Guid(k) : IntPtr.Zero;

        private static string Name(FWPM_DISPLAY_DATA0 d) => NativeArena.ReadString(d.name) ?? "";
    }
}
