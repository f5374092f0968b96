using System.Collections.Generic;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Per-IKE-SA fragmentation state (MS-IKEE 3.15.1 abstract data model).</summary>
    internal sealed partial class IkeV2Session
    {
        /// <summary>"Fragmentation supported": we announced IKEV2_FRAGMENTATION_SUPPORTED in our IKE_SA_INIT message.</summary>
        public bool FragmentationOffered;

        /// <summary>"Peer Supports Fragmentation": the peer's IKE_SA_INIT message carried the notify.</summary>
        public bool PeerSupportsFragmentation;

        /// <summary>Both: fragments may be sent and are accepted (RFC 7383 §2.3).</summary>
        public bool FragmentationNegotiated => FragmentationOffered && PeerSupportsFragmentation;

        /// <summary>
        /// The "fragment queue": messages being reassembled, by Message ID and direction (a request of the peer or a
        /// response to ours). The message-ID window admits at most one of each at a time.
        /// </summary>
        public readonly Dictionary<(uint MessageId, bool Response), IkeV2FragmentAssembly> FragmentAssemblies =
            new Dictionary<(uint MessageId, bool Response), IkeV2FragmentAssembly>();
    }
}
