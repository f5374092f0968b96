using System;
using System.Collections.Generic;
using System.Globalization;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// An ISAKMP data attribute (RFC 2408 §3.3), also used by IKEv2 transform attributes (RFC 7296 §3.3.5).
    /// The AF bit selects TV (a 16-bit value in place of the length) or TLV. The form is kept as received, so an
    /// unknown attribute is carried, not fatal (MS-IKEE 3.1.5), and re-encoding is byte-exact.
    /// </summary>
    public readonly struct DataAttribute : IEquatable<DataAttribute>
    {
        private DataAttribute(ushort type, bool isBasic, ushort basicValue, ReadOnlyMemory<byte> variableValue)
        {
            if (type > 0x7FFF) throw new ArgumentOutOfRangeException(nameof(type), "Attribute types are 15 bits.");
            Type = type;
            IsBasic = isBasic;
            BasicValue = basicValue;
            VariableValue = variableValue;
        }

        /// <summary>The 15-bit attribute type (without the AF bit).</summary>
        public ushort Type { get; }
        /// <summary>True for the TV form (AF=1).</summary>
        public bool IsBasic { get; }
        public ushort BasicValue { get; }
        public ReadOnlyMemory<byte> VariableValue { get; }

        public int EncodedLength => IsBasic ? 4 : 4 + VariableValue.Length;

        public static DataAttribute Basic(ushort type, ushort value) => new DataAttribute(type, true, value, default);

        public static DataAttribute Variable(ushort type, ReadOnlyMemory<byte> value)
        {
            if (value.Length > ushort.MaxValue) throw new ArgumentException("A TLV attribute value is at most 65535 bytes.", nameof(value));
            return new DataAttribute(type, false, 0, value);
        }

        /// <summary>An integer attribute in the shortest form: TV when it fits 16 bits, else TLV of 4 or 8 bytes (RFC 2408 §3.3).</summary>
        public static DataAttribute Integer(ushort type, ulong value)
        {
            if (value <= ushort.MaxValue) return Basic(type, (ushort)value);
            byte[] bytes = value <= uint.MaxValue ? new byte[4] : new byte[8];
            for (int i = bytes.Length - 1; i >= 0; i--, value >>= 8) bytes[i] = unchecked((byte)value);
            return Variable(type, bytes);
        }

        /// <summary>The attribute as an unsigned integer: the TV value, or a TLV value of at most 8 bytes.</summary>
        public bool TryGetInteger(out ulong value)
        {
            if (IsBasic) { value = BasicValue; return true; }
            value = 0;
            ReadOnlySpan<byte> v = VariableValue.Span;
            if (v.Length == 0 || v.Length > 8) return false;
            foreach (byte b in v) value = (value << 8) | b;
            return true;
        }

        /// <summary>Reads attributes until <paramref name="data"/> ends. Bounded: at most <paramref name="maxCount"/> attributes.</summary>
        internal static bool TryReadAll(ReadOnlyMemory<byte> data, int baseOffset, PayloadType payloadType, int maxCount,
            out List<DataAttribute> attributes, out ParseError error)
        {
            attributes = new List<DataAttribute>();
            ReadOnlySpan<byte> span = data.Span;
            int pos = 0;
            while (pos < span.Length)
            {
                if (attributes.Count >= maxCount)
                {
                    error = new ParseError(ParseErrorCode.TooManyItems, baseOffset + pos, payloadType, $"more than {maxCount} attributes");
                    return false;
                }
                if (span.Length - pos < 4)
                {
                    error = new ParseError(ParseErrorCode.BadAttribute, baseOffset + pos, payloadType, $"{span.Length - pos} bytes cannot hold an attribute header");
                    return false;
                }
                ushort af_type = (ushort)((span[pos] << 8) | span[pos + 1]);
                ushort lv = (ushort)((span[pos + 2] << 8) | span[pos + 3]);
                ushort type = (ushort)(af_type & 0x7FFF);
                if ((af_type & 0x8000) != 0)
                {
                    attributes.Add(Basic(type, lv));
                    pos += 4;
                    continue;
                }
                if (lv > span.Length - pos - 4)
                {
                    error = new ParseError(ParseErrorCode.BadAttribute, baseOffset + pos + 2, payloadType,
                        $"attribute {type} claims {lv} bytes, {span.Length - pos - 4} remain");
                    return false;
                }
                attributes.Add(Variable(type, data.Slice(pos + 4, lv)));
                pos += 4 + lv;
            }
            error = default;
            return true;
        }

        internal void Write(ref WireWriter writer)
        {
            if (IsBasic)
            {
                writer.WriteUInt16((ushort)(0x8000 | Type));
                writer.WriteUInt16(BasicValue);
            }
            else
            {
                writer.WriteUInt16(Type);
                writer.WriteUInt16((ushort)VariableValue.Length);
                writer.WriteBytes(VariableValue.Span);
            }
        }

        internal static int TotalLength(IReadOnlyList<DataAttribute> attributes)
        {
            int n = 0;
            for (int i = 0; i < attributes.Count; i++) n += attributes[i].EncodedLength;
            return n;
        }

        public override string ToString() => IsBasic
            ? $"{Type}={BasicValue.ToString(CultureInfo.InvariantCulture)}"
            : $"{Type}=0x{HexFormat.ToHex(VariableValue.Span)}";

        public bool Equals(DataAttribute other) =>
            Type == other.Type && IsBasic == other.IsBasic && BasicValue == other.BasicValue && VariableValue.Span.SequenceEqual(other.VariableValue.Span);

        public override bool Equals(object? obj) => obj is DataAttribute a && Equals(a);
        public override int GetHashCode() => (Type << 16) ^ BasicValue ^ VariableValue.Length;
    }
}
