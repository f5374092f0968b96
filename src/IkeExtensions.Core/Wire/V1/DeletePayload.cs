using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Wire.V1
{
    /// <summary>IKEv1 Delete payload (RFC 2408 §3.15): DOI, protocol, SPI size and the SPIs being deleted.</summary>
    public sealed class DeletePayload : IkePayload
    {
        public DeletePayload(uint doi, ProtocolId protocolId, byte spiSize, IReadOnlyList<ReadOnlyMemory<byte>> spis) : base(PayloadType.Delete)
        {
            if (spis == null || spis.Count > ushort.MaxValue) throw new ArgumentException("Too many SPIs.", nameof(spis));
            if (spis.Any(s => s.Length != spiSize)) throw new ArgumentException($"Every SPI must be {spiSize} bytes.", nameof(spis));
            if (8 + spiSize * spis.Count > OpaquePayload.MaxBody) throw new ArgumentException("Too many SPIs for one payload.", nameof(spis));
            Doi = doi;
            ProtocolId = protocolId;
            SpiSize = spiSize;
            Spis = spis;
        }

        public uint Doi { get; }
        public ProtocolId ProtocolId { get; }
        /// <summary>16 for an ISAKMP SA (both cookies), 4 for ESP/AH.</summary>
        public byte SpiSize { get; }
        public IReadOnlyList<ReadOnlyMemory<byte>> Spis { get; }

        public override int BodyLength => 8 + SpiSize * Spis.Count;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 8)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Delete, "delete needs DOI, protocol, SPI size and count");
                return false;
            }
            byte spiSize = s[5];
            int count = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(6));
            if (spiSize * count != s.Length - 8)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, offset + 6, PayloadType.Delete,
                    $"{count} SPIs of {spiSize} bytes do not fill the {s.Length - 8} bytes present");
                return false;
            }
            var spis = new ReadOnlyMemory<byte>[count];
            for (int i = 0; i < count; i++) spis[i] = body.Slice(8 + i * spiSize, spiSize);
            payload = new DeletePayload(BinaryPrimitives.ReadUInt32BigEndian(s), (ProtocolId)s[4], spiSize, spis);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt32(Doi);
            w.WriteByte((byte)ProtocolId);
            w.WriteByte(SpiSize);
            w.WriteUInt16((ushort)Spis.Count);
            for (int i = 0; i < Spis.Count; i++) w.WriteBytes(Spis[i].Span);
        }

        public override string ToString() => $"D {ProtocolId} [{string.Join(", ", Spis.Select(s => Hex(s)))}]";
    }
}
