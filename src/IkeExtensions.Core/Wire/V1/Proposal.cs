using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Wire.V1
{
    /// <summary>An ISAKMP Proposal substructure (RFC 2408 §3.5): number, protocol, SPI and its transforms.</summary>
    public sealed class Proposal
    {
        internal const int FixedSize = 4 + 4;

        public Proposal(byte number, ProtocolId protocolId, ReadOnlyMemory<byte> spi, IReadOnlyList<Transform> transforms)
        {
            if (spi.Length > byte.MaxValue) throw new ArgumentException("An SPI is at most 255 bytes.", nameof(spi));
            if (transforms == null || transforms.Count > byte.MaxValue) throw new ArgumentException("A proposal carries 0..255 transforms.", nameof(transforms));
            Number = number;
            ProtocolId = protocolId;
            Spi = spi;
            Transforms = transforms;
        }

        public byte Number { get; }
        public ProtocolId ProtocolId { get; }
        public ReadOnlyMemory<byte> Spi { get; }
        public IReadOnlyList<Transform> Transforms { get; }

        internal int EncodedLength => FixedSize + Spi.Length + WireLengths.Total(Transforms, t => t.EncodedLength);

        internal static bool TryRead(ReadOnlyMemory<byte> data, int baseOffset, out Proposal proposal, out ParseError error)
        {
            ReadOnlySpan<byte> s = data.Span;
            proposal = null!;
            if (s.Length < FixedSize)
            {
                error = new ParseError(ParseErrorCode.Truncated, baseOffset, PayloadType.Proposal, "proposal shorter than 8 bytes");
                return false;
            }
            byte spiSize = s[6];
            int transformCount = s[7];
            if (FixedSize + spiSize > s.Length)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, baseOffset + 6, PayloadType.Proposal, $"SPI size {spiSize} exceeds the proposal");
                return false;
            }

            var transforms = new List<Transform>(transformCount);
            int pos = FixedSize + spiSize;
            PayloadType next = transformCount > 0 ? PayloadType.Transform : PayloadType.None;
            while (next == PayloadType.Transform)
            {
                if (s.Length - pos < 4)
                {
                    error = new ParseError(ParseErrorCode.Truncated, baseOffset + pos, PayloadType.Transform, "transform header missing");
                    return false;
                }
                byte nextByte = s[pos];
                int len = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 2));
                if (len < Transform.FixedSize || len > s.Length - pos)
                {
                    error = new ParseError(ParseErrorCode.InvalidLength, baseOffset + pos + 2, PayloadType.Transform, $"transform length {len}");
                    return false;
                }
                if (nextByte != 0 && nextByte != (byte)PayloadType.Transform)
                {
                    error = new ParseError(ParseErrorCode.InvalidField, baseOffset + pos, PayloadType.Transform, $"transform next payload {nextByte} is neither 0 nor 3");
                    return false;
                }
                if (transforms.Count == byte.MaxValue)
                {
                    error = new ParseError(ParseErrorCode.TooManyItems, baseOffset + pos, PayloadType.Transform, "more than 255 transforms");
                    return false;
                }
                if (!Transform.TryRead(data.Slice(pos, len), baseOffset + pos, out var t, out error)) return false;
                transforms.Add(t);
                pos += len;
                next = (PayloadType)nextByte;
            }

            if (pos != s.Length)
            {
                error = new ParseError(ParseErrorCode.TrailingData, baseOffset + pos, PayloadType.Proposal, $"{s.Length - pos} bytes after the last transform");
                return false;
            }
            // RFC 2408 §3.5: "# of Transforms" must describe the chain that follows.
            if (transforms.Count != transformCount)
            {
                error = new ParseError(ParseErrorCode.InvalidField, baseOffset + 7, PayloadType.Proposal,
                    $"proposal announces {transformCount} transforms but carries {transforms.Count}");
                return false;
            }
            proposal = new Proposal(s[4], (ProtocolId)s[5], data.Slice(FixedSize, spiSize), transforms);
            error = default;
            return true;
        }

        internal void Write(ref WireWriter w, bool last)
        {
            w.WriteByte(last ? (byte)0 : (byte)PayloadType.Proposal);
            w.WriteByte(0);
            w.WriteUInt16((ushort)EncodedLength);
            w.WriteByte(Number);
            w.WriteByte((byte)ProtocolId);
            w.WriteByte((byte)Spi.Length);
            w.WriteByte((byte)Transforms.Count);
            w.WriteBytes(Spi.Span);
            for (int i = 0; i < Transforms.Count; i++) Transforms[i].Write(ref w, i == Transforms.Count - 1);
        }

        public override string ToString() =>
            $"P#{Number} {ProtocolId} spi={HexFormat.ToHex(Spi.Span)} {{{string.Join("; ", Transforms.Select(t => t.ToString()))}}}";
    }
}
