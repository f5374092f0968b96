using System;

namespace IkeExtensions.Wire.V1
{
    /// <summary>NAT-D payload (RFC 3947 §3.2): HASH(CKY-I | CKY-R | IP | Port). Type 0x14 or, under draft-02, 0x82 (MS-IKEE 2.2.1).</summary>
    public sealed class NatDiscoveryPayload : OpaquePayload
    {
        public NatDiscoveryPayload(ReadOnlyMemory<byte> hash, NatTraversalRevision revision = NatTraversalRevision.Rfc3947)
            : base(revision.NatDiscoveryType(), hash) { }

        internal NatDiscoveryPayload(PayloadType type, ReadOnlyMemory<byte> hash) : base(type, hash) { }

        public NatTraversalRevision Revision => Type == PayloadType.NatDiscoveryDraft ? NatTraversalRevision.Draft02 : NatTraversalRevision.Rfc3947;
    }
}
