using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_AUTHENTICATION_METHOD1 { IKEEXT_AUTHENTICATION_METHOD_TYPE authenticationMethodType; union {...}; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_AUTHENTICATION_METHOD1
    {
        public uint authenticationMethodType;
        public IKEEXT_AUTHENTICATION_METHOD1_UNION u;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct IKEEXT_AUTHENTICATION_METHOD1_UNION
    {
        [FieldOffset(0)] public IKEEXT_PRESHARED_KEY_AUTHENTICATION1 presharedKeyAuthentication;
        [FieldOffset(0)] public IKEEXT_CERTIFICATE_AUTHENTICATION1 certificateAuthentication;
        [FieldOffset(0)] public IKEEXT_KERBEROS_AUTHENTICATION0 kerberosAuthentication;
        [FieldOffset(0)] public IKEEXT_NTLM_V2_AUTHENTICATION0 ntlmV2Authentication;
        [FieldOffset(0)] public IKEEXT_CERTIFICATE_AUTHENTICATION1 sslAuthentication;
        [FieldOffset(0)] public IKEEXT_IPV6_CGA_AUTHENTICATION0 cgaAuthentication;
        [FieldOffset(0)] public IKEEXT_EAP_AUTHENTICATION0 eapAuthentication;
    }

    /// <summary>iketypes.h IKEEXT_PRESHARED_KEY_AUTHENTICATION1 { FWP_BYTE_BLOB presharedKey; UINT32 flags; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_PRESHARED_KEY_AUTHENTICATION1
    {
        public FWP_BYTE_BLOB presharedKey;
        public uint flags;
    }

    /// <summary>iketypes.h IKEEXT_KERBEROS_AUTHENTICATION0 { UINT32 flags; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_KERBEROS_AUTHENTICATION0
    {
        public uint flags;
    }

    /// <summary>iketypes.h IKEEXT_NTLM_V2_AUTHENTICATION0 { UINT32 flags; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_NTLM_V2_AUTHENTICATION0
    {
        public uint flags;
    }

    /// <summary>iketypes.h IKEEXT_EAP_AUTHENTICATION0 { UINT32 flags; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_EAP_AUTHENTICATION0
    {
        public uint flags;
    }

    /// <summary>iketypes.h IKEEXT_IPV6_CGA_AUTHENTICATION0 (MS-IKEE AUTH_CGA: key container, CSP, modifier, collision count).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_IPV6_CGA_AUTHENTICATION0
    {
        public IntPtr keyContainerName;
        public IntPtr cspName;
        public uint cspType;
        public FWP_BYTE_ARRAY16 cgaModifier;
        public byte cgaCollisionCount;
    }
}
