using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_TRAFFIC0 { ipVersion; union local; union remote; UINT64 authIpFilterId; }.
    /// IPv4 addresses are UINT32 in host byte order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_TRAFFIC0
    {
        public uint ipVersion;
        public LOCAL_ADDRESS_UNION local;
        public REMOTE_ADDRESS_UNION remote;
        public ulong authIpFilterId;
    }

    /// <summary>union { UINT32 localV4Address; UINT8 localV6Address[16]; } (IKEEXT_TRAFFIC0, IPSEC_TRAFFIC1).</summary>
    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct LOCAL_ADDRESS_UNION
    {
        [FieldOffset(0)] public uint localV4Address;
        [FieldOffset(0)] public NativeBytes16 localV6Address;
    }

    /// <summary>union { UINT32 remoteV4Address; UINT8 remoteV6Address[16]; }</summary>
    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct REMOTE_ADDRESS_UNION
    {
        [FieldOffset(0)] public uint remoteV4Address;
        [FieldOffset(0)] public NativeBytes16 remoteV6Address;
    }

    /// <summary>iketypes.h IKEEXT_COOKIE_PAIR0 { IKEEXT_COOKIE initiator; IKEEXT_COOKIE responder; } (UINT64 each).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_COOKIE_PAIR0
    {
        public ulong initiator;
        public ulong responder;
    }

    /// <summary>ipsectypes.h IPSEC_V4_UDP_ENCAPSULATION0 { UINT16 localUdpEncapPort; UINT16 remoteUdpEncapPort; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IPSEC_V4_UDP_ENCAPSULATION0
    {
        public ushort localUdpEncapPort;
        public ushort remoteUdpEncapPort;
    }
}
