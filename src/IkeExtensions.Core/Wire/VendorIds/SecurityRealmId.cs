using System;
using System.Security.Cryptography;
using System.Text;

namespace IkeExtensions.Wire.VendorIds
{
    /// <summary>
    /// The "MSFT IPsec Security Realm Id" vendor ID (MS-IKEE 2.2.10): the 16-byte MD5 hash of that string, then the
    /// Security Realm ID. Product-behaviour note &lt;11&gt;: Windows sends 32 bytes; the last 16 are the HMAC-MD5 of the
    /// string naming the realm, keyed with the string "SecurityRealmPolicyHmacKey".
    /// </summary>
    public static class SecurityRealmId
    {
        /// <summary>The HMAC key named by MS-IKEE note &lt;11&gt;.</summary>
        public const string HmacKey = "SecurityRealmPolicyHmacKey";

        /// <summary>Length of the realm ID Windows sends (note &lt;11&gt;) and the responder reads ("the last 16 bytes", 3.14.5.1).</summary>
        public const int Length = 16;

        /// <summary>
        /// HMAC-MD5(key "SecurityRealmPolicyHmacKey", realm name) (3.14.1 ADM element "Security Realm ID"). MS-IKEE does not
        /// say how the name is encoded; this uses UTF-8 (ASCII for ASCII names).
        /// </summary>
        public static byte[] Compute(string realmName)
        {
            if (string.IsNullOrEmpty(realmName)) throw new ArgumentException("A security realm has a name.", nameof(realmName));
            using var hmac = new HMACMD5(Encoding.ASCII.GetBytes(HmacKey));
            return hmac.ComputeHash(Encoding.UTF8.GetBytes(realmName));
        }

        /// <summary>The whole vendor ID payload data: MD5("MSFT IPsec Security Realm Id") followed by the realm ID.</summary>
        public static byte[] VendorIdData(ReadOnlySpan<byte> realmId)
        {
            var prefix = VendorIdRegistry.Get(VendorIdKind.SecurityRealmId).Prefix;
            var data = new byte[prefix.Length + realmId.Length];
            prefix.CopyTo(data);
            realmId.CopyTo(data.AsSpan(prefix.Length));
            return data;
        }

        /// <summary>
        /// The realm ID carried by a vendor ID payload: its last 16 bytes (3.14.5.1: the responder "reads the last 16 bytes
        /// of the payload"); false when the data is not this vendor ID or is too short to carry one.
        /// </summary>
        public static bool TryRead(ReadOnlySpan<byte> vendorIdData, out byte[] realmId)
        {
            realmId = Array.Empty<byte>();
            var prefix = VendorIdRegistry.Get(VendorIdKind.SecurityRealmId).Prefix;
            if (vendorIdData.Length < prefix.Length + Length || !vendorIdData.Slice(0, prefix.Length).SequenceEqual(prefix)) return false;
            realmId = vendorIdData.Slice(vendorIdData.Length - Length).ToArray();
            return true;
        }
    }
}
