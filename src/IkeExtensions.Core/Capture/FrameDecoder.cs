using System;
using System.Buffers.Binary;

namespace IkeExtensions.Capture
{
    /// <summary>
    /// Strips the link-layer header of one captured frame (values from the tcpdump.org LINKTYPE_ registry, mirrored in
    /// draft-ietf-opsawg-pcaplinktype) and hands the IP packet to <see cref="IpUdpDecoder"/>. Frames that are not IP are
    /// skipped silently: they are normal in a capture, not errors.
    /// </summary>
    internal static class FrameDecoder
    {
        public const int LinkTypeNull = 0;        // BSD loopback: 4-byte address family in the capturing host's byte order
        public const int LinkTypeEthernet = 1;
        public const int LinkTypeRawDlt12 = 12;   // DLT_RAW on most BSDs, found in old files instead of 101
        public const int LinkTypeRawDlt14 = 14;   // DLT_RAW on OpenBSD
        public const int LinkTypeRaw = 101;       // raw IPv4/IPv6, version from the first nibble
        public const int LinkTypeLoop = 108;      // OpenBSD loopback: like NULL but the family is in network byte order
        public const int LinkTypeLinuxSll = 113;  // Linux cooked capture v1, 16-byte header
        public const int LinkTypeIpv4 = 228;
        public const int LinkTypeIpv6 = 229;
        public const int LinkTypeLinuxSll2 = 276; // Linux cooked capture v2, 20-byte header

        private const ushort EtherTypeIpv4 = 0x0800;
        private const ushort EtherTypeIpv6 = 0x86DD;
        private const int MaxVlanTags = 8;

        public static void Decode(CaptureSink sink, long frame, long offset, int interfaceId, int linkType, ReadOnlySpan<byte> data, DateTimeOffset? timestamp)
        {
            var ctx = new IpUdpDecoder.Context(sink, frame, offset, interfaceId, linkType, timestamp);
            switch (linkType)
            {
                case LinkTypeRaw:
                case LinkTypeRawDlt12:
                case LinkTypeRawDlt14:
                case LinkTypeIpv4:
                case LinkTypeIpv6:
                    IpUdpDecoder.DecodeByVersion(ctx, data);
                    return;

                case LinkTypeNull:
                case LinkTypeLoop:
                    // The family value for IPv6 differs between operating systems (10, 24, 28, 30, ...) and NULL uses the
                    // writer's host byte order, so the IP version nibble is a more reliable discriminator than the family.
                    if (data.Length < 4) { Short(ctx, "loopback"); return; }
                    IpUdpDecoder.DecodeByVersion(ctx, data.Slice(4));
                    return;

                case LinkTypeEthernet:
                    DecodeEthernet(ctx, data);
                    return;

                case LinkTypeLinuxSll:
                    // SLL: packet type (2), ARPHRD type (2), address length (2), address (8), protocol (2).
                    if (data.Length < 16) { Short(ctx, "Linux SLL"); return; }
                    DecodeEtherType(ctx, BinaryPrimitives.ReadUInt16BigEndian(data.Slice(14)), data.Slice(16));
                    return;

                case LinkTypeLinuxSll2:
                    // SLL2: protocol (2), reserved (2), interface index (4), ARPHRD (2), packet type (1), address length (1), address (8).
                    if (data.Length < 20) { Short(ctx, "Linux SLL2"); return; }
                    DecodeEtherType(ctx, BinaryPrimitives.ReadUInt16BigEndian(data), data.Slice(20));
                    return;

                default:
                    sink.Error(CaptureErrorKind.UnsupportedLinkType, frame, offset, $"link type {linkType} is not supported");
                    return;
            }
        }

        private static void DecodeEthernet(in IpUdpDecoder.Context ctx, ReadOnlySpan<byte> data)
        {
            // IEEE 802.3: destination (6), source (6), EtherType (2). 802.1Q / 802.1ad tags insert 4 bytes each
            // (TPID 0x8100, 0x88A8, or the pre-standard 0x9100) before the real EtherType.
            if (data.Length < 14) { Short(ctx, "Ethernet"); return; }
            int at = 12;
            ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(at));
            for (int tags = 0; etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100; tags++)
            {
                at += 4;
                if (tags >= MaxVlanTags || data.Length < at + 2) { Short(ctx, "VLAN tag"); return; }
                etherType = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(at));
            }
            DecodeEtherType(ctx, etherType, data.Slice(at + 2));
        }

        private static void DecodeEtherType(in IpUdpDecoder.Context ctx, ushort etherType, ReadOnlySpan<byte> payload)
        {
            if (etherType == EtherTypeIpv4) IpUdpDecoder.DecodeIpv4(ctx, payload);
            else if (etherType == EtherTypeIpv6) IpUdpDecoder.DecodeIpv6(ctx, payload);
            // ARP, LLC (length < 0x600) and everything else: not IP, skip.
        }

        private static void Short(in IpUdpDecoder.Context ctx, string what) =>
            ctx.Sink.Error(CaptureErrorKind.MalformedPacket, ctx.Frame, ctx.Offset, $"{what} header cut short");
    }
}
