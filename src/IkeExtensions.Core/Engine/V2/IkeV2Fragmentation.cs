using System;
using System.Net;
using System.Net.Sockets;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// Splitting an encrypted IKEv2 message into Encrypted Fragment payloads (RFC 7383 §2.5; MS-IKEE 2.2.11, 3.15.5.3):
    /// the plaintext of the SK payload is cut into chunks regardless of inner payload boundaries, and every chunk is
    /// encrypted and integrity-protected on its own under the IKE header of the original message.
    /// </summary>
    internal static class IkeV2Fragmenter
    {
        /// <summary>IKE header, SKF generic header, Fragment Number and Total Fragments.</summary>
        private const int FragmentHeaders = IsakmpHeader.Size + 8;

        /// <summary>
        /// The largest IKE message (UDP payload) a fragment may be: the configured IP datagram size, by default the
        /// minimum MTU of the family (576 IPv4 / 1280 IPv6, MS-IKEE 3.15.1), less IP and UDP headers and the RFC 3948
        /// non-ESP marker when port 4500 carries IKE (RFC 7383 §2.5.1).
        /// </summary>
        public static int MessageBudget(int? fragmentSize, IPEndPoint local, IPEndPoint remote)
        {
            var a = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
            bool v6 = a.AddressFamily == AddressFamily.InterNetworkV6;
            int datagram = fragmentSize ?? (v6 ? 1280 : 576);
            int budget = datagram - (v6 ? 40 : 20) - 8;
            if (local.Port == 4500 || remote.Port == 4500) budget -= 4;
            return budget;
        }

        /// <summary>
        /// The fragments of a message whose SK plaintext is <paramref name="inner"/> (first inner payload
        /// <paramref name="firstInner"/>), each at most <paramref name="budget"/> octets; null when no fragment could
        /// carry a single octet or more than <paramref name="maxFragments"/> would be needed.
        /// </summary>
        public static byte[][]? Split(SkProtection sk, IsakmpHeader header, PayloadType firstInner, ReadOnlySpan<byte> inner, int budget,
            int maxFragments, IRandomSource random)
        {
            int chunk = sk.MaxInnerLength(budget - FragmentHeaders);
            if (chunk < 1) return null;
            int total = (inner.Length + chunk - 1) / chunk;
            if (total < 1) total = 1;
            if (total > maxFragments || total > ushort.MaxValue) return null;
            var fragments = new byte[total][];
            for (int i = 0; i < total; i++)
            {
                int offset = i * chunk;
                var piece = inner.Slice(offset, Math.Min(chunk, inner.Length - offset));
                // MS-IKEE 3.15.3: the first fragment names the first inner payload, the others carry zero.
                fragments[i] = sk.ProtectFragment(header, i == 0 ? firstInner : PayloadType.None, (ushort)(i + 1), (ushort)total, piece, random);
            }
            return fragments;
        }
    }

    /// <summary>What adding one fragment to an <see cref="IkeV2FragmentAssembly"/> did.</summary>
    internal enum FragmentAddResult
    {
        /// <summary>Stored; more fragments are missing.</summary>
        Stored,
        /// <summary>Stored and it was the last missing one: <see cref="IkeV2FragmentAssembly.Assemble"/> now.</summary>
        Complete,
        /// <summary>This fragment number is already here: ignored (RFC 7383 §2.6).</summary>
        Duplicate,
        /// <summary>Fewer Total Fragments than the fragments already held: ignored (RFC 7383 §2.6).</summary>
        StaleTotal,
        /// <summary>The reassembled message would exceed the size limit: the whole message is discarded.</summary>
        TooLarge,
    }

    /// <summary>
    /// One message being reassembled (MS-IKEE 3.15.1 fragment queue entry): the decrypted chunks of fragments whose ICV
    /// was already checked (RFC 7383 §2.6), by Fragment Number. Bounded: Total Fragments was checked against the limit
    /// before this was created, and the octets held never exceed the reassembled size limit.
    /// </summary>
    internal sealed class IkeV2FragmentAssembly
    {
        private byte[]?[] _chunks;
        private int _received;

        public IkeV2FragmentAssembly(ushort totalFragments, DateTime startedAt)
        {
            _chunks = new byte[totalFragments][];
            StartedAt = startedAt;
        }

        public int TotalFragments => _chunks.Length;
        public int Received => _received;
        public int Octets { get; private set; }
        public DateTime StartedAt { get; }
        /// <summary>The first inner payload, from fragment 1's Next Payload field.</summary>
        public PayloadType FirstInner { get; private set; }

        /// <summary>
        /// Adds a fragment whose ICV has been verified. A larger Total Fragments than held so far means the sender
        /// re-fragmented the message (RFC 7383 §2.5.2, §2.6): what is held is discarded and reassembly starts over.
        /// </summary>
        public FragmentAddResult Add(ushort number, ushort total, PayloadType nextPayload, byte[] plain, int maxOctets)
        {
            if (total < _chunks.Length) return FragmentAddResult.StaleTotal;
            if (total > _chunks.Length)
            {
                Clear();
                _chunks = new byte[total][];
            }
            int i = number - 1;
            if (_chunks[i] != null) return FragmentAddResult.Duplicate;
            if (Octets + plain.Length > maxOctets) return FragmentAddResult.TooLarge;
            _chunks[i] = plain;
            _received++;
            Octets += plain.Length;
            if (number == 1) FirstInner = nextPayload;
            return _received == _chunks.Length ? FragmentAddResult.Complete : FragmentAddResult.Stored;
        }

        /// <summary>The original SK plaintext: the chunks in Fragment Number order.</summary>
        public byte[] Assemble()
        {
            var all = new byte[Octets];
            int at = 0;
            foreach (var c in _chunks)
            {
                if (c == null) throw new InvalidOperationException("The message is not complete.");
                Buffer.BlockCopy(c, 0, all, at, c.Length);
                at += c.Length;
            }
            return all;
        }

        /// <summary>Wipes the decrypted chunks.</summary>
        public void Clear()
        {
            foreach (var c in _chunks) CryptoBytes.Zero(c);
            Array.Clear(_chunks, 0, _chunks.Length);
            _received = 0;
            Octets = 0;
        }
    }
}
