using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IkeExtensions.Crypto;
using Xunit;
using static IkeExtensions.Tests.Crypto.CryptoVectors;

namespace IkeExtensions.Tests.Crypto
{
    /// <summary>
    /// RFC 2409 §5, §5.5, §5.7 and Appendix B against known answers computed by Vectors/crypto/ikev1_kat.py
    /// (Python hmac/hashlib; inputs below are the script's). Suite: HMAC-SHA1 PRF, SHA1 hash, AES-256-CBC, so the
    /// 20-byte SKEYID_e must be expanded to the 32-byte key.
    /// </summary>
    public class IkeV1KeyMaterialTests
    {
        private static readonly byte[] Psk = Encoding.ASCII.GetBytes("ikev1-kat-psk");
        private static readonly byte[] NiB = Enumerable.Range(0x00, 0x20).Select(i => (byte)i).ToArray();
        private static readonly byte[] NrB = Enumerable.Range(0x80, 0x20).Select(i => (byte)i).ToArray();
        private const ulong CkyI = 0x0102030405060708;
        private const ulong CkyR = 0x1112131415161718;
        private static readonly byte[] SaiB = Hex("00000001000000010000002c01010001000000240101000080010007800e0100800200028004000e800300018003000180020002");
        private static readonly byte[] IdiiB = Hex("01000000c0000201");
        private static readonly byte[] IdirB = Hex("01000000c0000202");
        private static readonly byte[] LastBlock = Hex("00112233445566778899AABBCCDDEEFF");
        private const uint Mid = 0xA1B2C3D4;
        private static readonly byte[] QmRest = Concat(Hex("0a000034000000010000000102"), Encoding.ASCII.GetBytes("quick-mode-rest"));
        private static readonly byte[] QmNi = Enumerable.Range(0x40, 16).Select(i => (byte)i).ToArray();
        private static readonly byte[] QmNr = Enumerable.Range(0x50, 16).Select(i => (byte)i).ToArray();
        private static readonly byte[] Info = Hex("0000001000000001030400010000abcd");
        private const uint Spi = 0x12345678;

        private static byte[] Gxi => FromKat("GXI");
        private static byte[] Gxr => FromKat("GXR");
        private static byte[] Gxy => FromKat("GXY");

        private static IkeV1KeyMaterial NewPsk() => IkeV1KeyMaterial.ForPreSharedKey(
            PrfAlgorithms.HmacSha1, HashAlgorithms.Sha1, BlockCiphers.Aes256Cbc, Psk, NiB, NrB, Gxy, CkyI, CkyR);

        [Fact]
        public void PreSharedKeyDerivationMatchesPythonKnownAnswers()
        {
            // computed by Vectors/crypto/ikev1_kat.py
            using IkeV1KeyMaterial keys = NewPsk();
            Assert.Equal("A007313E10B47AE37B0E2D6C8C70058B6F486118", Convert.ToHexString(keys.Skeyid));
            Assert.Equal("7F7D70E706159AD6482D55D6C9DB222C3958B4DE", Convert.ToHexString(keys.SkeyidD));
            Assert.Equal("C4661B58FDFA067B8BF69C63F38690DFBC3A1281", Convert.ToHexString(keys.SkeyidA));
            Assert.Equal("FCAD4F666F3C5287EE8DD24CC97349DE493E85EF", Convert.ToHexString(keys.SkeyidE));
            // Appendix B expansion: K1 | K2 truncated to 32 bytes.
            Assert.Equal("9FC38FB05375C4CC14D92F2679099DA439678544126145470F8C807B4E470F59", Convert.ToHexString(keys.EncryptionKey));
        }

        [Fact]
        public void SignatureDerivationUsesNoncesAsPrfKey()
        {
            // computed by Vectors/crypto/ikev1_kat.py: SKEYID = prf(Ni_b | Nr_b, g^xy)
            using var keys = IkeV1KeyMaterial.ForSignatures(PrfAlgorithms.HmacSha1, HashAlgorithms.Sha1, BlockCiphers.Aes256Cbc, NiB, NrB, Gxy, CkyI, CkyR);
            Assert.Equal("AD878F022897DAF33C473E0DFCEFBE8C7948AE9A", Convert.ToHexString(keys.Skeyid));
        }

        [Fact]
        public void MainModeHashesAndIvsMatchPythonKnownAnswers()
        {
            // computed by Vectors/crypto/ikev1_kat.py
            using IkeV1KeyMaterial keys = NewPsk();
            Assert.Equal("549550F1D9B5450E7160C352F714BB5880BD0D3C", Convert.ToHexString(keys.HashI(Gxi, Gxr, CkyI, CkyR, SaiB, IdiiB)));
            Assert.Equal("D686F3552AD3B11E6D469715F053FD2E538FCE4E", Convert.ToHexString(keys.HashR(Gxi, Gxr, CkyI, CkyR, SaiB, IdirB)));
            Assert.Equal("17F65F4A333C9CBA48D0B853512E316F", Convert.ToHexString(keys.InitialIv(Gxi, Gxr)));
            Assert.Equal("9942D87A577851C199810568C25F1741", Convert.ToHexString(keys.Phase2Iv(LastBlock, Mid)));
        }

