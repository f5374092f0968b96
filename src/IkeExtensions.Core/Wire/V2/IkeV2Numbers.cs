namespace IkeExtensions.Wire.V2
{
    // IANA "Internet Key Exchange Version 2 (IKEv2) Parameters" (RFC 7296 §3, RFC 7383) plus MS-IKEE's private values.

    public enum TransformType : byte
    {
        Encryption = 1,
        PseudoRandomFunction = 2,
        Integrity = 3,
        DiffieHellmanGroup = 4,
        ExtendedSequenceNumbers = 5,
    }

    public enum ProtocolIdV2 : byte
    {
        Ike = 1,
        Ah = 2,
        Esp = 3,
    }

    public enum AuthMethod : byte
    {
        RsaDigitalSignature = 1,
        SharedKeyMic = 2,
        DssDigitalSignature = 3,
        EcdsaSha256P256 = 9,
        EcdsaSha384P384 = 10,
        EcdsaSha512P521 = 11,
        DigitalSignature = 14,
    }

    /// <summary>IKEv2 notify types (RFC 7296 §3.10.1, RFC 7383, MS-IKEE 2.2.7 and 2.2.11.1).</summary>
    public enum NotifyTypeV2 : ushort
    {
        UnsupportedCriticalPayload = 1,
        InvalidIkeSpi = 4,
        InvalidMajorVersion = 5,
        InvalidSyntax = 7,
        InvalidMessageId = 9,
        InvalidSpi = 11,
        NoProposalChosen = 14,
        InvalidKePayload = 17,
        AuthenticationFailed = 24,
        SinglePairRequired = 34,
        NoAdditionalSas = 35,
        InternalAddressFailure = 36,
        FailedCpRequired = 37,
        TsUnacceptable = 38,
        InvalidSelectors = 39,
        TemporaryFailure = 43,
        ChildSaNotFound = 44,
        /// <summary>MS-IKEE 2.2.7: a private failure status (an MS-ERREF code).</summary>
        MsNotifyStatus = 0x3039,
        InitialContact = 16384,
        SetWindowSize = 16385,
        AdditionalTsPossible = 16386,
        IpcompSupported = 16387,
        NatDetectionSourceIp = 16388,
        NatDetectionDestinationIp = 16389,
        Cookie = 16390,
        UseTransportMode = 16391,
        HttpCertLookupSupported = 16392,
        RekeySa = 16393,
        EspTfcPaddingNotSupported = 16394,
        NonFirstFragmentsAlso = 16395,
        MobikeSupported = 16396,
        MultipleAuthSupported = 16404,
        RedirectSupported = 16406,
        IkeV2FragmentationSupported = 16430,
        SignatureHashAlgorithms = 16431,
        ChildlessIkeV2Supported = 16418,
    }

    /// <summary>Configuration payload attribute types (RFC 7296 §3.15.1, RFC 7651 P-CSCF, MS-IKEE 2.2.8).</summary>
    public enum ConfigurationAttributeType : ushort
    {
        InternalIp4Address = 1,
        InternalIp4Netmask = 2,
        InternalIp4Dns = 3,
        InternalIp4Nbns = 4,
        InternalIp4Dhcp = 6,
        ApplicationVersion = 7,
        InternalIp6Address = 8,
        InternalIp6Dns = 10,
        InternalIp6Dhcp = 12,
        InternalIp4Subnet = 13,
        SupportedAttributes = 14,
        InternalIp6Subnet = 15,
        /// <summary>RFC 7651.</summary>
        PCscfIp4Address = 20,
        /// <summary>RFC 7651.</summary>
        PCscfIp6Address = 21,
        /// <summary>MS-IKEE 2.2.8: internal IPv4 address of the server.</summary>
        InternalIp4Server = 0x5BA0,
        /// <summary>MS-IKEE 2.2.8: internal IPv6 address of the server.</summary>
        InternalIp6Server = 0x5BA1,
    }

    public enum ConfigurationType : byte
    {
        Request = 1,
        Reply = 2,
        Set = 3,
        Ack = 4,
    }

    public enum TrafficSelectorType : byte
    {
        Ipv4AddressRange = 7,
        Ipv6AddressRange = 8,
    }
}
