namespace IkeExtensions.Wire.VendorIds
{
    /// <summary>Vendor IDs the engine knows. MS-IKEE's product-behaviour table (footnote 6 to section 1.7) first, then common ones.</summary>
    public enum VendorIdKind
    {
        Unknown = 0,
        /// <summary>"MS NT5 ISAKMPOAKLEY" + 4-byte Windows version (MS-IKEE 1.7 note 6).</summary>
        MicrosoftImplementation,
        /// <summary>"KEY_MODS" + keying module (0 IKE, 1 AuthIP, 2 IKEv2).</summary>
        KeyModules,
        /// <summary>"AUTHIP_INIT_KE_DH_GROUP" + IKEEXT DH group.</summary>
        AuthIpInitiatorDhGroup,
        /// <summary>"GSSAPI": Kerberos authentication supported.</summary>
        GssApi,
        /// <summary>"Vid-Initial-Contact" (MS-IKEE 3.5, fast failover).</summary>
        VidInitialContact,
        /// <summary>"NLBS_PRESENT" (MS-IKEE 3.6, fast failover server).</summary>
        NlbsPresent,
        /// <summary>"FRAGMENTATION" (MS-IKEE 3.3); 16 bytes, or 20 with capability flags as strongSwan sends it.</summary>
        Fragmentation,
        /// <summary>"draft-ietf-ipsec-nat-t-ike-02\n" (MS-IKEE 3.2).</summary>
        NatTraversalDraft02,
        /// <summary>"RFC 3947" (MS-IKEE 3.2).</summary>
        NatTraversalRfc3947,
        /// <summary>"MS-MamieExists": AuthIP supported (MS-IKEE 1.3.8).</summary>
        MsMamieExists,
        /// <summary>"IKE CGA version 1" (MS-IKEE 3.4).</summary>
        IkeCgaVersion1,
        /// <summary>"MS-Negotiation Discovery Capable" (MS-IKEE 3.7).</summary>
        NegotiationDiscoveryCapable,
        /// <summary>"Microsoft Xbox One 2013" (MS-IKEE 3.13.5.1).</summary>
        XboxOne2013,
        /// <summary>"Xbox IKEv2 Negotiation" + 4-byte negotiation type (MS-IKEE 3.13.5.2).</summary>
        XboxIkev2Negotiation,
        /// <summary>"MSFT IPsec Security Realm Id" + realm ID (MS-IKEE 2.2.10).</summary>
        SecurityRealmId,

        /// <summary>RFC 3706 dead peer detection.</summary>
        DeadPeerDetection,
        /// <summary>"draft-ietf-ipsec-nat-t-ike-02" (without the newline).</summary>
        NatTraversalDraft02NoNewline,
        /// <summary>"draft-ietf-ipsec-nat-t-ike-03".</summary>
        NatTraversalDraft03,
        /// <summary>"draft-ietf-ipsra-isakmp-xauth-06.txt" (XAUTH).</summary>
        XAuth,
        /// <summary>Cisco Unity.</summary>
        CiscoUnity,
        /// <summary>MD5("strongSwan") as strongSwan sends with send_vendor_id.</summary>
        StrongSwan,
    }
}
