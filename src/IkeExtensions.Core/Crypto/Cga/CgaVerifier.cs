using System;
using System.Net;
using System.Net.Sockets;

namespace IkeExtensions.Crypto.Cga
{
    /// <summary>
    /// CGA verification (RFC 3972 §5), which MS-IKEE 3.4.5.5 applies to the peer's address, the public key of its
    /// self-signed certificate and the parameters of its ID_IPV6_CGA payload. The reason names the step that failed.
    /// </summary>
    public static class CgaVerifier
    {
        /// <summary>RFC 3972 §5 step 1: the collision count is 0, 1 or 2.</summary>
        public const int MaxCollisionCount = 2;

        /// <summary>RFC 3972 §5 with a 64-bit subnet prefix.</summary>
        public static bool Verify(IPAddress address, CgaParameters parameters, out string reason) =>
            Verify(address, parameters, CgaSubnet.DefaultPrefixLength, out reason);

        /// <summary>
        /// RFC 3972 §5 with the subnet prefix length MS-IKEE 3.4 determines for the peer's address
        /// (<see cref="CgaSubnet.PrefixLength"/>): 64 bits, or 88 under 3ffe:831e::/32.
        /// </summary>
        public static bool VerifyMsIkee(IPAddress address, CgaParameters parameters, out string reason) =>
            Verify(address, parameters, CgaSubnet.PrefixLength(address), out reason);

        /// <summary>
        /// RFC 3972 §5 where the leftmost <paramref name="subnetPrefixLength"/> bits (64–127) of the address are the
        /// subnet: only the bits to their right are compared with Hash1 (for 64, the whole interface identifier except the
        /// Sec and u/g bits, as the RFC says).
        /// </summary>
        public static bool Verify(IPAddress address, CgaParameters parameters, int subnetPrefixLength, out string reason)
        {
            if (address == null) throw new ArgumentNullException(nameof(address));
            if (parameters == null) throw new ArgumentNullException(nameof(parameters));
            if (subnetPrefixLength < 64 || subnetPrefixLength > 127) throw new ArgumentOutOfRangeException(nameof(subnetPrefixLength));
            if (address.AddressFamily != AddressFamily.InterNetworkV6) { reason = $"{address} is not an IPv6 address; a CGA is (RFC 3972 §2)"; return false; }
            var a = address.GetAddressBytes();

            // Step 1.
            if (parameters.CollisionCount > MaxCollisionCount)
            {
                reason = $"collision count {parameters.CollisionCount} exceeds {MaxCollisionCount} (RFC 3972 §5 step 1)";
                return false;
            }
            // Step 2.
            if (!parameters.SubnetPrefix.SequenceEqual(a.AsSpan(0, CgaParameters.SubnetPrefixLength)))
            {
                reason = $"the subnet prefix of the CGA parameters is not that of {address} (RFC 3972 §5 step 2)";
                return false;
            }
            // Step 3: Hash1 against the interface identifier, ignoring the Sec bits (0–2) and u/g bits (6, 7).
            var hash1 = parameters.Hash1();
            for (int bit = subnetPrefixLength; bit < 128; bit++)
            {
                int iidBit = bit - 64;
                if (iidBit <= 2 || iidBit == 6 || iidBit == 7) continue;
                bool want = (hash1[iidBit >> 3] & (0x80 >> (iidBit & 7))) != 0;
                bool have = (a[bit >> 3] & (0x80 >> (bit & 7))) != 0;
                if (want != have)
                {
                    reason = $"Hash1 of the CGA parameters does not match the interface identifier of {address} (RFC 3972 §5 step 3)";
                    return false;
                }
            }
            // Steps 4–6.
            int sec = a[8] >> 5;
            if (sec > 0)
            {
                var hash2 = parameters.Hash2();
                for (int i = 0; i < 2 * sec; i++)
                    if (hash2[i] != 0)
                    {
                        reason = $"Hash2 does not start with {16 * sec} zero bits as Sec {sec} requires (RFC 3972 §5 step 6)";
                        return false;
                    }
            }
            reason = $"{address} is a CGA of the key (Sec {sec}, collision count {parameters.CollisionCount}, {subnetPrefixLength}-bit subnet)";
            return true;
        }

        /// <summary>The Sec parameter of a CGA: the three leftmost bits of its interface identifier (RFC 3972 §2).</summary>
        public static int SecOf(IPAddress address) => CgaSubnet.Bytes(address)[8] >> 5;
    }
}
