using System;
using System.Linq;
using IkeExtensions.Crypto;
using Xunit;
using static IkeExtensions.Tests.Crypto.CryptoVectors;

namespace IkeExtensions.Tests.Crypto
{
    public class IkeV1EncryptionTests
    {
        // SP 800-38A F.2.1 key and IV (see CbcCipherTests).
        private static readonly byte[] Key = Hex("2b7e151628aed2a6abf7158809cf4f3c");
        private static readonly byte[] Iv = Hex("000102030405060708090a0b0c0d0e0f");

        [Fact]
        public void EncryptPadsWithZerosToTheBlockSizeAndDecryptKeepsThePadding()
        {
            using var encryption = new IkeV1Encryption(BlockCiphers.Aes128Cbc, Key);
            byte[] payloads = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
            byte[] ciphertext = encryption.Encrypt(payloads, Iv);
            Assert.Equal(32, ciphertext.Length);
            byte[] plaintext = encryption.Decrypt(ciphertext, Iv);
            Assert.Equal(payloads, plaintext.AsSpan(0, 20).ToArray());
            Assert.All(plaintext.AsSpan(20).ToArray(), b => Assert.Equal(0, b)); // RFC 2408 §3.1 zero padding
        }

        [Fact]
        public void BlockMultipleNeedsNoPaddingAndMatchesNistVector()
        {
            // SP 800-38A F.2.1 first block: a 16-byte body is encrypted as is.
            using var encryption = new IkeV1Encryption(BlockCiphers.Aes128Cbc, Key);
            byte[] ciphertext = encryption.Encrypt(Hex("6bc1bee22e409f96e93d7e117393172a"), Iv);
            Assert.Equal("7649ABAC8119B246CEE98E9B12E9197D", Convert.ToHexString(ciphertext));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(15)]
        [InlineData(33)]
        public void DecryptRejectsBodiesThatAreNotAPositiveBlockMultiple(int length)
        {
            using var encryption = new IkeV1Encryption(BlockCiphers.Aes128Cbc, Key);
            Assert.Throws<CryptoException>(() => encryption.Decrypt(new byte[length], Iv));
        }

        [Fact]
        public void LastBlockChainsTheIvAcrossMessages()
        {
            // RFC 2409 Appendix B: the next message's IV is the last cipher block of the previous one; encrypting two
            // messages chained this way equals one CBC run over their concatenation.
            using var encryption = new IkeV1Encryption(BlockCiphers.Aes128Cbc, Key);
            byte[] m1 = Enumerable.Repeat((byte)0x11, 32).ToArray();
            byte[] m2 = Enumerable.Repeat((byte)0x22, 16).ToArray();
            byte[] c1 = encryption.Encrypt(m1, Iv);
            byte[] c2 = encryption.Encrypt(m2, encryption.LastBlock(c1));
            byte[] whole = encryption.Encrypt(m1.Concat(m2).ToArray(), Iv);
            Assert.Equal(whole, c1.Concat(c2).ToArray());
            Assert.Equal(c1.AsSpan(16).ToArray(), IkeV1Encryption.LastBlock(c1, 16));
            Assert.Throws<CryptoException>(() => IkeV1Encryption.LastBlock(new byte[8], 16));
        }

        [Fact]
        public void KeyOfWrongLengthIsRefusedUpFront()
        {
            Assert.Throws<ArgumentException>(() => new IkeV1Encryption(BlockCiphers.Aes256Cbc, Key));
        }

        [Fact]
        public void UseAfterDisposeThrows()
        {
            var encryption = new IkeV1Encryption(BlockCiphers.TripleDesCbc, Hex("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123"));
            encryption.Dispose();
            Assert.Throws<ObjectDisposedException>(() => encryption.Encrypt(new byte[8], new byte[8]));
        }
    }
}
