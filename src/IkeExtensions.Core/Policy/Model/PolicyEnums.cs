using System;

namespace IkeExtensions.Policy.Model
{
    /// <summary>The three seed scenarios (win32 FWP docs: Transport Mode, Negotiation Discovery Transport Mode, ... in Boundary Mode).</summary>
    public enum PolicyKind
    {
        /// <summary>Inbound and outbound Require: clear text is dropped until IKE/AuthIP succeeds.</summary>
        Transport,
        /// <summary>Inbound Require, outbound Request: outbound may fall back to clear (IPSEC_POLICY_FLAG_ND_SECURE).</summary>
        NegotiationDiscovery,
        /// <summary>Inbound and outbound Request: both directions may fall back to clear (IPSEC_POLICY_FLAG_ND_BOUNDARY).</summary>
        NegotiationDiscoveryBoundary,
    }

    /// <summary>IP versions a policy applies to.</summary>
    [Flags]
    public enum AddressFamilies
    {
        None = 0,
        IPv4 = 1,
        IPv6 = 2,
        Both = IPv4 | IPv6,
    }

    /// <summary>Keying modules (NetSecurity -KeyModule; WFP IKEEXT_KEY_MODULE_TYPE).</summary>
    public enum KeyingModule
    {
        IKEv1,
        AuthIP,
        IKEv2,
    }

    /// <summary>NetSecurity SecurityPolicy values for -InboundSecurity / -OutboundSecurity.</summary>
    public enum SecurityRequirement
    {
        None,
        Request,
        Require,
    }

    /// <summary>Ciphers as New-NetIPsec{MainMode,QuickMode}CryptoProposal -Encryption names them (GCM: quick mode only).</summary>
    public enum Encryption
    {
        None,
        DES,
        DES3,
        AES128,
        AES192,
        AES256,
        AESGCM128,
        AESGCM192,
        AESGCM256,
    }

    /// <summary>Hashes as -Hash / -ESPHash / -AHHash name them (AES-GMAC: quick mode only; SHA384: main mode only in WFP).</summary>
    public enum Hash
    {
        None,
        MD5,
        SHA1,
        SHA256,
        SHA384,
        AESGMAC128,
        AESGMAC192,
        AESGMAC256,
    }

    /// <summary>Diffie-Hellman groups as -KeyExchange / -PfsGroup name them (SameAsMainMode: PFS only).</summary>
    public enum DhGroup
    {
        None,
        DH1,
        DH2,
        DH14,
        DH19,
        DH20,
        DH24,
        SameAsMainMode,
    }

    /// <summary>Quick mode encapsulation (-Encapsulation None|AH|ESP|"AH,ESP").</summary>
    [Flags]
    public enum Encapsulation
    {
        None = 0,
        AH = 1,
        ESP = 2,
    }

    /// <summary>-AuthorityType of a certificate proposal.</summary>
    public enum CertificateAuthorityType
    {
        Root,
        Intermediate,
    }

    /// <summary>-Signing of a certificate proposal.</summary>
    public enum CertificateSigning
    {
        RSA,
        ECDSA256,
        ECDSA384,
    }

    /// <summary>Whose credentials a Kerberos proposal uses (-Machine / -User).</summary>
    public enum KerberosPrincipal
    {
        Machine,
        User,
    }

    /// <summary>Helpers over the policy enums and the CLI/JSON spellings of kinds and families.</summary>
    public static class PolicyEnumText
    {
        public static bool IsGcm(this Encryption e) => e == Encryption.AESGCM128 || e == Encryption.AESGCM192 || e == Encryption.AESGCM256;
        public static bool IsGmac(this Hash h) => h == Hash.AESGMAC128 || h == Hash.AESGMAC192 || h == Hash.AESGMAC256;

        /// <summary>The GMAC that goes with a GCM cipher (Windows pairs AESGCMn with AESGMACn).</summary>
        public static Hash MatchingGmac(this Encryption e) => e switch
        {
            Encryption.AESGCM128 => Hash.AESGMAC128,
            Encryption.AESGCM192 => Hash.AESGMAC192,
            Encryption.AESGCM256 => Hash.AESGMAC256,
            _ => Hash.None,
        };

        /// <summary>IANA group number (0 for None and SameAsMainMode).</summary>
        public static int Number(this DhGroup g) => g switch
        {
            DhGroup.DH1 => 1,
            DhGroup.DH2 => 2,
            DhGroup.DH14 => 14,
            DhGroup.DH19 => 19,
            DhGroup.DH20 => 20,
            DhGroup.DH24 => 24,
            _ => 0,
        };

        public static string KindName(this PolicyKind k) => k switch
        {
            PolicyKind.Transport => "transport",
            PolicyKind.NegotiationDiscovery => "nd",
            _ => "nd-boundary",
        };

        public static bool TryParseKind(string text, out PolicyKind kind)
        {
            switch ((text ?? "").Trim().ToLowerInvariant())
            {
                case "transport": kind = PolicyKind.Transport; return true;
                case "nd": case "negotiationdiscovery": kind = PolicyKind.NegotiationDiscovery; return true;
                case "nd-boundary": case "negotiationdiscoveryboundary": kind = PolicyKind.NegotiationDiscoveryBoundary; return true;
                default: kind = PolicyKind.Transport; return false;
            }
        }

        public static string FamilyName(this AddressFamilies f) => f switch
        {
            AddressFamilies.IPv4 => "ipv4",
            AddressFamilies.IPv6 => "ipv6",
            AddressFamilies.Both => "both",
            _ => "none",
        };

        public static bool TryParseFamily(string text, out AddressFamilies family)
        {
            switch ((text ?? "").Trim().ToLowerInvariant())
            {
                case "ipv4": family = AddressFamilies.IPv4; return true;
                case "ipv6": family = AddressFamilies.IPv6; return true;
                case "both": family = AddressFamilies.Both; return true;
                default: family = AddressFamilies.None; return false;
            }
        }
    }
}
