using System;
using System.Buffers.Binary;

namespace IkeExtensions.Capture
{
    /// <summary>
    /// Classic libpcap files (draft-ietf-opsawg-pcap). Layout: a 24-byte file header, then records of a 16-byte header
    /// (seconds, sub-second fraction, captured length, original length) followed by the captured bytes. All fields are in
    /// the byte order of the magic number.
    /// </summary>
    internal static class ClassicPcapReader
    {
        private const int FileHeaderLength = 24;
        private const int RecordHeaderLength = 16;

        public static void Read(ReadOnlySpan<byte> file, CaptureSink sink)
        {
            if (file.Length < FileHeaderLength)
            {
                sink.Fatal(CaptureErrorKind.BadFileHeader, 0, $"pcap file header needs {FileHeaderLength} bytes, file has {file.Length}");
                return;
            }

            uint magicLe = BinaryPrimitives.ReadUInt32LittleEndian(file);
            bool bigEndian = magicLe != CaptureFile.PcapMagicMicro && magicLe != CaptureFile.PcapMagicNano;
            uint magic = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(file) : magicLe;
            bool nano = magic == CaptureFile.PcapMagicNano;

            ushort major = Endian.U16(file.Slice(4), bigEndian);
            if (major != 2)
            {
                // §4: version 2.4 is current; version 1 files predate the 4-byte original-length field and are not worth supporting.
                sink.Fatal(CaptureErrorKind.BadFileHeader, 4, $"unsupported pcap major version {major}");
                return;
            }

            // §4 "LinkType and additional information": the low 16 bits are the LINKTYPE_ value; bits 26-31 carry
            // FCS information, which we do not need because IP lengths already tell us where the datagram ends.
            int linkType = (int)(Endian.U32(file.Slice(20), bigEndian) & 0xFFFF);

            long offset = FileHeaderLength;
            while (offset < file.Length)
            {
                long remaining = file.Length - offset;
                if (remaining < RecordHeaderLength)
                {
                    sink.Fatal(CaptureErrorKind.TruncatedFile, offset, $"record header cut short ({remaining} of {RecordHeaderLength} bytes)");
                    return;
                }

                var header = file.Slice((int)offset, RecordHeaderLength);
                uint seconds = Endian.U32(header, bigEndian);
                uint fraction = Endian.U32(header.Slice(4), bigEndian);
                uint capturedLength = Endian.U32(header.Slice(8), bigEndian);

                if (capturedLength > (uint)Math.Max(0, sink.Options.MaxRecordLength))
                {
                    sink.Fatal(CaptureErrorKind.BadRecordLength, offset, $"record length {capturedLength} exceeds MaxRecordLength");
                    return;
                }
                if (capturedLength > remaining - RecordHeaderLength)
                {
                    sink.Fatal(CaptureErrorKind.TruncatedFile, offset, $"record announces {capturedLength} bytes, only {remaining - RecordHeaderLength} remain");
                    return;
                }

                long frame = sink.NextFrame(offset);
                if (frame == 0) return;

                // Seconds are unsigned since the Unix epoch; the fraction is micro- or nanoseconds per the magic.
                long ticks = checked(seconds * TimeSpan.TicksPerSecond + (nano ? fraction / 100 : fraction * 10L));
                var timestamp = Timestamps.UnixEpoch.AddTicks(ticks);

                var data = file.Slice((int)offset + RecordHeaderLength, (int)capturedLength);
                FrameDecoder.Decode(sink, frame, offset, 0, linkType, data, timestamp);
                offset += RecordHeaderLength + capturedLength;
            }
        }
    }
}
