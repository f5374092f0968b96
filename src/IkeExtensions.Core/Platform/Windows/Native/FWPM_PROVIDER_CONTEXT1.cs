using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwpmtypes.h FWPM_PROVIDER_CONTEXT1 (Windows 7+: IKEEXT_POLICY1 / IPSEC_TRANSPORT_POLICY1 behind the
    /// union). The union holds one pointer whichever member the type selects, so it is declared as a single pointer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_PROVIDER_CONTEXT1
    {
        public Guid providerContextKey;
        public FWPM_DISPLAY_DATA0 displayData;
        public uint flags;
        public IntPtr providerKey;
        public FWP_BYTE_BLOB providerData;
        public uint type;
        public FWPM_PROVIDER_CONTEXT_UNION u;
        public ulong providerContextId;
    }

    /// <summary>fwpmtypes.h FWPM_PROVIDER_CONTEXT0: the same layout, version-0 policies behind the union.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_PROVIDER_CONTEXT0
    {
        public Guid providerContextKey;
        public FWPM_DISPLAY_DATA0 displayData;
        public uint flags;
        public IntPtr providerKey;
        public FWP_BYTE_BLOB providerData;
        public uint type;
        public FWPM_PROVIDER_CONTEXT_UNION u;
        public ulong providerContextId;
    }

    /// <summary>The policy-pointer union of FWPM_PROVIDER_CONTEXT0/1 (members common to both versions).</summary>
    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct FWPM_PROVIDER_CONTEXT_UNION
    {
        [FieldOffset(0)] public IntPtr keyingPolicy;
        [FieldOffset(0)] public IntPtr ikeQmTransportPolicy;
        [FieldOffset(0)] public IntPtr ikeQmTunnelPolicy;
        [FieldOffset(0)] public IntPtr authipQmTransportPolicy;
        [FieldOffset(0)] public IntPtr authipQmTunnelPolicy;
        [FieldOffset(0)] public IntPtr ikeMmPolicy;
        [FieldOffset(0)] public IntPtr authIpMmPolicy;
        [FieldOffset(0)] public IntPtr dataBuffer;
        [FieldOffset(0)] public IntPtr classifyOptions;
    }

    /// <summary>fwpmtypes.h FWPM_PROVIDER_CONTEXT_ENUM_TEMPLATE0 { GUID* providerKey; FWPM_PROVIDER_CONTEXT_TYPE providerContextType; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_PROVIDER_CONTEXT_ENUM_TEMPLATE0
    {
        public IntPtr providerKey;
        public uint providerContextType;
    }
}
