using System;
using System.Collections.Generic;
using IkeExtensions.Crypto;
using Xunit;
using static IkeExtensions.Tests.Crypto.CryptoVectors;

namespace IkeExtensions.Tests.Crypto
{
    public class EcpGroupTests
    {
        // RFC 5903 §8.1 (256-bit random ECP group, IANA 19): i, g^i = (x, y), r, g^r = (x, y), g^ir x.
        private const string P256I = "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433";
        private const string P256Gi = "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180" + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3";
        private const string P256R = "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53";
        private const string P256Gr = "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63" + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB";
        private const string P256Gir = "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE";

        // RFC 5903 §8.2 (384-bit random ECP group, IANA 20).
        private const string P384I = "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194";
        private const string P384Gi = "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA" + "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C";
        private const string P384R = "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC";
        private const string P384Gr = "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571" + "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C";
        private const string P384Gir = "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746";

        public static IEnumerable<object[]> Rfc5903Vectors()
        {
            // Both implementations: platform ECDiffieHellman (net8.0) and BouncyCastle (the netstandard2.0 path).
            foreach (bool platform in new[] { true, false })
            {
                yield return new object[] { 19, platform, P256I, P256Gi, P256R, P256Gr, P256Gir };
                yield return new object[] { 20, platform, P384I, P384Gi, P384R, P384Gr, P384Gir };
            }
        }

        private static EcpDhGroup Group(int id, bool platform) => (id, platform) switch
        {
            (19, true) => EcpDhGroup.Group19,
            (19, false) => EcpDhGroup.Group19BouncyCastle,
            (20, true) => EcpDhGroup.Group20,
            _ => EcpDhGroup.Group20BouncyCastle,
        };

        [Theory]
        [MemberData(nameof(Rfc5903Vectors))]
        public void FixedPrivateKeysReproduceRfc5903PublicValuesAndSharedSecret(int id, bool platform, string i, string gi, string r, string gr, string gir)
        {
            EcpDhGroup group = Group(id, platform);
            using IDhKeyPair initiator = group.FromPrivateKey(Hex(i));
            using IDhKeyPair responder = group.FromPrivateKey(Hex(r));
            Assert.Equal(gi, Convert.ToHexString(initiator.PublicValue));
            Assert.Equal(gr, Convert.ToHexString(responder.PublicValue));
            // RFC 5903 §7/§9: the shared secret is the x coordinate only.
            Assert.Equal(gir, Convert.ToHexString(initiator.Agree(Hex(gr))));
            Assert.Equal(gir, Convert.ToHexString(responder.Agree(Hex(gi))));
        }

        [Theory]
        [InlineData(19, true)]
        [InlineData(19, false)]
        [InlineData(20, true)]
        [InlineData(20, false)]
        public void GeneratedPairsAgreeAcrossImplementations(int id, bool platform)
        {
            var random = new DeterministicRandomSource($"ecp-{id}-{platform}");
            EcpDhGroup group = Group(id, platform);
            EcpDhGroup other = Group(id, !platform);
            using IDhKeyPair a = group.Generate(random);
            using IDhKeyPair b = other.Generate(random);
            Assert.Equal(group.PublicValueLength, a.PublicValue.Length);
            byte[] ab = a.Agree(b.PublicValue);
            Assert.Equal(group.CoordinateLength, ab.Length);
            Assert.Equal(ab, b.Agree(a.PublicValue));
        }

        [Fact]
        public void SameSeedGivesSameKeyPairOnBothImplementations()
        {
            using IDhKeyPair platform = EcpDhGroup.Group19.Generate(new DeterministicRandomSource("seed"));
            using IDhKeyPair bouncy = EcpDhGroup.Group19BouncyCastle.Generate(new DeterministicRandomSource("seed"));
            Assert.Equal(platform.PublicValue, bouncy.PublicValue);
        }

        public static IEnumerable<object[]> InvalidPeerValues()
        {
            foreach (bool platform in new[] { true, false })
            {
                foreach (int id in new[] { 19, 20 })
                {
                    int c = id == 19 ? 32 : 48;
                    string valid = id == 19 ? P256Gr : P384Gr;
                    byte[] offCurve = Hex(valid);
                    offCurve[^1] ^= 1; // y changed by one: not on the curve
                    yield return new object[] { id, platform, "off-curve", offCurve };
                    yield return new object[] { id, platform, "zero point", new byte[2 * c] };
                    yield return new object[] { id, platform, "x only", Hex(valid).AsSpan(0, c).ToArray() };
                    yield return new object[] { id, platform, "0x04 prefix", Concat(new byte[] { 4 }, Hex(valid)) };
                    yield return new object[] { id, platform, "empty", Array.Empty<byte>() };
                    byte[] big = new byte[2 * c];
                    Array.Fill(big, (byte)0xFF); // coordinates above the field prime
                    yield return new object[] { id, platform, "coordinates >= p", big };
                }
            }
        }

        [Theory]
        [MemberData(nameof(InvalidPeerValues))]
        public void InvalidPeerPointsAreRejectedWithCryptoException(int id, bool platform, string what, byte[] peer)
        {
            using IDhKeyPair pair = Group(id, platform).Generate(new DeterministicRandomSource(what));
            Assert.Throws<CryptoException>(() => pair.Agree(peer));
        }

        [Fact]
        public void PointOfTheOtherCurveIsRejected()
        {
            // A valid P-256 point padded to P-384 length is (almost surely) not on P-384.
            byte[] p256 = Hex(P256Gr);
            byte[] padded = new byte[96];
            p256.AsSpan(0, 32).CopyTo(padded.AsSpan(16));
            p256.AsSpan(32).CopyTo(padded.AsSpan(64));
            using IDhKeyPair pair = EcpDhGroup.Group20.Generate(new DeterministicRandomSource("x"));
            Assert.Throws<CryptoException>(() => pair.Agree(padded));
        }

        private static byte[] Concat(byte[] a, byte[] b)
        {
            var r = new byte[a.Length + b.Length];
            a.CopyTo(r, 0);
            b.CopyTo(r, a.Length);
            return r;
        }
    }
}
