using System;
using System.Text;
using IkeExtensions.Crypto;
using IkeExtensions.Wire.V1;
using Xunit;
using static IkeExtensions.Tests.Crypto.CryptoVectors;

namespace IkeExtensions.Tests.Crypto
{
    public class HmacAndHashTests
    {
        private static readonly byte[] Tc1Data = Encoding.ASCII.GetBytes("Hi There");
        private static readonly byte[] Tc2Key = Encoding.ASCII.GetBytes("Jefe");
        private static readonly byte[] Tc2Data = Encoding.ASCII.GetBytes("what do ya want for nothing?");

        [Theory]
        // RFC 2202 §2 (HMAC-MD5) test cases 1 and 2: key 0x0b x 16 / "Jefe".
        [InlineData(IkeHashAlgorithm.Md5, 16, "9294727a3638bb1c13f48ef8158bfc9d", "750c783e6ab0b503eaa86e310a5db738")]
        // RFC 2202 §3 (HMAC-SHA-1) test cases 1 and 2: key 0x0b x 20 / "Jefe".
        [InlineData(IkeHashAlgorithm.Sha1, 20, "b617318655057264e28bc0b6fb378c8ef146be00", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
        // RFC 4231 §4.2 and §4.3 (test cases 1 and 2).
        [InlineData(IkeHashAlgorithm.Sha2_256, 20,
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
        [InlineData(IkeHashAlgorithm.Sha2_384, 20,
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649")]
        [InlineData(IkeHashAlgorithm.Sha2_512, 20,
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")]
        public void HmacPrfMatchesRfc2202AndRfc4231TestCases1And2(IkeHashAlgorithm hash, int tc1KeyLength, string tc1, string tc2)
        {
            IPrf prf = PrfAlgorithms.ForIkeHash(hash);
            byte[] tc1Key = new byte[tc1KeyLength];
            Array.Fill(tc1Key, (byte)0x0b);
            Assert.Equal(tc1, Convert.ToHexString(prf.Compute(tc1Key, Tc1Data)), ignoreCase: true);
            Assert.Equal(tc2, Convert.ToHexString(prf.Compute(Tc2Key, Tc2Data)), ignoreCase: true);
            Assert.Equal(tc1.Length / 2, prf.OutputLength);
        }

        [Fact]
        public void BouncyCastleMd5FallbackForFipsModeMatchesRfc2202AndRfc1321()
        {
            byte[] tc1Key = new byte[16];
            Array.Fill(tc1Key, (byte)0x0b);
            Assert.Equal("9294727A3638BB1C13F48EF8158BFC9D", Convert.ToHexString(PrfAlgorithms.BouncyCastleHmacMd5.Compute(tc1Key, Tc1Data)));
            Assert.Equal("750C783E6AB0B503EAA86E310A5DB738", Convert.ToHexString(PrfAlgorithms.BouncyCastleHmacMd5.Compute(Tc2Key, Tc2Data)));
            // RFC 1321 §A.5: MD5("abc")
            Assert.Equal("900150983CD24FB0D6963F7D28E17F72", Convert.ToHexString(HashAlgorithms.BouncyCastleMd5.Compute(Encoding.ASCII.GetBytes("abc"))));
        }

        [Theory]
        [InlineData(IkeHashAlgorithm.Md5, "900150983cd24fb0d6963f7d28e17f72")]            // RFC 1321 §A.5
        [InlineData(IkeHashAlgorithm.Sha1, "a9993e364706816aba3e25717850c26c9cd0d89d")]    // FIPS 180-2 Appendix A.1
        [InlineData(IkeHashAlgorithm.Sha2_256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")] // FIPS 180-2 B.1
        [InlineData(IkeHashAlgorithm.Sha2_384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")] // D.1
        [InlineData(IkeHashAlgorithm.Sha2_512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")] // C.1
        public void HashOfAbcMatchesStandardVectors(IkeHashAlgorithm algorithm, string expected)
        {
            IHash hash = HashAlgorithms.For(algorithm);
            Assert.Equal(expected, Convert.ToHexString(hash.Compute(Encoding.ASCII.GetBytes("abc"))), ignoreCase: true);
            Assert.Equal(expected.Length / 2, hash.OutputLength);
        }

        [Fact]
        public void TigerAndUnknownHashesAreNotSupported()
        {
            Assert.False(HashAlgorithms.TryGet(IkeHashAlgorithm.Tiger, out _));
            Assert.False(PrfAlgorithms.TryGetForIkeHash(IkeHashAlgorithm.Tiger, out _));
            Assert.Throws<NotSupportedException>(() => HashAlgorithms.For((IkeHashAlgorithm)99));
            Assert.Throws<NotSupportedException>(() => PrfAlgorithms.ForIkeHash(IkeHashAlgorithm.Tiger));
        }

        [Fact]
        public void HmacKeysLongerThanTheBlockAreHashedFirst()
        {
            // RFC 4231 §4.7 test case 6: 131-byte key 0xaa, "Test Using Larger Than Block-Size Key - Hash Key First".
            byte[] key = new byte[131];
            Array.Fill(key, (byte)0xaa);
            byte[] data = Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First");
            Assert.Equal(Hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"), PrfAlgorithms.HmacSha2_256.Compute(key, data));
        }
    }
}
