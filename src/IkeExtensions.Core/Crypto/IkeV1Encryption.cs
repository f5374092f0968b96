using System;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// IKEv1 message body encryption (RFC 2408 §3.1, RFC 2409 Appendix B): CBC over the payloads that follow the
    /// ISAKMP header, padded with zero octets to the block size. Unlike ESP or IKEv2, IKEv1 does not require the last
    /// pad octet to be a pad length, and receivers find the payload end from the payload lengths, so padding is
    /// never stripped here. The caller chains IVs with <see cref="LastBlock(ReadOnlySpan{byte})"/>.
    /// </summary>
    public sealed class IkeV1Encryption : IDisposable
    {
        private readonly byte[] _key;
        private bool _disposed;

        /// <summary>Copies <paramref name="key"/>; <see cref="Dispose"/> wipes the copy.</summary>
        public IkeV1Encryption(IBlockCipher cipher, ReadOnlySpan<byte> key)
        {
            Cipher = cipher ?? throw new ArgumentNullException(nameof(cipher));
            if (key.Length != cipher.KeyLength) throw new ArgumentException($"Key is {key.Length} bytes, {cipher} needs {cipher.KeyLength}.", nameof(key));
            _key = key.ToArray();
        }

        public IBlockCipher Cipher { get; }

        public int BlockSize => Cipher.BlockSize;

        /// <summary>Length of the ciphertext for <paramref name="plaintextLength"/> bytes of payloads (zero padding to a block multiple).</summary>
        public int PaddedLength(int plaintextLength)
        {
            if (plaintextLength < 0) throw new ArgumentOutOfRangeException(nameof(plaintextLength));
            int block = Cipher.BlockSize;
            return checked((plaintextLength + block - 1) / block * block);
        }

        /// <summary>Pads <paramref name="payloads"/> with zeros to the block size and encrypts under <paramref name="iv"/>.</summary>
        public byte[] Encrypt(ReadOnlySpan<byte> payloads, ReadOnlySpan<byte> iv)
        {
            ThrowIfDisposed();
            byte[] padded = new byte[PaddedLength(payloads.Length)];
            payloads.CopyTo(padded);
            byte[] ciphertext = new byte[padded.Length];
            try
            {
                Cipher.Encrypt(_key, iv, padded, ciphertext);
            }
            finally
            {
                CryptoBytes.Zero(padded);
            }
            return ciphertext;
        }

        /// <summary>
        /// Decrypts a message body. It must be a non-empty multiple of the block size (RFC 2409 Appendix B); otherwise a
        /// <see cref="CryptoException"/> (the engine treats it as a malformed or mis-keyed message). The zero padding stays.
        /// </summary>
        public byte[] Decrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> iv)
        {
            ThrowIfDisposed();
            if (ciphertext.IsEmpty || ciphertext.Length % Cipher.BlockSize != 0)
                throw new CryptoException($"Encrypted body of {ciphertext.Length} bytes is not a positive multiple of the {Cipher.BlockSize}-byte block.");
            byte[] plaintext = new byte[ciphertext.Length];
            Cipher.Decrypt(_key, iv, ciphertext, plaintext);
            return plaintext;
        }

        /// <summary>The last cipher block: the IV of the next message in the same exchange (RFC 2409 Appendix B).</summary>
        public byte[] LastBlock(ReadOnlySpan<byte> ciphertext) => LastBlock(ciphertext, Cipher.BlockSize);

        public static byte[] LastBlock(ReadOnlySpan<byte> ciphertext, int blockSize)
        {
            if (blockSize <= 0) throw new ArgumentOutOfRangeException(nameof(blockSize));
            if (ciphertext.Length < blockSize || ciphertext.Length % blockSize != 0)
                throw new CryptoException($"Ciphertext of {ciphertext.Length} bytes has no whole last {blockSize}-byte block.");
            return ciphertext.Slice(ciphertext.Length - blockSize).ToArray();
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(IkeV1Encryption));
        }

        public override string ToString() => $"IkeV1Encryption({Cipher}, key={_key.Length} bytes)";

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            CryptoBytes.Zero(_key);
        }
    }
}
