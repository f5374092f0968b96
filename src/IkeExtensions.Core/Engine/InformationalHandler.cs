using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// Informational exchanges (RFC 2409 §5.7): notifies and deletes, protected by HASH(1) = prf(SKEYID_a, M-ID | N/D)
    /// once Main Mode is complete; unprotected notifies are accepted only while Main Mode is still in its first two
    /// round trips (MS-IKEE 3.1.5). Deletes toward peers that sent the Microsoft vendor ID use reliable delete
    /// (MS-IKEE 3.8, <see cref="Extensions.ReliableDelete"/>); toward others they are sent once.
    /// </summary>
    internal sealed class InformationalHandler
    {
        private readonly EngineContext _ctx;

        public InformationalHandler(EngineContext ctx)
        {
            _ctx = ctx;
            Reliable = new Extensions.ReliableDelete(ctx);
        }

        public Extensions.ReliableDelete Reliable { get; }

        /// <summary>Set by the engine: what to do when the peer deletes SAs.</summary>
        public Action<Phase1Session, string>? DeleteMainMode;
        public Action<QuickModeSession, string>? DeleteQuickMode;
        public Action<QuickModeSession, string>? FailQuickMode;
        public Func<Phase1Session, string, bool>? FailMainMode;
        public Action<Phase1Session, ulong>? DosCookie;

        public void SendNotify(Phase1Session s, NotifyMessageType type, ProtocolId protocol, ReadOnlyMemory<byte> spi, uint quickModeMessageId = 0)
        {
            // MS-IKEE 2.2.6: toward Windows peers a quick-mode notify carries the Message ID first.
            var n = quickModeMessageId != 0 && s.PeerIsWindows
                ? NotificationPayload.ForWindowsQuickMode(type, protocol, spi.Length == 8 ? spi : new byte[8], quickModeMessageId, default)
                : new NotificationPayload(Doi.IpsecDoi, protocol, type, spi, default);
            Send(s, n);
        }

        public void SendDelete(Phase1Session s, ProtocolId protocol, byte spiSize, IReadOnlyList<ReadOnlyMemory<byte>> spis)
        {
            var delete = new DeletePayload(Doi.IpsecDoi, protocol, spiSize, spis);
            if (s.Protection?.LastPhase1Block == null) return;
            if (Extensions.ReliableDelete.Applies(s)) Reliable.Send(s, delete);
            else Send(s, delete); // MS-IKEE 3.1.5: no retransmission toward peers without reliable delete
        }

        private void Send(Phase1Session s, IkePayload payload)
        {
            if (s.Protection?.LastPhase1Block == null) return;
            uint mid = _ctx.NewSpi(1);
            var hash = s.Protection.Keys.InformationalHash(mid, RawPayloads.Encode(new[] { payload }));
            var datagram = s.Protection.Encrypt(EngineContext.Header(s.Row, ExchangeType.Informational, mid), new IkePayload[] { new HashPayload(hash), payload },
                s.Protection.FirstIvFor(mid), out _);
            _ctx.Send(s, datagram);
        }

        public void Handle(Phase1Session s, IkeMessage m)
        {
            if (!m.HasEncryptedBody)
            {
                // Only before Main Mode is authenticated, and it can only end the negotiation (MS-IKEE 3.1.5).
                var n = m.Find<NotificationPayload>();
                // MS-IKEE 3.9.5.2: a single NOTIFY_DOS_COOKIE with 8 bytes of data.
                if (n != null && m.Payloads.Count == 1 && n.MessageType == NotifyMessageType.NotifyDosCookie && n.Data.Length == 8)
                    DosCookie?.Invoke(s, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(n.Data.Span));
                else if (s.Step < 5 && n != null && (ushort)n.MessageType < 16384)
                    FailMainMode?.Invoke(s, $"peer sent {n.MessageType}");
                else Drop($"MM#{s.Row.Id}: unprotected informational ignored");
                return;
            }
            if (s.Protection?.LastPhase1Block == null) { Drop($"MM#{s.Row.Id}: protected informational before Main Mode completed"); return; }
            if (Reliable.TryAcknowledgement(s, m)) return;
            uint mid = m.Header.MessageId;
            if (!s.Protection.TryDecrypt(m, s.Protection.FirstIvFor(mid), out var plain, out var nextIv) ||
                !IkeMessage.TryDecodePayloads(plain, m.Header.NextPayload, 1, out var payloads, out var error) ||
                !MessageRules.TryCheckDecrypted(1, ExchangeType.Informational, payloads, out error) ||
                !(payloads.FirstOrDefault() is HashPayload hash))
            {
                Drop($"MM#{s.Row.Id}: informational {mid:x8} undecodable or without HASH");
                return;
            }
            var rest = RawPayloads.AfterFirst(plain, m.Header.NextPayload) ?? Array.Empty<byte>();
            if (!CryptoBytes.FixedTimeEquals(s.Protection.Keys.InformationalHash(mid, rest), hash.Data.Span))
            {
                Drop($"MM#{s.Row.Id}: informational {mid:x8} HASH(1) does not verify");
                return;
            }

            foreach (var n in payloads.OfType<NotificationPayload>()) OnNotify(s, n);
            // MS-IKEE 3.8.5.1: a delete carrying a nonce is answered under its Message ID (the peer retransmits until then).
            var nonce = payloads.OfType<NoncePayload>().FirstOrDefault();
            foreach (var d in payloads.OfType<DeletePayload>())
            {
                if (nonce != null && Extensions.ReliableDelete.Applies(s)) Reliable.Acknowledge(s, mid, nextIv, nonce, d);
                OnDelete(s, d);
            }
        }

        private void OnNotify(Phase1Session s, NotificationPayload n)
        {
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id}: peer notify {n.MessageType}");
            if ((ushort)n.MessageType >= 16384) return;
            // An error about a quick mode: with the MS-IKEE 2.2.6 Message ID we know which; otherwise every one still negotiating.
            var targets = n.TryGetWindowsQuickModeMessageId(s.PeerIsWindows, out uint mid, out _)
                ? s.QuickModes.Where(q => q.Row.MessageId == mid).ToList()
                : s.QuickModes.Where(q => q.Row.State == QuickModeSaState.Negotiating).ToList();
            foreach (var q in targets) FailQuickMode?.Invoke(q, $"peer sent {n.MessageType}");
        }

        private void OnDelete(Phase1Session s, DeletePayload d)
        {
            if (d.ProtocolId == ProtocolId.Isakmp)
            {
                DeleteMainMode?.Invoke(s, "deleted by peer");
                return;
            }
            foreach (var spi in d.Spis.Where(x => x.Length == 4).Select(ProposalCodec.ReadSpi))
            {
                var q = s.QuickModes.FirstOrDefault(x => x.Row.OutboundSpi == spi || x.Row.InboundSpi == spi);
                if (q != null) DeleteQuickMode?.Invoke(q, "deleted by peer");
            }
        }

        private void Drop(string reason)
        {
            _ctx.Statistics.Dropped();
            _ctx.Log(LogLevel.Debug, "dropped: " + reason);
        }
    }
}
