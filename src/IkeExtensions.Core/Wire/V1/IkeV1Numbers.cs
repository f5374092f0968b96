namespace IkeExtensions.Wire.V1
{
    // IANA "Internet Key Exchange (IKE) Attributes" and "ISAKMP" registries (RFC 2407, 2408, 2409, 3947), with the
    // private-range values MS-IKEE adds (sections 2.2.2, 2.2.4, 2.2.5, 2.2.6).

    /// <summary>Protocol identifiers (RFC 2407 §4.4.1).</summary>
    public enum ProtocolId : byte
    {
        Isakmp = 1,
        IpsecAh = 2,
        IpsecEsp = 3,
        IpComp = 4,
    }

    /// <summary>Phase 1 SA attribute classes (RFC 2409 Appendix A).</summary>
    public enum IkeAttributeType : ushort
    {
        EncryptionAlgorithm = 1,
        HashAlgorithm = 2,
        AuthenticationMethod = 3,
        GroupDescription = 4,
        GroupType = 5,
        GroupPrime = 6,
        GroupGeneratorOne = 7,
        GroupGeneratorTwo = 8,
        GroupCurveA = 9,
        GroupCurveB = 10,
        LifeType = 11,
        LifeDuration = 12,
        Prf = 13,
        KeyLength = 14,
        FieldSize = 15,
        GroupOrder = 16,
    }

    public enum IkeEncryptionAlgorithm : ushort
    {
        DesCbc = 1,
        IdeaCbc = 2,
        BlowfishCbc = 3,
        Rc5R16B64Cbc = 4,
        TripleDesCbc = 5,
        CastCbc = 6,
        AesCbc = 7,
        CamelliaCbc = 8,
    }

    public enum IkeHashAlgorithm : ushort
    {
        Md5 = 1,
        Sha1 = 2,
        Tiger = 3,
        Sha2_256 = 4,
        Sha2_384 = 5,
        Sha2_512 = 6,
    }

    public enum IkeAuthenticationMethod : ushort
    {
        PreSharedKey = 1,
        DssSignatures = 2,
        RsaSignatures = 3,
        RsaEncryption = 4,
        RevisedRsaEncryption = 5,
        EcdsaSha256P256 = 9,
        EcdsaSha384P384 = 10,
        EcdsaSha512P521 = 11,
        /// <summary>Kerberos (GSS-API) as Windows negotiates it (MS-IKEE 1.7, [GSS]).</summary>
        GssApiKerberos = 65001,
        /// <summary>AUTH_CGA (MS-IKEE 2.2.4).</summary>
        AuthCga = 0xFDED,
    }

    public enum LifeType : ushort
    {
        Seconds = 1,
        Kilobytes = 2,
    }

    /// <summary>IPsec DOI SA attributes (RFC 2407 §4.5).</summary>
    public enum IpsecAttributeType : ushort
    {
        SaLifeType = 1,
        SaLifeDuration = 2,
        GroupDescription = 3,
        EncapsulationMode = 4,
        AuthenticationAlgorithm = 5,
        KeyLength = 6,
        KeyRounds = 7,
        CompressDictionarySize = 8,
        CompressPrivateAlgorithm = 9,
    }

    /// <summary>Encapsulation modes (RFC 2407 §4.5, RFC 3947 §5, draft-ietf-ipsec-nat-t-ike-02; MS-IKEE 2.2.2).</summary>
    public enum EncapsulationMode : ushort
    {
        Tunnel = 1,
        Transport = 2,
        UdpEncapsulatedTunnel = 3,
        UdpEncapsulatedTransport = 4,
        UdpEncapsulatedTunnelDraft = 0xF003,
        UdpEncapsulatedTransportDraft = 0xF004,
    }

    /// <summary>IPsec authentication algorithms (RFC 2407 §4.5, RFC 4868).</summary>
    public enum IpsecAuthenticationAlgorithm : ushort
    {
        HmacMd5 = 1,
        HmacSha1 = 2,
        DesMac = 3,
        Kpdk = 4,
        HmacSha2_256 = 5,
        HmacSha2_384 = 6,
        HmacSha2_512 = 7,
        AesXcbcMac = 9,
    }

    /// <summary>ESP transform identifiers (RFC 2407 §4.4.4).</summary>
    public enum EspTransformId : byte
    {
        DesIv64 = 1,
        Des = 2,
        TripleDes = 3,
        Null = 11,
        Aes = 12,
        AesCtr = 13,
        AesCcm8 = 14,
        AesGcm8 = 18,
        AesGcm12 = 19,
        AesGcm16 = 20,
    }

    /// <summary>Identification types (RFC 2407 §4.6.2.1) plus ID_IPV6_CGA (MS-IKEE 2.2.5).</summary>
    public enum IdentificationType : byte
    {
        Ipv4Address = 1,
        Fqdn = 2,
        UserFqdn = 3,
        Ipv4AddressSubnet = 4,
        Ipv6Address = 5,
        Ipv6AddressSubnet = 6,
        Ipv4AddressRange = 7,
        Ipv6AddressRange = 8,
        DerAsn1Dn = 9,
        DerAsn1Gn = 10,
        KeyId = 11,
        Ipv6Cga = 0xFA,
    }

    /// <summary>Certificate encodings (RFC 2408 §3.9; shared with IKEv2 for the common values).</summary>
    public enum CertificateEncoding : byte
    {
        Pkcs7 = 1,
        Pgp = 2,
        DnsSignedKey = 3,
        X509Signature = 4,
        X509KeyExchange = 5,
        KerberosTokens = 6,
        Crl = 7,
        Arl = 8,
        Spki = 9,
        X509Attribute = 10,
        RawRsaKey = 11,
        HashAndUrlX509 = 12,
        HashAndUrlBundle = 13,
    }

    /// <summary>ISAKMP notify message types (RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706) and MS-IKEE 2.2.6's private ones.</summary>
    public enum NotifyMessageType : ushort
    {
        InvalidPayloadType = 1,
        DoiNotSupported = 2,
        SituationNotSupported = 3,
        InvalidCookie = 4,
        InvalidMajorVersion = 5,
        InvalidMinorVersion = 6,
        InvalidExchangeType = 7,
        InvalidFlags = 8,
        InvalidMessageId = 9,
        InvalidProtocolId = 10,
        InvalidSpi = 11,
        InvalidTransformId = 12,
        AttributesNotSupported = 13,
        NoProposalChosen = 14,
        BadProposalSyntax = 15,
        PayloadMalformed = 16,
        InvalidKeyInformation = 17,
        InvalidIdInformation = 18,
        InvalidCertEncoding = 19,
        InvalidCertificate = 20,
        CertTypeUnsupported = 21,
        InvalidCertAuthority = 22,
        InvalidHashInformation = 23,
        AuthenticationFailed = 24,
        InvalidSignature = 25,
        AddressNotification = 26,
        NotifySaLifetime = 27,
        CertificateUnavailable = 28,
        UnsupportedExchangeType = 29,
        UnequalPayloadLengths = 30,
        Connected = 16384,
        ResponderLifetime = 24576,
        ReplayStatus = 24577,
        InitialContact = 24578,
        DpdRUThere = 36136,
        DpdRUThereAck = 36137,
        /// <summary>MS-IKEE 2.2.6: a failure status code (an MS-ERREF value).</summary>
        NotifyStatus = 0x9C43,
        /// <summary>MS-IKEE 2.2.6: DoS protection cookie (MS-IKEE 3.9).</summary>
        NotifyDosCookie = 0x9C44,
        /// <summary>MS-IKEE 2.2.6: negotiation discovery flags (MS-IKEE 3.7).</summary>
        ExchangeInfo = 0x9C45,
    }

    /// <summary>EXCHANGE_INFO notification data flags (MS-IKEE 2.2.6).</summary>
    [System.Flags]
    public enum ExchangeInfoFlags : uint
    {
        None = 0,
        NdBoundary = 0x00000001,
        GuaranteeEncryption = 0x00000002,
    }

    /// <summary>The IPsec DOI (RFC 2407 §4.2).</summary>
    public static class Doi
    {
        public const uint Isakmp = 0;
        public const uint IpsecDoi = 1;
        /// <summary>SIT_IDENTITY_ONLY (RFC 2407 §4.2.1).</summary>
        public const uint SituationIdentityOnly = 1;
    }
}
