using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Wire.V2
{
    /// <summary>One configuration attribute (RFC 7296 §3.15.1; MS-IKEE 2.2.8): 15-bit type, length, value. Never the TV form.</summary>
    public readonly struct ConfigurationAttribute
    {
        public ConfigurationAttribute(ConfigurationAttributeType type, ReadOnlyMemory<byte> value)
        {
            if ((ushort)type > 0x7FFF || value.Length > ushort.MaxValue) throw new ArgumentException("Attribute type is 15 bits, value at most 65535 bytes.");
            Type = type;
            Value = value;
        }

        public ConfigurationAttributeType Type { get; }
        public ReadOnlyMemory<byte> Value { get; }

        /// <summary>The address an INTERNAL_IP4/6_SERVER (MS-IKEE 2.2.8) or P_CSCF attribute carries; empty values (requests) have none.</summary>
        public IPAddress? Address => Value.Length == 4 || Value.Length == 16 ? new IPAddress(Value.ToArray()) :
            Value.Length == 17 ? new IPAddress(Value.Slice(0, 16).ToArray()) : null;

        public static ConfigurationAttribute ForAddress(ConfigurationAttributeType type, IPAddress address) => new ConfigurationAttribute(type, address.GetAddressBytes());

        public override string ToString() => $"{Type}" + (Value.Length == 0 ? "" : "=" + (Address?.ToString() ?? HexFormat.ToHex(Value.Span)));
    }

    /// <summary>IKEv2 CP payload (RFC 7296 §3.15): CFG type, 3 reserved bytes, attributes.</summary>
    public sealed class ConfigurationPayload : IkePayload
    {
        public ConfigurationPayload(ConfigurationType configurationType, IReadOnlyList<ConfigurationAttribute> attributes) : base(PayloadType.Configuration)
        {
            ConfigurationType = configurationType;
            Attributes = attributes ?? throw new ArgumentNullException(nameof(attributes));
        }

        public ConfigurationType ConfigurationType { get; }
        public IReadOnlyList<ConfigurationAttribute> Attributes { get; }
        public override int BodyLength => 4 + WireLengths.Total(Attributes, a => 4 + a.Value.Length);

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Configuration, "CP needs a CFG type");
                return false;
            }
            var list = new List<ConfigurationAttribute>();
            int pos = 4;
            while (pos < s.Length)
            {
                if (s.Length - pos < 4 || list.Count == 256)
                {
                    error = new ParseError(s.Length - pos < 4 ? ParseErrorCode.BadAttribute : ParseErrorCode.TooManyItems, offset + pos, PayloadType.Configuration, "attribute header");
                    return false;
                }
                int type = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos)) & 0x7FFF;
                int len = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 2));
                if (len > s.Length - pos - 4)
                {
                    error = new ParseError(ParseErrorCode.BadAttribute, offset + pos + 2, PayloadType.Configuration, $"attribute {type} claims {len} bytes");
                    return false;
                }
                list.Add(new ConfigurationAttribute((ConfigurationAttributeType)type, body.Slice(pos + 4, len)));
                pos += 4 + len;
            }
            payload = new ConfigurationPayload((ConfigurationType)s[0], list);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte((byte)ConfigurationType);
            w.WriteZeros(3);
            for (int i = 0; i < Attributes.Count; i++)
            {
                var a = Attributes[i];
                w.WriteUInt16((ushort)a.Type);
                w.WriteUInt16((ushort)a.Value.Length);
                w.WriteBytes(a.Value.Span);
            }
        }

        public override string ToString() => $"CP {ConfigurationType} [{string.Join(", ", Attributes)}]";
    }
}
