using System;
using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Capture
{
    /// <summary>The container format recognised from the first bytes of a file.</summary>
    public enum CaptureFormat
    {
        Unknown = 0,
        /// <summary>Classic libpcap (draft-ietf-opsawg-pcap), either byte order, micro- or nanosecond magic.</summary>
        Pcap,
        /// <summary>pcapng (draft-ietf-opsawg-pcapng).</summary>
        PcapNg,
    }

    /// <summary>One UDP datagram pulled out of a capture.</summary>
    public sealed class CapturedUdpDatagram
    {
        public CapturedUdpDatagram(long frameNumber, DateTimeOffset? timestamp, int interfaceId, int linkType,
            IPEndPoint source, IPEndPoint destination, ReadOnlyMemory<byte> payload)
        {
            FrameNumber = frameNumber;
            Timestamp = timestamp;
            InterfaceId = interfaceId;
            LinkType = linkType;
            Source = source ?? throw new ArgumentNullException(nameof(source));
            Destination = destination ?? throw new ArgumentNullException(nameof(destination));
            Payload = payload;
        }

        /// <summary>1-based index over all packet records of the file (the number Wireshark shows), not just the UDP ones.</summary>
        public long FrameNumber { get; }
        /// <summary>Capture time (UTC), or null when the record has none (pcapng Simple Packet Block) or it is out of range.</summary>
        public DateTimeOffset? Timestamp { get; }
        /// <summary>pcapng interface index within its section; 0 for classic pcap.</summary>
        public int InterfaceId { get; }
        /// <summary>LINKTYPE_* value of the interface the frame was captured on.</summary>
        public int LinkType { get; }
        public IPEndPoint Source { get; }
        public IPEndPoint Destination { get; }
        /// <summary>The UDP payload (a private copy, independent of the input buffer), exactly as long as the UDP length field says.</summary>
        public ReadOnlyMemory<byte> Payload { get; }

        public override string ToString() => $"#{FrameNumber} {Source} -> {Destination} ({Payload.Length} bytes)";
    }

    public enum CaptureErrorKind
    {
        /// <summary>The file starts with neither a pcap magic nor a pcapng Section Header Block.</summary>
        UnknownFormat,
        /// <summary>The file (or a section) header is shorter than the format requires, or has an unsupported version/byte-order mark.</summary>
        BadFileHeader,
        /// <summary>A record or block length is below its header size, not a multiple of 4, beyond the file end, over the limit, or its trailer disagrees.</summary>
        BadRecordLength,
        /// <summary>The file ends in the middle of a record or block.</summary>
        TruncatedFile,
        /// <summary>A packet refers to a pcapng interface that no Interface Description Block defined.</summary>
        UnknownInterface,
        /// <summary>The link-layer type is not one this reader decodes.</summary>
        UnsupportedLinkType,
        /// <summary>A link-layer, IPv4, IPv6 or UDP header is inconsistent or cut short.</summary>
        MalformedPacket,
        /// <summary>The packet was captured with a snap length that cut off part of the UDP datagram.</summary>
        TruncatedPacket,
        /// <summary>An IP fragment; the reader does not reassemble, so its UDP payload is not reported.</summary>
        IpFragment,
        /// <summary>The timestamp (or the interface's if_tsresol) cannot be represented; the datagram is still reported.</summary>
        BadTimestamp,
        /// <summary><see cref="CaptureReadOptions.MaxRecords"/> was reached; the rest of the file was not read.</summary>
        RecordLimitReached,
    }

    /// <summary>A problem found while reading. Fatal errors end parsing (framing is lost); the others only affect one record.</summary>
    public sealed class CaptureError
    {
        public CaptureError(CaptureErrorKind kind, long frameNumber, long offset, bool isFatal, string message)
        {
            Kind = kind;
            FrameNumber = frameNumber;
            Offset = offset;
            IsFatal = isFatal;
            Message = message ?? string.Empty;
        }

        public CaptureErrorKind Kind { get; }
        /// <summary>The frame concerned, or 0 when the error is about the file or a non-packet block.</summary>
        public long FrameNumber { get; }
        /// <summary>Byte offset in the file of the record or block concerned.</summary>
        public long Offset { get; }
        public bool IsFatal { get; }
        public string Message { get; }

        public override string ToString() =>
            (FrameNumber > 0 ? $"frame {FrameNumber}" : $"offset {Offset}") + $": {Kind}{(IsFatal ? " (fatal)" : "")}: {Message}";
    }

    /// <summary>Bounds applied to untrusted captures.</summary>
    public sealed class CaptureReadOptions
    {
        /// <summary>A fresh instance with the default bounds (a new object each time, so no caller can change them for everyone).</summary>
        public static CaptureReadOptions Default => new CaptureReadOptions();

        /// <summary>Packet records (frames) read before stopping with <see cref="CaptureErrorKind.RecordLimitReached"/>.</summary>
        public int MaxRecords { get; set; } = 1_000_000;
        /// <summary>Largest pcap record or pcapng block accepted; larger ones stop parsing.</summary>
        public int MaxRecordLength { get; set; } = 16 * 1024 * 1024;
        /// <summary>Errors kept in <see cref="CaptureReadResult.Errors"/>; later ones are only counted.</summary>
        public int MaxErrors { get; set; } = 1000;
    }

    /// <summary>What <see cref="CaptureFile.ReadUdpDatagrams(ReadOnlySpan{byte}, CaptureReadOptions?)"/> found.</summary>
    public sealed class CaptureReadResult
    {
        internal CaptureReadResult(CaptureFormat format, long frameCount, IReadOnlyList<CapturedUdpDatagram> datagrams,
            IReadOnlyList<CaptureError> errors, int suppressedErrorCount)
        {
            Format = format;
            FrameCount = frameCount;
            Datagrams = datagrams;
            Errors = errors;
            SuppressedErrorCount = suppressedErrorCount;
        }

        public CaptureFormat Format { get; }
        /// <summary>Packet records seen (UDP or not).</summary>
        public long FrameCount { get; }
        public IReadOnlyList<CapturedUdpDatagram> Datagrams { get; }
        public IReadOnlyList<CaptureError> Errors { get; }
        /// <summary>Errors beyond <see cref="CaptureReadOptions.MaxErrors"/>, counted but not kept.</summary>
        public int SuppressedErrorCount { get; }

        /// <summary>True when the whole file was read (no fatal error, no limit reached).</summary>
        public bool IsComplete
        {
            get
            {
                foreach (var e in Errors) if (e.IsFatal) return false;
                return true;
            }
        }
    }
}
