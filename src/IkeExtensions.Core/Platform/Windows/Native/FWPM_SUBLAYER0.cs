using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwpmtypes.h FWPM_SUBLAYER0. The SDK declares <c>UINT32 flags</c>; MinGW's header says UINT16
    /// (same offsets either way); the oracle compiles the SDK declaration.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_SUBLAYER0
    {
        public Guid subLayerKey;
        public FWPM_DISPLAY_DATA0 displayData;
        public uint flags;
        public IntPtr providerKey;
        public FWP_BYTE_BLOB providerData;
        public ushort weight;
    }

    /// <summary>fwpmtypes.h FWPM_SUBLAYER_ENUM_TEMPLATE0 { GUID* providerKey; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_SUBLAYER_ENUM_TEMPLATE0
    {
        public IntPtr providerKey;
    }
}
