using System;
using System.Net;
using System.Text;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// Renders the identification data of an ID payload by its type (RFC 2407 §4.6.2, RFC 7296 §3.5; the numbering of
    /// the common types is the same in both versions). Never throws: data that does not fit its type renders as hex.
    /// </summary>
    public static class IdentificationData
    {
        public static string Describe(byte idType, ReadOnlySpan<byte> data)
        {
            switch (idType)
            {
                case 1 when data.Length == 4: // ID_IPV4_ADDR
                case 5 when data.Length == 16: // ID_IPV6_ADDR
                    return new IPAddress(data.ToArray()).ToString();
                case 4 when data.Length == 8: // ID_IPV4_ADDR_SUBNET
                    return new IPAddress(data.Slice(0, 4).ToArray()) + "/" + PrefixLength(data.Slice(4));
                case 6 when data.Length == 32: // ID_IPV6_ADDR_SUBNET
                    return new IPAddress(data.Slice(0, 16).ToArray()) + "/" + PrefixLength(data.Slice(16));
                case 7 when data.Length == 8:
                    return new IPAddress(data.Slice(0, 4).ToArray()) + "-" + new IPAddress(data.Slice(4).ToArray());
                case 8 when data.Length == 32:
                    return new IPAddress(data.Slice(0, 16).ToArray()) + "-" + new IPAddress(data.Slice(16).ToArray());
                case 2: // FQDN
                case 3: // USER_FQDN / RFC822
                    return IsPrintableAscii(data) ? Encoding.ASCII.GetString(data.ToArray()) : "0x" + HexFormat.ToHex(data);
                default:
                    return "0x" + HexFormat.ToHex(data);
            }
        }

        /// <summary>The prefix length of a contiguous netmask, or the mask itself in dotted form when it is not contiguous.</summary>
        private static string PrefixLength(ReadOnlySpan<byte> mask)
        {
            int bits = 0;
            bool zeroSeen = false;
            foreach (byte b in mask)
                for (int i = 7; i >= 0; i--)
                {
                    bool one = (b >> i & 1) == 1;
                    if (one && zeroSeen) return new IPAddress(mask.ToArray()).ToString();
                    if (one) bits++; else zeroSeen = true;
                }
            return bits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        private static bool IsPrintableAscii(ReadOnlySpan<byte> data)
        {
            foreach (byte b in data) if (b < 0x20 || b > 0x7E) return false;
            return true;
        }
    }
}
