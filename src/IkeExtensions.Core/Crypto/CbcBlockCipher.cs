using System;
using System.Security.Cryptography;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// CBC encryption without padding over a platform <see cref="SymmetricAlgorithm"/> (AES, 3DES, DES). IKEv1 pads its
    /// own plaintext (RFC 2409 Appendix B, RFC 2408 §3.1), so inputs must already be a multiple of the block size.
    /// A fresh platform object per call: keys change per SA and the objects are not thread-safe; measured cost is small
    /// next to the DH exchange (see CryptoBenchmarks).
    /// </summary>
    internal sealed class CbcBlockCipher : IBlockCipher
    {
        private readonly Func<SymmetricAlgorithm> _factory;
        private readonly string _display;

        public CbcBlockCipher(Func<SymmetricAlgorithm> factory, int blockSize, int keyLength, string display)
        {
            _factory = factory;
            BlockSize = blockSize;
            KeyLength = keyLength;
            _display = display;
        }

        public int BlockSize { get; }

        public int KeyLength { get; }

        public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
            => Transform(key, iv, plaintext, ciphertext, encrypt: true);

        public void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
            => Transform(key, iv, ciphertext, plaintext, encrypt: false);

        private void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output, bool encrypt)
        {
            // Sizes are the caller's (engine's) responsibility; report them without echoing any bytes.
            if (key.Length != KeyLength) throw new ArgumentException($"{_display} needs a {KeyLength}-byte key, got {key.Length} bytes.", nameof(key));
            if (iv.Length != BlockSize) throw new ArgumentException($"{_display} needs a {BlockSize}-byte IV, got {iv.Length} bytes.", nameof(iv));
            if (input.Length % BlockSize != 0) throw new CryptoException($"{_display}: input length {input.Length} is not a multiple of the {BlockSize}-byte block.");
            if (output.Length < input.Length) throw new ArgumentException("Output buffer is shorter than the input.", nameof(output));
            if (input.IsEmpty) return;

            byte[] keyBytes = key.ToArray();
            try
            {
                using (SymmetricAlgorithm algorithm = _factory())
                {
                    algorithm.Mode = CipherMode.CBC;
                    algorithm.Padding = PaddingMode.None;
                    SetKey(algorithm, keyBytes);
#if NET8_0_OR_GREATER
                    int written = encrypt
                        ? algorithm.EncryptCbc(input, iv, output, PaddingMode.None)
                        : algorithm.DecryptCbc(input, iv, output, PaddingMode.None);
                    if (written != input.Length) throw new CryptoException($"{_display}: unexpected output length.");
#else
                    byte[] ivBytes = iv.ToArray();
                    byte[] inputBytes = input.ToArray();
                    using (ICryptoTransform transform = encrypt ? algorithm.CreateEncryptor(keyBytes, ivBytes) : algorithm.CreateDecryptor(keyBytes, ivBytes))
                    {
                        byte[] result = new byte[inputBytes.Length];
                        int written = transform.TransformBlock(inputBytes, 0, inputBytes.Length, result, 0);
                        if (written != inputBytes.Length) throw new CryptoException($"{_display}: unexpected output length.");
                        result.CopyTo(output);
                        CryptoBytes.Zero(result);
                        CryptoBytes.Zero(inputBytes);
                    }
#endif
                }
            }
            finally
            {
                CryptoBytes.Zero(keyBytes);
            }
        }

        private void SetKey(SymmetricAlgorithm algorithm, byte[] keyBytes)
        {
            try
            {
                algorithm.Key = keyBytes;
            }
            catch (CryptographicException)
            {
                // DES and 3DES refuse weak/semi-weak keys (and 3DES keys with K1 = K2 or K2 = K3). RFC 2409 Appendix B
                // has the negotiation fail on a weak derived key; never include the key in the message.
                throw new CryptoException($"{_display}: the derived key is a weak key for this cipher.");
            }
        }

        public override string ToString() => _display;
    }
}
