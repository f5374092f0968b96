using System;

namespace IkeExtensions.Engine.V2
{
    /// <summary>NAT traversal settings (RFC 7296 §2.23, RFC 3948).</summary>
    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>
        /// Take part in NAT traversal: send NAT_DETECTION_*_IP in IKE_SA_INIT, move to the NAT-T port when a NAT is
        /// detected, UDP-encapsulate ESP. Off: no NAT detection notifies are sent (RFC 7296 §2.23 makes them the signal
        /// of support), so the peer does not expect NAT-T from us. The UDP host turns it off when it has no NAT-T socket.
        /// </summary>
        public bool NatTraversal { get; set; } = true;

        /// <summary>Our NAT-T port (RFC 7296 §2.23: 4500); the UDP host sets the port it actually bound.</summary>
        public int LocalNatPort { get; set; } = 4500;

        /// <summary>
        /// How often the side behind a NAT sends a NAT-keepalive (RFC 3948 §2.3, one 0xFF octet) to keep the mapping;
        /// 20 s as Windows (MS-IKEE 3.2.2) and strongSwan do. Zero or less: no keepalives.
        /// </summary>
        public TimeSpan NatKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>
        /// Use the NAT-T port and UDP-encapsulated ESP even without a NAT (strongSwan's <c>encap = yes</c>): we send a
        /// NAT_DETECTION_SOURCE_IP that cannot match, so the peer sees a NAT in front of us and encapsulates too, and the
        /// initiator floats to port 4500 after IKE_SA_INIT regardless of what it detected (§2.23 allows port 4500 any time).
        /// </summary>
        public bool ForceUdpEncapsulation { get; set; }
    }
}
