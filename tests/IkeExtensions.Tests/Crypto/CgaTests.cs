using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Cga;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Xunit;

namespace IkeExtensions.Tests.Crypto
{
    /// <summary>RSA keys for the CGA tests, made once per run (1024 bits keeps key generation quick).</summary>
    internal static class CgaTestKeys
    {
        private static readonly SecureRandom Random = new SecureRandom();
        public static readonly Lazy<AsymmetricCipherKeyPair> K1 = new Lazy<AsymmetricCipherKeyPair>(() => Generate());
        public static readonly Lazy<AsymmetricCipherKeyPair> K2 = new Lazy<AsymmetricCipherKeyPair>(() => Generate());

        public static byte[] Spki(Lazy<AsymmetricCipherKeyPair> k) => CgaGenerator.EncodePublicKey((RsaKeyParameters)k.Value.Public);

        private static AsymmetricCipherKeyPair Generate()
        {
            var gen = new RsaKeyPairGenerator();
            gen.Init(new KeyGenerationParameters(Random, 1024));
            return gen.GenerateKeyPair();
        }

        /// <summary>2001:db8:1:2::/64 (RFC 3849 documentation prefix).</summary>
        public static readonly byte[] Prefix = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x02 };
    }

    /// <summary>RFC 3972 §3–§5 CGA parameters, generation and verification.</summary>
    public class CgaTests
    {
        private static IRandomSource Seed(string s) => new DeterministicRandomSource(s);

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void Rfc3972_4_GeneratedAddress_VerifiesPerRfc3972_5(int sec)
        {
            var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, (RsaKeyParameters)CgaTestKeys.K1.Value.Public, sec, Seed("roundtrip" + sec));
            Assert.True(CgaVerifier.Verify(address, p, out var reason), reason);
            Assert.Equal(sec, CgaVerifier.SecOf(address));
            Assert.Equal(CgaTestKeys.Prefix, address.GetAddressBytes().Take(8).ToArray());
            Assert.Equal(CgaTestKeys.Prefix, p.SubnetPrefix.ToArray());
            Assert.Equal(0, p.CollisionCount);
            Assert.Equal(CgaTestKeys.Spki(CgaTestKeys.K1), p.PublicKey.ToArray());
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void Rfc3972_4_Step6_InterfaceIdentifier_HasSecInTheTopThreeBits_AndUAndGBitsZero(int sec)
        {
            for (int i = 0; i < 8; i++)
            {
                var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), sec, Seed($"iid{sec}-{i}"));
                var a = address.GetAddressBytes();
                Assert.Equal(sec, a[8] >> 5);
                Assert.Equal(0, a[8] & 0x03); // bits 6 (u) and 7 (g) of the interface identifier
                // Everything else is Hash1: bits 3–5 of the first octet and the following seven octets.
                var hash1 = p.Hash1();
                Assert.Equal(hash1[0] & 0x1C, a[8] & 0x1C);
                Assert.Equal(hash1.Skip(1).ToArray(), a.Skip(9).ToArray());
            }
        }

        [Fact]
        public void Rfc3972_3_Hash2_StartsWithSixteenZeroBits_ForSec1()
        {
            var (_, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 1, Seed("hash2"));
            var hash2 = p.Hash2();
            Assert.Equal(14, hash2.Length); // 112 bits
            Assert.Equal(0, hash2[0]);
            Assert.Equal(0, hash2[1]);
        }

        [Fact]
        public void Rfc3972_3_ParametersLayout_AndHash1Hash2Inputs()
        {
            var modifier = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
            var key = CgaTestKeys.Spki(CgaTestKeys.K1);
            var ext = new byte[] { 0x00, 0x07, 0x00, 0x02, 0xAA, 0xBB }; // one RFC 4581 TLV
            var p = new CgaParameters(modifier, CgaTestKeys.Prefix, 2, key, ext);
            var encoded = p.Encode();
            Assert.Equal(modifier, encoded.Take(16).ToArray());
            Assert.Equal(CgaTestKeys.Prefix, encoded.Skip(16).Take(8).ToArray());
            Assert.Equal(2, encoded[24]);
            Assert.Equal(key, encoded.Skip(25).Take(key.Length).ToArray());
            Assert.Equal(ext, encoded.Skip(25 + key.Length).ToArray());

            using var sha1 = SHA1.Create();
            Assert.Equal(sha1.ComputeHash(encoded).Take(8).ToArray(), p.Hash1());
            var hash2Input = modifier.Concat(new byte[9]).Concat(key).Concat(ext).ToArray();
            Assert.Equal(sha1.ComputeHash(hash2Input).Take(14).ToArray(), p.Hash2());

            Assert.True(CgaParameters.TryDecode(encoded, out var back, out var why), why);
            Assert.Equal(encoded, back!.Encode());
            Assert.Equal(ext, back.ExtensionFields.ToArray());
            Assert.Equal(key, back.PublicKey.ToArray());
        }

        [Theory]
        [InlineData("")]
        [InlineData("00")]
        [InlineData("000102030405060708090a0b0c0d0e0f20010db80001000200")]           // no key
        [InlineData("000102030405060708090a0b0c0d0e0f20010db800010002000401020304")] // key not a SEQUENCE
        [InlineData("000102030405060708090a0b0c0d0e0f20010db80001000200308203")]     // truncated DER length
        [InlineData("000102030405060708090a0b0c0d0e0f20010db8000100020030050102")]   // SEQUENCE longer than the data
        public void Rfc3972_3_MalformedParameters_AreRefusedWithoutThrowing(string hex)
        {
            var bytes = Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();
            Assert.False(CgaParameters.TryDecode(bytes, out var p, out var reason));
            Assert.Null(p);
            Assert.NotEmpty(reason);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Rfc3972_5_Step1_CollisionCountsOneAndTwo_Verify(byte count)
        {
            var (_, p0) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("cc"));
            var p = p0.WithCollisionCount(count);
            Assert.True(CgaVerifier.Verify(CgaGenerator.AddressFor(p, 0), p, out var reason), reason);
            var (address, generated) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("cc"), collisionCount: count);
            Assert.Equal(count, generated.CollisionCount);
            Assert.True(CgaVerifier.Verify(address, generated, out reason), reason);
        }

        [Fact]
        public void Rfc3972_5_Step1_CollisionCountAboveTwo_IsRejected_EvenWhenHash1Matches()
        {
            var (_, p0) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("cc3"));
            var p = p0.WithCollisionCount(3);
            var address = CgaGenerator.AddressFor(p, 0); // Hash1 of the cc=3 parameters
            Assert.False(CgaVerifier.Verify(address, p, out var reason));
            Assert.Contains("step 1", reason);
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("cc3"), collisionCount: 3));
        }

        [Fact]
        public void Rfc3972_5_Step2_WrongSubnetPrefix_IsRejected()
        {
            var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("prefix"));
            var moved = address.GetAddressBytes();
            moved[7] ^= 0x01; // 2001:db8:1:3::<same interface identifier>
            Assert.False(CgaVerifier.Verify(new IPAddress(moved), p, out var reason));
            Assert.Contains("step 2", reason);
            // Parameters rebuilt with the address's own prefix (as an IKE receiver does) fail on Hash1 instead.
            Assert.False(CgaVerifier.Verify(new IPAddress(moved), p.WithSubnetPrefix(moved.AsSpan(0, 8)), out reason));
            Assert.Contains("step 3", reason);
        }

        [Fact]
        public void Rfc3972_5_Step3_TamperedModifier_IsRejected()
        {
            var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("modifier"));
            var m = p.Modifier.ToArray();
            m[15] ^= 0x01;
            Assert.False(CgaVerifier.Verify(address, p.WithModifier(m), out var reason));
            Assert.Contains("step 3", reason);
        }

        [Fact]
        public void Rfc3972_5_Step3_AnotherPublicKey_IsRejected()
        {
            var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("key"));
            Assert.False(CgaVerifier.Verify(address, p.WithPublicKey(CgaTestKeys.Spki(CgaTestKeys.K2)), out var reason));
            Assert.Contains("step 3", reason);
        }

        [Fact]
        public void Rfc3972_5_Step3_UAndGBits_AreIgnored_OtherInterfaceIdentifierBitsAreNot()
        {
            var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("ug"));
            var a = address.GetAddressBytes();
            a[8] |= 0x03;
            Assert.True(CgaVerifier.Verify(new IPAddress(a), p, out var reason), reason);
            for (int bit = 67; bit < 128; bit++)
            {
                if (bit == 70 || bit == 71) continue;
                var b = address.GetAddressBytes();
                b[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
                Assert.False(CgaVerifier.Verify(new IPAddress(b), p, out _), $"bit {bit}");
            }
        }

        [Fact]
        public void Rfc3972_5_Step6_SecBitsRaisedWithoutHash2ZeroBits_AreRejected()
        {
            // A Sec 0 CGA whose Hash2 does not happen to start with 16 zero bits, relabelled Sec 1.
            var (address, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("sec"));
            Assert.False(p.Hash2()[0] == 0 && p.Hash2()[1] == 0);
            var a = address.GetAddressBytes();
            a[8] = (byte)((a[8] & 0x1F) | (1 << 5));
            Assert.False(CgaVerifier.Verify(new IPAddress(a), p, out var reason));
            Assert.Contains("step 6", reason);
            Assert.Contains("16 zero bits", reason);
        }

        [Fact]
        public void Rfc3972_4_ModifierSearch_IsBounded()
        {
            var ex = Assert.Throws<InvalidOperationException>(() =>
                CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 2, Seed("bounded"), maxAttempts: 16));
            Assert.Contains("32 leading zero bits", ex.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 8, Seed("x")));
        }

        [Fact]
        public void Rfc3972_2_OnlyIpv6AddressesAreCgas()
        {
            var (_, p) = CgaGenerator.Generate(CgaTestKeys.Prefix, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("v4"));
            Assert.False(CgaVerifier.Verify(IPAddress.Parse("192.0.2.1"), p, out var reason));
            Assert.Contains("not an IPv6", reason);
        }

        // ---- MS-IKEE 3.4: the subnet prefix rule ----

        [Theory]
        [InlineData("3ffe:831e::1", 88)]
        [InlineData("3ffe:831e:ffff:ffff:ffff:ffff:ffff:ffff", 88)]
        [InlineData("3ffe:831f::1", 64)]
        [InlineData("3ffe:831d::1", 64)]
        [InlineData("2001:db8::1", 64)]
        [InlineData("fe80::1", 64)]
        public void MsIkee_3_4_SubnetPrefixRule_88BitsUnder3ffe831e_Else64(string address, int length)
        {
            Assert.Equal(length, CgaSubnet.PrefixLength(IPAddress.Parse(address)));
        }

        [Fact]
        public void MsIkee_3_4_SubnetIsTheLeftmostPrefixLengthBits()
        {
            Assert.Equal(IPAddress.Parse("3ffe:831e:1:2:3:4500::"), CgaSubnet.Subnet(IPAddress.Parse("3ffe:831e:1:2:3:4567:89ab:cdef")));
            Assert.Equal(IPAddress.Parse("2001:db8:1:2::"), CgaSubnet.Subnet(IPAddress.Parse("2001:db8:1:2:3:4567:89ab:cdef")));
            Assert.Equal(new byte[] { 0x3f, 0xfe, 0x83, 0x1e, 0, 1, 0, 2 }, CgaSubnet.SubnetPrefixField(IPAddress.Parse("3ffe:831e:1:2:3:4567:89ab:cdef")));
        }

        [Fact]
        public void MsIkee_3_4_88BitSubnet_OnlyTheLow40BitsAreHashDerived()
        {
            var subnet = IPAddress.Parse("3ffe:831e:1:2:0a:bc00::"); // Sec bits (64–66) zero
            var (address, p) = CgaGenerator.GenerateInSubnet(subnet, CgaTestKeys.Spki(CgaTestKeys.K1), 0, Seed("88"));
            var a = address.GetAddressBytes();
            Assert.Equal(subnet.GetAddressBytes().Take(11).ToArray(), a.Take(11).ToArray());
            Assert.Equal(p.Hash1().Skip(3).ToArray(), a.Skip(11).ToArray());
            Assert.True(CgaVerifier.VerifyMsIkee(address, p, out var reason), reason);
            Assert.Contains("88-bit subnet", reason);
            // Read as a plain RFC 3972 64-bit CGA, bits 64–87 would have to be Hash1 too: they are the subnet's.
            Assert.False(CgaVerifier.Verify(address, p, out _));
            // A hash-derived bit changed: rejected.
            a[15] ^= 0x01;
            Assert.False(CgaVerifier.VerifyMsIkee(new IPAddress(a), p, out reason));
            Assert.Contains("step 3", reason);
            // The Sec bits lie in an 88-bit subnet, so they must be the requested Sec.
            Assert.Throws<ArgumentException>(() => CgaGenerator.GenerateInSubnet(subnet, CgaTestKeys.Spki(CgaTestKeys.K1), 1, Seed("88")));
        }

        [Fact]
        public void MsIkee_3_4_64BitSubnet_GenerateInSubnet_IsRfc3972()
        {
            var (address, p) = CgaGenerator.GenerateInSubnet(IPAddress.Parse("2001:db8:1:2::"), CgaTestKeys.Spki(CgaTestKeys.K1), 1, Seed("64"));
            Assert.True(CgaVerifier.Verify(address, p, out var reason), reason);
            Assert.True(CgaVerifier.VerifyMsIkee(address, p, out reason), reason);
        }

        // ---- MS-IKEE 3.4.3: the credential ----

        [Fact]
        public void MsIkee_3_4_3_Credential_RsaKeySelfSignedCertificateAndCga_PrivateKeyNeverShown()
        {
            var c = CgaCredential.Create(IPAddress.Parse("2001:db8:1:2::"), 1, Seed("credential"), keyBits: 1024);
            Assert.True(CgaVerifier.Verify(c.Address, c.Parameters, out var reason), reason);
            Assert.Equal(1, c.Sec);
            Assert.Equal(c.Certificate.SubjectDN, c.Certificate.IssuerDN);
            c.Certificate.Verify(c.Certificate.GetPublicKey()); // self-signed: throws if not
            Assert.Equal(CgaCredential.PublicKeyInfo(c.Certificate), c.Parameters.PublicKey.ToArray());
            var text = c.ToString();
            Assert.Contains(c.Address.ToString(), text);
            Assert.Contains("hidden", text);
            Assert.DoesNotContain(c.PrivateKey.Exponent.ToString(), text);
            Assert.DoesNotContain(c.PrivateKey.Exponent.ToString(16), text);

            // Deterministic from the random source.
            var again = CgaCredential.Create(IPAddress.Parse("2001:db8:1:2::"), 1, Seed("credential"), keyBits: 1024, notBefore: c.Certificate.NotBefore.ToUniversalTime());
            Assert.Equal(c.Address, again.Address);
        }

        [Fact]
        public void MsIkee_3_4_3_Credential_RefusesAnAddressThatIsNotItsCga()
        {
            var c = CgaCredential.Create(IPAddress.Parse("2001:db8:1:2::"), 0, Seed("refuse"), keyBits: 1024);
            var other = c.Address.GetAddressBytes();
            other[15] ^= 0x10;
            Assert.Throws<ArgumentException>(() => new CgaCredential(c.Certificate, c.PrivateKey, new IPAddress(other), c.Parameters));
            var k2 = CgaTestKeys.K2.Value;
            Assert.Throws<ArgumentException>(() => new CgaCredential(c.Certificate, k2.Private, c.Address, c.Parameters));
        }
    }
}
