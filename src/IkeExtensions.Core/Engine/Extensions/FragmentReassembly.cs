using System;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// The MS-IKEE 3.3.1 Fragment queue: fragments of incomplete IKE messages, one queue per (peer address, initiator
    /// cookie, Fragment ID), with the receiving rules of 3.3.5.3 and the reassembly timer of 3.3.2 / 3.3.6.2. Unlike
    /// the ADM's unbounded queue, memory is bounded: per message, per peer address and in total, and the number of
    /// Fragment IDs in flight; the oldest queues are evicted first. Not thread-safe (the engine is single-threaded).
    /// </summary>
    internal sealed class FragmentReassembly
    {
        internal readonly struct Key : IEquatable<Key>
        {
            public Key(IPAddress peer, ulong initiatorCookie, ushort fragmentId)
            {
                Peer = peer;
                InitiatorCookie = initiatorCookie;
                FragmentId = fragmentId;
            }

            public IPAddress Peer { get; }
            public ulong InitiatorCookie { get; }
            public ushort FragmentId { get; }

            public bool Equals(Key other) => FragmentId == other.FragmentId && InitiatorCookie == other.InitiatorCookie && Peer.Equals(other.Peer);
            public override bool Equals(object? obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => unchecked(Peer.GetHashCode() * 31 + InitiatorCookie.GetHashCode() * 17 + FragmentId);
            public override string ToString() => $"fragment ID {FragmentId} of {InitiatorCookie:x16} from {Peer}";
        }

        private sealed class Queue
        {
            public Queue(Key key, DateTime expiresAt) { Key = key; ExpiresAt = expiresAt; }
            public Key Key { get; }
            public DateTime ExpiresAt { get; }
            /// <summary>Fragment Data by Fragment Number (1..255).</summary>
            public readonly Dictionary<byte, byte[]> Fragments = new Dictionary<byte, byte[]>();
            /// <summary>Number of the fragment with LAST_FRAGMENT set; 0 while none has come.</summary>
            public byte LastNumber;
            public int Bytes;
            public LinkedListNode<Queue>? Node;
        }

        private readonly IkeV1EngineOptions _options;
        private readonly Action<string> _log;
        private readonly Dictionary<Key, Queue> _queues = new Dictionary<Key, Queue>();
        /// <summary>Queues oldest first (eviction order).</summary>
        private readonly LinkedList<Queue> _age = new LinkedList<Queue>();
        private readonly Dictionary<IPAddress, int> _bytesPerPeer = new Dictionary<IPAddress, int>();
        private long _bytes;

        public FragmentReassembly(IkeV1EngineOptions options, Action<string> log)
        {
            _options = options;
            _log = log;
        }

        /// <summary>Fragment IDs being reassembled.</summary>
        public int QueueCount => _queues.Count;
        /// <summary>Fragment data held, in bytes.</summary>
        public long QueuedBytes => _bytes;

        /// <summary>
        /// Queues one fragment (MS-IKEE 3.3.5.3); returns the Fragment Data of numbers 1..n concatenated once all are
        /// in, else null (queued, or discarded with a logged reason). The payload's data is copied.
        /// </summary>
        public byte[]? Add(Key key, FragmentPayload fragment, DateTime now)
        {
            byte number = fragment.FragmentNumber;
            int length = fragment.Data.Length;
            if (number == 0) return Reject(key, "fragment number 0 is invalid (numbers start at 1, MS-IKEE 2.2.3.1)");
            if (length == 0) return Reject(key, $"fragment #{number} carries no data");
            if (length > _options.MaxFragmentedMessageSize)
                return Reject(key, $"fragment #{number} alone exceeds the {_options.MaxFragmentedMessageSize}-byte message limit");

            if (!_queues.TryGetValue(key, out var q))
            {
                // 3.3.5.3: the reassembly timer starts with the first fragment queued for this Fragment ID.
                while (_queues.Count >= Math.Max(1, _options.MaxReassemblyQueues))
                    Discard(_age.First!.Value, $"more than {_options.MaxReassemblyQueues} fragment IDs in flight, the oldest goes");
                q = new Queue(key, now + _options.FragmentReassemblyTimeout);
                q.Node = _age.AddLast(q);
                _queues.Add(key, q);
            }
            else if (q.Fragments.ContainsKey(number))
            {
                // 3.3.5.3: a second fragment with the same number is discarded, the queue stays (a retransmission).
                return Reject(key, $"duplicate fragment #{number} discarded");
            }

            if (fragment.IsLast)
            {
                // 3.3.5.3: more than one LAST_FRAGMENT, or numbers above the LAST one, discard every fragment of the ID.
                if (q.LastNumber != 0)
                    return Discard(q, $"a second LAST_FRAGMENT (#{number} after #{q.LastNumber})");
                foreach (var n in q.Fragments.Keys)
                    if (n > number) return Discard(q, $"fragment #{n} is above the LAST_FRAGMENT #{number}");
                q.LastNumber = number;
            }
            else if (q.LastNumber != 0 && number > q.LastNumber)
            {
                return Discard(q, $"fragment #{number} is above the LAST_FRAGMENT #{q.LastNumber}");
            }

            if (q.Bytes + length > _options.MaxFragmentedMessageSize)
                return Discard(q, $"the message would exceed {_options.MaxFragmentedMessageSize} bytes");

            q.Fragments.Add(number, fragment.Data.ToArray());
            q.Bytes += length;
            _bytes += length;
            _bytesPerPeer.TryGetValue(key.Peer, out int peerBytes);
            _bytesPerPeer[key.Peer] = peerBytes + length;

            if (q.LastNumber != 0 && q.Fragments.Count == q.LastNumber)
            {
                // 3.3.5.3: all of 1..n are in: concatenate in number order and stop the reassembly timer.
                var whole = new byte[q.Bytes];
                int offset = 0;
                for (int n = 1; n <= q.LastNumber; n++)
                {
                    var data = q.Fragments[(byte)n];
                    Buffer.BlockCopy(data, 0, whole, offset, data.Length);
                    offset += data.Length;
                }
                Remove(q);
                return whole;
            }

            // Bounded memory: a peer's queues first, then everyone's, oldest first (this one may go too).
            while (_bytesPerPeer.TryGetValue(key.Peer, out peerBytes) && peerBytes > _options.MaxReassemblyBytesPerPeer)
                Discard(OldestOf(key.Peer), $"{peerBytes} bytes queued from {key.Peer}, above {_options.MaxReassemblyBytesPerPeer}; its oldest queue goes");
            while (_bytes > _options.MaxReassemblyBytes)
                Discard(_age.First!.Value, $"{_bytes} bytes queued, above {_options.MaxReassemblyBytes}; the oldest queue goes");
            return null;
        }

        /// <summary>When the oldest queue's reassembly timer fires (queues age in arrival order, all with the same timeout).</summary>
        public DateTime? NextExpiry => _age.First?.Value.ExpiresAt;

        /// <summary>MS-IKEE 3.3.6.2: drops every queue whose reassembly timer expired.</summary>
        public void Expire(DateTime now)
        {
            var node = _age.First;
            while (node != null)
            {
                var next = node.Next;
                if (node.Value.ExpiresAt <= now)
                    Discard(node.Value, $"reassembly timer expired with {node.Value.Fragments.Count} fragment(s) queued (MS-IKEE 3.3.6.2)");
                node = next;
            }
        }

        private Queue OldestOf(IPAddress peer)
        {
            for (var node = _age.First; node != null; node = node.Next)
                if (node.Value.Key.Peer.Equals(peer)) return node.Value;
            throw new InvalidOperationException("byte count without a queue"); // unreachable: the counts follow the queues
        }

        private byte[]? Reject(Key key, string why)
        {
            _log($"{key}: {why}");
            return null;
        }

        private byte[]? Discard(Queue q, string why)
        {
            Remove(q);
            _log($"{q.Key}: all fragments discarded: {why}");
            return null;
        }

        private void Remove(Queue q)
        {
            _queues.Remove(q.Key);
            if (q.Node != null) _age.Remove(q.Node);
            q.Node = null;
            _bytes -= q.Bytes;
            if (_bytesPerPeer.TryGetValue(q.Key.Peer, out int peerBytes))
            {
                if (peerBytes - q.Bytes <= 0) _bytesPerPeer.Remove(q.Key.Peer);
                else _bytesPerPeer[q.Key.Peer] = peerBytes - q.Bytes;
            }
            q.Fragments.Clear();
        }
    }
}
