using System;
using System.Collections.Generic;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.V2
{
    /// <summary>A security realm-based IPsec policy (MS-IKEE 1.3.12, 3.14.1): a policy plus the realm it belongs to.</summary>
    public sealed class IkeV2SecurityRealmPolicy
    {
        /// <param name="realm">The string naming the realm; null: a policy associated with no realm (it may still outrank realm policies, 3.14.5.1).</param>
        public IkeV2SecurityRealmPolicy(string? realm, IkeV2Policy policy)
        {
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            Realm = realm;
            if (realm != null) _id = SecurityRealmId.Compute(realm);
        }

        public string? Realm { get; }
        public IkeV2Policy Policy { get; }
        private readonly byte[]? _id;
        /// <summary>The ADM element "Security Realm ID" (3.14.1): HMAC-MD5 of <see cref="Realm"/>; empty for a policy without realm.</summary>
        public ReadOnlySpan<byte> Id => _id;
        internal byte[]? IdBytes => _id;
    }

    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>
        /// The security realm <see cref="Policy"/> belongs to (MS-IKEE 3.14): as initiator we send the "MSFT IPsec Security
        /// Realm Id" vendor ID in IKE_SA_INIT, IKE_AUTH and CREATE_CHILD_SA; as responder the policy is realm-based. Null: none.
        /// </summary>
        public string? SecurityRealm { get; set; }

        /// <summary>
        /// More responder policies, highest priority first, consulted before <see cref="Policy"/> when an IKE_SA_INIT arrives
        /// (3.14.5.1): a realm policy is only chosen when the request's realm ID matches it exactly.
        /// </summary>
        public IList<IkeV2SecurityRealmPolicy> RealmPolicies { get; } = new List<IkeV2SecurityRealmPolicy>();

        /// <summary>
        /// Xbox multiplayer gaming (MS-IKEE 3.13): as initiator, send "Microsoft Xbox One 2013" and "Xbox IKEv2 Negotiation"
        /// with this type (note &lt;36&gt;: 0 or 1) in IKE_SA_INIT. Such IKE_SA_INIT requests are not retransmitted (3.13.6).
        /// </summary>
        public uint? XboxNegotiationType { get; set; }

        /// <summary>Simultaneous IKE negotiations allowed per Xbox negotiation type (3.13.3); a type not listed has no limit.</summary>
        public IDictionary<uint, int> XboxNegotiationLimits { get; } = new Dictionary<uint, int>();

        /// <summary>Add the MS-IKEE 2.2.7 NOTIFY_STATUS (0x3039) with an MS-ERREF code to the error notifies we send.</summary>
        public bool SendMsNotifyStatus { get; set; }

        /// <summary>Dead peer detection heuristics of MS-IKEE 3.12, fed by <see cref="IkeV2Engine.ReportInboundTraffic"/> and friends.</summary>
        public bool DeadPeerDetection { get; set; }

        /// <summary>3.12.4.2: outbound UDP with no inbound packet for more than this starts dead peer detection (20 seconds).</summary>
        public TimeSpan DeadPeerDetectionInboundGap { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>3.12.2 QM SA idle timer: a child without traffic this long is deleted (note &lt;34&gt;: 5 minutes; 1 with fast failover).</summary>
        public TimeSpan ChildIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
    }
}
