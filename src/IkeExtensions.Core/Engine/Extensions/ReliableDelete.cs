using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// Reliable delete (MS-IKEE 3.8) toward peers that sent "MS NT5 ISAKMPOAKLEY": message 1 is HASH(1) Ni D with
    /// HASH(1) = prf(SKEYID_a, M-ID | Ni | Delete) and is retransmitted until message 2, HASH(2) D Nr with
    /// HASH(2) = prf(SKEYID_a, Ni | M-ID | Nr | Delete), comes back under the same Message ID.
    /// Retransmission follows Windows (note 24) rather than the text of 3.8.6.1: first after 1 s, doubling, capped at
    /// 16 s, at most six retransmissions (the text says four).
    /// In HASH(2) "Ni" and "Nr" are nonce bodies (3.8.5.1: "without a generic payload header") and "Delete" is the Delete
    /// payload's body, which is the same in both messages whatever follows it.
    /// </summary>
    internal sealed class ReliableDelete
    {
        public const int MaxRetransmissions = 6;
        public static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(16);

        private readonly EngineContext _ctx;
        private readonly List<Pending> _pending = new List<Pending>();

        public ReliableDelete(EngineContext ctx) => _ctx = ctx;

        private sealed class Pending
        {
            public Phase1Session Session = null!;
            public uint MessageId;
            public byte[] Datagram = Array.Empty<byte>();
            public byte[] NonceI = Array.Empty<byte>();
            public byte[] DeleteBody = Array.Empty<byte>();
            public byte[] AckIv = Array.Empty<byte>();
            public DateTime NextAt;
            public TimeSpan Interval;
            public int Retransmissions;
        }

        public int PendingCount => _pending.Count;
        public bool HasPending(Phase1Session s) => _pending.Any(p => p.Session == s);

        /// <summary>Reliable delete applies to peers that announced the Microsoft implementation (3.8.4.1).</summary>
        public static bool Applies(Phase1Session s) => s.PeerIsWindows;

        public void Send(Phase1Session s, DeletePayload delete)
        {
            var p = s.Protection!;
            uint mid = _ctx.NewSpi(1);
            byte[] ni = _ctx.NewNonce();
            var rest = new IkePayload[] { new NoncePayload(ni), delete };
            var hash = p.Keys.InformationalHash(mid, RawPayloads.Encode(rest)); // prf(SKEYID_a, M-ID | Ni | Delete)
            var datagram = p.Encrypt(EngineContext.Header(s.Row, ExchangeType.Informational, mid), new IkePayload[] { new HashPayload(hash), rest[0], rest[1] },
                p.FirstIvFor(mid), out var ackIv);
            _ctx.Send(s, datagram);
            _pending.Add(new Pending
            {
                Session = s, MessageId = mid, Datagram = datagram, NonceI = ni, DeleteBody = RawPayloads.BodyOf(delete), AckIv = ackIv,
                Interval = FirstInterval, NextAt = _ctx.Now + FirstInterval,
            });
        }

        /// <summary>Message 2 for one of our deletes: true when it was one (handled, whether it verified or not).</summary>
        public bool TryAcknowledgement(Phase1Session s, IkeMessage m)
        {
            var pending = _pending.FirstOrDefault(x => x.Session == s && x.MessageId == m.Header.MessageId);
            if (pending == null) return false;
            var p = s.Protection!;
            if (!p.TryDecrypt(m, pending.AckIv, out var plain, out _) ||
                !IkeMessage.TryDecodePayloads(plain, m.Header.NextPayload, 1, out var payloads, out _) ||
                !(payloads.FirstOrDefault() is HashPayload hash) || !(payloads.OfType<NoncePayload>().FirstOrDefault() is NoncePayload nr))
            {
                _ctx.Log(LogLevel.Debug, $"MM#{s.Row.Id}: delete acknowledgement {m.Header.MessageId:x8} undecodable, ignored");
                return true;
            }
            byte[] expected = p.Keys.PrfA(pending.NonceI, MessageId(pending.MessageId), nr.Data, pending.DeleteBody);
            if (!CryptoBytes.FixedTimeEquals(expected, hash.Data.Span))
            {
                _ctx.Log(LogLevel.Debug, $"MM#{s.Row.Id}: delete acknowledgement {m.Header.MessageId:x8} HASH(2) does not verify, ignored");
                return true;
            }
            _pending.Remove(pending);
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id}: delete {pending.MessageId:x8} acknowledged");
            return true;
        }

        /// <summary>3.8.5.1: answer a verified message 1 (HASH Ni D) with message 2 under the same Message ID.</summary>
        public void Acknowledge(Phase1Session s, uint messageId, byte[] nextIv, NoncePayload ni, DeletePayload delete)
        {
            var p = s.Protection!;
            byte[] nr = _ctx.NewNonce();
            byte[] hash = p.Keys.PrfA(ni.Data, MessageId(messageId), nr, RawPayloads.BodyOf(delete));
            var datagram = p.Encrypt(EngineContext.Header(s.Row, ExchangeType.Informational, messageId),
                new IkePayload[] { new HashPayload(hash), delete, new NoncePayload(nr) }, nextIv, out _);
            _ctx.Send(s, datagram);
        }

        /// <summary>3.8.6.1 with Windows' schedule (note 24).</summary>
        public void Poll(DateTime now)
        {
            foreach (var p in _pending.ToList())
            {
                if (now < p.NextAt) continue;
                if (p.Retransmissions >= MaxRetransmissions)
                {
                    _pending.Remove(p);
                    _ctx.Log(LogLevel.Info, $"MM#{p.Session.Row.Id}: delete {p.MessageId:x8} never acknowledged after {MaxRetransmissions} retransmissions");
                    continue;
                }
                p.Retransmissions++;
                _ctx.Statistics.Retransmitted();
                _ctx.Send(p.Session, p.Datagram, retransmission: true);
                p.Interval = TimeSpan.FromTicks(Math.Min(p.Interval.Ticks * 2, MaxInterval.Ticks));
                p.NextAt = now + p.Interval;
            }
        }

        public DateTime? NextDeadline() => _pending.Count == 0 ? (DateTime?)null : _pending.Min(p => p.NextAt);

        /// <summary>Forget pending deletes of an SA that is going away (shutdown).</summary>
        public void Forget(Phase1Session s) => _pending.RemoveAll(p => p.Session == s);

        private static byte[] MessageId(uint mid)
        {
            var b = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(b, mid);
            return b;
        }
    }
}
