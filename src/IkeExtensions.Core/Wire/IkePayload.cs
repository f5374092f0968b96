using System;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// A decoded payload. The generic payload header (next payload, flags/reserved octet, length; RFC 2408 §3.2,
    /// RFC 7296 §3.2) is not stored: next-payload and length are derived from the message's payload list on encode,
    /// so a decoded-then-encoded message is byte-exact whenever its lengths were consistent.
    /// </summary>
    public abstract class IkePayload
    {
        /// <summary>Generic header size: next payload (1), flags/reserved (1), length (2).</summary>
        public const int GenericHeaderSize = 4;

        protected IkePayload(PayloadType type) => Type = type;

        public PayloadType Type { get; }

        /// <summary>
        /// The octet after Next Payload. IKEv2 keeps the critical bit (0x80) here; IKEv1 calls it RESERVED, which the
        /// receiver ignores (MS-IKEE 2.2.3.1) — it is carried so that encoding reproduces what was received.
        /// </summary>
        public byte HeaderFlags { get; set; }

        /// <summary>IKEv2 critical bit (RFC 7296 §3.2).</summary>
        public bool Critical => (HeaderFlags & 0x80) != 0;

        /// <summary>Length of the body, excluding the generic header.</summary>
        public abstract int BodyLength { get; }

        public int EncodedLength => GenericHeaderSize + BodyLength;

        internal abstract void WriteBody(ref WireWriter writer);

        /// <summary>
        /// For SK (46) and SKF (53) payloads the Next Payload field names the first payload inside the ciphertext
        /// (RFC 7296 §3.14, RFC 7383 §2.5), not a following payload; such payloads return that type here.
        /// </summary>
        internal virtual PayloadType? NextPayloadOverride => null;

        /// <summary>Hex of a byte field for display; byte fields of payloads are public protocol data, never key material.</summary>
        protected static string Hex(ReadOnlyMemory<byte> data) => HexFormat.ToHex(data.Span);
    }

    /// <summary>A payload whose body is one opaque octet string (HASH, SIG, NONCE, VID, NAT-D, EAP, unknown types).</summary>
    public abstract class OpaquePayload : IkePayload
    {
        protected OpaquePayload(PayloadType type, ReadOnlyMemory<byte> data) : base(type)
        {
            if (data.Length > MaxBody) throw new ArgumentException($"{type} data is {data.Length} bytes; at most {MaxBody} fit in a payload.", nameof(data));
            Data = data;
        }

        internal const int MaxBody = ushort.MaxValue - GenericHeaderSize;

        public ReadOnlyMemory<byte> Data { get; }
        public override int BodyLength => Data.Length;
        internal override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Data.Span);
        public override string ToString() => $"{PayloadTypes.ShortName(Type)} {Hex(Data)}";
    }
}
