using System;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 IDi/IDr payload (RFC 7296 §3.5): ID type, 3 reserved bytes, data.</summary>
    public sealed class IdentificationPayload : IkePayload
    {
        public IdentificationPayload(bool initiator, byte idType, ReadOnlyMemory<byte> data)
            : base(initiator ? PayloadType.IdentificationInitiator : PayloadType.IdentificationResponder)
        {
            if (data.Length > OpaquePayload.MaxBody - 4) throw new ArgumentException("Identification data too long.", nameof(data));
            IdType = idType;
            Data = data;
        }

        /// <summary>1 IPV4_ADDR, 2 FQDN, 3 RFC822_ADDR, 5 IPV6_ADDR, 9 DER_ASN1_DN, 10 DER_ASN1_GN, 11 KEY_ID.</summary>
        public byte IdType { get; }
        public ReadOnlyMemory<byte> Data { get; }
        public string Value => IdentificationData.Describe(IdType, Data.Span);
        public override int BodyLength => 4 + Data.Length;

        internal static bool TryRead(PayloadType type, ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            if (body.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, type, "ID needs a type and 3 reserved bytes");
                return false;
            }
            payload = new IdentificationPayload(type == PayloadType.IdentificationInitiator, body.Span[0], body.Slice(4));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte(IdType);
            w.WriteZeros(3);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"{PayloadTypes.ShortName(Type)} type={IdType} {Value}";
    }
}
