using IkeExtensions.Wire.V1;

namespace IkeExtensions.Management.Dissection
{
    /// <summary>
    /// IKEv1 numbers to names: protocol and transform IDs (RFC 2407 §4.4), phase 1 attributes (RFC 2409 App. A),
    /// IPsec DOI attributes (RFC 2407 §4.5, RFC 3947 §5), identification types (RFC 2407 §4.6.2.1), notify types
    /// (RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706) and MS-IKEE's private values.
    /// </summary>
    internal static class IkeV1Names
    {
        public static string? Protocol(ProtocolId id) => id switch
        {
            ProtocolId.Isakmp => "PROTO_ISAKMP",
            ProtocolId.IpsecAh => "PROTO_IPSEC_AH",
            ProtocolId.IpsecEsp => "PROTO_IPSEC_ESP",
            ProtocolId.IpComp => "PROTO_IPCOMP",
            _ => null,
        };

        public static string? Doi(uint doi) => doi switch { 0 => "ISAKMP", 1 => "IPsec", _ => null };

        public static string Situation(uint situation)
        {
            var names = new System.Collections.Generic.List<string>();
            if ((situation & 1) != 0) names.Add("SIT_IDENTITY_ONLY");
            if ((situation & 2) != 0) names.Add("SIT_SECRECY");
            if ((situation & 4) != 0) names.Add("SIT_INTEGRITY");
            return (names.Count == 0 ? "none" : string.Join("|", names)) + " (0x" + situation.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ")";
        }

        public static string? TransformId(ProtocolId protocol, byte id) => protocol switch
        {
            ProtocolId.Isakmp => id == 1 ? "KEY_IKE" : null,
            ProtocolId.IpsecAh => id switch
            {
                2 => "AH_MD5", 3 => "AH_SHA", 4 => "AH_DES", 5 => "AH_SHA2-256", 6 => "AH_SHA2-384", 7 => "AH_SHA2-512",
                8 => "AH_RIPEMD", 9 => "AH_AES-XCBC-MAC", 10 => "AH_RSA", 11 => "AH_AES-128-GMAC", 12 => "AH_AES-192-GMAC", 13 => "AH_AES-256-GMAC",
                _ => null,
            },
            ProtocolId.IpsecEsp => id switch
            {
                1 => "ESP_DES_IV64", 2 => "ESP_DES", 3 => "ESP_3DES", 4 => "ESP_RC5", 5 => "ESP_IDEA", 6 => "ESP_CAST", 7 => "ESP_BLOWFISH",
                8 => "ESP_3IDEA", 9 => "ESP_DES_IV32", 10 => "ESP_RC4", 11 => "ESP_NULL", 12 => "ESP_AES-CBC", 13 => "ESP_AES-CTR",
                14 => "ESP_AES-CCM_8", 15 => "ESP_AES-CCM_12", 16 => "ESP_AES-CCM_16", 18 => "ESP_AES-GCM_8", 19 => "ESP_AES-GCM_12",
                20 => "ESP_AES-GCM_16", 21 => "ESP_SEED_CBC", 22 => "ESP_CAMELLIA", 23 => "ESP_NULL_AUTH_AES-GMAC",
                _ => null,
            },
            ProtocolId.IpComp => id switch { 1 => "IPCOMP_OUI", 2 => "IPCOMP_DEFLATE", 3 => "IPCOMP_LZS", 4 => "IPCOMP_LZJH", _ => null },
            _ => null,
        };

        // ---- Phase 1 (ISAKMP SA) attributes, RFC 2409 Appendix A ----

        public static string? IkeAttribute(ushort type) => (IkeAttributeType)type switch
        {
            IkeAttributeType.EncryptionAlgorithm => "Encryption",
            IkeAttributeType.HashAlgorithm => "Hash",
            IkeAttributeType.AuthenticationMethod => "Authentication",
            IkeAttributeType.GroupDescription => "Group Description",
            IkeAttributeType.GroupType => "Group Type",
            IkeAttributeType.GroupPrime => "Group Prime/Irreducible Polynomial",
            IkeAttributeType.GroupGeneratorOne => "Group Generator One",
            IkeAttributeType.GroupGeneratorTwo => "Group Generator Two",
            IkeAttributeType.GroupCurveA => "Group Curve A",
            IkeAttributeType.GroupCurveB => "Group Curve B",
            IkeAttributeType.LifeType => "Life Type",
            IkeAttributeType.LifeDuration => "Life Duration",
            IkeAttributeType.Prf => "PRF",
            IkeAttributeType.KeyLength => "Key Length",
            IkeAttributeType.FieldSize => "Field Size",
            IkeAttributeType.GroupOrder => "Group Order",
            _ => null,
        };

