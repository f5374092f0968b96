using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// The sans-IO IKEv1 engine: datagrams, initiate/delete requests and clock ticks in; datagrams, SA events and log
    /// lines out through <see cref="IEngineOutput"/>. Not thread-safe: one caller at a time (the UDP host serialises).
    /// Untrusted input never throws out of <see cref="Receive"/>.
    /// </summary>
    public sealed class IkeV1Engine
    {
        private readonly EngineContext _ctx;
        private readonly MainModeHandler _mainMode;
        private readonly QuickModeHandler _quickMode;
        private readonly InformationalHandler _informational;
        private readonly Extensions.NatTraversalExtension _natTraversal;
        private readonly Extensions.FastFailoverExtension _fastFailover;

        public IkeV1Engine(IkeV1EngineOptions options, IEngineOutput output)
        {
            _ctx = new EngineContext(options ?? throw new ArgumentNullException(nameof(options)), output ?? throw new ArgumentNullException(nameof(output)));
            _ctx.Dos = new Extensions.DosProtection(_ctx);
            _natTraversal = new Extensions.NatTraversalExtension(_ctx);
            _fastFailover = new Extensions.FastFailoverExtension(_ctx);
            // One unit per extension (strongSwan's cooperating tasks); VendorIdExtension first, since the others read its flags.
            var mainModeExtensions = new List<Extensions.IMainModeExtension>
            {
                new Extensions.VendorIdExtension(_ctx),
                _natTraversal,
                Extensions.FragmentationExtension.Install(_ctx),
                _fastFailover,
                new Extensions.CgaExtension(_ctx),
            };
            var quickModeExtensions = new List<Extensions.IQuickModeExtension>
            {
                _natTraversal,
                _fastFailover,
            };
            { var nd = new Extensions.NegotiationDiscoveryExtension(_ctx); mainModeExtensions.Add(nd); quickModeExtensions.Add(nd); } // MS-IKEE 3.7 negotiation discovery
            _mainMode = new MainModeHandler(_ctx, mainModeExtensions, _natTraversal);
            _informational = new InformationalHandler(_ctx);
            _quickMode = new QuickModeHandler(_ctx, _informational, quickModeExtensions) { OnEstablished = _fastFailover.OnEstablished };
            _informational.DeleteMainMode = (s, why) => DeleteMainMode(s, why, notifyPeer: false);
            _informational.DeleteQuickMode = (q, why) => RemoveQuickMode(q, why, notifyPeer: false);
            _informational.FailQuickMode = (q, why) => _quickMode.Fail(q, why);
            _informational.FailMainMode = (s, why) => _mainMode.Fail(s, why);
            _informational.DosCookie = (s, cookie) => _mainMode.OnDosCookie(s, cookie);
            _mainMode.LastRoundTripFailure = (s, type, code) => _informational.SendLastRoundTripFailure(s, type, code);
        }

        public MainModeSaDatabase MainModeSas => _ctx.MainModeSas;
        public SecurityAssociationDatabase QuickModeSas => _ctx.QuickModeSas;
        public EngineStatistics Statistics => _ctx.Statistics;

        public void Receive(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram)
        {
            _ctx.Statistics.Received();
            try
            {
                ReceiveCore(local, remote, datagram);
            }
            catch (Exception ex)
            {
                // A bug must not take the daemon down because of one datagram; the type names it without echoing data.
                _ctx.Statistics.Dropped();
                _ctx.Log(LogLevel.Error, $"internal error on a datagram from {remote}: {ex.GetType().Name} at {ex.TargetSite?.Name}");
            }
        }

        private void ReceiveCore(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram, bool reassembled = false)
        {
            if (!IkeMessage.TryDecode(datagram, out var m, out var error))
            {
                _ctx.Statistics.Malformed();
                _ctx.Log(LogLevel.Debug, $"malformed datagram from {remote}: {error}");
                return;
            }
            if (m.MajorVersion != 1)
            {
                _ctx.Statistics.Dropped();
                _ctx.Log(LogLevel.Debug, $"IKEv{m.MajorVersion} message from {remote} ignored: this engine speaks IKEv1");
                return;
            }
            if (!MessageRules.TryCheck(m, out error))
            {
                _ctx.Statistics.Malformed();
                _ctx.Log(LogLevel.Debug, $"message from {remote} breaks the {m.Header.ExchangeType} rules: {error}");
                return;
            }

            // MS-IKEE 3.3.5.3: a fragment message is reassembled below the exchanges, then processed as a typical message.
            if (m.Payloads.Count == 1 && m.Payloads[0].Type == PayloadType.Fragment)
            {
                if (reassembled) { _ctx.Statistics.Malformed(); return; } // a reassembled message is never itself a fragment
                var whole = _ctx.Fragmentation.Inbound(local, remote, m);
                if (whole != null) ReceiveCore(local, remote, whole, reassembled: true);
                return;
            }

            switch (m.Header.ExchangeType)
            {
                case ExchangeType.IdentityProtection:
                    _mainMode.Handle(local, remote, m, datagram);
                    break;
                case ExchangeType.Aggressive:
                    // Aggressive Mode with pre-shared keys hands an offline-guessable hash of the key to anyone who asks.
                    _ctx.Statistics.AggressiveRefused();
                    _ctx.Log(LogLevel.Warning, $"Aggressive Mode from {remote} refused: it exposes a hash of the pre-shared key to offline guessing");
                    break;
                case ExchangeType.QuickMode:
                case ExchangeType.Informational:
                    var s = Established(m, remote, requireEstablished: m.Header.ExchangeType == ExchangeType.QuickMode);
                    if (s == null) return;
                    if (m.Header.ExchangeType == ExchangeType.QuickMode) _quickMode.Handle(s, m, datagram);
                    else _informational.Handle(s, m);
                    break;
                default:
                    _ctx.Statistics.Dropped();
                    _ctx.Log(LogLevel.Debug, $"exchange {m.Header.ExchangeType} from {remote} not supported");
                    break;
            }
        }

        private Phase1Session? Established(IkeMessage m, IPEndPoint remote, bool requireEstablished)
        {
            if (_ctx.Sessions.TryGetValue((m.Header.InitiatorSpi, remote.Address), out var s) && s.Row.ResponderCookie == m.Header.ResponderSpi &&
                (!requireEstablished || s.Row.State == MainModeSaState.Established))
                return s;
            _ctx.Statistics.Dropped();
            _ctx.Log(LogLevel.Debug, $"{m.Header.ExchangeType} from {remote} for no usable Main Mode SA");
            return null;
        }

        /// <summary>Negotiates Quick Mode SAs with <paramref name="request"/>'s peer, running Main Mode first when no SA exists.</summary>
        public MainModeSa Initiate(InitiateRequest request)
        {
            var existing = _ctx.Sessions.Values.FirstOrDefault(s => s.Row.RemoteEndpoint.Equals(request.Peer) && s.Row.LocalEndpoint.Equals(request.Local) &&
                                                               s.Row.State == MainModeSaState.Established && !s.Expired);
            if (existing != null && !request.ForceNewMainMode)
            {
                _quickMode.Start(existing, request);
                return existing.Row;
            }
            var entry = _ctx.Options.Pad.Find(request.Peer.Address)
                        ?? throw new InvalidOperationException($"No PAD entry authorizes peer {request.Peer.Address} (add a pre-shared key or trust anchors).");
            return _mainMode.Start(request, entry).Row;
        }

        /// <summary>Runs due timers: retransmissions, negotiation timeouts, lifetimes and rekeys.</summary>
        public void Poll()
        {
            var now = _ctx.Now;
            _ctx.Fragmentation.Poll(now);
            _informational.Reliable.Poll(now);
            foreach (var s in _ctx.Sessions.Values.ToList())
            {
                if (s.Deleting != null && s.QuickModes.Count == 0 && !_informational.Reliable.HasPending(s))
                {
                    RemoveMainMode(s, s.Deleting, notifyPeer: false);
                    continue;
                }
                _natTraversal.Poll(s, now);
                if (s.Step < 7) // still negotiating (an established or deleting SA has passed message 6)
                {
                    if (now >= s.Deadline) { _mainMode.Fail(s, "negotiation timed out"); continue; }
                    if (!Retransmit(s, s.Retransmit, now)) { _mainMode.Fail(s, "no response from peer"); continue; }
                }
                else if (s.ExpiresAt <= now)
                {
                    // An expired Main Mode SA keys no new Quick Modes, but it stays until its Quick Mode SAs are gone so
                    // their deletes can still be protected (the MS-IKEE 3.8 rule).
                    s.Expired = true;
                    if (s.QuickModes.Count == 0 && !_informational.Reliable.HasPending(s)) { RemoveMainMode(s, "lifetime expired", notifyPeer: true); continue; }
                }
                else if (s.PendingQuickMode != null && !s.Expired)
                {
                    var request = s.PendingQuickMode;
                    s.PendingQuickMode = null;
                    _quickMode.Start(s, request);
                }

                foreach (var q in s.QuickModes.ToList())
                {
                    if (q.Row.State == QuickModeSaState.Negotiating)
                    {
                        if (now >= q.Deadline) _quickMode.Fail(q, "negotiation timed out");
                        else if (!Retransmit(s, q.Retransmit, now)) _quickMode.Fail(q, "no response from peer");
                    }
                    else if (q.ExpiresAt <= now) RemoveQuickMode(q, "lifetime expired", notifyPeer: true);
                    else if (_fastFailover.IsIdle(q, now)) RemoveQuickMode(q, $"idle for {q.Row.IdleTimeoutSeconds} s (MS-IKEE 3.5.6.1)", notifyPeer: true);
                    else if (q.SoftExpiresAt <= now && q.Request != null)
                    {
                        q.SoftExpiresAt = null; // rekey once; the old SA lives until its hard expiry
                        _ctx.Log(LogLevel.Info, $"QM#{q.Row.Id} rekeying before expiry");
                        if (s.Expired) Initiate(q.Request); // on a fresh Main Mode SA
                        else _quickMode.Start(s, q.Request);
                    }
                }
            }
        }

        /// <summary>The earliest time <see cref="Poll"/> has work to do, for hosts that sleep between datagrams.</summary>
        public DateTime? NextDeadline()
        {
            DateTime? next = null;
            void Consider(DateTime? t) { if (t.HasValue && (!next.HasValue || t < next)) next = t; }
            Consider(_informational.Reliable.NextDeadline());
            Consider(_ctx.Fragmentation.NextDeadline());
            foreach (var s in _ctx.Sessions.Values)
            {
                Consider(s.NextKeepAlive);
                if (s.Step < 7) { Consider(s.Deadline); if (s.Retransmit.Active) Consider(s.Retransmit.NextAt); }
                else { Consider(s.ExpiresAt); if (s.PendingQuickMode != null || (s.Deleting != null && s.QuickModes.Count == 0)) Consider(_ctx.Now); }
                foreach (var q in s.QuickModes)
                {
                    if (q.Row.State == QuickModeSaState.Negotiating) { Consider(q.Deadline); if (q.Retransmit.Active) Consider(q.Retransmit.NextAt); }
                    else { Consider(q.ExpiresAt); Consider(q.SoftExpiresAt); }
                }
            }
            return next;
        }

        /// <summary>
        /// Deletes a Main Mode SA (peer told); false when there is none or it is already <see cref="MainModeSaState.Deleting"/>
        /// (MS-IKEE 3.8 reliable delete: a second delete would only resend the DELETE, it is not a fresh delete).
        /// </summary>
        public bool DeleteMainModeSa(long id)
        {
            var s = _ctx.Sessions.Values.FirstOrDefault(x => x.Row.Id == id);
            if (s == null || s.Deleting != null || s.Row.State == MainModeSaState.Deleting) return false;
            DeleteMainMode(s, "deleted by administrator", notifyPeer: true);
            return true;
        }

        public bool DeleteQuickModeSa(long id)
        {
            var q = _ctx.Sessions.Values.SelectMany(s => s.QuickModes).FirstOrDefault(x => x.Row.Id == id);
            if (q == null) return false;
            RemoveQuickMode(q, "deleted by administrator", notifyPeer: true);
            return true;
        }

        /// <summary>The ESP keying material of a quick mode SA (inbound, outbound), for a keying consumer and for tests; never logged.</summary>
        /// <summary>A data path reports traffic on a Quick Mode SA (by our inbound or outbound SPI), restarting its idle timer.</summary>
        public bool ReportTraffic(uint spi)
        {
            var q = _ctx.Sessions.Values.SelectMany(s => s.QuickModes).FirstOrDefault(x => x.Row.InboundSpi == spi || x.Row.OutboundSpi == spi);
            if (q == null) return false;
            q.IdleSince = _ctx.Now;
            return true;
        }

        /// <summary>Reliable deletes (MS-IKEE 3.8) still waiting for their acknowledgement.</summary>
        internal int PendingReliableDeletes => _informational.Reliable.PendingCount;

        internal (byte[] Inbound, byte[] Outbound)? KeyMaterialOf(long quickModeSaId)
        {
            var q = _ctx.Sessions.Values.SelectMany(s => s.QuickModes).FirstOrDefault(x => x.Row.Id == quickModeSaId);
            return q?.InboundKeys == null ? null : (q.InboundKeys, q.OutboundKeys!);
        }

        /// <summary>Deletes every SA, telling peers (graceful stop).</summary>
        public void Shutdown()
        {
            foreach (var s in _ctx.Sessions.Values.ToList()) RemoveMainMode(s, "shutdown", notifyPeer: true);
        }

        private bool Retransmit(Phase1Session s, Retransmission r, DateTime now)
        {
            if (!r.Active || now < r.NextAt) return true;
            if (r.Count >= _ctx.Options.RetransmitLimit) return false;
            r.Count++;
            r.NextAt = now + TimeSpan.FromTicks(_ctx.Options.RetransmitInitial.Ticks << Math.Min(r.Count, 10));
            _ctx.Statistics.Retransmitted();
            _ctx.Send(s, r.Message!, r.CarriesId, retransmission: true);
            return true;
        }

        private void RemoveQuickMode(QuickModeSession q, string reason, bool notifyPeer)
        {
            if (notifyPeer && q.Row.State == QuickModeSaState.Established)
                _informational.SendDelete(q.Parent, ProtocolId.IpsecEsp, 4, new ReadOnlyMemory<byte>[] { ProposalCodec.SpiBytes(q.Row.InboundSpi) });
            q.Row.State = QuickModeSaState.Deleted;
            q.Parent.QuickModes.Remove(q);
            q.Parent.Row.QuickModeSaCount = q.Parent.QuickModes.Count(x => x.Row.State == QuickModeSaState.Established);
            _ctx.QuickModeSas.Remove(q.Row.Id);
            if (q.InboundKeys != null) Array.Clear(q.InboundKeys, 0, q.InboundKeys.Length);
            if (q.OutboundKeys != null) Array.Clear(q.OutboundKeys, 0, q.OutboundKeys.Length);
            _ctx.Log(LogLevel.Info, $"QM#{q.Row.Id} deleted: {reason}");
            _ctx.Output.OnEvent(new EngineEvent(EngineEventKind.QuickModeDeleted, q.Row, reason));
        }

        /// <summary>
        /// Deletes a Main Mode SA. Toward a Windows peer (MS-IKEE 3.8.4.1, note 26) the delete goes out at once but the
        /// SA stays — keying no new Quick Modes — until its Quick Mode SAs are gone by their own events and its reliable
        /// deletes are answered; toward other peers it goes with its Quick Mode SAs at once.
        /// </summary>
        private void DeleteMainMode(Phase1Session s, string reason, bool notifyPeer)
        {
            if (!s.PeerIsWindows || s.Row.State != MainModeSaState.Established)
            {
                RemoveMainMode(s, reason, notifyPeer);
                return;
            }
            if (notifyPeer) SendMainModeDelete(s);
            s.Expired = true;
            s.Deleting = reason;
            s.Row.State = MainModeSaState.Deleting;
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id} deleting ({reason}); kept until its {s.QuickModes.Count} Quick Mode SAs and pending deletes are done");
        }

        private void SendMainModeDelete(Phase1Session s)
        {
            var cookies = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(cookies, s.Row.InitiatorCookie);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(cookies.AsSpan(8), s.Row.ResponderCookie);
            _informational.SendDelete(s, ProtocolId.Isakmp, 16, new ReadOnlyMemory<byte>[] { cookies });
        }

        private void RemoveMainMode(Phase1Session s, string reason, bool notifyPeer)
        {
            foreach (var q in s.QuickModes.ToList()) RemoveQuickMode(q, reason, notifyPeer);
            if (notifyPeer && s.Row.State == MainModeSaState.Established) SendMainModeDelete(s);
            _ctx.ReleaseHalfOpen(s);
            s.Row.State = MainModeSaState.Deleted;
            _ctx.Sessions.Remove((s.Row.InitiatorCookie, s.Row.RemoteEndpoint.Address));
            _ctx.MainModeSas.Remove(s.Row.Id);
            s.Dispose();
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id} deleted: {reason}");
            _ctx.Output.OnEvent(new EngineEvent(EngineEventKind.MainModeDeleted, s.Row, reason));
        }
    }
}
