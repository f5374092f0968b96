using System;
using System.Net;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Crypto.Cga
{
    /// <summary>
    /// CGA generation (RFC 3972 §4), as MS-IKEE 3.4.3 requires of a host configured for CGA authentication: search a
    /// modifier whose Hash2 starts with 16*Sec zero bits (steps 1–3), then form the address from Hash1 with Sec in the
    /// three leftmost bits of the interface identifier and the u and g bits cleared (steps 4–7). Duplicate address
    /// detection (step 8) is the host's: it calls again with the next collision count (0, 1, 2).
    /// </summary>
    public static class CgaGenerator
    {
        public const int MaxSec = 7;

        /// <summary>Generates a CGA in a 64-bit subnet for an RSA public key (encoded as its DER SubjectPublicKeyInfo).</summary>
        public static (IPAddress Address, CgaParameters Parameters) Generate(ReadOnlySpan<byte> subnetPrefix, RsaKeyParameters publicKey, int sec, IRandomSource random,
            byte collisionCount = 0, long? maxAttempts = null) =>
            Generate(subnetPrefix, EncodePublicKey(publicKey), sec, random, collisionCount, default, maxAttempts);

        /// <summary>
        /// RFC 3972 §4 for a 64-bit <paramref name="subnetPrefix"/> (8 octets) and a DER SubjectPublicKeyInfo. The modifier
        /// search tries at most <paramref name="maxAttempts"/> modifiers (default 64·2^(16·Sec), i.e. unbounded in practice
        /// only for Sec ≥ 3) and throws <see cref="InvalidOperationException"/> when none qualifies.
        /// </summary>
        public static (IPAddress Address, CgaParameters Parameters) Generate(ReadOnlySpan<byte> subnetPrefix, ReadOnlySpan<byte> publicKey, int sec, IRandomSource random,
            byte collisionCount = 0, ReadOnlySpan<byte> extensionFields = default, long? maxAttempts = null)
        {
            if (subnetPrefix.Length != CgaParameters.SubnetPrefixLength) throw new ArgumentException("The subnet prefix is 64 bits (RFC 3972 §2).", nameof(subnetPrefix));
            var subnet = new byte[16];
            subnetPrefix.CopyTo(subnet);
            return GenerateCore(subnet, CgaSubnet.DefaultPrefixLength, publicKey, sec, random, collisionCount, extensionFields, maxAttempts);
        }

        /// <summary>
        /// Generates a CGA in the subnet MS-IKEE 3.4 determines for <paramref name="subnet"/>: 88 bits under 3ffe:831e::/32,
        /// else 64 (see <see cref="CgaSubnet"/>). With an 88-bit subnet the Sec bits (address bits 64–66) are part of the
        /// subnet, so <paramref name="sec"/> must equal them.
        /// </summary>
        public static (IPAddress Address, CgaParameters Parameters) GenerateInSubnet(IPAddress subnet, ReadOnlySpan<byte> publicKey, int sec, IRandomSource random,
            byte collisionCount = 0, long? maxAttempts = null)
        {
            int length = CgaSubnet.PrefixLength(subnet);
            var bytes = CgaSubnet.Mask(CgaSubnet.Bytes(subnet), length);
            if (length > CgaSubnet.DefaultPrefixLength && bytes[8] >> 5 != sec)
                throw new ArgumentException($"With a {length}-bit subnet the Sec bits belong to the subnet ({bytes[8] >> 5}), not {sec}.", nameof(sec));
            return GenerateCore(bytes, length, publicKey, sec, random, collisionCount, default, maxAttempts);
        }

        private static (IPAddress, CgaParameters) GenerateCore(byte[] subnet, int prefixLength, ReadOnlySpan<byte> publicKey, int sec, IRandomSource random,
            byte collisionCount, ReadOnlySpan<byte> extensionFields, long? maxAttempts)
        {
            if (sec < 0 || sec > MaxSec) throw new ArgumentOutOfRangeException(nameof(sec), sec, "Sec is a 3-bit value, 0–7 (RFC 3972 §2).");
            if (collisionCount > CgaVerifier.MaxCollisionCount)
                throw new ArgumentOutOfRangeException(nameof(collisionCount), collisionCount, "RFC 3972 §4 step 8: after three collisions generation stops.");
            if (random == null) throw new ArgumentNullException(nameof(random));
            var prefix = subnet.AsSpan(0, CgaParameters.SubnetPrefixLength);
            // Steps 1–3.
            byte[] modifier = FindModifier(publicKey, extensionFields, sec, random, maxAttempts ?? DefaultMaxAttempts(sec));
            // Step 4 (collision count 0, or the caller's after DAD collisions), steps 5–7.
            var parameters = new CgaParameters(modifier, prefix, collisionCount, publicKey, extensionFields);
            return (AddressFor(parameters, sec, subnet, prefixLength), parameters);
        }

        /// <summary>
        /// RFC 3972 §4 steps 5–7 for given parameters: Hash1 → interface identifier with Sec in its top 3 bits and the u/g
        /// bits (bits 6 and 7) zero, appended to the 64-bit subnet prefix of the parameters. Does not check Hash2.
        /// </summary>
        public static IPAddress AddressFor(CgaParameters parameters, int sec)
        {
            var subnet = new byte[16];
            parameters.SubnetPrefix.CopyTo(subnet);
            return AddressFor(parameters, sec, subnet, CgaSubnet.DefaultPrefixLength);
        }

        private static IPAddress AddressFor(CgaParameters parameters, int sec, byte[] subnet, int prefixLength)
        {
            if (sec < 0 || sec > MaxSec) throw new ArgumentOutOfRangeException(nameof(sec));
            var iid = parameters.Hash1();
            iid[0] = unchecked((byte)((iid[0] & 0x1C) | (sec << 5))); // Sec in bits 0–2; u (bit 6) and g (bit 7) zero
            var address = (byte[])subnet.Clone();
            for (int bit = prefixLength; bit < 128; bit++)
            {
                int mask = 0x80 >> (bit & 7);
                int fromIid = iid[(bit - 64) >> 3] & (0x80 >> ((bit - 64) & 7));
                address[bit >> 3] = unchecked((byte)(fromIid != 0 ? address[bit >> 3] | mask : address[bit >> 3] & ~mask));
            }
            return new IPAddress(address);
        }

        /// <summary>
        /// RFC 3972 §4 steps 1–3: a random 128-bit modifier, incremented until the 16*Sec leftmost bits of Hash2 are zero
        /// (Sec 0 accepts the first). Hash2's input is modifier | 9 zero octets | public key | extension fields.
        /// </summary>
        public static byte[] FindModifier(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> extensionFields, int sec, IRandomSource random, long maxAttempts)
        {
            if (sec < 0 || sec > MaxSec) throw new ArgumentOutOfRangeException(nameof(sec));
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts));
            var input = new byte[CgaParameters.FixedLength + publicKey.Length + extensionFields.Length];
            random.Fill(input.AsSpan(0, CgaParameters.ModifierLength));
            publicKey.CopyTo(input.AsSpan(CgaParameters.FixedLength));
            extensionFields.CopyTo(input.AsSpan(CgaParameters.FixedLength + publicKey.Length));
            if (sec == 0) return input.AsSpan(0, CgaParameters.ModifierLength).ToArray();
            int zeroBytes = 2 * sec;
            using (var sha1 = SHA1.Create())
            {
                for (long attempt = 0; attempt < maxAttempts; attempt++)
                {
                    var digest = sha1.ComputeHash(input);
                    if (LeadingZeroBytes(digest, zeroBytes)) return input.AsSpan(0, CgaParameters.ModifierLength).ToArray();
                    Increment(input.AsSpan(0, CgaParameters.ModifierLength));
                }
            }
            throw new InvalidOperationException($"No CGA modifier with {16 * sec} leading zero bits of Hash2 in {maxAttempts} attempts (Sec {sec}).");
        }

        /// <summary>The RSA key as RFC 3972 §3 carries it: a DER SubjectPublicKeyInfo.</summary>
        public static byte[] EncodePublicKey(RsaKeyParameters publicKey)
        {
            if (publicKey == null) throw new ArgumentNullException(nameof(publicKey));
            if (publicKey.IsPrivate) publicKey = new RsaKeyParameters(false, publicKey.Modulus, publicKey.Exponent);
            return SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
        }

        internal static long DefaultMaxAttempts(int sec) => sec == 0 ? 1 : sec >= 3 ? long.MaxValue : 64L << (16 * sec);

        private static bool LeadingZeroBytes(byte[] digest, int count)
        {
            for (int i = 0; i < count; i++) if (digest[i] != 0) return false;
            return true;
        }

        /// <summary>The modifier as a 128-bit big-endian integer, plus one (wrapping).</summary>
        private static void Increment(Span<byte> modifier)
        {
            for (int i = modifier.Length - 1; i >= 0; i--)
            {
                modifier[i] = unchecked((byte)(modifier[i] + 1));
                if (modifier[i] != 0) return;
            }
        }
    }
}
