using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwpmtypes.h FWPM_FILTER0: 200 bytes on x64 (action at 128, context union at 152), 152 on x86.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_FILTER0
    {
        public Guid filterKey;
        public FWPM_DISPLAY_DATA0 displayData;
        public uint flags;
        public IntPtr providerKey;
        public FWP_BYTE_BLOB providerData;
        public Guid layerKey;
        public Guid subLayerKey;
        public FWP_VALUE0 weight;
        public uint numFilterConditions;
        public IntPtr filterCondition;
        public FWPM_ACTION0 action;
        public FWPM_FILTER0_CONTEXT u;
        public IntPtr reserved;
        public ulong filterId;
        public FWP_VALUE0 effectiveWeight;
    }

    /// <summary>The filter's context union: rawContext, or providerContextKey when FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT is set.</summary>
    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct FWPM_FILTER0_CONTEXT
    {
        [FieldOffset(0)] public ulong rawContext;
        [FieldOffset(0)] public Guid providerContextKey;
    }

    /// <summary>fwpmtypes.h FWPM_FILTER_ENUM_TEMPLATE0.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_FILTER_ENUM_TEMPLATE0
    {
        public IntPtr providerKey;
        public Guid layerKey;
        public uint enumType;
        public uint flags;
        public IntPtr providerContextTemplate;
        public uint numFilterConditions;
        public IntPtr filterCondition;
        public uint actionMask;
        public IntPtr calloutKey;
    }
}
