using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V1
{
    /// <summary>
    /// IKEv1 Identification payload (RFC 2408 §3.8, IPsec DOI form RFC 2407 §4.6.2): ID type, protocol, port, data.
    /// For ID_IPV6_CGA (MS-IKEE 2.2.5) the data is the CGA parameters; see <see cref="TryGetCgaParameters"/>.
    /// </summary>
    public sealed class IdentificationPayload : IkePayload
    {
        public IdentificationPayload(IdentificationType idType, byte protocolId, ushort port, ReadOnlyMemory<byte> data) : base(PayloadType.Identification)
        {
            if (data.Length > OpaquePayload.MaxBody - 4) throw new ArgumentException("Identification data too long.", nameof(data));
            IdType = idType;
            ProtocolId = protocolId;
            Port = port;
            Data = data;
        }

        public IdentificationType IdType { get; }
        /// <summary>IP protocol of a phase 2 client ID (0 = any); must be 0 or 17 in phase 1 (RFC 2407 §4.6.2).</summary>
        public byte ProtocolId { get; }
        public ushort Port { get; }
        public ReadOnlyMemory<byte> Data { get; }

        public override int BodyLength => 4 + Data.Length;

        /// <summary>Human-readable identity (address, subnet, range, name or hex).</summary>
        public string Value => IdType == IdentificationType.Ipv6Cga && TryGetCgaParameters(out var cga)
            ? cga.ToString()
            : IdentificationData.Describe((byte)IdType, Data.Span);

        /// <summary>Splits ID_IPV6_CGA data into modifier, collision count and extension fields (MS-IKEE 2.2.5, RFC 3972 §3).</summary>
        public bool TryGetCgaParameters(out CgaIdentification cga)
        {
            cga = default;
            if (IdType != IdentificationType.Ipv6Cga || Data.Length < CgaIdentification.FixedSize) return false;
            cga = new CgaIdentification(Data.Slice(0, 16), Data.Span[16], Data.Slice(CgaIdentification.FixedSize));
            return true;
        }

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Identification, "ID payload needs type, protocol and port");
                return false;
            }
            var idType = (IdentificationType)s[0];
            if (idType == IdentificationType.Ipv6Cga && s.Length < 4 + CgaIdentification.FixedSize)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset + 4, PayloadType.Identification, "ID_IPV6_CGA needs a 16-byte modifier and a collision count");
                return false;
            }
            payload = new IdentificationPayload(idType, s[1], BinaryPrimitives.ReadUInt16BigEndian(s.Slice(2)), body.Slice(4));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte((byte)IdType);
            w.WriteByte(ProtocolId);
            w.WriteUInt16(Port);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"ID {IdType} proto={ProtocolId} port={Port} {Value}";
    }

    /// <summary>The CGA parameters carried by ID_IPV6_CGA (MS-IKEE 2.2.5): modifier, collision count, extension fields (RFC 3972 §3).</summary>
    public readonly struct CgaIdentification
    {
        internal const int FixedSize = 17;

        public CgaIdentification(ReadOnlyMemory<byte> modifier, byte collisionCount, ReadOnlyMemory<byte> extensionFields)
        {
            if (modifier.Length != 16) throw new ArgumentException("The CGA modifier is 16 bytes.", nameof(modifier));
            Modifier = modifier;
            CollisionCount = collisionCount;
            ExtensionFields = extensionFields;
        }

        public ReadOnlyMemory<byte> Modifier { get; }
        public byte CollisionCount { get; }
        public ReadOnlyMemory<byte> ExtensionFields { get; }

        /// <summary>The identification data bytes for an ID_IPV6_CGA payload.</summary>
        public byte[] ToIdentificationData()
        {
            var data = new byte[FixedSize + ExtensionFields.Length];
            Modifier.Span.CopyTo(data);
            data[16] = CollisionCount;
            ExtensionFields.Span.CopyTo(data.AsSpan(FixedSize));
            return data;
        }

        public override string ToString() =>
            $"CGA modifier={HexFormat.ToHex(Modifier.Span)} collisions={CollisionCount} extensions={ExtensionFields.Length} bytes";
    }
}
