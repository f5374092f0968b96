using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwpmtypes.h FWPM_ACTION0 { FWP_ACTION_TYPE type; union { GUID filterType; GUID calloutKey; }; }: 20 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_ACTION0
    {
        public uint type;
        public FWPM_ACTION0_UNION u;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct FWPM_ACTION0_UNION
    {
        [FieldOffset(0)] public Guid filterType;
        [FieldOffset(0)] public Guid calloutKey;
    }
}