        /// <summary>The name of a phase 1 attribute's value, for the attributes whose values are enumerations; null for numbers.</summary>
        public static string? IkeAttributeValue(ushort type, ulong value) => (IkeAttributeType)type switch
        {
            IkeAttributeType.EncryptionAlgorithm => value switch
            {
                1 => "DES-CBC", 2 => "IDEA-CBC", 3 => "Blowfish-CBC", 4 => "RC5-R16-B64-CBC", 5 => "3DES-CBC", 6 => "CAST-CBC",
                7 => "AES-CBC", 8 => "Camellia-CBC", _ => "unknown",
            },
            IkeAttributeType.HashAlgorithm => value switch
            {
                1 => "MD5", 2 => "SHA", 3 => "Tiger", 4 => "SHA2-256", 5 => "SHA2-384", 6 => "SHA2-512", _ => "unknown",
            },
            IkeAttributeType.AuthenticationMethod => value switch
            {
                1 => "PSK", 2 => "DSS-SIG", 3 => "RSA-SIG", 4 => "RSA-ENC", 5 => "RSA-ENC-REV", 9 => "ECDSA-SHA256-P256",
                10 => "ECDSA-SHA384-P384", 11 => "ECDSA-SHA512-P521",
                // 65001 is XAUTHInitPreShared in the IANA registry; Windows uses it for Kerberos (MS-IKEE 1.7).
                65001 => "Kerberos (GSS-API, MS-IKEE) / XAUTHInitPreShared",
                65002 => "XAUTHRespPreShared", 65003 => "XAUTHInitDSS", 65004 => "XAUTHRespDSS", 65005 => "AUTH_CGA (MS-IKEE)",
                65006 => "XAUTHRespRSA", 65007 => "XAUTHInitRSAEncryption", 65008 => "XAUTHRespRSAEncryption",
                65009 => "XAUTHInitRSARevisedEncryption", 65010 => "XAUTHRespRSARevisedEncryption",
                _ => "unknown",
            },
            IkeAttributeType.GroupDescription => CommonNames.DhGroup(value) ?? "unknown",
            IkeAttributeType.GroupType => value switch { 1 => "MODP", 2 => "ECP", 3 => "EC2N", _ => "unknown" },
            IkeAttributeType.LifeType => LifeType(value),
            _ => null,
        };

        // ---- IPsec DOI (phase 2) attributes, RFC 2407 §4.5 ----

        public static string? IpsecAttribute(ushort type) => (IpsecAttributeType)type switch
        {
            IpsecAttributeType.SaLifeType => "SA Life Type",
            IpsecAttributeType.SaLifeDuration => "SA Life Duration",
            IpsecAttributeType.GroupDescription => "Group Description",
            IpsecAttributeType.EncapsulationMode => "Encapsulation Mode",
            IpsecAttributeType.AuthenticationAlgorithm => "Authentication Algorithm",
            IpsecAttributeType.KeyLength => "Key Length",
            IpsecAttributeType.KeyRounds => "Key Rounds",
            IpsecAttributeType.CompressDictionarySize => "Compress Dictionary Size",
            IpsecAttributeType.CompressPrivateAlgorithm => "Compress Private Algorithm",
            (IpsecAttributeType)10 => "ECN Tunnel",
            (IpsecAttributeType)11 => "Extended (64-bit) Sequence Number",
            _ => null,
        };

        public static string? IpsecAttributeValue(ushort type, ulong value) => (IpsecAttributeType)type switch
        {
            IpsecAttributeType.SaLifeType => LifeType(value),
            IpsecAttributeType.GroupDescription => CommonNames.DhGroup(value) ?? "unknown",
            IpsecAttributeType.EncapsulationMode => value switch
            {
                1 => "Tunnel",
                2 => "Transport",
                3 => "UDP-Encapsulated-Tunnel (RFC 3947)",
                4 => "UDP-Encapsulated-Transport (RFC 3947)",
                0xF003 => "UDP-Encapsulated-Tunnel (draft-ietf-ipsec-nat-t-ike)",
                0xF004 => "UDP-Encapsulated-Transport (draft-ietf-ipsec-nat-t-ike)",
                _ => "unknown",
            },
            IpsecAttributeType.AuthenticationAlgorithm => value switch
            {
                1 => "HMAC-MD5", 2 => "HMAC-SHA", 3 => "DES-MAC", 4 => "KPDK", 5 => "HMAC-SHA2-256", 6 => "HMAC-SHA2-384",
                7 => "HMAC-SHA2-512", 8 => "HMAC-RIPEMD", 9 => "AES-XCBC-MAC", 10 => "SIG-RSA", 11 => "AES-128-GMAC",
                12 => "AES-192-GMAC", 13 => "AES-256-GMAC", _ => "unknown",
            },
            (IpsecAttributeType)10 => value switch { 1 => "Allowed", 2 => "Forbidden", _ => "unknown" },
            _ => null,
        };

