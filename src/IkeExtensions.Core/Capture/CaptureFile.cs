using System;
using System.Buffers.Binary;

namespace IkeExtensions.Capture
{
    /// <summary>
    /// Reads UDP datagrams out of classic pcap and pcapng files held in memory. The input is untrusted: nothing in here
    /// throws on bad bytes; problems come back as <see cref="CaptureError"/>s and parsing always terminates, because
    /// every loop iteration consumes at least one record header and the record count is bounded.
    /// </summary>
    public static class CaptureFile
    {
        // draft-ietf-opsawg-pcap §4: magic 0xA1B2C3D4 (microsecond) or 0xA1B23C4D (nanosecond), in the writer's byte order.
        internal const uint PcapMagicMicro = 0xA1B2C3D4;
        internal const uint PcapMagicNano = 0xA1B23C4D;
        // draft-ietf-opsawg-pcapng §4.1: the SHB type is a palindrome so it reads the same in both byte orders.
        internal const uint PcapNgSectionHeader = 0x0A0D0D0A;

        /// <summary>Recognises a capture file by its first four bytes (for the CLI: capture file or hex text?).</summary>
        public static CaptureFormat DetectFormat(ReadOnlySpan<byte> file)
        {
            if (file.Length < 4) return CaptureFormat.Unknown;
            uint le = BinaryPrimitives.ReadUInt32LittleEndian(file);
            uint be = BinaryPrimitives.ReadUInt32BigEndian(file);
            if (le == PcapNgSectionHeader) return CaptureFormat.PcapNg;
            if (le == PcapMagicMicro || le == PcapMagicNano || be == PcapMagicMicro || be == PcapMagicNano) return CaptureFormat.Pcap;
            return CaptureFormat.Unknown;
        }

        public static CaptureReadResult ReadUdpDatagrams(byte[] file, CaptureReadOptions? options = null)
        {
            if (file is null) throw new ArgumentNullException(nameof(file));
            return ReadUdpDatagrams(new ReadOnlySpan<byte>(file), options);
        }

        /// <summary>Reads every UDP datagram (over IPv4 or IPv6) in the capture, with per-record errors for what could not be read.</summary>
        public static CaptureReadResult ReadUdpDatagrams(ReadOnlySpan<byte> file, CaptureReadOptions? options = null)
        {
            var sink = new CaptureSink(options ?? CaptureReadOptions.Default);
            var format = DetectFormat(file);
            switch (format)
            {
                case CaptureFormat.Pcap:
                    ClassicPcapReader.Read(file, sink);
                    break;
                case CaptureFormat.PcapNg:
                    PcapNgReader.Read(file, sink);
                    break;
                default:
                    sink.Fatal(CaptureErrorKind.UnknownFormat, 0, "not a pcap or pcapng file (unrecognised magic number)");
                    break;
            }
            return sink.ToResult(format);
        }
    }
}
