using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_SA_DETAILS1: one main mode SA as IkeextSaEnum1 returns it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_SA_DETAILS1
    {
        public ulong saId;
        public uint keyModuleType;
        public uint ipVersion;
        /// <summary>union { IPSEC_V4_UDP_ENCAPSULATION0* v4UdpEncapsulation; }: non-null when the SA floated to UDP 4500 (IPv4 only).</summary>
        public IntPtr v4UdpEncapsulation;
        public IKEEXT_TRAFFIC0 ikeTraffic;
        public IKEEXT_PROPOSAL0 ikeProposal;
        public IKEEXT_COOKIE_PAIR0 cookiePair;
        public IKEEXT_CREDENTIALS1 ikeCredentials;
        public Guid ikePolicyKey;
        public ulong virtualIfTunnelId;
        public FWP_BYTE_BLOB correlationKey;
    }

    /// <summary>iketypes.h IKEEXT_SA_ENUM_TEMPLATE0 { FWP_CONDITION_VALUE0 localSubNet, remoteSubNet; FWP_BYTE_BLOB localMainModeCertHash; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_SA_ENUM_TEMPLATE0
    {
        public FWP_CONDITION_VALUE0 localSubNet;
        public FWP_CONDITION_VALUE0 remoteSubNet;
        public FWP_BYTE_BLOB localMainModeCertHash;
    }
}
