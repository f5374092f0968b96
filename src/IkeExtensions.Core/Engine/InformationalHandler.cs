using System;
using System.Collections.Generic;
using System.Linq;
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

        public void SendNotify(Phase1Session s, NotifyMessageType type, ProtocolId protocol, ReadOnlyMemory<byte> spi, uint quickModeMessageId = 0,
            byte[]? data = null)
        {
            // MS-IKEE 2.2.6: toward Windows peers a quick-mode notify carries the Message ID first.
            Send(s, Notification(s, type, protocol, spi, quickModeMessageId, data));
        }

        /// <summary>How a failure notify reads in logs and failure reasons (NOTIFY_STATUS with its Windows error).</summary>
        public static string Describe(NotificationPayload n, bool peerIsWindows)
        {
            if (n.MessageType != NotifyMessageType.NotifyStatus) return $"peer sent {n.MessageType}";
            var data = n.TryGetWindowsQuickModeMessageId(peerIsWindows, out _, out var rest) ? rest : n.Data;
            return data.Length >= 4
                ? "peer reported " + MsErrorCodes.Describe(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.Span))
                : "peer sent NOTIFY_STATUS without a code";
        }

        /// <summary>Failure notifies: the RFC error range, plus MS-IKEE's NOTIFY_STATUS.</summary>
        private static bool IsFailure(NotificationPayload n) => (ushort)n.MessageType < 16384 || n.MessageType == NotifyMessageType.NotifyStatus;

        public void SendDelete(Phase1Session s, ProtocolId protocol, byte spiSize, IReadOnlyList<ReadOnlyMemory<byte>> spis)
        {
            var delete = new DeletePayload(Doi.IpsecDoi, protocol, spiSize, spis);
            if (s.Protection?.LastPhase1Block == null) return;
            if (Extensions.ReliableDelete.Applies(s)) Reliable.Send(s, delete);
            else Send(s, delete); // MS-IKEE 3.1.5: no retransmission toward peers without reliable delete
        }

        /// <summary>
        /// A Quick Mode failure: the RFC notify, and toward Windows peers a NOTIFY_STATUS with the Windows error code, in one
        /// informational message, both carrying the Quick Mode's Message ID for Windows peers (MS-IKEE 2.2.6).
        /// </summary>
        public void SendQuickModeFailure(Phase1Session s, NotifyMessageType type, uint windowsCode, uint quickModeMessageId)
        {
            var notifies = new List<IkePayload> { Notification(s, type, ProtocolId.IpsecEsp, default, quickModeMessageId, null) };
            if (s.PeerIsWindows) notifies.Add(Notification(s, NotifyMessageType.NotifyStatus, ProtocolId.IpsecEsp, default, quickModeMessageId, MsErrorCodes.Encode(windowsCode)));
            Send(s, notifies.ToArray());
        }

        private static NotificationPayload Notification(Phase1Session s, NotifyMessageType type, ProtocolId protocol, ReadOnlyMemory<byte> spi, uint quickModeMessageId, byte[]? data) =>
            quickModeMessageId != 0 && s.PeerIsWindows
                ? NotificationPayload.ForWindowsQuickMode(type, protocol, spi.Length == 8 ? spi : new byte[8], quickModeMessageId, data)
                : new NotificationPayload(Doi.IpsecDoi, protocol, type, spi, data);

        private void Send(Phase1Session s, params IkePayload[] payloads)
        {
            if (s.Protection?.LastPhase1Block == null) return;
            uint mid = _ctx.NewSpi(1);
            var hash = s.Protection.Keys.InformationalHash(mid, RawPayloads.Encode(payloads));
            var datagram = s.Protection.Encrypt(EngineContext.Header(s.Row, ExchangeType.Informational, mid), new IkePayload[] { new HashPayload(hash) }.Concat(payloads).ToList(),
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
                else if (s.Step < 5 && n != null && IsFailure(n))
                    FailMainMode?.Invoke(s, string.Join("; ", m.FindAll<NotificationPayload>().Where(IsFailure).Select(x => Describe(x, s.PeerIsWindows))));
                else Drop($"MM#{s.Row.Id}: unprotected informational ignored");
                return;
            }
            if (s.Protection?.LastPhase1Block == null)
            {
                LastRoundTripNotify(s, m);
                return;
            }
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

            OnNotifies(s, payloads.OfType<NotificationPayload>().ToList());
            // MS-IKEE 3.8.5.1: a delete carrying a nonce is answered under its Message ID (the peer retransmits until then).
            var nonce = payloads.OfType<NoncePayload>().FirstOrDefault();
            foreach (var d in payloads.OfType<DeletePayload>())
            {
                if (nonce != null && Extensions.ReliableDelete.Applies(s)) Reliable.Acknowledge(s, mid, nextIv, nonce, d);
                OnDelete(s, d);
            }
        }

        /// <summary>The notifies of one informational message: failures end the Quick Mode they are about, with every reason given.</summary>
        private void OnNotifies(Phase1Session s, IReadOnlyList<NotificationPayload> notifies)
        {
            foreach (var n in notifies)
                _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id}: peer notify {n.MessageType}" + (n.MessageType == NotifyMessageType.NotifyStatus ? ": " + Describe(n, s.PeerIsWindows) : ""));
            var failures = notifies.Where(IsFailure).ToList();
            if (failures.Count == 0) return;
            string reason = string.Join("; ", failures.Select(n => Describe(n, s.PeerIsWindows)));
            // About a quick mode: with the MS-IKEE 2.2.6 Message ID we know which; otherwise every one still negotiating.
            var withId = failures.FirstOrDefault(n => n.TryGetWindowsQuickModeMessageId(s.PeerIsWindows, out _, out _));
            List<QuickModeSession> targets;
            if (withId != null && withId.TryGetWindowsQuickModeMessageId(s.PeerIsWindows, out uint mid, out _))
                targets = s.QuickModes.Where(q => q.Row.MessageId == mid).ToList();
            else
                targets = s.QuickModes.Where(q => q.Row.State == QuickModeSaState.Negotiating).ToList();
            foreach (var q in targets) FailQuickMode?.Invoke(q, reason);
        }

        /// <summary>
        /// A protected notify in Main Mode's last round trip (MS-IKEE 3.1.5), sent before the SA is established, under
        /// the IV of note 12: toward peers that announced Windows 2000–Vista (versions 2–5) the last cipher block of the
        /// last packet the sender sent, otherwise of the last packet it decrypted. Which one the peer used depends on the
        /// version we announced.
        /// </summary>
        public byte[] LastRoundTripIv(Phase1Session s, bool sending)
        {
            bool oldRule = sending
                ? s.Row.PeerWindowsVersion is int v && v >= 2 && v <= 5
                : _ctx.Options.MicrosoftVendorIdVersion is uint mine && mine >= 2 && mine <= 5;
            if (!oldRule) return s.Protection!.Phase1Iv; // the last cipher block of message 5, whichever side we are
            // The responder's last sent packet is message 4 (in the clear): its last block-sized tail.
            byte[]? message4 = s.IsInitiator ? s.LastReceivedDigest : s.LastResponse;
            int block = s.Protection!.Cipher.BlockSize;
            return message4 == null || message4.Length < block ? s.Protection.Phase1Iv : message4.AsSpan(message4.Length - block).ToArray();
        }

        /// <summary>Sends failure notifies protected by the Main Mode keys before the SA is established (3.1.5, note 12).</summary>
        public void SendLastRoundTripFailure(Phase1Session s, NotifyMessageType type, uint windowsCode)
        {
            if (s.Protection == null) return;
            var notifies = new List<IkePayload> { new NotificationPayload(Doi.IpsecDoi, ProtocolId.Isakmp, type, default, default) };
            if (s.PeerIsWindows) notifies.Add(new NotificationPayload(Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.NotifyStatus, default, MsErrorCodes.Encode(windowsCode)));
            uint mid = _ctx.NewSpi(1);
            var hash = s.Protection.Keys.InformationalHash(mid, RawPayloads.Encode(notifies));
            notifies.Insert(0, new HashPayload(hash));
            var datagram = s.Protection.Encrypt(EngineContext.Header(s.Row, ExchangeType.Informational, mid), notifies, LastRoundTripIv(s, sending: true), out _);
            _ctx.Send(s, datagram);
        }

        private void LastRoundTripNotify(Phase1Session s, IkeMessage m)
        {
            uint mid = m.Header.MessageId;
            if (s.Protection == null || !s.IsInitiator || s.Step != 6 ||
                !s.Protection.TryDecrypt(m, LastRoundTripIv(s, sending: false), out var plain, out _) ||
                !IkeMessage.TryDecodePayloads(plain, m.Header.NextPayload, 1, out var payloads, out _) ||
                !(payloads.FirstOrDefault() is HashPayload hash) ||
                !CryptoBytes.FixedTimeEquals(s.Protection.Keys.InformationalHash(mid, RawPayloads.AfterFirst(plain, m.Header.NextPayload) ?? Array.Empty<byte>()), hash.Data.Span))
            {
                Drop($"MM#{s.Row.Id}: protected informational before Main Mode completed, not readable");
                return;
            }
            var failures = payloads.OfType<NotificationPayload>().Where(IsFailure).Select(n => Describe(n, s.PeerIsWindows)).ToList();
            if (failures.Count > 0) FailMainMode?.Invoke(s, string.Join("; ", failures));
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
