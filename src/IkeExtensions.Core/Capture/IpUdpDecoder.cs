using System;
using System.Buffers.Binary;
using System.Net;

namespace IkeExtensions.Capture
{
    /// <summary>
    /// IPv4 (RFC 791) and IPv6 (RFC 8200) down to UDP (RFC 768). Checksums are deliberately not verified: captures of
    /// locally sent packets routinely carry unfinished checksums because the NIC computes them after the capture point
    /// (checksum offload), and IKE messages in such packets are perfectly good. Fragments are not reassembled.
    /// </summary>
    internal static class IpUdpDecoder
    {
        private const byte ProtocolUdp = 17;
        private const byte Ipv6HopByHop = 0, Ipv6Routing = 43, Ipv6Fragment = 44, Ipv6DestinationOptions = 60;
        private const int MaxExtensionHeaders = 16;

        internal readonly struct Context
        {
            public Context(CaptureSink sink, long frame, long offset, int interfaceId, int linkType, DateTimeOffset? timestamp)
            {
                Sink = sink; Frame = frame; Offset = offset; InterfaceId = interfaceId; LinkType = linkType; Timestamp = timestamp;
            }

            public CaptureSink Sink { get; }
            public long Frame { get; }
            public long Offset { get; }
            public int InterfaceId { get; }
            public int LinkType { get; }
            public DateTimeOffset? Timestamp { get; }

            public void Error(CaptureErrorKind kind, string message) => Sink.Error(kind, Frame, Offset, message);
        }

        public static void DecodeByVersion(in Context ctx, ReadOnlySpan<byte> packet)
        {
            if (packet.IsEmpty) { ctx.Error(CaptureErrorKind.MalformedPacket, "empty IP packet"); return; }
            switch (packet[0] >> 4)
            {
                case 4: DecodeIpv4(ctx, packet); break;
                case 6: DecodeIpv6(ctx, packet); break;
                default: ctx.Error(CaptureErrorKind.MalformedPacket, $"IP version {packet[0] >> 4} is neither 4 nor 6"); break;
            }
        }

