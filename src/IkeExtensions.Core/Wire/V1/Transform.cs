using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Wire.V1
{
    /// <summary>An ISAKMP Transform substructure (RFC 2408 §3.6): number, transform ID and SA attributes.</summary>
    public sealed class Transform
    {
        internal const int FixedSize = 4 + 4;
        internal const int MaxAttributes = 64;

        public Transform(byte number, byte transformId, IReadOnlyList<DataAttribute> attributes)
        {
            Number = number;
            TransformId = transformId;
            Attributes = attributes ?? throw new ArgumentNullException(nameof(attributes));
        }

        public byte Number { get; }
        /// <summary>KEY_IKE (1) in phase 1; an ESP/AH transform ID in phase 2 (RFC 2407 §4.4).</summary>
        public byte TransformId { get; }
        public IReadOnlyList<DataAttribute> Attributes { get; }

        internal int EncodedLength => FixedSize + DataAttribute.TotalLength(Attributes);

        /// <summary>The first attribute of <paramref name="type"/>, as an integer.</summary>
        public bool TryGetAttribute(ushort type, out ulong value)
        {
            foreach (var a in Attributes)
                if (a.Type == type) return a.TryGetInteger(out value);
            value = 0;
            return false;
        }

        internal static bool TryRead(ReadOnlyMemory<byte> data, int baseOffset, out Transform transform, out ParseError error)
        {
            // data is the whole transform substructure, generic header included.
            ReadOnlySpan<byte> s = data.Span;
            transform = null!;
            if (s.Length < FixedSize)
            {
                error = new ParseError(ParseErrorCode.Truncated, baseOffset, PayloadType.Transform, "transform shorter than 8 bytes");
                return false;
            }
            if (!DataAttribute.TryReadAll(data.Slice(FixedSize), baseOffset + FixedSize, PayloadType.Transform, MaxAttributes, out var attributes, out error))
                return false;
            transform = new Transform(s[4], s[5], attributes);
            return true;
        }

        internal void Write(ref WireWriter w, bool last)
        {
            w.WriteByte(last ? (byte)0 : (byte)PayloadType.Transform);
            w.WriteByte(0);
            w.WriteUInt16((ushort)EncodedLength);
            w.WriteByte(Number);
            w.WriteByte(TransformId);
            w.WriteUInt16(0);
            for (int i = 0; i < Attributes.Count; i++) Attributes[i].Write(ref w);
        }

        public override string ToString() => $"T#{Number} id={TransformId} [{string.Join(", ", Attributes.Select(a => a.ToString()))}]";
    }
}
