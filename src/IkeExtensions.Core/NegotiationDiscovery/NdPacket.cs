using System;

namespace IkeExtensions.NegotiationDiscovery
{
    public enum NdDirection : byte
    {
        Outbound = 0,
        Inbound = 1,
    }

    /// <summary>How a packet travels: in clear, or encapsulated by ESP or AH (MS-IKEE 3.7.4.2).</summary>
    public enum NdEncapsulation : byte
    {
        Clear = 0,
        Esp = 1,
        Ah = 2,
    }

    /// <summary>
    /// The selectors of one packet as the host sees it (inbound: after IPsec decapsulation, 3.7.4.2): local and remote
    /// address, IP protocol, and the local/remote TCP/UDP ports or, for ICMP, the type and code. A value type: the packet
    /// path builds one per packet on the stack.
    /// </summary>
    public readonly struct NdPacket
    {
        public NdPacket(NdAddress local, NdAddress remote, byte protocol, ushort localPort = 0, ushort remotePort = 0,
            NdEncapsulation encapsulation = NdEncapsulation.Clear)
        {
            if (local.IsV4 != remote.IsV4) throw new ArgumentException("Local and remote addresses must be of one family.");
            Local = local;
            Remote = remote;
            Protocol = protocol;
            LocalPort = localPort;
            RemotePort = remotePort;
            Encapsulation = encapsulation;
        }

        public static NdPacket Tcp(NdAddress local, NdAddress remote, ushort localPort, ushort remotePort, NdEncapsulation e = NdEncapsulation.Clear) =>
            new NdPacket(local, remote, IpProtocols.Tcp, localPort, remotePort, e);

        public static NdPacket Udp(NdAddress local, NdAddress remote, ushort localPort, ushort remotePort, NdEncapsulation e = NdEncapsulation.Clear) =>
            new NdPacket(local, remote, IpProtocols.Udp, localPort, remotePort, e);

        public static NdPacket Icmp(NdAddress local, NdAddress remote, byte type, byte code, NdEncapsulation e = NdEncapsulation.Clear) =>
            new NdPacket(local, remote, local.IsV4 ? IpProtocols.Icmp : IpProtocols.IcmpV6, type, code, e);

        public NdAddress Local { get; }
        public NdAddress Remote { get; }
        public byte Protocol { get; }
        /// <summary>Local TCP/UDP port, or the ICMP type.</summary>
        public ushort LocalPort { get; }
        /// <summary>Remote TCP/UDP port, or the ICMP code.</summary>
        public ushort RemotePort { get; }
        public NdEncapsulation Encapsulation { get; }
        public bool IsV6 => !Local.IsV4;
        public FlowKind Kind => IpProtocols.KindOf(Protocol, IsV6);

        public NdPacket With(NdEncapsulation e) => new NdPacket(Local, Remote, Protocol, LocalPort, RemotePort, e);

        internal FlowKeyV4 KeyV4()
        {
            var kind = Kind;
            return kind == FlowKind.ProtocolOnly ? new FlowKeyV4(Local.V4, Remote.V4, Protocol, kind, 0, 0)
                : new FlowKeyV4(Local.V4, Remote.V4, Protocol, kind, LocalPort, RemotePort);
        }

        internal FlowKeyV6 KeyV6()
        {
            var kind = Kind;
            return kind == FlowKind.ProtocolOnly ? new FlowKeyV6(Local, Remote, Protocol, kind, 0, 0)
                : new FlowKeyV6(Local, Remote, Protocol, kind, LocalPort, RemotePort);
        }

        public override string ToString()
        {
            string proto = Protocol == IpProtocols.Tcp ? "tcp" : Protocol == IpProtocols.Udp ? "udp" : Protocol == IpProtocols.Icmp ? "icmp" :
                Protocol == IpProtocols.IcmpV6 ? "icmpv6" : "proto " + Protocol;
            string l = Local.IsV4 ? Local.ToString() : "[" + Local + "]";
            string r = Remote.IsV4 ? Remote.ToString() : "[" + Remote + "]";
            return Kind switch
            {
                FlowKind.Ports => $"{proto} {l}:{LocalPort} <-> {r}:{RemotePort}",
                FlowKind.Icmp => $"{proto} {l} <-> {r} type {LocalPort} code {RemotePort}",
                _ => $"{proto} {l} <-> {r}",
            };
        }
    }
}
