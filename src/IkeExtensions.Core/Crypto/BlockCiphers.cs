using System.Security.Cryptography;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// The IKEv1 Phase 1 ciphers (RFC 2409 Appendix A attribute class 1), all in CBC mode:
    /// DES-CBC (1, 8-byte key incl. parity bits), 3DES-CBC (5, 24-byte key, EDE with three independent keys),
    /// AES-CBC (7, RFC 3602; the Key Length attribute is mandatory for AES in IKEv1: 128, 192 or 256 bits).
    /// </summary>
    public static class BlockCiphers
    {
        public static IBlockCipher Aes128Cbc { get; } = new CbcBlockCipher(Aes.Create, 16, 16, "AES-CBC-128");
        public static IBlockCipher Aes192Cbc { get; } = new CbcBlockCipher(Aes.Create, 16, 24, "AES-CBC-192");
        public static IBlockCipher Aes256Cbc { get; } = new CbcBlockCipher(Aes.Create, 16, 32, "AES-CBC-256");
        public static IBlockCipher TripleDesCbc { get; } = new CbcBlockCipher(TripleDES.Create, 8, 24, "3DES-CBC");
        // DES is broken (56-bit key); kept because RFC 2409 §4 lists it as mandatory and old peers still offer it.
        public static IBlockCipher DesCbc { get; } = new CbcBlockCipher(CreateDes, 8, 8, "DES-CBC");

        /// <summary>
        /// The cipher for a negotiated encryption attribute and Key Length attribute in bits (0 when absent).
        /// False for unsupported algorithms, an absent or unusual AES key length, or a key length on a fixed-size cipher
        /// other than its own size.
        /// </summary>
        public static bool TryCreate(IkeEncryptionAlgorithm algorithm, int keyBits, out IBlockCipher cipher)
        {
            cipher = null!;
            switch (algorithm)
            {
                case IkeEncryptionAlgorithm.AesCbc:
                    switch (keyBits)
                    {
                        case 128: cipher = Aes128Cbc; return true;
                        case 192: cipher = Aes192Cbc; return true;
                        case 256: cipher = Aes256Cbc; return true;
                        default: return false;
                    }
                case IkeEncryptionAlgorithm.TripleDesCbc:
                    if (keyBits != 0 && keyBits != 192) return false;
                    cipher = TripleDesCbc;
                    return true;
                case IkeEncryptionAlgorithm.DesCbc:
                    if (keyBits != 0 && keyBits != 64) return false;
                    cipher = DesCbc;
                    return true;
                default:
                    return false;
            }
        }

#pragma warning disable CA5351 // DES is negotiated only when configured (legacy peers).
        private static SymmetricAlgorithm CreateDes() => DES.Create();
#pragma warning restore CA5351
    }
}
