using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>ipsectypes.h IPSEC_SA_CONTEXT1 { UINT64 saContextId; IPSEC_SA_DETAILS1* inboundSa; IPSEC_SA_DETAILS1* outboundSa; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_CONTEXT1
    {
        public ulong saContextId;
        public IntPtr inboundSa;
        public IntPtr outboundSa;
    }

    /// <summary>ipsectypes.h IPSEC_SA_CONTEXT_ENUM_TEMPLATE0 { FWP_CONDITION_VALUE0 localSubNet; FWP_CONDITION_VALUE0 remoteSubNet; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_CONTEXT_ENUM_TEMPLATE0
    {
        public FWP_CONDITION_VALUE0 localSubNet;
        public FWP_CONDITION_VALUE0 remoteSubNet;
    }

    /// <summary>ipsectypes.h IPSEC_SA_DETAILS1. The SDK embeds virtualIfTunnelInfo by value
    /// (https://learn.microsoft.com/windows/win32/api/ipsectypes/ns-ipsectypes-ipsec_sa_details1); MinGW's header
    /// declares a pointer there, so the oracle compiles the SDK declaration.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_DETAILS1
    {
        public uint ipVersion;
        public uint saDirection;
        public IPSEC_TRAFFIC1 traffic;
        public IPSEC_SA_BUNDLE1 saBundle;
        /// <summary>union { IPSEC_V4_UDP_ENCAPSULATION0* udpEncapsulation; }</summary>
        public IntPtr udpEncapsulation;
        public IntPtr transportFilter;
        public IPSEC_VIRTUAL_IF_TUNNEL_INFO0 virtualIfTunnelInfo;
    }

    /// <summary>ipsectypes.h IPSEC_VIRTUAL_IF_TUNNEL_INFO0 { UINT64 virtualIfTunnelId; UINT64 trafficSelectorId; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_VIRTUAL_IF_TUNNEL_INFO0
    {
        public ulong virtualIfTunnelId;
        public ulong trafficSelectorId;
    }

    /// <summary>ipsectypes.h IPSEC_TRAFFIC1: the traffic an SA protects.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_TRAFFIC1
    {
        public uint ipVersion;
        public LOCAL_ADDRESS_UNION local;
        public REMOTE_ADDRESS_UNION remote;
        public uint trafficType;
        /// <summary>union { UINT64 ipsecFilterId; UINT64 tunnelPolicyId; }</summary>
        public ulong ipsecFilterId;
        public ushort remotePort;
        public ushort localPort;
        public byte ipProtocol;
        public ulong localIfLuid;
        public uint realIfProfileId;
    }

    /// <summary>ipsectypes.h IPSEC_SA_BUNDLE1: the SAs of one direction with their shared parameters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA_BUNDLE1
    {
        public uint flags;
        public IPSEC_SA_LIFETIME0 lifetime;
        public uint idleTimeoutSeconds;
        public uint ndAllowClearTimeoutSeconds;
        public IntPtr ipsecId;
        public uint napContext;
        public uint qmSaId;
        public uint numSAs;
        public IntPtr saList;
        public IntPtr keyModuleState;
        public uint ipVersion;
        /// <summary>union { UINT32 peerV4PrivateAddress; }</summary>
        public uint peerV4PrivateAddress;
        public ulong mmSaId;
        public uint pfsGroup;
        public Guid saLookupContext;
        public ulong qmFilterId;
    }

    /// <summary>ipsectypes.h IPSEC_SA0 { IPSEC_SA_SPI spi; IPSEC_TRANSFORM_TYPE saTransformType; union { key-information pointers }; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_SA0
    {
        public uint spi;
        public uint saTransformType;
        public IPSEC_SA0_UNION u;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct IPSEC_SA0_UNION
    {
        [FieldOffset(0)] public IntPtr ahInformation;
        [FieldOffset(0)] public IntPtr espAuthInformation;
        [FieldOffset(0)] public IntPtr espCipherInformation;
        [FieldOffset(0)] public IntPtr espAuthAndCipherInformation;
        [FieldOffset(0)] public IntPtr espAuthFwInformation;
    }
}
