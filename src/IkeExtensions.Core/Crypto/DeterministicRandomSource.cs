using System;
using System.Security.Cryptography;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// A reproducible byte stream for tests and replayable simulations: block n is SHA-256(seed | n), n a 64-bit
    /// big-endian counter starting at 0, and the stream is the concatenation of the blocks.
    /// NOT FOR PRODUCTION: anyone who knows the seed knows every nonce, cookie and DH secret it produced.
    /// Thread-safe (a lock), so a shared instance yields one stream whatever the interleaving of callers.
    /// </summary>
    public sealed class DeterministicRandomSource : IRandomSource
    {
        private readonly byte[] _seed;
        private readonly byte[] _block = new byte[32];
        private readonly object _gate = new object();
        private ulong _counter;
        private int _available;

        public DeterministicRandomSource(ReadOnlySpan<byte> seed)
        {
            _seed = seed.ToArray();
        }

        /// <summary>Seeds with the UTF-8 bytes of a label, e.g. the test name.</summary>
        public DeterministicRandomSource(string seed)
            : this(System.Text.Encoding.UTF8.GetBytes(seed ?? throw new ArgumentNullException(nameof(seed))))
        {
        }

        public void Fill(Span<byte> destination)
        {
            lock (_gate)
            {
                while (!destination.IsEmpty)
                {
                    if (_available == 0) NextBlock();
                    int take = Math.Min(_available, destination.Length);
                    _block.AsSpan(_block.Length - _available, take).CopyTo(destination);
                    _available -= take;
                    destination = destination.Slice(take);
                }
            }
        }

        private void NextBlock()
        {
            byte[] input = new byte[_seed.Length + 8];
            _seed.CopyTo(input, 0);
            CryptoBytes.WriteUInt64BigEndian(input.AsSpan(_seed.Length), _counter);
            _counter = checked(_counter + 1);
            using (var sha = SHA256.Create())
            {
                byte[] block = sha.ComputeHash(input);
                block.CopyTo(_block, 0);
            }
            _available = _block.Length;
        }

        // The seed is not printed: a test seed is harmless, but the habit of printing seeds is not.
        public override string ToString() => "DeterministicRandomSource (tests only)";
    }
}
