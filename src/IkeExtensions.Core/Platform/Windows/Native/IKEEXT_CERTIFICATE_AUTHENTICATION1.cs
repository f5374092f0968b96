using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_CERTIFICATE_AUTHENTICATION1: inbound and outbound trust configuration, each a union of
    /// an explicit root array {count, pointer} and store-config pointers.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CERTIFICATE_AUTHENTICATION1
    {
        public uint inboundConfigType;
        public IKEEXT_CERT_INBOUND_CONFIG inbound;
        public uint outboundConfigType;
        public IKEEXT_CERT_OUTBOUND_CONFIG outbound;
        public uint flags;
        public FWP_BYTE_BLOB localCertLocationUrl;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct IKEEXT_CERT_INBOUND_CONFIG
    {
        [FieldOffset(0)] public IKEEXT_CERT_INBOUND_ROOT_ARRAY rootArray;
        [FieldOffset(0)] public IntPtr inboundEnterpriseStoreConfig;
        [FieldOffset(0)] public IntPtr inboundTrustedRootStoreConfig;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CERT_INBOUND_ROOT_ARRAY
    {
        public uint inboundRootArraySize;
        public IntPtr inboundRootArray;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct IKEEXT_CERT_OUTBOUND_CONFIG
    {
        [FieldOffset(0)] public IKEEXT_CERT_OUTBOUND_ROOT_ARRAY rootArray;
        [FieldOffset(0)] public IntPtr outboundEnterpriseStoreConfig;
        [FieldOffset(0)] public IntPtr outboundTrustedRootStoreConfig;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CERT_OUTBOUND_ROOT_ARRAY
    {
        public uint outboundRootArraySize;
        public IntPtr outboundRootArray;
    }

    /// <summary>iketypes.h IKEEXT_CERT_ROOT_CONFIG0 { FWP_BYTE_BLOB certData; UINT32 flags; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CERT_ROOT_CONFIG0
    {
        public FWP_BYTE_BLOB certData;
        public uint flags;
    }
}
