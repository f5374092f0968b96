using System.Net;

namespace IkeExtensions.Engine.V2
{
    /// <summary>NAT traversal columns of the IKE SA row, named as on the IKEv1 <see cref="Tables.MainModeSa"/> row.</summary>
    public sealed partial class IkeV2Sa
    {
        /// <summary>The NAT-T ports the SA moved to (RFC 7296 §2.23); 0 while it is on the IKE port.</summary>
        public int LocalUdpEncapsulationPort { get; internal set; }
        public int RemoteUdpEncapsulationPort { get; internal set; }
    }

    /// <summary>NAT traversal columns of the child SA row, named as on the IKEv1 <see cref="Tables.QuickModeSa"/> row.</summary>
    public sealed partial class ChildSaV2
    {
        /// <summary>ESP in UDP (RFC 3948) because a NAT was detected (or forced) on the IKE SA (RFC 7296 §2.23).</summary>
        public bool UdpEncapsulated { get; internal set; }

        /// <summary>
        /// Transport mode behind a NAT (RFC 7296 §2.23.1): the addresses the traffic selectors carried for the initiator and
        /// the responder when they differ from the IKE SA's (the original addresses needed to fix up TCP/UDP checksums,
        /// RFC 3948 §3.1.2); null otherwise.
        /// </summary>
        public IPAddress? PeerOriginalInitiatorAddress { get; internal set; }
        public IPAddress? PeerOriginalResponderAddress { get; internal set; }
    }
}
