using IkeExtensions.Wire.V2;

namespace IkeExtensions.Management.Dissection
{
    /// <summary>
    /// IKEv2 numbers to names (IANA "IKEv2 Parameters": RFC 7296 §3, RFC 4106, RFC 4868, RFC 7383, RFC 7427, RFC 7651)
    /// plus MS-IKEE's private values (2.2.7 notify, 2.2.8 configuration attributes).
    /// </summary>
    internal static class IkeV2Names
    {
        public static string? Protocol(ProtocolIdV2 id) => id switch
        {
            ProtocolIdV2.Ike => "IKE",
            ProtocolIdV2.Ah => "AH",
            ProtocolIdV2.Esp => "ESP",
            _ => null,
        };

        public static string? TransformType(TransformType type) => type switch
        {
            Wire.V2.TransformType.Encryption => "ENCR",
            Wire.V2.TransformType.PseudoRandomFunction => "PRF",
            Wire.V2.TransformType.Integrity => "INTEG",
            Wire.V2.TransformType.DiffieHellmanGroup => "D-H",
            Wire.V2.TransformType.ExtendedSequenceNumbers => "ESN",
            _ => null,
        };

        public static string? TransformId(TransformType type, ushort id) => type switch
        {
            Wire.V2.TransformType.Encryption => id switch
            {
                1 => "ENCR_DES_IV64", 2 => "ENCR_DES", 3 => "ENCR_3DES", 4 => "ENCR_RC5", 5 => "ENCR_IDEA", 6 => "ENCR_CAST",
                7 => "ENCR_BLOWFISH", 8 => "ENCR_3IDEA", 9 => "ENCR_DES_IV32", 11 => "ENCR_NULL", 12 => "ENCR_AES_CBC",
                13 => "ENCR_AES_CTR", 14 => "ENCR_AES_CCM_8", 15 => "ENCR_AES_CCM_12", 16 => "ENCR_AES_CCM_16",
                18 => "ENCR_AES_GCM_8", 19 => "ENCR_AES_GCM_12", 20 => "ENCR_AES_GCM_16", 21 => "ENCR_NULL_AUTH_AES_GMAC",
                23 => "ENCR_CAMELLIA_CBC", 24 => "ENCR_CAMELLIA_CTR", 25 => "ENCR_CAMELLIA_CCM_8", 26 => "ENCR_CAMELLIA_CCM_12",
                27 => "ENCR_CAMELLIA_CCM_16", 28 => "ENCR_CHACHA20_POLY1305",
                _ => null,
            },
            Wire.V2.TransformType.PseudoRandomFunction => id switch
            {
                1 => "PRF_HMAC_MD5", 2 => "PRF_HMAC_SHA1", 3 => "PRF_HMAC_TIGER", 4 => "PRF_AES128_XCBC", 5 => "PRF_HMAC_SHA2_256",
                6 => "PRF_HMAC_SHA2_384", 7 => "PRF_HMAC_SHA2_512", 8 => "PRF_AES128_CMAC",
                _ => null,
            },
            Wire.V2.TransformType.Integrity => id switch
            {
                0 => "NONE", 1 => "AUTH_HMAC_MD5_96", 2 => "AUTH_HMAC_SHA1_96", 3 => "AUTH_DES_MAC", 4 => "AUTH_KPDK_MD5",
                5 => "AUTH_AES_XCBC_96", 6 => "AUTH_HMAC_MD5_128", 7 => "AUTH_HMAC_SHA1_160", 8 => "AUTH_AES_CMAC_96",
                9 => "AUTH_AES_128_GMAC", 10 => "AUTH_AES_192_GMAC", 11 => "AUTH_AES_256_GMAC", 12 => "AUTH_HMAC_SHA2_256_128",
                13 => "AUTH_HMAC_SHA2_384_192", 14 => "AUTH_HMAC_SHA2_512_256",
                _ => null,
            },
            Wire.V2.TransformType.DiffieHellmanGroup => CommonNames.DhGroup(id),
            Wire.V2.TransformType.ExtendedSequenceNumbers => id switch { 0 => "No ESN", 1 => "ESN", _ => null },
            _ => null,
        };

