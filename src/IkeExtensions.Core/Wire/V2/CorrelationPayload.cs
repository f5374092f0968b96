using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V2
{
    /// <summary>
    /// MS-IKEE 2.2.9 Correlation payload (0xC8): SAoriginal's initiator and responder SPIs and
    /// prf(SK_a(i|r) of SAoriginal, SAcurrent.SPIi | SAcurrent.SPIr | SAoriginal.SPIi | SAoriginal.SPIr).
    /// </summary>
    public sealed class CorrelationPayload : IkePayload
    {
        public CorrelationPayload(ulong originalInitiatorSpi, ulong originalResponderSpi, ReadOnlyMemory<byte> correlationHash) : base(PayloadType.Correlation)
        {
            if (correlationHash.Length > OpaquePayload.MaxBody - 16) throw new ArgumentException("Hash too long.", nameof(correlationHash));
            OriginalInitiatorSpi = originalInitiatorSpi;
            OriginalResponderSpi = originalResponderSpi;
            CorrelationHash = correlationHash;
        }

        public ulong OriginalInitiatorSpi { get; }
        public ulong OriginalResponderSpi { get; }
        public ReadOnlyMemory<byte> CorrelationHash { get; }
        public override int BodyLength => 16 + CorrelationHash.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 16)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Correlation, "correlation needs two 8-byte SPIs");
                return false;
            }
            payload = new CorrelationPayload(BinaryPrimitives.ReadUInt64BigEndian(s), BinaryPrimitives.ReadUInt64BigEndian(s.Slice(8)), body.Slice(16));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt64(OriginalInitiatorSpi);
            w.WriteUInt64(OriginalResponderSpi);
            w.WriteBytes(CorrelationHash.Span);
        }

        public override string ToString() => $"CORR {OriginalInitiatorSpi:x16}/{OriginalResponderSpi:x16} hash={Hex(CorrelationHash)}";
    }
}
