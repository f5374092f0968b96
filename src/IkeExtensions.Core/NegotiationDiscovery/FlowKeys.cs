using System;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>The kinds of connection entries MS-IKEE 3.1.1 lists (each in a V4 and a V6 form).</summary>
    public enum FlowKind : byte
    {
        /// <summary>TCP/UDP state entry: protocol, source port, destination port.</summary>
        Ports = 0,
        /// <summary>ICMP state entry: protocol, ICMP type, ICMP code (RFC 792; ICMPv6 for V6).</summary>
        Icmp = 1,
        /// <summary>Protocol-only state entry.</summary>
        ProtocolOnly = 2,
    }

    /// <summary>Per-flow state of the flow state table (MS-IKEE 3.7.1).</summary>
    [Flags]
    public enum FlowFlags : byte
    {
        None = 0,
        /// <summary>One or more packets of this flow were sent over (or arrived on) a QM SA; the flow never goes back to clear.</summary>
        Secure = 1,
        /// <summary>Encryption is guaranteed for this flow.</summary>
        GuaranteedEncryption = 2,
        /// <summary>A QM SA negotiation was already triggered for this flow (one Acquire per clear flow).</summary>
        Acquire = 4,
        /// <summary>
        /// Not in the ADM: a renegotiation was triggered because the matching SA's Guaranteed Encryption differs from the
        /// flow's (3.7.4.1); keeps that trigger to one per clear flow as the Acquire flag does for the first one.
        /// </summary>
        Renegotiate = 8,
    }

    /// <summary>Names of the protocols the flow key distinguishes.</summary>
    public static class IpProtocols
    {
        public const byte Icmp = 1;
        public const byte Tcp = 6;
        public const byte Udp = 17;
        public const byte Esp = 50;
        public const byte Ah = 51;
        public const byte IcmpV6 = 58;

        public static FlowKind KindOf(byte protocol, bool v6) =>
            protocol == Tcp || protocol == Udp ? FlowKind.Ports
            : protocol == (v6 ? IcmpV6 : Icmp) ? FlowKind.Icmp
            : FlowKind.ProtocolOnly;
    }

    /// <summary>What the open-addressing flow table needs of a key: value equality and a well-mixed 64-bit hash.</summary>
    public interface IFlowKey<T> : IEquatable<T> where T : struct
    {
        ulong Hash64();
    }

    /// <summary>
    /// V4 connection state entry (MS-IKEE 3.1.1): {IPv4 source, IPv4 destination, IP protocol, source port / ICMP type,
    /// destination port / ICMP code}; protocol-only entries carry zero ports. 16 bytes. The flow is keyed from the host's
    /// side — "source" is the local address for outbound and inbound packets alike — so both directions share one entry.
    /// </summary>
    public readonly struct FlowKeyV4 : IFlowKey<FlowKeyV4>
    {
        public FlowKeyV4(uint local, uint remote, byte protocol, FlowKind kind, ushort first, ushort second)
        {
            Local = local;
            Remote = remote;
            ProtocolAndKind = protocol | ((uint)kind << 8);
            Ports = ((uint)first << 16) | second;
        }

        public uint Local { get; }
        public uint Remote { get; }
        public uint ProtocolAndKind { get; }
        public uint Ports { get; }
        public byte Protocol => unchecked((byte)ProtocolAndKind);
        public FlowKind Kind => (FlowKind)(ProtocolAndKind >> 8);

        public bool Equals(FlowKeyV4 o) => Local == o.Local && Remote == o.Remote && ProtocolAndKind == o.ProtocolAndKind && Ports == o.Ports;
        public override bool Equals(object? obj) => obj is FlowKeyV4 k && Equals(k);
        public override int GetHashCode() => unchecked((int)(Hash64() >> 32));

        public ulong Hash64()
        {
            unchecked
            {
                ulong a = ((ulong)Local << 32 | Remote) * 0x9E3779B97F4A7C15UL;
                ulong b = ((ulong)ProtocolAndKind << 32 | Ports) * 0xC2B2AE3D27D4EB4FUL;
                ulong h = a ^ (b >> 31) ^ b;
                return (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9UL;
            }
        }
    }

    /// <summary>V6 connection state entry (MS-IKEE 3.1.1): the V4 entry with 16-byte addresses. 40 bytes.</summary>
    public readonly struct FlowKeyV6 : IFlowKey<FlowKeyV6>
    {
        public FlowKeyV6(in NdAddress local, in NdAddress remote, byte protocol, FlowKind kind, ushort first, ushort second)
        {
            LocalHigh = local.High;
            LocalLow = local.Low;
            RemoteHigh = remote.High;
            RemoteLow = remote.Low;
            ProtocolAndKind = protocol | ((uint)kind << 8);
            Ports = ((uint)first << 16) | second;
        }

        public ulong LocalHigh { get; }
        public ulong LocalLow { get; }
        public ulong RemoteHigh { get; }
        public ulong RemoteLow { get; }
        public uint ProtocolAndKind { get; }
        public uint Ports { get; }

        public bool Equals(FlowKeyV6 o) => LocalLow == o.LocalLow && RemoteLow == o.RemoteLow && LocalHigh == o.LocalHigh && RemoteHigh == o.RemoteHigh &&
                                           ProtocolAndKind == o.ProtocolAndKind && Ports == o.Ports;
        public override bool Equals(object? obj) => obj is FlowKeyV6 k && Equals(k);
        public override int GetHashCode() => unchecked((int)(Hash64() >> 32));

        public ulong Hash64()
        {
            unchecked
            {
                ulong h = LocalHigh * 0x9E3779B97F4A7C15UL;
                h = (h ^ (h >> 31) ^ LocalLow) * 0xC2B2AE3D27D4EB4FUL;
                h = (h ^ (h >> 29) ^ RemoteHigh) * 0x9E3779B97F4A7C15UL;
                h = (h ^ (h >> 31) ^ RemoteLow) * 0xC2B2AE3D27D4EB4FUL;
                h = (h ^ (h >> 29) ^ ((ulong)ProtocolAndKind << 32 | Ports)) * 0xBF58476D1CE4E5B9UL;
                return h ^ (h >> 32);
            }
        }
    }
}