        public static void DecodeIpv4(in Context ctx, ReadOnlySpan<byte> packet)
        {
            // RFC 791 §3.1: version/IHL (1), TOS (1), total length (2), identification (2), flags/fragment offset (2),
            // TTL (1), protocol (1), checksum (2), source (4), destination (4), options (IHL*4 - 20).
            if (packet.Length < 20) { ctx.Error(CaptureErrorKind.MalformedPacket, "IPv4 header cut short"); return; }
            int headerLength = (packet[0] & 0x0F) * 4;
            if ((packet[0] >> 4) != 4 || headerLength < 20 || headerLength > packet.Length)
            {
                ctx.Error(CaptureErrorKind.MalformedPacket, $"bad IPv4 version/IHL byte 0x{packet[0]:X2}");
                return;
            }
            int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
            // Total length 0 appears in captures of TCP/UDP segmentation offload; trust the captured bytes then.
            if (totalLength == 0) totalLength = packet.Length;
            if (totalLength < headerLength)
            {
                ctx.Error(CaptureErrorKind.MalformedPacket, $"IPv4 total length {totalLength} is below the header length {headerLength}");
                return;
            }
            // Anything past the total length is link-layer padding (e.g. Ethernet minimum frame size, FCS); drop it.
            // If the capture was cut (snap length), keep what we have and let the UDP length check report it.
            if (totalLength < packet.Length) packet = packet.Slice(0, totalLength);
            if (packet[9] != ProtocolUdp) return;

            int fragment = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6));
            if ((fragment & 0x3FFF) != 0) // MF flag (0x2000) or a non-zero fragment offset
            {
                ctx.Error(CaptureErrorKind.IpFragment, (fragment & 0x1FFF) == 0
                    ? "first IPv4 fragment of a UDP datagram (not reassembled)"
                    : "non-first IPv4 fragment skipped");
                return;
            }
            var source = new IPAddress(packet.Slice(12, 4).ToArray());
            var destination = new IPAddress(packet.Slice(16, 4).ToArray());
            DecodeUdp(ctx, source, destination, packet.Slice(headerLength));
        }

        public static void DecodeIpv6(in Context ctx, ReadOnlySpan<byte> packet)
        {
            // RFC 8200 §3: version/class/flow (4), payload length (2), next header (1), hop limit (1), source (16), destination (16).
            if (packet.Length < 40 || (packet[0] >> 4) != 6) { ctx.Error(CaptureErrorKind.MalformedPacket, "IPv6 header cut short or wrong version"); return; }
            int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(4));
            var payload = packet.Slice(40);
            // Payload length 0 means a jumbogram (RFC 2675) or segmentation offload; use the captured bytes as with IPv4.
            if (payloadLength != 0 && payloadLength < payload.Length) payload = payload.Slice(0, payloadLength);

            byte next = packet[6];
            for (int count = 0; next != ProtocolUdp; count++)
            {
                if (count >= MaxExtensionHeaders) { ctx.Error(CaptureErrorKind.MalformedPacket, "too many IPv6 extension headers"); return; }
                if (next == Ipv6HopByHop || next == Ipv6Routing || next == Ipv6DestinationOptions)
                {
                    // RFC 8200 §4.3-4.6: next header (1), length in 8-octet units not counting the first 8 (1), data.
                    if (payload.Length < 2) { ctx.Error(CaptureErrorKind.TruncatedPacket, "IPv6 extension header cut short"); return; }
                    int length = (payload[1] + 1) * 8;
                    if (length > payload.Length) { ctx.Error(CaptureErrorKind.TruncatedPacket, "IPv6 extension header cut short"); return; }
                    next = payload[0];
                    payload = payload.Slice(length);
                }
                else if (next == Ipv6Fragment)
                {
                    // RFC 8200 §4.5: next header (1), reserved (1), offset/flags (2), identification (4). Offset 0 with M=0
                    // is an atomic fragment (RFC 6946): the whole datagram is here, so keep going.
                    if (payload.Length < 8) { ctx.Error(CaptureErrorKind.TruncatedPacket, "IPv6 fragment header cut short"); return; }
                    int offsetAndFlags = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2));
                    if ((offsetAndFlags & 0xFFF9) != 0) // fragment offset (upper 13 bits) or M flag (bit 0)
                    {
                        // Every fragment repeats the next header of the fragmentable part, so UDP fragments are recognisable.
                        if (payload[0] == ProtocolUdp)
                            ctx.Error(CaptureErrorKind.IpFragment, (offsetAndFlags & 0xFFF8) == 0
                                ? "first IPv6 fragment of a UDP datagram (not reassembled)"
                                : "non-first IPv6 fragment skipped");
                        return;
                    }
                    next = payload[0];
                    payload = payload.Slice(8);
                }
                else
                {
                    return; // TCP, ICMPv6, ESP, No Next Header (59), ...: not UDP.
                }
            }
            var source = new IPAddress(packet.Slice(8, 16).ToArray());
            var destination = new IPAddress(packet.Slice(24, 16).ToArray());
            DecodeUdp(ctx, source, destination, payload);
        }

        private static void DecodeUdp(in Context ctx, IPAddress source, IPAddress destination, ReadOnlySpan<byte> segment)
        {
            // RFC 768: source port (2), destination port (2), length including this header (2), checksum (2).
            if (segment.Length < 8) { ctx.Error(CaptureErrorKind.TruncatedPacket, "UDP header cut short"); return; }
            int length = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(4));
            if (length < 8)
            {
                ctx.Error(CaptureErrorKind.MalformedPacket, $"UDP length {length} is below the 8-byte header");
                return;
            }
            if (length > segment.Length)
            {
                ctx.Error(CaptureErrorKind.TruncatedPacket, $"UDP length {length} but only {segment.Length} bytes captured");
                return;
            }
            int sourcePort = BinaryPrimitives.ReadUInt16BigEndian(segment);
            int destinationPort = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(2));
            var payload = segment.Slice(8, length - 8).ToArray();
            ctx.Sink.Add(new CapturedUdpDatagram(ctx.Frame, ctx.Timestamp, ctx.InterfaceId, ctx.LinkType,
                new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort), payload));
        }
    }
}
