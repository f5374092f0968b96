using System;

namespace IkeExtensions.Engine.V2
{
    internal sealed partial class IkeV2Session
    {
        /// <summary>The policy this IKE SA was negotiated under; null: <see cref="IkeV2EngineOptions.Policy"/>.</summary>
        public IkeV2Policy? SelectedPolicy;
        /// <summary>The Security Realm ID of that policy (MS-IKEE 3.14.1); null: the SA is not associated with a realm.</summary>
        public byte[]? RealmId;
        /// <summary>The child rekey dead peer detection started (MS-IKEE 3.12.4), while it is in flight.</summary>
        public ChildSession? DeadPeerRekey;
        /// <summary>MS-IKEE 3.12.4: the child rekey failed, so the IKE SA is being rekeyed "with a maximum of two retransmissions".</summary>
        public bool DeadPeerIkeRekey;
    }

    internal sealed partial class ChildSession
    {
        /// <summary>Last traffic the host reported on this child, for the QM SA idle timer (MS-IKEE 3.12.2).</summary>
        public DateTime? LastTrafficAt;
        /// <summary>The child this one rekeys (dead peer detection, 3.12.4): deleted once this one is up.</summary>
        public ChildSession? Replaces;
    }
}
