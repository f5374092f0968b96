using System;
using System.Net;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Per-IKE-SA NAT traversal state (RFC 7296 §2.23).</summary>
    internal sealed partial class IkeV2Session
    {
        /// <summary>Where the IKE SA started (before floating to the NAT-T port): administrators still name it by that address.</summary>
        public IPEndPoint? NatOriginalLocal;
        /// <summary>We sent a NAT_DETECTION_SOURCE_IP that cannot match (ForceUdpEncapsulation): ESP is encapsulated regardless.</summary>
        public bool NatFaked;
        /// <summary>The peer sent both NAT detection notifies: it supports NAT traversal.</summary>
        public bool PeerNatDetection;
        /// <summary>When the next NAT-keepalive is due (RFC 3948 §2.3); null while we are not behind a NAT on the NAT-T port.</summary>
        public DateTime? NextNatKeepAlive;
        /// <summary>Where the request being answered came from and arrived (RFC 7296 §2.11: the response goes back there).</summary>
        public (IPEndPoint Local, IPEndPoint Remote)? ReplyTo;
    }
}
