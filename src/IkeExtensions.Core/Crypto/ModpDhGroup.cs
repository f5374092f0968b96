using System;
using Org.BouncyCastle.Crypto.Agreement;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// A MODP Diffie-Hellman group: g^x mod p with BouncyCastle's ModPow (identical on netstandard2.0 and net8.0).
    /// Groups 1 and 2 are RFC 2409 §6.1/§6.2, group 14 is RFC 3526 §3 (all safe primes with g = 2); group 24 is
    /// RFC 5114 §2.3 (2048-bit p with a 256-bit prime-order subgroup q, generator of order q).
    /// </summary>
    public sealed class ModpDhGroup : IDhGroup
    {
        // RFC 5114 §2.3 "2048-bit MODP Group with 256-bit Prime Order Subgroup" (IANA group 24). Checked against
        // `openssl genpkey -genparam -algorithm DH -pkeyopt dh_rfc5114:3`; the tests re-verify p, q prime, q | p-1, g^q = 1.
        private const string Rfc5114P =
            "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30" +
            "16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B" +
            "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E" +
            "F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026" +
            "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F" +
            "693877FAD7EF09CADB094AE91E1A1597";
        private const string Rfc5114G =
            "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555" +
            "BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B" +
            "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55" +
            "A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915" +
            "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451" +
            "5E2327CFEF98C582664B4C0F6CC41659";
        private const string Rfc5114Q = "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3";

        // Group parameters of RFC 2409 and RFC 3526 come from BouncyCastle's copy of the RFC text (DHStandardGroups);
        // the tests check them against primes recomputed from their pi-based definition.
        // Exponent sizes: RFC 3526 §8 and NIST SP 800-56A §5.6.1.1 ask for at least twice the group strength in bits;
        // a short exponent is what makes MODP affordable (about 6x faster than a full-length one for 2048 bits).
        internal static ModpDhGroup Group1 { get; } = new ModpDhGroup(1, DHStandardGroups.rfc2409_768.P, DHStandardGroups.rfc2409_768.G, null, strengthBits: 64, exponentBits: 160);
        internal static ModpDhGroup Group2 { get; } = new ModpDhGroup(2, DHStandardGroups.rfc2409_1024.P, DHStandardGroups.rfc2409_1024.G, null, strengthBits: 80, exponentBits: 160);
        internal static ModpDhGroup Group14 { get; } = new ModpDhGroup(14, DHStandardGroups.rfc3526_2048.P, DHStandardGroups.rfc3526_2048.G, null, strengthBits: 112, exponentBits: 256);
        internal static ModpDhGroup Group24 { get; } = new ModpDhGroup(24, new BigInteger(Rfc5114P, 16), new BigInteger(Rfc5114G, 16), new BigInteger(Rfc5114Q, 16), strengthBits: 112, exponentBits: 256);

        private readonly BigInteger _pMinusOne;

        private ModpDhGroup(int id, BigInteger p, BigInteger g, BigInteger? q, int strengthBits, int exponentBits)
        {
            Id = id;
            P = p;
            G = g;
            Q = q;
            _pMinusOne = p.Subtract(BigInteger.One);
            StrengthBits = strengthBits;
            ExponentBits = exponentBits;
            PublicValueLength = (p.BitLength + 7) / 8;
        }

        public int Id { get; }
        public int PublicValueLength { get; }
        public int StrengthBits { get; }
        /// <summary>Size of the private exponent x (for group 24: x is uniform in [1, q-1]).</summary>
        public int ExponentBits { get; }
        /// <summary>Group 1 (768-bit, ~64-bit strength): breakable; offered only when the policy explicitly allows it.</summary>
        public bool IsWeak => StrengthBits < 80;

        internal BigInteger P { get; }
        internal BigInteger G { get; }
        /// <summary>Order of the subgroup g generates, when the group defines one (group 24); null for safe-prime groups.</summary>
        internal BigInteger? Q { get; }

        public IDhKeyPair Generate(IRandomSource random)
        {
            if (random == null) throw new ArgumentNullException(nameof(random));
            return new KeyPair(this, NewPrivateExponent(random));
        }

        /// <summary>A key pair with a fixed private exponent (big-endian), for known-answer tests only.</summary>
        internal IDhKeyPair FromPrivateKey(ReadOnlySpan<byte> privateExponent)
        {
            var x = new BigInteger(1, privateExponent.ToArray());
            if (x.SignValue <= 0 || x.CompareTo(Q ?? _pMinusOne) >= 0) throw new ArgumentOutOfRangeException(nameof(privateExponent));
            return new KeyPair(this, x);
        }

        private BigInteger NewPrivateExponent(IRandomSource random)
        {
            int bytes = (ExponentBits + 7) / 8;
            byte[] buffer = new byte[bytes];
            try
            {
                while (true)
                {
                    random.Fill(buffer);
                    int excessBits = bytes * 8 - ExponentBits;
                    buffer[0] = unchecked((byte)(buffer[0] & (0xFF >> excessBits)));
                    var x = new BigInteger(1, buffer);
                    // Rejection sampling keeps x uniform: x in [2, 2^bits) (x = 1 would publish g itself), and for
                    // group 24 x in [1, q-1] (RFC 5114 §2.3 / SP 800-56A §5.6.1.1.4), where q is just under 2^256.
                    if (Q != null ? (x.SignValue > 0 && x.CompareTo(Q) < 0) : x.CompareTo(BigInteger.One) > 0) return x;
                }
            }
            finally
            {
                CryptoBytes.Zero(buffer);
            }
        }

        /// <summary>
        /// Rejects peer values that would leak bits of our exponent or force a predictable secret: the KE data must be the
        /// full group length (RFC 2409 §5 pads it with leading zeros), 1 &lt; y &lt; p-1 (excludes the order-1 and order-2
        /// elements, NIST SP 800-56A §5.6.2.3.1), and for group 24 y^q mod p = 1 (y lies in the order-q subgroup;
        /// RFC 5114 §4 / RFC 6989 §2.2 — otherwise small-subgroup attacks recover x mod small factors of p-1).
        /// </summary>
        internal BigInteger ValidatePeer(ReadOnlySpan<byte> peerPublicValue)
        {
            if (peerPublicValue.Length != PublicValueLength)
                throw new CryptoException($"DH group {Id}: public value is {peerPublicValue.Length} bytes, expected {PublicValueLength}.");
            var y = new BigInteger(1, peerPublicValue.ToArray());
            if (y.CompareTo(BigInteger.One) <= 0 || y.CompareTo(_pMinusOne) >= 0)
                throw new CryptoException($"DH group {Id}: public value is outside 1 < y < p-1.");
            if (Q != null && !y.ModPow(Q, P).Equals(BigInteger.One))
                throw new CryptoException($"DH group {Id}: public value is not in the prime-order subgroup.");
            return y;
        }

        internal byte[] ToFixedLength(BigInteger value)
        {
            byte[] magnitude = value.ToByteArrayUnsigned();
            if (magnitude.Length == PublicValueLength) return magnitude;
            byte[] result = new byte[PublicValueLength];
            magnitude.CopyTo(result, PublicValueLength - magnitude.Length);
            CryptoBytes.Zero(magnitude);
            return result;
        }

        public override string ToString() => $"MODP group {Id} ({P.BitLength}-bit{(Q != null ? $", {Q.BitLength}-bit subgroup" : "")})";

        private sealed class KeyPair : IDhKeyPair
        {
            private readonly ModpDhGroup _group;
            private readonly byte[] _publicValue;
            // BouncyCastle BigIntegers are immutable and cannot be wiped; Dispose drops the only reference.
            private BigInteger? _x;

            public KeyPair(ModpDhGroup group, BigInteger x)
            {
                _group = group;
                _x = x;
                _publicValue = group.ToFixedLength(group.G.ModPow(x, group.P));
            }

            public IDhGroup Group => _group;

            public byte[] PublicValue => (byte[])_publicValue.Clone();

            public byte[] Agree(ReadOnlySpan<byte> peerPublicValue)
            {
                BigInteger x = _x ?? throw new ObjectDisposedException(nameof(IDhKeyPair));
                BigInteger y = _group.ValidatePeer(peerPublicValue);
                BigInteger shared = y.ModPow(x, _group.P);
                // Unreachable for a validated y and x in range, but a secret of 1 must never become key material.
                if (shared.CompareTo(BigInteger.One) <= 0) throw new CryptoException($"DH group {_group.Id}: degenerate shared secret.");
                return _group.ToFixedLength(shared);
            }

            public void Dispose() => _x = null;

            public override string ToString() => $"DH key pair ({_group})";
        }
    }
}