        /// <summary>Transform attribute types (RFC 7296 §3.3.5): only Key Length is defined.</summary>
        public static string? TransformAttribute(ushort type) => type == 14 ? "Key Length" : null;

        public static string? AuthMethod(AuthMethod method) => (byte)method switch
        {
            1 => "RSA Digital Signature",
            2 => "Shared Key Message Integrity Code",
            3 => "DSS Digital Signature",
            9 => "ECDSA with SHA-256 on P-256",
            10 => "ECDSA with SHA-384 on P-384",
            11 => "ECDSA with SHA-512 on P-521",
            12 => "Generic Secure Password Authentication Method",
            13 => "NULL Authentication",
            14 => "Digital Signature",
            _ => null,
        };

        public static string? IdType(byte type) => type switch
        {
            1 => "ID_IPV4_ADDR", 2 => "ID_FQDN", 3 => "ID_RFC822_ADDR", 5 => "ID_IPV6_ADDR", 9 => "ID_DER_ASN1_DN",
            10 => "ID_DER_ASN1_GN", 11 => "ID_KEY_ID", 12 => "ID_FC_NAME", 13 => "ID_NULL",
            _ => null,
        };

        public static string? TrafficSelectorType(byte type) => type switch
        {
            7 => "TS_IPV4_ADDR_RANGE", 8 => "TS_IPV6_ADDR_RANGE", 9 => "TS_FC_ADDR_RANGE", _ => null,
        };

        public static string? ConfigurationType(ConfigurationType type) => type switch
        {
            Wire.V2.ConfigurationType.Request => "CFG_REQUEST",
            Wire.V2.ConfigurationType.Reply => "CFG_REPLY",
            Wire.V2.ConfigurationType.Set => "CFG_SET",
            Wire.V2.ConfigurationType.Ack => "CFG_ACK",
            _ => null,
        };

        public static string? ConfigurationAttribute(ConfigurationAttributeType type) => (ushort)type switch
        {
            1 => "INTERNAL_IP4_ADDRESS", 2 => "INTERNAL_IP4_NETMASK", 3 => "INTERNAL_IP4_DNS", 4 => "INTERNAL_IP4_NBNS",
            6 => "INTERNAL_IP4_DHCP", 7 => "APPLICATION_VERSION", 8 => "INTERNAL_IP6_ADDRESS", 10 => "INTERNAL_IP6_DNS",
            12 => "INTERNAL_IP6_DHCP", 13 => "INTERNAL_IP4_SUBNET", 14 => "SUPPORTED_ATTRIBUTES", 15 => "INTERNAL_IP6_SUBNET",
            16 => "MIP6_HOME_PREFIX", 17 => "INTERNAL_IP6_LINK", 18 => "INTERNAL_IP6_PREFIX", 19 => "HOME_AGENT_ADDRESS",
            20 => "P_CSCF_IP4_ADDRESS", 21 => "P_CSCF_IP6_ADDRESS", 22 => "FTT_KAT", 23 => "EXTERNAL_SOURCE_IP4_NAT_INFO",
            24 => "TIMEOUT_PERIOD_FOR_LIVENESS_CHECK", 25 => "INTERNAL_DNS_DOMAIN", 26 => "INTERNAL_DNSSEC_TA",
            0x5BA0 => "INTERNAL_IP4_SERVER (MS-IKEE)", 0x5BA1 => "INTERNAL_IP6_SERVER (MS-IKEE)",
            _ => null,
        };

        /// <summary>Hash algorithms of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §7).</summary>
        public static string? HashAlgorithm(ushort id) => id switch
        {
            0 => "reserved", 1 => "SHA1", 2 => "SHA2-256", 3 => "SHA2-384", 4 => "SHA2-512", 5 => "Identity", 6 => "STREEBOG_256",
            7 => "STREEBOG_512",
            _ => null,
        };

