using System;
using System.Security.Cryptography;
using IkeExtensions.Wire.V1;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// IKEv1 PRFs. Without a negotiated PRF attribute (none is defined in practice) "the HMAC version of the
    /// negotiated hash algorithm is used as a pseudo-random function" (RFC 2409 §4), HMAC per RFC 2104; SHA-2
    /// variants per RFC 4868 (full-length output: the PRF is not a truncated integrity check).
    /// </summary>
    public static class PrfAlgorithms
    {
        public static IPrf HmacMd5 { get; } = new HmacPrf(HashAlgorithmName.MD5, 16, "HMAC-MD5");
        public static IPrf HmacSha1 { get; } = new HmacPrf(HashAlgorithmName.SHA1, 20, "HMAC-SHA1");
        public static IPrf HmacSha2_256 { get; } = new HmacPrf(HashAlgorithmName.SHA256, 32, "HMAC-SHA2-256");
        public static IPrf HmacSha2_384 { get; } = new HmacPrf(HashAlgorithmName.SHA384, 48, "HMAC-SHA2-384");
        public static IPrf HmacSha2_512 { get; } = new HmacPrf(HashAlgorithmName.SHA512, 64, "HMAC-SHA2-512");

        /// <summary>HMAC-MD5 always computed by BouncyCastle: the FIPS-mode path, reachable by tests on any machine.</summary>
        internal static IPrf BouncyCastleHmacMd5 { get; } = new HmacPrf(HashAlgorithmName.MD5, 16, "HMAC-MD5", forceBouncyCastle: true);

        public static bool TryGetForIkeHash(IkeHashAlgorithm hash, out IPrf prf)
        {
            switch (hash)
            {
                case IkeHashAlgorithm.Md5: prf = HmacMd5; return true;
                case IkeHashAlgorithm.Sha1: prf = HmacSha1; return true;
                case IkeHashAlgorithm.Sha2_256: prf = HmacSha2_256; return true;
                case IkeHashAlgorithm.Sha2_384: prf = HmacSha2_384; return true;
                case IkeHashAlgorithm.Sha2_512: prf = HmacSha2_512; return true;
                default: prf = null!; return false;
            }
        }

        /// <summary>HMAC of the negotiated hash (RFC 2409 §4); <see cref="NotSupportedException"/> for Tiger and unknown values.</summary>
        public static IPrf ForIkeHash(IkeHashAlgorithm hash)
            => TryGetForIkeHash(hash, out IPrf prf) ? prf : throw new NotSupportedException($"No PRF for IKE hash algorithm {hash}.");

        private sealed class HmacPrf : IPrf
        {
            private readonly HashAlgorithmName _name;
            private readonly string _display;
            private readonly bool _forceBouncyCastle;

            public HmacPrf(HashAlgorithmName name, int outputLength, string display, bool forceBouncyCastle = false)
            {
                _name = name;
                _forceBouncyCastle = forceBouncyCastle;
                OutputLength = outputLength;
                _display = display;
            }

            public int OutputLength { get; }

            public byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
            {
                if (_forceBouncyCastle || (_name == HashAlgorithmName.MD5 && !HashAlgorithms.PlatformMd5Available)) return ComputeBouncyCastle(key, data);
#if NET8_0_OR_GREATER
                if (_name == HashAlgorithmName.MD5) return HMACMD5.HashData(key, data);
                if (_name == HashAlgorithmName.SHA1) return HMACSHA1.HashData(key, data);
                if (_name == HashAlgorithmName.SHA256) return HMACSHA256.HashData(key, data);
                if (_name == HashAlgorithmName.SHA384) return HMACSHA384.HashData(key, data);
                return HMACSHA512.HashData(key, data);
#else
                byte[] keyBytes = key.ToArray();
                byte[] input = data.ToArray();
                try
                {
                    using (var hmac = IncrementalHash.CreateHMAC(_name, keyBytes))
                    {
                        hmac.AppendData(input);
                        return hmac.GetHashAndReset();
                    }
                }
                finally
                {
                    CryptoBytes.Zero(keyBytes);
                    CryptoBytes.Zero(input);
                }
#endif
            }

            private byte[] ComputeBouncyCastle(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
            {
                var hmac = new HMac(HashAlgorithms.CreateBouncyCastleDigest(_name));
                byte[] keyBytes = key.ToArray();
                byte[] input = data.ToArray();
                try
                {
                    hmac.Init(new KeyParameter(keyBytes));
                    hmac.BlockUpdate(input, 0, input.Length);
                    byte[] output = new byte[hmac.GetMacSize()];
                    hmac.DoFinal(output, 0);
                    hmac.Reset();
                    return output;
                }
                finally
                {
                    CryptoBytes.Zero(keyBytes);
                    CryptoBytes.Zero(input);
                }
            }

            public override string ToString() => _display;
        }
    }
}