        private static string LifeType(ulong value) => value switch { 1 => "seconds", 2 => "kilobytes", _ => "unknown" };

        // ---- Identification and notification ----

        public static string? IdType(byte type) => type switch
        {
            1 => "ID_IPV4_ADDR", 2 => "ID_FQDN", 3 => "ID_USER_FQDN", 4 => "ID_IPV4_ADDR_SUBNET", 5 => "ID_IPV6_ADDR",
            6 => "ID_IPV6_ADDR_SUBNET", 7 => "ID_IPV4_ADDR_RANGE", 8 => "ID_IPV6_ADDR_RANGE", 9 => "ID_DER_ASN1_DN",
            10 => "ID_DER_ASN1_GN", 11 => "ID_KEY_ID", 0xFA => "ID_IPV6_CGA (MS-IKEE)",
            _ => null,
        };

        public static string? Notify(ushort type) => type switch
        {
            1 => "INVALID-PAYLOAD-TYPE", 2 => "DOI-NOT-SUPPORTED", 3 => "SITUATION-NOT-SUPPORTED", 4 => "INVALID-COOKIE",
            5 => "INVALID-MAJOR-VERSION", 6 => "INVALID-MINOR-VERSION", 7 => "INVALID-EXCHANGE-TYPE", 8 => "INVALID-FLAGS",
            9 => "INVALID-MESSAGE-ID", 10 => "INVALID-PROTOCOL-ID", 11 => "INVALID-SPI", 12 => "INVALID-TRANSFORM-ID",
            13 => "ATTRIBUTES-NOT-SUPPORTED", 14 => "NO-PROPOSAL-CHOSEN", 15 => "BAD-PROPOSAL-SYNTAX", 16 => "PAYLOAD-MALFORMED",
            17 => "INVALID-KEY-INFORMATION", 18 => "INVALID-ID-INFORMATION", 19 => "INVALID-CERT-ENCODING", 20 => "INVALID-CERTIFICATE",
            21 => "CERT-TYPE-UNSUPPORTED", 22 => "INVALID-CERT-AUTHORITY", 23 => "INVALID-HASH-INFORMATION", 24 => "AUTHENTICATION-FAILED",
            25 => "INVALID-SIGNATURE", 26 => "ADDRESS-NOTIFICATION", 27 => "NOTIFY-SA-LIFETIME", 28 => "CERTIFICATE-UNAVAILABLE",
            29 => "UNSUPPORTED-EXCHANGE-TYPE", 30 => "UNEQUAL-PAYLOAD-LENGTHS",
            16384 => "CONNECTED", 24576 => "RESPONDER-LIFETIME", 24577 => "REPLAY-STATUS", 24578 => "INITIAL-CONTACT",
            36136 => "R-U-THERE", 36137 => "R-U-THERE-ACK",
            0x9C43 => "NOTIFY_STATUS (MS-IKEE)", 0x9C44 => "NOTIFY_DOS_COOKIE (MS-IKEE)", 0x9C45 => "EXCHANGE_INFO (MS-IKEE)",
            _ => null,
        };

        /// <summary>EXCHANGE_INFO flags (MS-IKEE 2.2.6).</summary>
        public static string ExchangeInfoFlags(uint flags)
        {
            var names = new System.Collections.Generic.List<string>();
            if ((flags & (uint)Wire.V1.ExchangeInfoFlags.NdBoundary) != 0) names.Add("ND_BOUNDARY");
            if ((flags & (uint)Wire.V1.ExchangeInfoFlags.GuaranteeEncryption) != 0) names.Add("GUARANTEE_ENCRYPTION");
            uint rest = flags & ~3u;
            if (rest != 0) names.Add("0x" + rest.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            return "0x" + flags.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + (names.Count == 0 ? "" : " (" + string.Join("|", names) + ")");
        }
    }
}
