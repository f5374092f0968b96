using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_CREDENTIALS1 { UINT32 numCredentials; IKEEXT_CREDENTIAL_PAIR1* credentials; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CREDENTIALS1
    {
        public uint numCredentials;
        public IntPtr credentials;
    }

    /// <summary>iketypes.h IKEEXT_CREDENTIAL_PAIR1 { IKEEXT_CREDENTIAL1 localCredentials; IKEEXT_CREDENTIAL1 peerCredentials; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CREDENTIAL_PAIR1
    {
        public IKEEXT_CREDENTIAL1 localCredentials;
        public IKEEXT_CREDENTIAL1 peerCredentials;
    }

    /// <summary>iketypes.h IKEEXT_CREDENTIAL1 { authenticationMethodType; impersonationType; union { presharedKey*; certificate*; name*; }; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CREDENTIAL1
    {
        public uint authenticationMethodType;
        public uint impersonationType;
        public IKEEXT_CREDENTIAL1_UNION u;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct IKEEXT_CREDENTIAL1_UNION
    {
        [FieldOffset(0)] public IntPtr presharedKey;
        [FieldOffset(0)] public IntPtr certificate;
        [FieldOffset(0)] public IntPtr name;
    }

    /// <summary>iketypes.h IKEEXT_CERTIFICATE_CREDENTIAL1 { subjectName; certHash; UINT32 flags; certificate; } (byte blobs).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CERTIFICATE_CREDENTIAL1
    {
        public FWP_BYTE_BLOB subjectName;
        public FWP_BYTE_BLOB certHash;
        public uint flags;
        public FWP_BYTE_BLOB certificate;
    }

    /// <summary>iketypes.h IKEEXT_NAME_CREDENTIAL0 { wchar_t* principalName; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_NAME_CREDENTIAL0
    {
        public IntPtr principalName;
    }
}
