using System;
using IkeExtensions.Crypto;
using IkeExtensions.Wire.V1;
using Xunit;
using static IkeExtensions.Tests.Crypto.CryptoVectors;

namespace IkeExtensions.Tests.Crypto
{
    public class CbcCipherTests
    {
        // NIST SP 800-38A Appendix F.2: the shared IV and the four plaintext blocks of the CBC examples.
        private const string NistIv = "000102030405060708090a0b0c0d0e0f";
        private const string NistPlaintext =
            "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";

        [Theory]
        // SP 800-38A F.2.1 CBC-AES128.Encrypt
        [InlineData(128, "2b7e151628aed2a6abf7158809cf4f3c",
            "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2 73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7")]
        // SP 800-38A F.2.5 CBC-AES256.Encrypt
        [InlineData(256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
            "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d 39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b")]
        public void AesCbcMatchesNistSp800_38aVectorsBothWays(int keyBits, string key, string ciphertext)
        {
            Assert.True(BlockCiphers.TryCreate(IkeEncryptionAlgorithm.AesCbc, keyBits, out IBlockCipher aes));
            AssertVector(aes, Hex(key), Hex(NistIv), Hex(NistPlaintext), Hex(ciphertext));
        }

        // Computed on this machine (OpenSSL 3.0.19):
        //   printf '%s' "The quick brown fox jumps over the lazy dog....." | openssl enc -des-ede3-cbc -nopad \
        //     -K 0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123 -iv 1234567890ABCDEF | xxd -p
        [Fact]
        public void TripleDesCbcMatchesOpenSsl()
        {
            Assert.True(BlockCiphers.TryCreate(IkeEncryptionAlgorithm.TripleDesCbc, 0, out IBlockCipher des3));
            Assert.Equal(24, des3.KeyLength);
            AssertVector(des3, Hex("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123"), Hex("1234567890ABCDEF"),
                System.Text.Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog....."),
                Hex("5ba523a59a5109710da06400f058192a743dc4df1c592655aa25ac89162263a0d5d823257bf02dcd618be6fac7edf4f0"));
        }

        // Computed on this machine (OpenSSL 3.0.19, legacy provider for single DES):
        //   printf '%s' "The quick brown fox jumps over the lazy dog....." | openssl enc -des-cbc -nopad \
        //     -K 0123456789ABCDEF -iv 1234567890ABCDEF -provider legacy -provider default | xxd -p
        [Fact]
        public void DesCbcMatchesOpenSsl()
        {
            Assert.True(BlockCiphers.TryCreate(IkeEncryptionAlgorithm.DesCbc, 0, out IBlockCipher des));
            AssertVector(des, Hex("0123456789ABCDEF"), Hex("1234567890ABCDEF"),
                System.Text.Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog....."),
                Hex("33d21ca3eebde709ec40331bc453d5f8b193481acff2385f563fd2050dad667c2495d7db6418790d23a26f8d916c286c"));
        }

        [Theory]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 0, false)]      // RFC 3602 §5.3 / IKEv1: AES needs the Key Length attribute
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 64, false)]
        [InlineData(IkeEncryptionAlgorithm.AesCbc, 192, true)]
        [InlineData(IkeEncryptionAlgorithm.TripleDesCbc, 192, true)]
        [InlineData(IkeEncryptionAlgorithm.TripleDesCbc, 128, false)]
        [InlineData(IkeEncryptionAlgorithm.DesCbc, 64, true)]
        [InlineData(IkeEncryptionAlgorithm.BlowfishCbc, 128, false)]
        [InlineData(IkeEncryptionAlgorithm.CamelliaCbc, 128, false)]
        public void TryCreateAcceptsOnlyImplementedAlgorithmAndKeyLengthPairs(IkeEncryptionAlgorithm algorithm, int keyBits, bool expected)
        {
            Assert.Equal(expected, BlockCiphers.TryCreate(algorithm, keyBits, out IBlockCipher cipher));
            if (expected) Assert.Equal(keyBits / 8, cipher.KeyLength);
        }

        [Fact]
        public void InputThatIsNotABlockMultipleIsRejectedWithCryptoException()
        {
            var output = new byte[32];
            Assert.Throws<CryptoException>(() => BlockCiphers.Aes128Cbc.Decrypt(new byte[16], new byte[16], new byte[17], output));
            Assert.Throws<CryptoException>(() => BlockCiphers.Aes128Cbc.Encrypt(new byte[16], new byte[16], new byte[15], output));
        }

        [Fact]
        public void WeakTripleDesKeyBecomesCryptoExceptionWithoutKeyBytes()
        {
            // K1 = K2: 3DES degenerates to single DES, and the platform refuses such a key.
            byte[] key = Hex("0123456789ABCDEF0123456789ABCDEF456789ABCDEF0123");
            var e = Assert.Throws<CryptoException>(() => BlockCiphers.TripleDesCbc.Encrypt(key, new byte[8], new byte[8], new byte[8]));
            Assert.DoesNotContain("0123456789", e.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        private static void AssertVector(IBlockCipher cipher, byte[] key, byte[] iv, byte[] plaintext, byte[] ciphertext)
        {
            var encrypted = new byte[plaintext.Length];
            cipher.Encrypt(key, iv, plaintext, encrypted);
            Assert.Equal(Convert.ToHexString(ciphertext), Convert.ToHexString(encrypted));
            var decrypted = new byte[ciphertext.Length];
            cipher.Decrypt(key, iv, ciphertext, decrypted);
            Assert.Equal(Convert.ToHexString(plaintext), Convert.ToHexString(decrypted));
        }
    }
}