        [Fact]
        public void QuickModeAndInformationalHashesMatchPythonKnownAnswers()
        {
            // computed by Vectors/crypto/ikev1_kat.py
            using IkeV1KeyMaterial keys = NewPsk();
            Assert.Equal("C9442413662B18CEDDBEB2D543686FFD3BEC58C2", Convert.ToHexString(keys.QuickModeHash1(Mid, QmRest)));
            Assert.Equal("8F621B67290DB7A4E4FE5681549836DB14419A06", Convert.ToHexString(keys.QuickModeHash2(Mid, QmNi, QmRest)));
            Assert.Equal("B8AA4E7FE2C89E95691FF1DB2645EF36AFD1237B", Convert.ToHexString(keys.QuickModeHash3(Mid, QmNi, QmNr)));
            Assert.Equal("601FBB5F0C2173804E3DE82F8B248F6E60855E07", Convert.ToHexString(keys.InformationalHash(Mid, Info)));
            // PrfA is the generic form: prf(SKEYID_a, M-ID | Ni_b | rest) = HASH(2).
            Assert.Equal(keys.QuickModeHash2(Mid, QmNi, QmRest), keys.PrfA(Hex("A1B2C3D4"), QmNi, QmRest));
        }

        [Fact]
        public void QuickModeKeyMaterialWithAndWithoutPfsMatchesPythonKnownAnswers()
        {
            // computed by Vectors/crypto/ikev1_kat.py; 52 bytes = AES-256 (32) + HMAC-SHA1 (20) needs K1 | K2 | K3.
            using IkeV1KeyMaterial keys = NewPsk();
            Assert.Equal(
                "E342F297CE8804AD89A18B43340DD488D9A4C404BE139E260CDC56B8CA0BB2C6FE8461D571A540065F5485F3EE8907F372E45C99",
                Convert.ToHexString(keys.QuickModeKeyMaterial(3, Spi, QmNi, QmNr, ReadOnlySpan<byte>.Empty, 52)));
            Assert.Equal(Convert.ToHexString(FromKat("KEYMAT_ESP_52")), Convert.ToHexString(keys.QuickModeKeyMaterial(3, Spi, QmNi, QmNr, default, 52)));
            Assert.Equal(Convert.ToHexString(FromKat("KEYMAT_ESP_52_PFS")), Convert.ToHexString(keys.QuickModeKeyMaterial(3, Spi, QmNi, QmNr, FromKat("GQM"), 52)));
            // A shorter request is a prefix of a longer one.
            Assert.Equal(FromKat("KEYMAT_ESP_52").AsSpan(0, 7).ToArray(), keys.QuickModeKeyMaterial(3, Spi, QmNi, QmNr, default, 7));
        }

        [Fact]
        public void KeyLongerPrfNeedsNoExpansionAndIsTruncated()
        {
            // HMAC-SHA2-512 gives 64 bytes of SKEYID_e; AES-128 takes the first 16.
            using var keys = IkeV1KeyMaterial.ForPreSharedKey(PrfAlgorithms.HmacSha2_512, HashAlgorithms.Sha2_512, BlockCiphers.Aes128Cbc, Psk, NiB, NrB, Gxy, CkyI, CkyR);
            Assert.Equal(keys.SkeyidE.AsSpan(0, 16).ToArray(), keys.EncryptionKey);
            Assert.Equal(16, keys.InitialIv(Gxi, Gxr).Length);
        }

        [Fact]
        public void ToStringAndExceptionsRevealNoKeyBytes()
        {
            IkeV1KeyMaterial keys = NewPsk();
            var secrets = new List<byte[]> { keys.Skeyid, keys.SkeyidD, keys.SkeyidA, keys.SkeyidE, keys.EncryptionKey, Psk, Gxy }
                .Select(s => s.ToArray()).ToList();
            var texts = new List<string> { keys.ToString(), keys.Encryption.ToString() };
            texts.Add(Assert.Throws<CryptoException>(() => keys.Encryption.Decrypt(new byte[17], new byte[16])).ToString());
            texts.Add(Assert.ThrowsAny<ArgumentException>(() => keys.Encryption.Decrypt(new byte[16], new byte[3])).ToString());
            Assert.Contains("HMAC-SHA1", texts[0], StringComparison.Ordinal);
            Assert.Contains("AES-CBC-256", texts[0], StringComparison.Ordinal);

            keys.Dispose();
            texts.Add(keys.ToString());
            texts.Add(Assert.Throws<ObjectDisposedException>(() => keys.HashI(Gxi, Gxr, CkyI, CkyR, SaiB, IdiiB)).ToString());
            texts.Add(Assert.Throws<ObjectDisposedException>(() => keys.QuickModeKeyMaterial(3, Spi, QmNi, QmNr, default, 52)).ToString());

            foreach (string text in texts)
            {
                foreach (byte[] secret in secrets)
                {
                    Assert.DoesNotContain(Convert.ToHexString(secret.AsSpan(0, 8)), text, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(Convert.ToBase64String(secret, 0, 6), text, StringComparison.Ordinal);
                }
                Assert.DoesNotContain("ikev1-kat-psk", text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void DisposeZeroesEverySecret()
        {
            IkeV1KeyMaterial keys = NewPsk();
            byte[][] held = { keys.Skeyid, keys.SkeyidD, keys.SkeyidA, keys.SkeyidE, keys.EncryptionKey };
            keys.Dispose();
            foreach (byte[] secret in held) Assert.All(secret, b => Assert.Equal(0, b));
            keys.Dispose(); // idempotent
        }

        private static byte[] Concat(byte[] a, byte[] b) => a.Concat(b).ToArray();
    }
}
