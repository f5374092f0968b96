using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 Proposal substructure (RFC 7296 §3.3.1).</summary>
    public sealed class ProposalV2
    {
        internal const int FixedSize = 8;

        public ProposalV2(byte number, ProtocolIdV2 protocolId, ReadOnlyMemory<byte> spi, IReadOnlyList<TransformV2> transforms)
        {
            if (spi.Length > byte.MaxValue) throw new ArgumentException("An SPI is at most 255 bytes.", nameof(spi));
            if (transforms == null || transforms.Count > byte.MaxValue) throw new ArgumentException("A proposal carries 0..255 transforms.", nameof(transforms));
            Number = number;
            ProtocolId = protocolId;
            Spi = spi;
            Transforms = transforms;
        }

        public byte Number { get; }
        public ProtocolIdV2 ProtocolId { get; }
        public ReadOnlyMemory<byte> Spi { get; }
        public IReadOnlyList<TransformV2> Transforms { get; }

        internal int EncodedLength => FixedSize + Spi.Length + WireLengths.Total(Transforms, t => t.EncodedLength);

        internal static bool TryRead(ReadOnlyMemory<byte> data, int baseOffset, out ProposalV2 proposal, out ParseError error)
        {
            proposal = null!;
            ReadOnlySpan<byte> s = data.Span;
            if (s.Length < FixedSize)
            {
                error = new ParseError(ParseErrorCode.Truncated, baseOffset, PayloadType.SecurityAssociationV2, "proposal shorter than 8 bytes");
                return false;
            }
            int spiSize = s[6], count = s[7];
            if (FixedSize + spiSize > s.Length)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, baseOffset + 6, PayloadType.SecurityAssociationV2, $"SPI size {spiSize} exceeds the proposal");
                return false;
            }
            var transforms = new List<TransformV2>(count);
            int pos = FixedSize + spiSize;
            bool more = count > 0;
            while (more)
            {
                if (s.Length - pos < 4)
                {
                    error = new ParseError(ParseErrorCode.Truncated, baseOffset + pos, PayloadType.SecurityAssociationV2, "transform header missing");
                    return false;
                }
                byte last = s[pos];
                int len = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 2));
                if (len < TransformV2.FixedSize || len > s.Length - pos || (last != 0 && last != 3) || transforms.Count == byte.MaxValue)
                {
                    error = new ParseError(ParseErrorCode.InvalidLength, baseOffset + pos, PayloadType.SecurityAssociationV2,
                        $"transform substructure (last={last}, length={len}) is malformed");
                    return false;
                }
                if (!TransformV2.TryRead(data.Slice(pos, len), baseOffset + pos, out var t, out error)) return false;
                transforms.Add(t);
                pos += len;
                more = last == 3;
            }
            if (pos != s.Length || transforms.Count != count)
            {
                error = new ParseError(ParseErrorCode.InvalidField, baseOffset + 7, PayloadType.SecurityAssociationV2,
                    $"proposal announces {count} transforms and {s.Length} bytes; carries {transforms.Count} in {pos}");
                return false;
            }
            proposal = new ProposalV2(s[4], (ProtocolIdV2)s[5], data.Slice(FixedSize, spiSize), transforms);
            error = default;
            return true;
        }

        internal void Write(ref WireWriter w, bool last)
        {
            w.WriteByte(last ? (byte)0 : (byte)2);
            w.WriteByte(0);
            w.WriteUInt16((ushort)EncodedLength);
            w.WriteByte(Number);
            w.WriteByte((byte)ProtocolId);
            w.WriteByte((byte)Spi.Length);
            w.WriteByte((byte)Transforms.Count);
            w.WriteBytes(Spi.Span);
            for (int i = 0; i < Transforms.Count; i++) Transforms[i].Write(ref w, i == Transforms.Count - 1);
        }

        public override string ToString() => $"P#{Number} {ProtocolId} spi={HexFormat.ToHex(Spi.Span)} [{string.Join(", ", Transforms)}]";
    }
}
