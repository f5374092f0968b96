using System.Globalization;
using IkeExtensions.Wire;

namespace IkeExtensions.Management.Dissection
{
    /// <summary>Names shared by both IKE versions: exchange types, Diffie-Hellman groups, certificate encodings, header flags.</summary>
    internal static class CommonNames
    {
        /// <summary>"NAME (7)", or "NAME (65005, 0xFDED)" for values above one octet; "unknown (n)" when there is no name.</summary>
        public static string Named(string? name, ulong value) =>
            (name ?? "unknown") + " (" + Number(value) + ")";

        public static string Number(ulong value) => value > 0xFF
            ? value.ToString(CultureInfo.InvariantCulture) + ", 0x" + value.ToString("X", CultureInfo.InvariantCulture)
            : value.ToString(CultureInfo.InvariantCulture);

        public static string Dec(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>Exchange types: IKEv1 (RFC 2408 §3.1, RFC 2409) and IKEv2 (RFC 7296 §3.1).</summary>
        public static string? Exchange(int majorVersion, ExchangeType type)
        {
            if (majorVersion == 2)
                return type switch
                {
                    ExchangeType.IkeSaInit => "IKE_SA_INIT",
                    ExchangeType.IkeAuth => "IKE_AUTH",
                    ExchangeType.CreateChildSa => "CREATE_CHILD_SA",
                    ExchangeType.InformationalV2 => "INFORMATIONAL",
                    (ExchangeType)38 => "IKE_SESSION_RESUME",
                    (ExchangeType)43 => "IKE_INTERMEDIATE",
                    (ExchangeType)44 => "IKE_FOLLOWUP_KE",
                    _ => null,
                };
            return type switch
            {
                ExchangeType.Base => "Base",
                ExchangeType.IdentityProtection => "Main Mode",
                ExchangeType.AuthenticationOnly => "Authentication Only",
                ExchangeType.Aggressive => "Aggressive Mode",
                ExchangeType.Informational => "Informational",
                ExchangeType.Transaction => "Transaction (Mode Config)",
                ExchangeType.QuickMode => "Quick Mode",
                ExchangeType.NewGroupMode => "New Group Mode",
                _ => null,
            };
        }

        public static string ExchangeText(int majorVersion, ExchangeType type) =>
            Exchange(majorVersion, type) ?? "exchange " + Dec((byte)type);

        /// <summary>Diffie-Hellman groups (RFC 2409 App. A, RFC 3526, RFC 5114, RFC 5903, RFC 6954, RFC 8031); one numbering for both versions.</summary>
        public static string? DhGroup(ulong group) => group switch
        {
            0 => "none",
            1 => "MODP 768",
            2 => "MODP 1024",
            3 => "EC2N 155",
            4 => "EC2N 185",
            5 => "MODP 1536",
            14 => "MODP 2048",
            15 => "MODP 3072",
            16 => "MODP 4096",
            17 => "MODP 6144",
            18 => "MODP 8192",
            19 => "ECP 256 (NIST P-256)",
            20 => "ECP 384 (NIST P-384)",
            21 => "ECP 521 (NIST P-521)",
            22 => "MODP 1024 with 160-bit prime order subgroup",
            23 => "MODP 2048 with 224-bit prime order subgroup",
            24 => "MODP 2048 with 256-bit prime order subgroup",
            25 => "ECP 192 (NIST P-192)",
            26 => "ECP 224 (NIST P-224)",
            27 => "brainpoolP224r1",
            28 => "brainpoolP256r1",
            29 => "brainpoolP384r1",
            30 => "brainpoolP512r1",
            31 => "Curve25519",
            32 => "Curve448",
            _ => null,
        };

        /// <summary>Certificate encodings (RFC 2408 §3.9, RFC 7296 §3.6).</summary>
        public static string? CertificateEncoding(byte encoding) => encoding switch
        {
            1 => "PKCS #7 wrapped X.509",
            2 => "PGP",
            3 => "DNS signed key",
            4 => "X.509 certificate - signature",
            5 => "X.509 certificate - key exchange",
            6 => "Kerberos tokens",
            7 => "CRL",
            8 => "ARL",
            9 => "SPKI",
            10 => "X.509 attribute certificate",
            11 => "raw RSA key",
            12 => "hash and URL of X.509 certificate",
            13 => "hash and URL of X.509 bundle",
            14 => "OCSP content",
            15 => "raw public key",
            _ => null,
        };

        /// <summary>Header flags by version: IKEv1 E/C/A (RFC 2408 §3.1), IKEv2 I/V/R (RFC 7296 §3.1).</summary>
        public static string Flags(int majorVersion, HeaderFlags flags)
        {
            string hex = "0x" + ((byte)flags).ToString("x2", CultureInfo.InvariantCulture);
            var names = new System.Collections.Generic.List<string>();
            if (majorVersion == 1)
            {
                if ((flags & HeaderFlags.Encryption) != 0) names.Add("E");
                if ((flags & HeaderFlags.Commit) != 0) names.Add("C");
                if ((flags & HeaderFlags.AuthenticationOnly) != 0) names.Add("A");
            }
            else
            {
                if ((flags & HeaderFlags.Initiator) != 0) names.Add("I");
                if ((flags & HeaderFlags.Version) != 0) names.Add("V");
                if ((flags & HeaderFlags.Response) != 0) names.Add("R");
            }
            return names.Count == 0 ? hex : hex + " (" + string.Join(",", names) + ")";
        }
    }
}
