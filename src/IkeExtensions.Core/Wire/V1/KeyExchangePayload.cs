using System;

namespace IkeExtensions.Wire.V1
{
    /// <summary>IKEv1 Key Exchange payload (RFC 2408 §3.7): the sender's Diffie-Hellman public value.</summary>
    public sealed class KeyExchangePayload : OpaquePayload
    {
        public KeyExchangePayload(ReadOnlyMemory<byte> data) : base(PayloadType.KeyExchange, data) { }
        public override string ToString() => $"KE {Data.Length} bytes";
    }

    /// <summary>IKEv1 Hash payload (RFC 2408 §3.11).</summary>
    public sealed class HashPayload : OpaquePayload
    {
        public HashPayload(ReadOnlyMemory<byte> data) : base(PayloadType.Hash, data) { }
    }

    /// <summary>IKEv1 Signature payload (RFC 2408 §3.12).</summary>
    public sealed class SignaturePayload : OpaquePayload
    {
        public SignaturePayload(ReadOnlyMemory<byte> data) : base(PayloadType.Signature, data) { }
    }
}
