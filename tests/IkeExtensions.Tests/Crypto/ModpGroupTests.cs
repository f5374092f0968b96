using System;
using System.Collections.Generic;
using IkeExtensions.Crypto;
using Org.BouncyCastle.Math;
using Xunit;
using static IkeExtensions.Tests.Crypto.CryptoVectors;

namespace IkeExtensions.Tests.Crypto
{
    public class ModpGroupTests
    {
        private static ModpDhGroup Group(int id) => (ModpDhGroup)DhGroups.Get(id, allowWeak: true);

        [Theory]
        // P1, P2, P14 recomputed from their definition p = 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k)
        // (RFC 2409 §6.1/§6.2, RFC 3526 §3) by Vectors/crypto/ikev1_kat.py with mpmath.
        [InlineData(1, "P1")]
        [InlineData(2, "P2")]
        [InlineData(14, "P14")]
        public void OakleyPrimesMatchTheirPiBasedDefinitionAndGeneratorIsTwo(int id, string katName)
        {
            ModpDhGroup group = Group(id);
            Assert.Equal(Convert.ToHexString(FromKat(katName)), Convert.ToHexString(group.P.ToByteArrayUnsigned()));
            Assert.Equal(BigInteger.Two, group.G);
            Assert.Equal(FromKat(katName).Length, group.PublicValueLength);
        }

        [Fact]
        public void Group24IsRfc5114PrimeOrderSubgroup()
        {
            // RFC 5114 §2.3: 2048-bit p, 256-bit q, q | p-1, g of order q. A transcription error would break these.
            ModpDhGroup group = Group(24);
            BigInteger q = group.Q!;
            Assert.Equal(2048, group.P.BitLength);
            Assert.Equal(256, q.BitLength);
            Assert.True(group.P.IsProbablePrime(64));
            Assert.True(q.IsProbablePrime(64));
            Assert.Equal(BigInteger.Zero, group.P.Subtract(BigInteger.One).Mod(q));
            Assert.Equal(BigInteger.One, group.G.ModPow(q, group.P));
            Assert.NotEqual(BigInteger.One, group.G);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(14)]
        [InlineData(24)]
        public void GeneratedPairsAgreeAndValuesAreFullLength(int id)
        {
            ModpDhGroup group = Group(id);
            var random = new DeterministicRandomSource($"modp-{id}");
            using IDhKeyPair a = group.Generate(random);
            using IDhKeyPair b = group.Generate(random);
            Assert.Equal(group.PublicValueLength, a.PublicValue.Length);
            byte[] ab = a.Agree(b.PublicValue);
            Assert.Equal(group.PublicValueLength, ab.Length);
            Assert.Equal(ab, b.Agree(a.PublicValue));
            Assert.NotEqual(a.PublicValue, b.PublicValue);
        }

        [Theory]
        // Known answers computed by Vectors/crypto/ikev1_kat.py with Python pow(g, x, p).
        [InlineData(14, "X14_I", "X14_R", "GXI", "GXR", "GXY")]
        [InlineData(24, "X24_I", "X24_R", "G24_XI", "G24_XR", "G24_XY")]
        public void FixedExponentsMatchPythonPow(int id, string xi, string xr, string gxi, string gxr, string gxy)
        {
            ModpDhGroup group = Group(id);
            using IDhKeyPair i = group.FromPrivateKey(FromKat(xi));
            using IDhKeyPair r = group.FromPrivateKey(FromKat(xr));
            Assert.Equal(FromKat(gxi), i.PublicValue);
            Assert.Equal(FromKat(gxr), r.PublicValue);
            Assert.Equal(FromKat(gxy), i.Agree(FromKat(gxr)));
            Assert.Equal(FromKat(gxy), r.Agree(FromKat(gxi)));
        }

        public static IEnumerable<object[]> DegeneratePeerValues()
        {
            foreach (int id in new[] { 1, 2, 14, 24 })
            {
                BigInteger p = Group(id).P;
                yield return new object[] { id, "0", BigInteger.Zero };
                yield return new object[] { id, "1", BigInteger.One };
                yield return new object[] { id, "p-1", p.Subtract(BigInteger.One) };
                yield return new object[] { id, "p", p };
            }
        }

        [Theory]
        [MemberData(nameof(DegeneratePeerValues))]
        public void DegeneratePeerValuesAreRejected(int id, string name, BigInteger y)
        {
            ModpDhGroup group = Group(id);
            using IDhKeyPair pair = group.Generate(new DeterministicRandomSource(name));
            byte[] encoded = Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(group.PublicValueLength, y);
            Assert.Throws<CryptoException>(() => pair.Agree(encoded));
        }

        [Fact]
        public void Group24RejectsValueOutsideThePrimeOrderSubgroup()
        {
            ModpDhGroup group = Group(24);
            // 2 has order dividing p-1 but not q (checked here), the small-subgroup probe RFC 6989 §2.2 warns of.
            Assert.NotEqual(BigInteger.One, BigInteger.Two.ModPow(group.Q!, group.P));
            using IDhKeyPair pair = group.Generate(new DeterministicRandomSource("g24"));
            byte[] two = new byte[group.PublicValueLength];
            two[^1] = 2;
            var e = Assert.Throws<CryptoException>(() => pair.Agree(two));
            Assert.Contains("subgroup", e.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(14)]
        public void PublicValueOfWrongLengthIsRejected(int id)
        {
            ModpDhGroup group = Group(id);
            using IDhKeyPair a = group.Generate(new DeterministicRandomSource("a"));
            using IDhKeyPair b = group.Generate(new DeterministicRandomSource("b"));
            byte[] unpadded = b.PublicValue.AsSpan(1).ToArray();
            Assert.Throws<CryptoException>(() => a.Agree(unpadded));
            byte[] longer = new byte[group.PublicValueLength + 1];
            b.PublicValue.CopyTo(longer, 1);
            Assert.Throws<CryptoException>(() => a.Agree(longer));
        }

        [Fact]
        public void ExponentsAreSizedToGroupStrength()
        {
            // RFC 3526 §8 / SP 800-56A: at least 2 x strength bits; group 24 draws x below q (256 bits).
            Assert.Equal(160, Group(2).ExponentBits);
            Assert.Equal(256, Group(14).ExponentBits);
            Assert.Equal(256, Group(24).ExponentBits);
        }
    }
}
