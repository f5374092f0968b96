using System;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// A payload type the codec has no decoder for in this version (e.g. a private type). Carried byte-exactly so the
    /// engine can skip it (RFC 2408 §5.1 says to drop unknown payloads; RFC 7296 §2.5 lets non-critical ones be ignored).
    /// </summary>
    public sealed class UnknownPayload : OpaquePayload
    {
        public UnknownPayload(PayloadType type, ReadOnlyMemory<byte> data) : base(type, data) { }
    }
}
