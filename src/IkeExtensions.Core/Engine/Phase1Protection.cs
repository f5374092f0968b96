using System;
using System.Collections.Generic;
using IkeExtensions.Crypto;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// The keys of one Main Mode SA and the CBC IV chaining of RFC 2409 Appendix B: phase 1 messages chain from
    /// hash(g^xi | g^xr); each phase 2 / informational Message ID starts from hash(last phase 1 block | M-ID) and then
    /// chains within its exchange.
    /// </summary>
    internal sealed class Phase1Protection : IDisposable
    {
        public Phase1Protection(IkeV1KeyMaterial keys, IBlockCipher cipher, byte[] initialIv)
        {
            Keys = keys;
            Cipher = cipher;
            Phase1Iv = initialIv;
        }

        public IkeV1KeyMaterial Keys { get; }
        public IBlockCipher Cipher { get; }
        /// <summary>IV for the next phase 1 message (the last cipher block sent or received).</summary>
        public byte[] Phase1Iv { get; set; }
        /// <summary>The last CBC block of phase 1, fixed once Main Mode completes.</summary>
        public byte[]? LastPhase1Block { get; private set; }

        public void CompletePhase1() => LastPhase1Block = Phase1Iv;

        public byte[] FirstIvFor(uint messageId) =>
            Keys.Phase2Iv(LastPhase1Block ?? throw new InvalidOperationException("Phase 1 is not complete."), messageId);

        /// <summary>Encrypts the payloads (zero-padded to the block size, RFC 2408 §3.1) under <paramref name="iv"/>; returns the datagram and the next IV.</summary>
        public byte[] Encrypt(IsakmpHeader header, IReadOnlyList<IkePayload> payloads, byte[] iv, out byte[] nextIv)
        {
            int plainLength = IkeMessage.GetPayloadsLength(payloads);
            int block = Cipher.BlockSize;
            int padded = (plainLength + block - 1) / block * block;
            var plain = new byte[padded];
            IkeMessage.EncodePayloads(payloads, plain);
            var datagram = new byte[IsakmpHeader.Size + padded];
            header.With(nextPayload: payloads[0].Type, length: (uint)datagram.Length, flags: header.Flags | HeaderFlags.Encryption).Write(datagram);
            Cipher.Encrypt(Keys.EncryptionKey, iv, plain, datagram.AsSpan(IsakmpHeader.Size));
            nextIv = datagram.AsSpan(datagram.Length - block).ToArray();
            return datagram;
        }

        /// <summary>Decrypts an encrypted message body under <paramref name="iv"/>; false when the length is not a block multiple.</summary>
        public bool TryDecrypt(IkeMessage message, byte[] iv, out byte[] plaintext, out byte[] nextIv)
        {
            int block = Cipher.BlockSize;
            var body = message.EncryptedBody.Span;
            if (body.Length == 0 || body.Length % block != 0)
            {
                plaintext = nextIv = Array.Empty<byte>();
                return false;
            }
            plaintext = new byte[body.Length];
            Cipher.Decrypt(Keys.EncryptionKey, iv, body, plaintext);
            nextIv = body.Slice(body.Length - block).ToArray();
            return true;
        }

        public void Dispose() => Keys.Dispose();
    }
}
