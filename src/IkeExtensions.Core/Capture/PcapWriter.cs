using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;

namespace IkeExtensions.Capture
{
    /// <summary>
    /// Writes a classic pcap file (draft-ietf-opsawg-pcap): little-endian, microsecond timestamps, link type 101
    /// (LINKTYPE_RAW, so each record is a bare IPv4 or IPv6 packet and IPv4/IPv6 can be mixed in one file).
    /// <para>
    /// Framing on port 4500: <see cref="WriteUdp"/> writes the payload exactly as given; <see cref="WriteIke"/> takes an
    /// IKE message and prefixes the RFC 3948 §2.2 non-ESP marker when either port is 4500, as a real sender would.
    /// </para>
    /// </summary>
    public sealed class PcapWriter : IDisposable
    {
        public const int LinkTypeRaw = 101;
        /// <summary>Larger than any IPv4 or non-jumbo IPv6 packet, and the value tcpdump uses by default.</summary>
        public const int SnapLength = 262144;

        private readonly Stream _output;
        private readonly bool _leaveOpen;
        private bool _disposed;

        /// <summary>Starts a capture on <paramref name="output"/> by writing the 24-byte file header.</summary>
        public PcapWriter(Stream output, bool leaveOpen = false)
        {
            _output = output ?? throw new ArgumentNullException(nameof(output));
            _leaveOpen = leaveOpen;
            var header = new byte[24];
            BinaryPrimitives.WriteUInt32LittleEndian(header, CaptureFile.PcapMagicMicro);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);  // version 2.4
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
            // thiszone (8) and sigfigs (12) stay 0, as the format asks.
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), SnapLength);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), LinkTypeRaw);
            _output.Write(header, 0, header.Length);
        }

        /// <summary>Writes one UDP datagram whose payload is exactly <paramref name="payload"/>.</summary>
        public void WriteUdp(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload, DateTimeOffset timestamp) =>
            WritePacket(UdpPacketBuilder.Build(source, destination, payload), timestamp);

        /// <summary>Writes an IKE message, adding the non-ESP marker when either port is 4500 (RFC 3948 §2.2).</summary>
        public void WriteIke(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> ikeMessage, DateTimeOffset timestamp)
        {
            if (source is null) throw new ArgumentNullException(nameof(source));
            if (destination is null) throw new ArgumentNullException(nameof(destination));
            bool encapsulated = source.Port == IkeDatagramClassifier.NatTraversalPort || destination.Port == IkeDatagramClassifier.NatTraversalPort;
            WriteUdp(source, destination, encapsulated ? IkeDatagramClassifier.AddNonEspMarker(ikeMessage) : ikeMessage, timestamp);
        }

        /// <summary>Writes a ready-made IPv4/IPv6 packet as one record.</summary>
        public void WritePacket(ReadOnlySpan<byte> ipPacket, DateTimeOffset timestamp)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(PcapWriter));
            if (ipPacket.Length > SnapLength) throw new ArgumentOutOfRangeException(nameof(ipPacket), "packet exceeds the snap length");
            long ticks = (timestamp - Timestamps.UnixEpoch).Ticks;
            long seconds = ticks / TimeSpan.TicksPerSecond;
            if (ticks < 0 || seconds > uint.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(timestamp), "pcap timestamps are unsigned 32-bit seconds since 1970");

            // Record header: seconds, microseconds, captured length, original length (equal: nothing is cut).
            var record = new byte[16 + ipPacket.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)seconds);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(ticks % TimeSpan.TicksPerSecond / 10));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)ipPacket.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)ipPacket.Length);
            ipPacket.CopyTo(record.AsSpan(16));
            _output.Write(record, 0, record.Length);
        }

        /// <summary>The IPv4/IPv6 + UDP packet <see cref="WriteUdp"/> would record, e.g. to send it through a raw socket.</summary>
        public static byte[] BuildUdpPacket(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload) =>
            UdpPacketBuilder.Build(source, destination, payload);

        public void Flush() => _output.Flush();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _output.Flush();
            if (!_leaveOpen) _output.Dispose();
        }
    }
}
