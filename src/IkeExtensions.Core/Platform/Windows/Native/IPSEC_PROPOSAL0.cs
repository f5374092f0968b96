using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>ipsectypes.h IPSEC_SA_LIFETIME0 { UINT32 lifetimeSeconds, lifetimeKilobytes, lifetimePackets; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_LIFETIME0
    {
        public uint lifetimeSeconds;
        public uint lifetimeKilobytes;
        public uint lifetimePackets;
    }

    /// <summary>ipsectypes.h IPSEC_AUTH_TRANSFORM_ID0 { IPSEC_AUTH_TYPE authType; IPSEC_AUTH_CONFIG(UINT8) authConfig; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_AUTH_TRANSFORM_ID0
    {
        public uint authType;
        public byte authConfig;
    }

    /// <summary>ipsectypes.h IPSEC_CIPHER_TRANSFORM_ID0 { IPSEC_CIPHER_TYPE cipherType; IPSEC_CIPHER_CONFIG(UINT8) cipherConfig; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_CIPHER_TRANSFORM_ID0
    {
        public uint cipherType;
        public byte cipherConfig;
    }

    /// <summary>ipsectypes.h IPSEC_AUTH_TRANSFORM0 { authTransformId; IPSEC_CRYPTO_MODULE_ID* cryptoModuleId; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_AUTH_TRANSFORM0
    {
        public IPSEC_AUTH_TRANSFORM_ID0 authTransformId;
        public IntPtr cryptoModuleId;
    }

    /// <summary>ipsectypes.h IPSEC_CIPHER_TRANSFORM0 { cipherTransformId; IPSEC_CRYPTO_MODULE_ID* cryptoModuleId; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_CIPHER_TRANSFORM0
    {
        public IPSEC_CIPHER_TRANSFORM_ID0 cipherTransformId;
        public IntPtr cryptoModuleId;
    }

    /// <summary>ipsectypes.h IPSEC_AUTH_AND_CIPHER_TRANSFORM0 { authTransform; cipherTransform; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_AUTH_AND_CIPHER_TRANSFORM0
    {
        public IPSEC_AUTH_TRANSFORM0 authTransform;
        public IPSEC_CIPHER_TRANSFORM0 cipherTransform;
    }

    /// <summary>ipsectypes.h IPSEC_SA_TRANSFORM0 { IPSEC_TRANSFORM_TYPE ipsecTransformType; union { transform pointers }; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_TRANSFORM0
    {
        public uint ipsecTransformType;
        public IPSEC_SA_TRANSFORM0_UNION u;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct IPSEC_SA_TRANSFORM0_UNION
    {
        [FieldOffset(0)] public IntPtr ahTransform;
        [FieldOffset(0)] public IntPtr espAuthTransform;
        [FieldOffset(0)] public IntPtr espCipherTransform;
        [FieldOffset(0)] public IntPtr espAuthAndCipherTransform;
        [FieldOffset(0)] public IntPtr espAuthFwTransform;
    }

    /// <summary>ipsectypes.h IPSEC_PROPOSAL0 { lifetime; UINT32 numSaTransforms; IPSEC_SA_TRANSFORM0* saTransforms; IPSEC_PFS_GROUP pfsGroup; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_PROPOSAL0
    {
        public IPSEC_SA_LIFETIME0 lifetime;
        public uint numSaTransforms;
        public IntPtr saTransforms;
        public uint pfsGroup;
    }

    /// <summary>ipsectypes.h IPSEC_SA_IDLE_TIMEOUT0 { UINT32 idleTimeoutSeconds; UINT32 idleTimeoutSecondsFailOver; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_IDLE_TIMEOUT0
    {
        public uint idleTimeoutSeconds;
        public uint idleTimeoutSecondsFailOver;
    }

    /// <summary>ipsectypes.h IPSEC_TRANSPORT_POLICY1: the quick mode policy behind an IKE/AuthIP QM transport context.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_TRANSPORT_POLICY1
    {
        public uint numIpsecProposals;
        public IntPtr ipsecProposals;
        public uint flags;
        public uint ndAllowClearTimeoutSeconds;
        public IPSEC_SA_IDLE_TIMEOUT0 saIdleTimeout;
        public IntPtr emPolicy;
    }
}
