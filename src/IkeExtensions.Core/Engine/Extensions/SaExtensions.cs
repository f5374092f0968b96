using System;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// What the peer announced (by vendor ID) and what was negotiated — strongSwan's EXT_* bits. Set by one extension
    /// handler, consulted by the others, shown on the MM SA row.
    /// </summary>
    [Flags]
    public enum SaExtensions : uint
    {
        None = 0,
        /// <summary>"MS NT5 ISAKMPOAKLEY" (MS-IKEE 1.7): reliable delete, the notify Message-ID rule, IV rule of note 12.</summary>
        MicrosoftImplementation = 1 << 0,
        NatTraversalRfc3947 = 1 << 1,
        NatTraversalDraft02 = 1 << 2,
        /// <summary>"FRAGMENTATION" (MS-IKEE 3.3).</summary>
        Fragmentation = 1 << 3,
        /// <summary>"IKE CGA version 1" (MS-IKEE 3.4).</summary>
        CgaCapable = 1 << 4,
        /// <summary>"MS-Negotiation Discovery Capable" (MS-IKEE 3.7).</summary>
        NegotiationDiscovery = 1 << 5,
        /// <summary>"NLBS_PRESENT" (MS-IKEE 3.6): the peer is a fast-failover cluster.</summary>
        NlbsPresent = 1 << 6,
        /// <summary>"Vid-Initial-Contact" (MS-IKEE 3.5).</summary>
        InitialContact = 1 << 7,
        /// <summary>"MS-MamieExists": AuthIP is available (MS-IKEE 1.3.8); recognised and reported only.</summary>
        AuthIp = 1 << 8,
        /// <summary>"KEY_MODS" (keying modules the peer supports); recognised and reported only.</summary>
        KeyModules = 1 << 9,
        /// <summary>RFC 3706 dead peer detection.</summary>
        DeadPeerDetection = 1 << 10,
    }

    /// <summary>Facts found during the exchange (strongSwan's COND_*).</summary>
    [Flags]
    public enum SaConditions : uint
    {
        None = 0,
        /// <summary>We are behind a NAT (our NAT-D hash did not match what the peer saw).</summary>
        NatHere = 1 << 0,
        /// <summary>The peer is behind a NAT.</summary>
        NatThere = 1 << 1,
        /// <summary>The exchange moved to the NAT-T port with the non-ESP marker (RFC 3947 §4).</summary>
        FloatedToNatPort = 1 << 2,
    }
}
