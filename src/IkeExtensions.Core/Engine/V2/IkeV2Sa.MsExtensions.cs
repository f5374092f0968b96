using System;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Sa
    {
        /// <summary>The Security Realm ID (hex) sent or received in IKE_SA_INIT (MS-IKEE 3.14.5.1).</summary>
        public string? SecurityRealmId { get; internal set; }
        /// <summary>The name of the security realm policy the SA was negotiated under; null: no realm policy was chosen.</summary>
        public string? SecurityRealm { get; internal set; }
        /// <summary>"Microsoft Xbox One 2013" was sent or received (MS-IKEE 3.13.5.1).</summary>
        public bool IsXbox { get; internal set; }
        /// <summary>The ADM element "Xbox IKEv2 Negotiation Type" (3.13.1).</summary>
        public uint? XboxNegotiationType { get; internal set; }
        /// <summary>The ADM DeadPeerDetection flag (MS-IKEE 3.12.1).</summary>
        public bool DeadPeerDetection { get; internal set; }
        /// <summary>The ADM InboundPacketTimeStamp (3.12.1): the last inbound packet the host reported on any child of this SA.</summary>
        public DateTime? InboundPacketTimeStamp { get; internal set; }
        /// <summary>The last MS-IKEE 2.2.7 NOTIFY_STATUS (0x3039) code the peer sent, and its MS-ERREF name.</summary>
        public uint? PeerNotifyStatus { get; internal set; }
        public string? PeerNotifyStatusName { get; internal set; }
    }
}
