using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 Delete payload (RFC 7296 §3.11): protocol, SPI size, count, SPIs (none for the IKE SA).</summary>
    public sealed class DeletePayload : IkePayload
    {
        public DeletePayload(ProtocolIdV2 protocolId, byte spiSize, IReadOnlyList<ReadOnlyMemory<byte>> spis) : base(PayloadType.DeleteV2)
        {
            if (spis == null || spis.Count > ushort.MaxValue || spis.Any(s => s.Length != spiSize) || 4 + spiSize * spis.Count > OpaquePayload.MaxBody)
                throw new ArgumentException($"SPIs must each be {spiSize} bytes and fit one payload.", nameof(spis));
            ProtocolId = protocolId;
            SpiSize = spiSize;
            Spis = spis;
        }

        public ProtocolIdV2 ProtocolId { get; }
        public byte SpiSize { get; }
        public IReadOnlyList<ReadOnlyMemory<byte>> Spis { get; }
        public override int BodyLength => 4 + SpiSize * Spis.Count;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.DeleteV2, "delete needs protocol, SPI size and count");
                return false;
            }
            byte spiSize = s[1];
            int count = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(2));
            if (spiSize * count != s.Length - 4)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, offset + 2, PayloadType.DeleteV2, $"{count} SPIs of {spiSize} bytes do not fill {s.Length - 4} bytes");
                return false;
            }
            var spis = new ReadOnlyMemory<byte>[count];
            for (int i = 0; i < count; i++) spis[i] = body.Slice(4 + i * spiSize, spiSize);
            payload = new DeletePayload((ProtocolIdV2)s[0], spiSize, spis);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte((byte)ProtocolId);
            w.WriteByte(SpiSize);
            w.WriteUInt16((ushort)Spis.Count);
            for (int i = 0; i < Spis.Count; i++) w.WriteBytes(Spis[i].Span);
        }

        public override string ToString() => $"D {ProtocolId} [{string.Join(", ", Spis.Select(s => Hex(s)))}]";
    }
}