        public static string? Notify(ushort type) => type switch
        {
            1 => "UNSUPPORTED_CRITICAL_PAYLOAD", 4 => "INVALID_IKE_SPI", 5 => "INVALID_MAJOR_VERSION", 7 => "INVALID_SYNTAX",
            9 => "INVALID_MESSAGE_ID", 11 => "INVALID_SPI", 14 => "NO_PROPOSAL_CHOSEN", 17 => "INVALID_KE_PAYLOAD",
            24 => "AUTHENTICATION_FAILED", 34 => "SINGLE_PAIR_REQUIRED", 35 => "NO_ADDITIONAL_SAS", 36 => "INTERNAL_ADDRESS_FAILURE",
            37 => "FAILED_CP_REQUIRED", 38 => "TS_UNACCEPTABLE", 39 => "INVALID_SELECTORS", 40 => "UNACCEPTABLE_ADDRESSES",
            41 => "UNEXPECTED_NAT_DETECTED", 42 => "USE_ASSIGNED_HoA", 43 => "TEMPORARY_FAILURE", 44 => "CHILD_SA_NOT_FOUND",
            45 => "INVALID_GROUP_ID", 46 => "AUTHORIZATION_FAILED", 47 => "STATE_NOT_FOUND",
            0x3039 => "NOTIFY_STATUS (MS-IKEE)",
            16384 => "INITIAL_CONTACT", 16385 => "SET_WINDOW_SIZE", 16386 => "ADDITIONAL_TS_POSSIBLE", 16387 => "IPCOMP_SUPPORTED",
            16388 => "NAT_DETECTION_SOURCE_IP", 16389 => "NAT_DETECTION_DESTINATION_IP", 16390 => "COOKIE",
            16391 => "USE_TRANSPORT_MODE", 16392 => "HTTP_CERT_LOOKUP_SUPPORTED", 16393 => "REKEY_SA",
            16394 => "ESP_TFC_PADDING_NOT_SUPPORTED", 16395 => "NON_FIRST_FRAGMENTS_ALSO", 16396 => "MOBIKE_SUPPORTED",
            16397 => "ADDITIONAL_IP4_ADDRESS", 16398 => "ADDITIONAL_IP6_ADDRESS", 16399 => "NO_ADDITIONAL_ADDRESSES",
            16400 => "UPDATE_SA_ADDRESSES", 16401 => "COOKIE2", 16402 => "NO_NATS_ALLOWED", 16403 => "AUTH_LIFETIME",
            16404 => "MULTIPLE_AUTH_SUPPORTED", 16405 => "ANOTHER_AUTH_FOLLOWS", 16406 => "REDIRECT_SUPPORTED",
            16407 => "REDIRECT", 16408 => "REDIRECTED_FROM", 16409 => "TICKET_LT_OPAQUE", 16410 => "TICKET_REQUEST",
            16411 => "TICKET_ACK", 16412 => "TICKET_NACK", 16413 => "TICKET_OPAQUE", 16414 => "LINK_ID", 16415 => "USE_WESP_MODE",
            16416 => "ROHC_SUPPORTED", 16417 => "EAP_ONLY_AUTHENTICATION", 16418 => "CHILDLESS_IKEV2_SUPPORTED",
            16419 => "QUICK_CRASH_DETECTION", 16420 => "IKEV2_MESSAGE_ID_SYNC_SUPPORTED", 16421 => "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED",
            16422 => "IKEV2_MESSAGE_ID_SYNC", 16423 => "IPSEC_REPLAY_COUNTER_SYNC", 16424 => "SECURE_PASSWORD_METHODS",
            16425 => "PSK_PERSIST", 16426 => "PSK_CONFIRM", 16427 => "ERX_SUPPORTED", 16428 => "IFOM_CAPABILITY",
            16429 => "SENDER_REQUEST_ID", 16430 => "IKEV2_FRAGMENTATION_SUPPORTED", 16431 => "SIGNATURE_HASH_ALGORITHMS",
            16432 => "CLONE_IKE_SA_SUPPORTED", 16433 => "CLONE_IKE_SA", 16434 => "PUZZLE", 16435 => "USE_PPK",
            16436 => "PPK_IDENTITY", 16437 => "NO_PPK_AUTH", 16438 => "INTERMEDIATE_EXCHANGE_SUPPORTED",
            16439 => "IP4_ALLOWED", 16440 => "IP6_ALLOWED", 16441 => "ADDITIONAL_KEY_EXCHANGE", 16442 => "USE_AGGFRAG",
            _ => null,
        };
    }
}
