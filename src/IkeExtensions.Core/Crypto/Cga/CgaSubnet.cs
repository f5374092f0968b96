using System;
using System.Net;
using System.Net.Sockets;

namespace IkeExtensions.Crypto.Cga
{
    /// <summary>
    /// The subnet of a peer's CGA, which ID_IPV6_CGA does not carry (MS-IKEE 3.4): (1) if the first 4 bytes of the
    /// address are 0x3f 0xfe 0x83 0x1e the prefix length is 88 bits, otherwise 64; (2) the subnet is that many
    /// leftmost bits of the CGA address the peer's packets come from.
    /// </summary>
    /// <remarks>
    /// RFC 3972 §3 fixes the Subnet Prefix field of the CGA Parameters at 8 octets (MS-IKEE 3.4.1 likewise: "size: 8
    /// octets"), so an 88-bit subnet cannot be placed in it whole. This implementation reads the rule as: the field holds
    /// the subnet's leftmost 64 bits (for either length), and only the bits to the right of the prefix length are
    /// hash-derived — so with an 88-bit subnet, address bits 64–87 belong to the subnet and are not compared with Hash1,
    /// and Hash1 is compared with the low 40 bits (see <see cref="CgaVerifier"/>). With a 64-bit subnet this is exactly
    /// RFC 3972 §5.
    /// </remarks>
    public static class CgaSubnet
    {
        /// <summary>The well-known prefix MS-IKEE 3.4 step 1 compares the first 4 bytes of the CGA with.</summary>
        public static readonly byte[] LongPrefixMarker = { 0x3f, 0xfe, 0x83, 0x1e };
        public const int DefaultPrefixLength = 64;
        public const int LongPrefixLength = 88;

        /// <summary>MS-IKEE 3.4 step 1: 88 bits for 3ffe:831e::/32, 64 bits otherwise.</summary>
        public static int PrefixLength(IPAddress cgaAddress)
        {
            var b = Bytes(cgaAddress);
            return b[0] == LongPrefixMarker[0] && b[1] == LongPrefixMarker[1] && b[2] == LongPrefixMarker[2] && b[3] == LongPrefixMarker[3]
                ? LongPrefixLength : DefaultPrefixLength;
        }

        /// <summary>MS-IKEE 3.4 step 2: the leftmost <see cref="PrefixLength"/> bits of the address, the rest zero.</summary>
        public static IPAddress Subnet(IPAddress cgaAddress) => new IPAddress(Mask(Bytes(cgaAddress), PrefixLength(cgaAddress)));

        /// <summary>The 8-octet Subnet Prefix field of the CGA Parameters (RFC 3972 §3): the subnet's leftmost 64 bits.</summary>
        public static byte[] SubnetPrefixField(IPAddress cgaAddress)
        {
            var prefix = new byte[CgaParameters.SubnetPrefixLength];
            Array.Copy(Bytes(cgaAddress), prefix, prefix.Length);
            return prefix;
        }

        internal static byte[] Bytes(IPAddress address)
        {
            if (address == null) throw new ArgumentNullException(nameof(address));
            if (address.AddressFamily != AddressFamily.InterNetworkV6) throw new ArgumentException("A CGA is an IPv6 address (MS-IKEE 1.6, RFC 3972 §2).", nameof(address));
            return address.GetAddressBytes();
        }

        internal static byte[] Mask(byte[] address, int prefixLength)
        {
            var m = (byte[])address.Clone();
            for (int bit = prefixLength; bit < 128; bit++) m[bit >> 3] &= unchecked((byte)~(0x80 >> (bit & 7)));
            return m;
        }
    }
}
