using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace IkeExtensions.Capture
{
    /// <summary>
    /// pcapng (draft-ietf-opsawg-pcapng). The file is a sequence of blocks: type (4), total length (4), body, total length
    /// again (4) (§3.1). Each Section Header Block starts a section with its own byte order and its own interface list;
    /// packet blocks refer to interfaces by index within the section. Unknown block types are skipped by length (§3.1).
    /// </summary>
    internal static class PcapNgReader
    {
        private const uint SectionHeaderBlock = CaptureFile.PcapNgSectionHeader;
        private const uint InterfaceDescriptionBlock = 1;
        private const uint ObsoletePacketBlock = 2; // Appendix: Packet Block (obsolete) - still written by old tools
        private const uint SimplePacketBlock = 3;
        private const uint EnhancedPacketBlock = 6;
        private const uint ByteOrderMagic = 0x1A2B3C4D;

        private const ushort OptEndOfOpt = 0;
        private const ushort OptIfTsResol = 9;   // §4.2: 1 byte
        private const ushort OptIfTsOffset = 14; // §4.2: 8 bytes, signed seconds added to every timestamp

        private sealed class Interface
        {
            public int LinkType;
            public uint SnapLength;
            public ulong UnitsPerSecond = 1_000_000; // §4.2: if_tsresol absent means microseconds
            public long OffsetSeconds;
        }

        public static void Read(ReadOnlySpan<byte> file, CaptureSink sink)
        {
            var interfaces = new List<Interface>();
            bool bigEndian = false;
            long offset = 0;

            while (offset < file.Length)
            {
                long remaining = file.Length - offset;
                if (remaining < 12)
                {
                    sink.Fatal(CaptureErrorKind.TruncatedFile, offset, $"block header cut short ({remaining} bytes left)");
                    return;
                }
                var head = file.Slice((int)offset);
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(head);

                if (type == SectionHeaderBlock)
                {
                    // §4.1: the byte-order magic right after the length tells us how to read the rest of the section,
                    // including this block's own length field.
                    uint bomLe = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(8));
                    if (bomLe == ByteOrderMagic) bigEndian = false;
                    else if (BinaryPrimitives.ReadUInt32BigEndian(head.Slice(8)) == ByteOrderMagic) bigEndian = true;
                    else
                    {
                        sink.Fatal(CaptureErrorKind.BadFileHeader, offset, "section header block has no valid byte-order magic");
                        return;
                    }
                }
                else
                {
                    type = Endian.U32(head, bigEndian);
                }

                uint length = Endian.U32(head.Slice(4), bigEndian);
                if (!CheckBlockLength(file, sink, offset, length, bigEndian)) return;
                var body = file.Slice((int)offset + 8, (int)length - 12);

                switch (type)
                {
                    case SectionHeaderBlock:
                        if (!ReadSectionHeader(body, bigEndian, sink, offset)) return;
                        interfaces.Clear();
                        break;
                    case InterfaceDescriptionBlock:
                        ReadInterface(body, bigEndian, sink, offset, interfaces);
                        break;
                    case EnhancedPacketBlock:
                    case ObsoletePacketBlock:
                    case SimplePacketBlock:
                        if (!ReadPacket(type, body, bigEndian, sink, offset, interfaces)) return;
                        break;
                    default:
                        break; // NRB, ISB, DSB, custom and unknown blocks carry no packets.
                }
                offset += length;
            }
        }

        private static bool CheckBlockLength(ReadOnlySpan<byte> file, CaptureSink sink, long offset, uint length, bool bigEndian)
        {
            // §3.1: the total length includes the 12 bytes of framing and is a multiple of 4.
            string? problem =
                length < 12 ? $"block length {length} is smaller than the 12-byte block framing"
                : length % 4 != 0 ? $"block length {length} is not a multiple of 4"
                : length > (uint)Math.Max(0, sink.Options.MaxRecordLength) ? $"block length {length} exceeds MaxRecordLength"
                : null;
            if (problem != null)
            {
                sink.Fatal(CaptureErrorKind.BadRecordLength, offset, problem);
                return false;
            }
            if (length > file.Length - offset)
            {
                sink.Fatal(CaptureErrorKind.TruncatedFile, offset, $"block announces {length} bytes, only {file.Length - offset} remain");
                return false;
            }
            uint trailer = Endian.U32(file.Slice((int)(offset + length - 4)), bigEndian);
            if (trailer != length)
            {
                sink.Fatal(CaptureErrorKind.BadRecordLength, offset, $"block length {length} disagrees with its trailing copy {trailer}");
                return false;
            }
            return true;
        }

        private static bool ReadSectionHeader(ReadOnlySpan<byte> body, bool bigEndian, CaptureSink sink, long offset)
        {
            // §4.1 body: byte-order magic (4), major (2), minor (2), section length (8), options.
            if (body.Length < 16)
            {
                sink.Fatal(CaptureErrorKind.BadFileHeader, offset, "section header block too short");
                return false;
            }
            ushort major = Endian.U16(body.Slice(4), bigEndian);
            if (major != 1)
            {
                // §4.1: a reader must not try to parse a section whose major version it does not know.
                sink.Fatal(CaptureErrorKind.BadFileHeader, offset, $"unsupported pcapng major version {major}");
                return false;
            }
            return true;
        }

        private static void ReadInterface(ReadOnlySpan<byte> body, bool bigEndian, CaptureSink sink, long offset, List<Interface> interfaces)
        {
            // §4.2 body: link type (2), reserved (2), snap length (4), options. A short IDB still takes an index so that
            // later packet blocks keep pointing at the right interfaces; its link type is then unknown.
            var iface = new Interface { LinkType = -1 };
            interfaces.Add(iface);
            if (body.Length < 8)
            {
                sink.Error(CaptureErrorKind.MalformedPacket, 0, offset, "interface description block too short");
                return;
            }
            iface.LinkType = Endian.U16(body, bigEndian);
            iface.SnapLength = Endian.U32(body.Slice(4), bigEndian);

            // §3.5 options: code (2), length (2), value padded to 4 bytes; opt_endofopt ends the list.
            var options = body.Slice(8);
            while (options.Length >= 4)
            {
                ushort code = Endian.U16(options, bigEndian);
                int length = Endian.U16(options.Slice(2), bigEndian);
                if (code == OptEndOfOpt) break;
                int padded = (length + 3) & ~3;
                if (padded > options.Length - 4) break; // a bad option ends the list, not the file
                var value = options.Slice(4, length);
                if (code == OptIfTsResol && length == 1)
                {
                    iface.UnitsPerSecond = Timestamps.UnitsPerSecond(value[0]);
                    if (iface.UnitsPerSecond == 0)
                        sink.Error(CaptureErrorKind.BadTimestamp, 0, offset, $"if_tsresol 0x{value[0]:X2} is not representable");
                }
                else if (code == OptIfTsOffset && length == 8)
                {
                    iface.OffsetSeconds = Endian.S64(value, bigEndian);
                }
                options = options.Slice(4 + padded);
            }
        }

        private static bool ReadPacket(uint type, ReadOnlySpan<byte> body, bool bigEndian, CaptureSink sink, long offset, List<Interface> interfaces)
        {
            long frame = sink.NextFrame(offset);
            if (frame == 0) return false;

            int interfaceId;
            uint capturedLength;
            ReadOnlySpan<byte> rest;
            ulong units = 0;
            bool hasTime = type != SimplePacketBlock;

            if (type == SimplePacketBlock)
            {
                // §4.4: original length (4), data. No interface field: always interface 0. The captured length is not
                // stored; it is the smallest of the original length, the interface snap length and the room in the block.
                if (body.Length < 4) { sink.Error(CaptureErrorKind.MalformedPacket, frame, offset, "simple packet block too short"); return true; }
                interfaceId = 0;
                rest = body.Slice(4);
                capturedLength = Math.Min(Endian.U32(body, bigEndian), (uint)rest.Length);
                if (interfaces.Count > 0 && interfaces[0].SnapLength != 0) capturedLength = Math.Min(capturedLength, interfaces[0].SnapLength);
            }
            else
            {
                // §4.3 EPB: interface id (4), timestamp high (4), low (4), captured length (4), original length (4), data.
                // Obsolete PB: interface id (2), drops count (2), then the same fields.
                if (body.Length < 20) { sink.Error(CaptureErrorKind.MalformedPacket, frame, offset, "packet block too short"); return true; }
                interfaceId = type == EnhancedPacketBlock ? (int)Math.Min(Endian.U32(body, bigEndian), int.MaxValue) : Endian.U16(body, bigEndian);
                units = ((ulong)Endian.U32(body.Slice(4), bigEndian) << 32) | Endian.U32(body.Slice(8), bigEndian);
                capturedLength = Endian.U32(body.Slice(12), bigEndian);
                rest = body.Slice(20);
                if (capturedLength > (uint)rest.Length)
                {
                    sink.Error(CaptureErrorKind.MalformedPacket, frame, offset, $"captured length {capturedLength} exceeds the block");
                    return true;
                }
            }

            if (interfaceId >= interfaces.Count)
            {
                sink.Error(CaptureErrorKind.UnknownInterface, frame, offset, $"interface {interfaceId} was not described in this section");
                return true;
            }
            var iface = interfaces[interfaceId];
            DateTimeOffset? timestamp = null;
            if (hasTime)
            {
                timestamp = Timestamps.FromUnits(units, iface.UnitsPerSecond, iface.OffsetSeconds);
                if (timestamp == null) sink.Error(CaptureErrorKind.BadTimestamp, frame, offset, "timestamp cannot be represented");
            }
            FrameDecoder.Decode(sink, frame, offset, interfaceId, iface.LinkType, rest.Slice(0, (int)capturedLength), timestamp);
            return true;
        }
    }
}
