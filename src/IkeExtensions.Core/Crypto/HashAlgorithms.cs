using System;
using System.Security.Cryptography;
using IkeExtensions.Wire.V1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// The IKEv1 hash algorithms (RFC 2409 Appendix A attribute class 2; SHA-2 per RFC 4868 §2.1 numbering) mapped to
    /// <see cref="IHash"/>. IKEv1 uses hash() for the Phase 1 and Phase 2 IVs (RFC 2409 Appendix B), and the same
    /// algorithm underlies the HMAC PRF (<see cref="PrfAlgorithms"/>). Tiger is not supported.
    /// </summary>
    public static class HashAlgorithms
    {
        public static IHash Md5 { get; } = new PlatformHash(HashAlgorithmName.MD5, 16, "MD5");
        public static IHash Sha1 { get; } = new PlatformHash(HashAlgorithmName.SHA1, 20, "SHA1");
        public static IHash Sha2_256 { get; } = new PlatformHash(HashAlgorithmName.SHA256, 32, "SHA2-256");
        public static IHash Sha2_384 { get; } = new PlatformHash(HashAlgorithmName.SHA384, 48, "SHA2-384");
        public static IHash Sha2_512 { get; } = new PlatformHash(HashAlgorithmName.SHA512, 64, "SHA2-512");

        /// <summary>MD5 always computed by BouncyCastle: the FIPS-mode path, reachable by tests on any machine.</summary>
        internal static IHash BouncyCastleMd5 { get; } = new PlatformHash(HashAlgorithmName.MD5, 16, "MD5", forceBouncyCastle: true);

        public static bool IsSupported(IkeHashAlgorithm algorithm) => TryGet(algorithm, out _);

        public static bool TryGet(IkeHashAlgorithm algorithm, out IHash hash)
        {
            switch (algorithm)
            {
                case IkeHashAlgorithm.Md5: hash = Md5; return true;
                case IkeHashAlgorithm.Sha1: hash = Sha1; return true;
                case IkeHashAlgorithm.Sha2_256: hash = Sha2_256; return true;
                case IkeHashAlgorithm.Sha2_384: hash = Sha2_384; return true;
                case IkeHashAlgorithm.Sha2_512: hash = Sha2_512; return true;
                default: hash = null!; return false;
            }
        }

        /// <summary>The hash for a negotiated IKEv1 hash attribute; <see cref="NotSupportedException"/> for others (Tiger).</summary>
        public static IHash For(IkeHashAlgorithm algorithm)
            => TryGet(algorithm, out IHash hash) ? hash : throw new NotSupportedException($"IKE hash algorithm {algorithm} is not supported.");

        /// <summary>BouncyCastle digest of the same algorithm: the MD5 fallback when the platform refuses MD5 (FIPS mode).</summary>
        internal static IDigest CreateBouncyCastleDigest(HashAlgorithmName name)
        {
            if (name == HashAlgorithmName.MD5) return new MD5Digest();
            if (name == HashAlgorithmName.SHA1) return new Sha1Digest();
            if (name == HashAlgorithmName.SHA256) return new Sha256Digest();
            if (name == HashAlgorithmName.SHA384) return new Sha384Digest();
            if (name == HashAlgorithmName.SHA512) return new Sha512Digest();
            throw new NotSupportedException(name.Name);
        }

        /// <summary>
        /// True when the platform provides MD5. Windows and Linux in FIPS mode refuse it (PlatformNotSupportedException or
        /// CryptographicException), yet IKEv1 peers (and MS-IKEE defaults on old Windows) may still negotiate MD5, which is
        /// then computed by BouncyCastle. Probed once.
        /// </summary>
        internal static bool PlatformMd5Available => Md5Probe.Value;

        private static readonly Lazy<bool> Md5Probe = new Lazy<bool>(() =>
        {
            try
            {
                using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
                {
                    md5.AppendData(new byte[1]);
                    md5.GetHashAndReset();
                }
                using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.MD5, new byte[16]))
                {
                    hmac.AppendData(new byte[1]);
                    hmac.GetHashAndReset();
                }
                return true;
            }
            catch (Exception e) when (e is PlatformNotSupportedException || e is CryptographicException || e is InvalidOperationException)
            {
                return false;
            }
        });

        private sealed class PlatformHash : IHash
        {
            private readonly HashAlgorithmName _name;
            private readonly string _display;
            private readonly bool _forceBouncyCastle;

            public PlatformHash(HashAlgorithmName name, int outputLength, string display, bool forceBouncyCastle = false)
            {
                _name = name;
                _forceBouncyCastle = forceBouncyCastle;
                OutputLength = outputLength;
                _display = display;
            }

            public int OutputLength { get; }

            public byte[] Compute(ReadOnlySpan<byte> data)
            {
                if (_forceBouncyCastle || (_name == HashAlgorithmName.MD5 && !PlatformMd5Available)) return ComputeBouncyCastle(data);
#if NET8_0_OR_GREATER
                if (_name == HashAlgorithmName.MD5) return MD5.HashData(data);
                if (_name == HashAlgorithmName.SHA1) return SHA1.HashData(data);
                if (_name == HashAlgorithmName.SHA256) return SHA256.HashData(data);
                if (_name == HashAlgorithmName.SHA384) return SHA384.HashData(data);
                return SHA512.HashData(data);
#else
                byte[] input = data.ToArray();
                try
                {
                    using (var hash = IncrementalHash.CreateHash(_name))
                    {
                        hash.AppendData(input);
                        return hash.GetHashAndReset();
                    }
                }
                finally
                {
                    CryptoBytes.Zero(input);
                }
#endif
            }

            private byte[] ComputeBouncyCastle(ReadOnlySpan<byte> data)
            {
                IDigest digest = CreateBouncyCastleDigest(_name);
                byte[] input = data.ToArray();
                digest.BlockUpdate(input, 0, input.Length);
                CryptoBytes.Zero(input);
                byte[] output = new byte[digest.GetDigestSize()];
                digest.DoFinal(output, 0);
                return output;
            }

            public override string ToString() => _display;
        }
    }
}
