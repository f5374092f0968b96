namespace IkeExtensions.Wire
{
    /// <summary>Exchange types of IKEv1 (RFC 2408 §3.1, RFC 2409) and IKEv2 (RFC 7296 §3.1).</summary>
    public enum ExchangeType : byte
    {
        None = 0,
        Base = 1,
        /// <summary>Identity Protection: IKEv1 Main Mode.</summary>
        IdentityProtection = 2,
        AuthenticationOnly = 3,
        Aggressive = 4,
        Informational = 5,
        /// <summary>ISAKMP Configuration Method (draft-dukes-ike-mode-cfg).</summary>
        Transaction = 6,
        QuickMode = 32,
        NewGroupMode = 33,
        IkeSaInit = 34,
        IkeAuth = 35,
        CreateChildSa = 36,
        InformationalV2 = 37,
    }

    /// <summary>ISAKMP header flags (RFC 2408 §3.1) and IKEv2 header flags (RFC 7296 §3.1) share the one octet.</summary>
    [System.Flags]
    public enum HeaderFlags : byte
    {
        None = 0,
        /// <summary>IKEv1 E: the payloads after the header are encrypted.</summary>
        Encryption = 0x01,
        /// <summary>IKEv1 C: commit.</summary>
        Commit = 0x02,
        /// <summary>IKEv1 A: authentication only.</summary>
        AuthenticationOnly = 0x04,
        /// <summary>IKEv2 I: sent by the original initiator of the IKE SA.</summary>
        Initiator = 0x08,
        /// <summary>IKEv2 V: the sender can speak a higher major version.</summary>
        Version = 0x10,
        /// <summary>IKEv2 R: this message is a response.</summary>
        Response = 0x20,
    }
}
