using System;
using System.Runtime.CompilerServices;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// Small byte helpers for the crypto layer: wiping secrets, big-endian integers (every IKE integer is in network
    /// order, RFC 2408 §3), and building the concatenations that RFC 2409 feeds to prf() and hash().
    /// </summary>
    internal static class CryptoBytes
    {
        /// <summary>Overwrites a buffer that held key material. On net8.0 the platform call cannot be optimised away.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        public static void Zero(Span<byte> buffer)
        {
#if NET8_0_OR_GREATER
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
#else
            buffer.Clear();
#endif
        }

        public static void Zero(byte[]? buffer)
        {
            if (buffer != null) Zero(buffer.AsSpan());
        }

        public static void WriteUInt64BigEndian(Span<byte> destination, ulong value)
        {
            for (int i = 7; i >= 0; i--)
            {
                destination[i] = unchecked((byte)value);
                value >>= 8;
            }
        }

        public static void WriteUInt32BigEndian(Span<byte> destination, uint value)
        {
            for (int i = 3; i >= 0; i--)
            {
                destination[i] = unchecked((byte)value);
                value >>= 8;
            }
        }

        /// <summary>Copies at most <paramref name="length"/> leading bytes (truncation per RFC 2409 Appendix B).</summary>
        public static byte[] Truncate(byte[] value, int length)
        {
            if (value.Length == length) return value;
            if (value.Length < length) throw new ArgumentOutOfRangeException(nameof(length), "Value is shorter than the requested length.");
            byte[] result = value.AsSpan(0, length).ToArray();
            Zero(value);
            return result;
        }

        /// <summary>Constant-time comparison for received hashes (HASH_I/HASH_R, Quick Mode HASH(n)).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        public static bool FixedTimeEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
        {
#if NET8_0_OR_GREATER
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(left, right);
#else
            if (left.Length != right.Length) return false;
            int diff = 0;
            for (int i = 0; i < left.Length; i++) diff |= left[i] ^ right[i];
            return diff == 0;
#endif
        }
    }

    /// <summary>
    /// Writes the pieces of a prf()/hash() input into one exact-size buffer. The buffer often holds g^xy, so callers
    /// wipe it (<see cref="CryptoBytes.Zero(byte[])"/>) once the PRF has consumed it.
    /// </summary>
    internal ref struct ConcatWriter
    {
        private readonly Span<byte> _buffer;
        private int _position;

        public ConcatWriter(Span<byte> buffer)
        {
            _buffer = buffer;
            _position = 0;
        }

        public int Position => _position;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer.Slice(_position));
            _position += bytes.Length;
        }

        public void Write(byte value)
        {
            _buffer[_position] = value;
            _position += 1;
        }

        public void WriteUInt32(uint value)
        {
            CryptoBytes.WriteUInt32BigEndian(_buffer.Slice(_position, 4), value);
            _position += 4;
        }

        public void WriteUInt64(ulong value)
        {
            CryptoBytes.WriteUInt64BigEndian(_buffer.Slice(_position, 8), value);
            _position += 8;
        }
    }
}
