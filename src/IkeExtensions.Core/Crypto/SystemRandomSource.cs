using System;
using System.Security.Cryptography;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// The production randomness source: the operating system CSPRNG behind <see cref="RandomNumberGenerator"/>.
    /// Cookies (RFC 2408 §2.5.3), nonces (RFC 2409 §5), SPIs and DH secrets all come from here. Thread-safe.
    /// </summary>
    public sealed class SystemRandomSource : IRandomSource
    {
        public static SystemRandomSource Instance { get; } = new SystemRandomSource();

#if !NET8_0_OR_GREATER
        // RandomNumberGenerator instances from Create() are thread-safe for GetBytes on every supported platform.
        private static readonly RandomNumberGenerator Generator = RandomNumberGenerator.Create();
#endif

        public void Fill(Span<byte> destination)
        {
#if NET8_0_OR_GREATER
            RandomNumberGenerator.Fill(destination);
#else
            if (destination.IsEmpty) return;
            byte[] buffer = new byte[destination.Length];
            Generator.GetBytes(buffer);
            buffer.CopyTo(destination);
            CryptoBytes.Zero(buffer);
#endif
        }

        public override string ToString() => "SystemRandomSource";
    }
}
