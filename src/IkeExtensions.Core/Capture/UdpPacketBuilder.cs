using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace IkeExtensions.Capture
{
    /// <summary>Builds a complete IPv4 or IPv6 packet carrying one UDP datagram, with correct checksums.</summary>
    internal static class UdpPacketBuilder
    {
        private const byte ProtocolUdp = 17;
        private const byte DefaultTtl = 64;
        public const int Ipv4HeaderLength = 20;
        public const int Ipv6HeaderLength = 40;
        public const int UdpHeaderLength = 8;

        public static byte[] Build(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload)
        {
            if (source is null) throw new ArgumentNullException(nameof(source));
            if (destination is null) throw new ArgumentNullException(nameof(destination));
            if (source.AddressFamily != destination.AddressFamily)
                throw new ArgumentException("source and destination must both be IPv4 or both be IPv6", nameof(destination));
            bool v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
            if (!v6 && source.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException($"unsupported address family {source.AddressFamily}", nameof(source));

            int ipHeader = v6 ? Ipv6HeaderLength : Ipv4HeaderLength;
            // The UDP length field is 16 bits (RFC 768); for IPv4 the total length (RFC 791) is 16 bits too.
            int maxPayload = 0xFFFF - UdpHeaderLength - (v6 ? 0 : Ipv4HeaderLength);
            if (payload.Length > maxPayload)
                throw new ArgumentOutOfRangeException(nameof(payload), $"UDP payload of {payload.Length} bytes exceeds {maxPayload}");

            int udpLength = UdpHeaderLength + payload.Length;
            var packet = new byte[ipHeader + udpLength];
            var span = packet.AsSpan();
            byte[] src = source.Address.GetAddressBytes();
            byte[] dst = destination.Address.GetAddressBytes();

            if (v6)
            {
                // RFC 8200 §3: version 6, traffic class 0, flow label 0; payload length; next header UDP; hop limit.
                span[0] = 0x60;
                BinaryPrimitives.WriteUInt16BigEndian(span.Slice(4), (ushort)udpLength);
                span[6] = ProtocolUdp;
                span[7] = DefaultTtl;
                src.CopyTo(span.Slice(8));
                dst.CopyTo(span.Slice(24));
            }
            else
            {
                // RFC 791 §3.1: version 4, IHL 5 (no options). DF set and identification 0, which RFC 6864 §4.1 allows
                // for atomic (never fragmented) datagrams. The header checksum covers the header only.
                span[0] = 0x45;
                BinaryPrimitives.WriteUInt16BigEndian(span.Slice(2), (ushort)packet.Length);
                BinaryPrimitives.WriteUInt16BigEndian(span.Slice(6), 0x4000);
                span[8] = DefaultTtl;
                span[9] = ProtocolUdp;
                src.CopyTo(span.Slice(12));
                dst.CopyTo(span.Slice(16));
                BinaryPrimitives.WriteUInt16BigEndian(span.Slice(10), InternetChecksum.Complement(InternetChecksum.Add(0, span.Slice(0, Ipv4HeaderLength))));
            }

            var udp = span.Slice(ipHeader);
            BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(2), (ushort)destination.Port);
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(4), (ushort)udpLength);
            payload.CopyTo(udp.Slice(UdpHeaderLength));

            // RFC 768 / RFC 8200 §8.1: the checksum covers a pseudo-header (addresses, protocol, UDP length), the UDP
            // header with a zero checksum field, and the payload. A computed 0 is sent as 0xFFFF, since 0 means "none"
            // (and is forbidden for UDP over IPv6).
            uint sum = InternetChecksum.Add(0, src);
            sum = InternetChecksum.Add(sum, dst);
            sum += ProtocolUdp;
            sum += (uint)udpLength;
            sum = InternetChecksum.Add(sum, udp);
            ushort checksum = InternetChecksum.Complement(sum);
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(6), checksum == 0 ? (ushort)0xFFFF : checksum);
            return packet;
        }
    }

    /// <summary>The ones'-complement sum of 16-bit words (RFC 1071), used by the IPv4 header and UDP checksums.</summary>
    internal static class InternetChecksum
    {
        public static uint Add(uint sum, ReadOnlySpan<byte> data)
        {
            // Fold as we go so that the 32-bit accumulator can never overflow, whatever the data length.
            int i = 0;
            for (; i + 1 < data.Length; i += 2)
                sum = Fold(sum + (uint)((data[i] << 8) | data[i + 1]));
            if (i < data.Length) sum = Fold(sum + (uint)(data[i] << 8)); // odd length: pad with a zero byte
            return sum;
        }

        public static ushort Complement(uint sum) => (ushort)(~Fold(Fold(sum)) & 0xFFFF);

        private static uint Fold(uint sum) => (sum & 0xFFFF) + (sum >> 16);
    }
}
