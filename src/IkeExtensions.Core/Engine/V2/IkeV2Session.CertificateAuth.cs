using System.Collections.Generic;
using IkeExtensions.Crypto.Certificates;

namespace IkeExtensions.Engine.V2
{
    internal sealed partial class IkeV2Session
    {
        /// <summary>The peer's SIGNATURE_HASH_ALGORITHMS from IKE_SA_INIT (RFC 7427 §4); null when it sent none.</summary>
        public List<SignatureHashAlgorithm>? PeerSignatureHashes;
        /// <summary>The peer's verified AUTH used the shared key (true) or a signature (false); null before IKE_AUTH.</summary>
        public bool? PeerUsedSharedKey;
    }
}
