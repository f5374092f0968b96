using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 Transform substructure (RFC 7296 §3.3.2): type, ID, attributes (only Key Length is defined).</summary>
    public sealed class TransformV2
    {
        internal const int FixedSize = 8;

        public TransformV2(TransformType transformType, ushort transformId, IReadOnlyList<DataAttribute>? attributes = null)
        {
            TransformType = transformType;
            TransformId = transformId;
            Attributes = attributes ?? Array.Empty<DataAttribute>();
        }

        public TransformType TransformType { get; }
        public ushort TransformId { get; }
        public IReadOnlyList<DataAttribute> Attributes { get; }

        /// <summary>Key Length attribute (type 14, RFC 7296 §3.3.5) if present.</summary>
        public int? KeyLength => Attributes.Where(a => a.Type == 14 && a.IsBasic).Select(a => (int?)a.BasicValue).FirstOrDefault();

        internal int EncodedLength => FixedSize + DataAttribute.TotalLength(Attributes);

        internal static bool TryRead(ReadOnlyMemory<byte> data, int baseOffset, out TransformV2 transform, out ParseError error)
        {
            transform = null!;
            ReadOnlySpan<byte> s = data.Span;
            if (s.Length < FixedSize)
            {
                error = new ParseError(ParseErrorCode.Truncated, baseOffset, PayloadType.SecurityAssociationV2, "transform shorter than 8 bytes");
                return false;
            }
            if (!DataAttribute.TryReadAll(data.Slice(FixedSize), baseOffset + FixedSize, PayloadType.SecurityAssociationV2, 16, out var attrs, out error)) return false;
            transform = new TransformV2((TransformType)s[4], BinaryPrimitives.ReadUInt16BigEndian(s.Slice(6)), attrs);
            return true;
        }

        internal void Write(ref WireWriter w, bool last)
        {
            w.WriteByte(last ? (byte)0 : (byte)3);
            w.WriteByte(0);
            w.WriteUInt16((ushort)EncodedLength);
            w.WriteByte((byte)TransformType);
            w.WriteByte(0);
            w.WriteUInt16(TransformId);
            for (int i = 0; i < Attributes.Count; i++) Attributes[i].Write(ref w);
        }

        public override string ToString() => $"{TransformType}:{TransformId}" + (KeyLength is int k ? "/" + k : "");
    }
}
