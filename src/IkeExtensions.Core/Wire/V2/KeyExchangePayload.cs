using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 Key Exchange payload (RFC 7296 §3.4): DH group, 2 reserved bytes, public value.</summary>
    public sealed class KeyExchangePayload : IkePayload
    {
        public KeyExchangePayload(ushort dhGroup, ReadOnlyMemory<byte> data) : base(PayloadType.KeyExchangeV2)
        {
            if (data.Length > OpaquePayload.MaxBody - 4) throw new ArgumentException("Key exchange data too long.", nameof(data));
            DhGroup = dhGroup;
            Data = data;
        }

        public ushort DhGroup { get; }
        public ReadOnlyMemory<byte> Data { get; }
        public override int BodyLength => 4 + Data.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            if (body.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.KeyExchangeV2, "KE needs a DH group");
                return false;
            }
            payload = new KeyExchangePayload(BinaryPrimitives.ReadUInt16BigEndian(body.Span), body.Slice(4));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt16(DhGroup);
            w.WriteUInt16(0);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"KE group={DhGroup} {Data.Length} bytes";
    }

    /// <summary>IKEv2 EAP payload (RFC 7296 §3.16), carried opaque.</summary>
    public sealed class ExtensibleAuthenticationPayload : OpaquePayload
    {
        public ExtensibleAuthenticationPayload(ReadOnlyMemory<byte> data) : base(PayloadType.ExtensibleAuthentication, data) { }
    }
}
