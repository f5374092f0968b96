using System;

namespace IkeExtensions.Wire
{
    /// <summary>Nonce payload: IKEv1 type 10 (RFC 2408 §3.13) or IKEv2 type 40 (RFC 7296 §3.9); same body.</summary>
    public sealed class NoncePayload : OpaquePayload
    {
        public NoncePayload(ReadOnlyMemory<byte> data, int majorVersion = 1)
            : base(majorVersion == 2 ? PayloadType.NonceV2 : PayloadType.Nonce, data) { }
    }
}
