namespace IkeExtensions.Wire
{
    /// <summary>
    /// Payload type numbers of ISAKMP/IKEv1 (RFC 2408 §3.1, RFC 3947, MS-IKEE 2.2.1/2.2.3.1) and IKEv2 (RFC 7296 §3.2,
    /// RFC 7383, MS-IKEE 2.2.9). The two versions use disjoint ranges, so one enum names both; which ones a message may
    /// carry is decided by its version (<see cref="PayloadTypes.IsKnown"/>).
    /// </summary>
    public enum PayloadType : byte
    {
        None = 0,

        // IKEv1 (RFC 2408 §3.1)
        SecurityAssociation = 1,
        Proposal = 2,
        Transform = 3,
        KeyExchange = 4,
        Identification = 5,
        Certificate = 6,
        CertificateRequest = 7,
        Hash = 8,
        Signature = 9,
        Nonce = 10,
        Notification = 11,
        Delete = 12,
        VendorId = 13,
        /// <summary>RFC 3947 NAT-D.</summary>
        NatDiscovery = 20,
        /// <summary>RFC 3947 NAT-OA.</summary>
        NatOriginalAddress = 21,
        /// <summary>draft-ietf-ipsec-nat-t-ike-02/03 NAT-D (MS-IKEE 2.2.1).</summary>
        NatDiscoveryDraft = 0x82,
        /// <summary>draft-ietf-ipsec-nat-t-ike-02/03 NAT-OA (MS-IKEE 2.2.1).</summary>
        NatOriginalAddressDraft = 0x83,
        /// <summary>IKEv1 Fragment payload (MS-IKEE 2.2.3.1).</summary>
        Fragment = 0x84,

        // IKEv2 (RFC 7296 §3.2)
        SecurityAssociationV2 = 33,
        KeyExchangeV2 = 34,
        IdentificationInitiator = 35,
        IdentificationResponder = 36,
        CertificateV2 = 37,
        CertificateRequestV2 = 38,
        Authentication = 39,
        NonceV2 = 40,
        Notify = 41,
        DeleteV2 = 42,
        VendorIdV2 = 43,
        TrafficSelectorInitiator = 44,
        TrafficSelectorResponder = 45,
        Encrypted = 46,
        Configuration = 47,
        ExtensibleAuthentication = 48,
        /// <summary>RFC 7383 Encrypted Fragment (MS-IKEE 2.2.11.2).</summary>
        EncryptedFragment = 53,
        /// <summary>MS-IKEE 2.2.9 Correlation payload.</summary>
        Correlation = 0xC8,
    }

    public static class PayloadTypes
    {
        /// <summary>True when the codec has a typed decoder for <paramref name="type"/> at the top level of a message of this major version.</summary>
        public static bool IsKnown(PayloadType type, int majorVersion)
        {
            byte t = (byte)type;
            if (majorVersion == 1)
                return (t >= 1 && t <= 13 && t != 2 && t != 3) || t == 20 || t == 21 || t == 0x82 || t == 0x83 || t == 0x84;
            return (t >= 33 && t <= 48) || t == 53 || t == 0xC8;
        }

        /// <summary>Short names as Wireshark and strongSwan print them, for logs and the dissector.</summary>
        public static string ShortName(PayloadType type) => type switch
        {
            PayloadType.SecurityAssociation => "SA",
            PayloadType.Proposal => "P",
            PayloadType.Transform => "T",
            PayloadType.KeyExchange => "KE",
            PayloadType.Identification => "ID",
            PayloadType.Certificate => "CERT",
            PayloadType.CertificateRequest => "CR",
            PayloadType.Hash => "HASH",
            PayloadType.Signature => "SIG",
            PayloadType.Nonce => "NONCE",
            PayloadType.Notification => "N",
            PayloadType.Delete => "D",
            PayloadType.VendorId => "VID",
            PayloadType.NatDiscovery => "NAT-D",
            PayloadType.NatOriginalAddress => "NAT-OA",
            PayloadType.NatDiscoveryDraft => "NAT-D(draft)",
            PayloadType.NatOriginalAddressDraft => "NAT-OA(draft)",
            PayloadType.Fragment => "FRAG",
            PayloadType.SecurityAssociationV2 => "SA",
            PayloadType.KeyExchangeV2 => "KE",
            PayloadType.IdentificationInitiator => "IDi",
            PayloadType.IdentificationResponder => "IDr",
            PayloadType.CertificateV2 => "CERT",
            PayloadType.CertificateRequestV2 => "CERTREQ",
            PayloadType.Authentication => "AUTH",
            PayloadType.NonceV2 => "No",
            PayloadType.Notify => "N",
            PayloadType.DeleteV2 => "D",
            PayloadType.VendorIdV2 => "V",
            PayloadType.TrafficSelectorInitiator => "TSi",
            PayloadType.TrafficSelectorResponder => "TSr",
            PayloadType.Encrypted => "SK",
            PayloadType.Configuration => "CP",
            PayloadType.ExtensibleAuthentication => "EAP",
            PayloadType.EncryptedFragment => "SKF",
            PayloadType.Correlation => "CORR",
            _ => "(" + ((byte)type).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
        };
    }
}
