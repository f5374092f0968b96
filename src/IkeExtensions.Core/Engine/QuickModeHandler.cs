using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// Quick Mode (RFC 2409 §5.5), both roles: HASH(1) SA Ni [KE] [IDci IDcr] → HASH(2) SA Nr [KE] [IDci IDcr] → HASH(3),
    /// under the Main Mode SA's protection with a per-Message-ID IV. Keys ESP only; AH is not offered.
    /// </summary>
    internal sealed class QuickModeHandler
    {
        private const byte EspProtocol = (byte)ProtocolId.IpsecEsp;
        internal const int MaxNegotiatingPerMainMode = 32;
        private readonly EngineContext _ctx;
        private readonly InformationalHandler _info;
        private readonly IReadOnlyList<IQuickModeExtension> _extensions;

        /// <summary>Called when a Quick Mode SA is established (the fast-failover idle timer starts here).</summary>
        public Action<QuickModeSession>? OnEstablished { get; set; }

        public QuickModeHandler(EngineContext ctx, InformationalHandler info, IReadOnlyList<IQuickModeExtension> extensions)
        {
            _ctx = ctx;
            _info = info;
            _extensions = extensions;
        }

        // ---- initiator ----

        public QuickModeSession Start(Phase1Session parent, InitiateRequest request)
        {
            uint mid = _ctx.NewSpi(1);
            var row = new QuickModeSa(_ctx.NextId(), parent.Row.Id, parent.Row.LocalEndpoint, parent.Row.RemoteEndpoint, true, mid, _ctx.Now);
            var q = new QuickModeSession(row, parent) { Step = 2, Request = request, Deadline = _ctx.Now + _ctx.Options.NegotiationTimeout };
            q.Mode = request.Mode == EncapsulationModeChoice.Tunnel ? EncapsulationMode.Tunnel : EncapsulationMode.Transport;
            parent.QuickModes.Add(q);
            _ctx.QuickModeSas.Add(row);

            // All transforms of one offer share the PFS group, because one KE payload serves them all (RFC 2409 §5.5).
            int pfs = _ctx.Options.Policy.QuickMode[0].PfsGroup;
            var offer = _ctx.Options.Policy.QuickMode.Where(p => p.PfsGroup == pfs).ToList();
            row.InboundSpi = _ctx.NewSpi();
            q.NonceI = _ctx.NewNonce();
            var rest = new List<IkePayload> { ProposalCodec.QuickModeOffer(offer, row.InboundSpi, NatTraversalExtension.WireMode(parent, q.Mode)), new NoncePayload(q.NonceI) };
            if (pfs > 0)
            {
                q.Dh = DhGroups.Get(pfs, allowWeak: true).Generate(_ctx.Options.Random);
                rest.Add(new KeyExchangePayload(q.Dh.PublicValue));
            }
            if (request.LocalTrafficSelector != null)
            {
                q.IdCi = ClientId(request.LocalTrafficSelector);
                q.IdCr = ClientId(request.RemoteTrafficSelector!);
                rest.Add(q.IdCi);
                rest.Add(q.IdCr);
            }
            foreach (var e in _extensions) e.Build(q, 1, rest);
            SetSelectors(q);
            var keys = parent.Protection!.Keys;
            var hash1 = keys.QuickModeHash1(mid, RawPayloads.Encode(rest));
            q.Iv = parent.Protection.FirstIvFor(mid);
            var datagram = Seal(q, new IkePayload[] { new HashPayload(hash1) }.Concat(rest).ToList());
            _ctx.Send(parent, datagram, carriesId: q.IdCi != null);
            _ctx.ArmRetransmit(q.Retransmit, datagram, carriesId: q.IdCi != null);
            _ctx.Log(LogLevel.Info, $"QM#{row.Id} initiating Quick Mode ({q.Mode}) on MM#{parent.Row.Id}, mid {mid:x8}");
            return q;
        }

        // ---- dispatch ----

        public void Handle(Phase1Session parent, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            uint mid = m.Header.MessageId;
            if (mid == 0 || !m.HasEncryptedBody) { Drop($"MM#{parent.Row.Id}: Quick Mode message with Message ID 0 or unencrypted"); return; }
            var q = parent.QuickModes.FirstOrDefault(x => x.Row.MessageId == mid);
            if (q != null && EngineContext.SameBytes(q.LastReceivedDigest, datagram.Span))
            {
                if (!q.Row.IsInitiator && q.LastResponse != null) _ctx.Send(parent, q.LastResponse, q.LastResponseCarriesId, retransmission: true); // responder replays, never retransmits
                return;
            }

            byte[] iv = q?.Iv ?? parent.Protection!.FirstIvFor(mid);
            if (!parent.Protection!.TryDecrypt(m, iv, out var plain, out var nextIv)) { Drop($"MM#{parent.Row.Id}: Quick Mode {mid:x8} not decryptable"); return; }
            // The NAT-OA payload type is read through the SA's selected NAT-T revision (MS-IKEE 3.2.5.3).
            if (!IkeMessage.TryDecodePayloads(plain, m.Header.NextPayload, 1, out var payloads, out var error, parent.Row.NatTraversalRevision) ||
                !MessageRules.TryCheckDecrypted(1, ExchangeType.QuickMode, payloads, out error))
            {
                Drop($"MM#{parent.Row.Id}: Quick Mode {mid:x8} malformed after decryption: {error}");
                return;
            }
            byte[]? rest = RawPayloads.AfterFirst(plain, m.Header.NextPayload);
            var hash = (HashPayload)payloads[0];

            try
            {
                bool ok;
                if (q == null) ok = Respond(parent, mid, payloads, hash, rest!, nextIv, out q);
                else if (q.Row.IsInitiator && q.Step == 2) ok = InitiatorMessage2(q, payloads, hash, rest!, nextIv);
                else if (!q.Row.IsInitiator && q.Step == 3) ok = ResponderMessage3(q, hash, nextIv);
                else ok = Drop($"QM#{q.Row.Id}: unexpected Quick Mode message");
                if (ok && q != null) q.LastReceivedDigest = datagram.ToArray();
            }
            catch (CryptoException ex)
            {
                if (q != null) Fail(q, "invalid PFS key exchange value: " + ex.Message);
            }
        }

        private bool Respond(Phase1Session parent, uint mid, IReadOnlyList<IkePayload> payloads, HashPayload hash, byte[] rest, byte[] nextIv, out QuickModeSession? q)
        {
            q = null;
            if (parent.Expired) return Drop($"MM#{parent.Row.Id}: past its lifetime, Quick Mode {mid:x8} not accepted");
            // Bounded memory even toward an authenticated peer: a few Quick Modes in flight per Main Mode SA is plenty.
            if (parent.QuickModes.Count(x => x.Row.State == QuickModeSaState.Negotiating) >= MaxNegotiatingPerMainMode)
                return Drop($"MM#{parent.Row.Id}: {MaxNegotiatingPerMainMode} Quick Modes already negotiating, {mid:x8} ignored");
            var keys = parent.Protection!.Keys;
            if (!CryptoBytes.FixedTimeEquals(keys.QuickModeHash1(mid, rest), hash.Data.Span))
                return Drop($"MM#{parent.Row.Id}: Quick Mode {mid:x8} HASH(1) does not verify");
            var sa = payloads.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var nonce = payloads.OfType<NoncePayload>().FirstOrDefault();
            if (sa == null || nonce == null) return Drop($"MM#{parent.Row.Id}: Quick Mode {mid:x8} lacks SA or Nonce");
            var ids = payloads.OfType<IdentificationPayload>().ToList();
            var ke = payloads.OfType<KeyExchangePayload>().FirstOrDefault();

            var row = new QuickModeSa(_ctx.NextId(), parent.Row.Id, parent.Row.LocalEndpoint, parent.Row.RemoteEndpoint, false, mid, _ctx.Now);
            q = new QuickModeSession(row, parent) { Step = 3, NonceI = nonce.Data.ToArray(), Iv = nextIv, Deadline = _ctx.Now + _ctx.Options.NegotiationTimeout };
            parent.QuickModes.Add(q);
            _ctx.QuickModeSas.Add(row);
            if (ids.Count == 2) { q.IdCi = ids[0]; q.IdCr = ids[1]; }

            var choice = Select(parent, sa, ke != null);
            if (choice == null)
            {
                _info.SendQuickModeFailure(parent, NotifyMessageType.NoProposalChosen, MsErrorCodes.IkePolicyMatch, mid);
                return Fail(q, "no proposal chosen for Quick Mode");
            }
            var (proposal, transform, mode, peerSpi, offeredSeconds) = choice.Value;
            q.Chosen = proposal;
            q.Mode = mode;
            row.OutboundSpi = peerSpi;
            row.InboundSpi = _ctx.NewSpi();
            SetSelectors(q);
            q.NonceR = _ctx.NewNonce();

            var reply = new List<IkePayload>
            {
                new SecurityAssociationPayload(Doi.IpsecDoi, sa.Situation, new[] { new Proposal(1, ProtocolId.IpsecEsp, ProposalCodec.SpiBytes(row.InboundSpi), new[] { transform }) }),
                new NoncePayload(q.NonceR),
            };
            byte[] gqm = Array.Empty<byte>();
            if (proposal.PfsGroup > 0)
            {
                q.Dh = DhGroups.Get(proposal.PfsGroup, allowWeak: true).Generate(_ctx.Options.Random);
                gqm = q.Dh.Agree(ke!.Data.Span);
                reply.Add(new KeyExchangePayload(q.Dh.PublicValue));
            }
            if (q.IdCi != null) { reply.Add(q.IdCi); reply.Add(q.IdCr!); }
            foreach (var e in _extensions)
            {
                string? why = e.Process(q, 1, payloads);
                if (why != null) return Fail(q, why);
                e.Build(q, 2, reply);
            }
            // RFC 2407 §4.6.3.1: say so when we keep the SA for less time than the initiator proposed.
            int ours = _ctx.Options.Policy.QuickMode.First(p => ProposalCodec.Same(p, proposal)).LifetimeSeconds;
            row.LifetimeSeconds = Math.Min(ours, offeredSeconds);
            if (ours < offeredSeconds)
                reply.Add(new NotificationPayload(Doi.IpsecDoi, ProtocolId.IpsecEsp, NotifyMessageType.ResponderLifetime, ProposalCodec.SpiBytes(row.OutboundSpi),
                    LifetimeAttributes(ours)));

            var hash2 = keys.QuickModeHash2(mid, q.NonceI, RawPayloads.Encode(reply));
            var datagram = Seal(q, new IkePayload[] { new HashPayload(hash2) }.Concat(reply).ToList());
            q.LastResponse = datagram;
            q.LastResponseCarriesId = q.IdCi != null;
            _ctx.Send(parent, datagram, q.LastResponseCarriesId);
            DeriveKeys(q, gqm);
            return true;
        }

        private bool InitiatorMessage2(QuickModeSession q, IReadOnlyList<IkePayload> payloads, HashPayload hash, byte[] rest, byte[] nextIv)
        {
            var keys = q.Parent.Protection!.Keys;
            if (!CryptoBytes.FixedTimeEquals(keys.QuickModeHash2(q.Row.MessageId, q.NonceI, rest), hash.Data.Span))
                return Drop($"QM#{q.Row.Id}: HASH(2) does not verify");
            var sa = payloads.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var nonce = payloads.OfType<NoncePayload>().FirstOrDefault();
            var proposal = sa?.Proposals.FirstOrDefault();
            var read = proposal?.Transforms.Count == 1 ? ProposalCodec.ReadQuickModeTransform(proposal.Transforms[0]) : null;
            var ours = read == null ? null : _ctx.Options.Policy.QuickMode.FirstOrDefault(p => ProposalCodec.Same(p, read.Value.Proposal));
            if (ours == null || nonce == null || proposal!.ProtocolId != ProtocolId.IpsecEsp || proposal.Spi.Length != 4 ||
                NatTraversalExtension.BaseMode(q.Parent, read!.Value.Mode) != q.Mode)
                return Fail(q, "Quick Mode message 2 chose something we did not offer");
            q.Iv = nextIv;
            q.Chosen = ours;
            foreach (var e in _extensions)
                if (e.Process(q, 2, payloads) is string why) return Fail(q, why);
            q.Row.OutboundSpi = ProposalCodec.ReadSpi(proposal.Spi);
            q.NonceR = nonce.Data.ToArray();
            q.Row.LifetimeSeconds = Math.Min(ours.LifetimeSeconds, ResponderLifetime(payloads) ?? int.MaxValue);
            byte[] gqm = Array.Empty<byte>();
            if (ours.PfsGroup > 0)
            {
                var ke = payloads.OfType<KeyExchangePayload>().FirstOrDefault();
                if (ke == null) return Fail(q, "PFS was proposed but message 2 has no KE");
                gqm = q.Dh!.Agree(ke.Data.Span);
            }
            var hash3 = keys.QuickModeHash3(q.Row.MessageId, q.NonceI, q.NonceR);
            _ctx.Send(q.Parent, Seal(q, new IkePayload[] { new HashPayload(hash3) }));
            DeriveKeys(q, gqm);
            Established(q);
            return true;
        }

        private bool ResponderMessage3(QuickModeSession q, HashPayload hash, byte[] nextIv)
        {
            var expected = q.Parent.Protection!.Keys.QuickModeHash3(q.Row.MessageId, q.NonceI, q.NonceR);
            if (!CryptoBytes.FixedTimeEquals(expected, hash.Data.Span)) return Drop($"QM#{q.Row.Id}: HASH(3) does not verify");
            q.Iv = nextIv;
            Established(q);
            return true;
        }

        // ---- shared ----

        private (QuickModeProposal, Transform, EncapsulationMode, uint, int)? Select(Phase1Session parent, SecurityAssociationPayload sa, bool peerSentKe)
        {
            foreach (var ours in _ctx.Options.Policy.QuickMode)
                foreach (var p in sa.Proposals.Where(p => p.ProtocolId == ProtocolId.IpsecEsp && p.Spi.Length == 4))
                    foreach (var t in p.Transforms)
                    {
                        var read = ProposalCodec.ReadQuickModeTransform(t);
                        if (read == null || !ProposalCodec.Same(ours, read.Value.Proposal) || (ours.PfsGroup > 0) != peerSentKe) continue;
                        // UDP-encapsulated modes only when a NAT was detected, numbered by the selected revision (MS-IKEE 2.2.2, 3.2.5.3).
                        if (!(NatTraversalExtension.BaseMode(parent, read.Value.Mode) is EncapsulationMode mode)) continue;
                        if (mode == EncapsulationMode.Transport && !_ctx.Options.Policy.AllowTransport) continue;
                        if (mode == EncapsulationMode.Tunnel && !_ctx.Options.Policy.AllowTunnel) continue;
                        return (ours, t, mode, ProposalCodec.ReadSpi(p.Spi), read.Value.Proposal.LifetimeSeconds);
                    }
            return null;
        }

        private void DeriveKeys(QuickModeSession q, byte[] gqm)
        {
            var keys = q.Parent.Protection!.Keys;
            int length = q.Chosen!.KeyMaterialLength;
            q.InboundKeys = keys.QuickModeKeyMaterial(EspProtocol, q.Row.InboundSpi, q.NonceI, q.NonceR, gqm, length);
            q.OutboundKeys = keys.QuickModeKeyMaterial(EspProtocol, q.Row.OutboundSpi, q.NonceI, q.NonceR, gqm, length);
            Array.Clear(gqm, 0, gqm.Length);
            q.Dh?.Dispose();
            q.Dh = null;
        }

        private void Established(QuickModeSession q)
        {
            var r = q.Row;
            q.Retransmit.Active = false;
            q.Step = 4;
            r.State = QuickModeSaState.Established;
            r.EstablishedAt = _ctx.Now;
            r.EncapsulationMode = NatTraversalExtension.WireMode(q.Parent, q.Mode).ToString();
            r.EncryptionAlgorithm = q.Chosen!.Encryption + (q.Chosen.KeyBits > 0 ? "-" + q.Chosen.KeyBits : "");
            r.IntegrityAlgorithm = q.Chosen.Integrity.ToString();
            r.PfsGroup = q.Chosen.PfsGroup;
            r.LifetimeKilobytes = q.Chosen.LifetimeKilobytes;
            r.IsWeak = q.Chosen.IsWeak;
            if (r.LifetimeSeconds == 0) r.LifetimeSeconds = q.Chosen.LifetimeSeconds;
            q.ExpiresAt = _ctx.Now + TimeSpan.FromSeconds(r.LifetimeSeconds);
            if (r.IsInitiator) q.SoftExpiresAt = _ctx.Now + TimeSpan.FromSeconds(r.LifetimeSeconds * _ctx.Options.RekeyFraction);
            q.Parent.Row.QuickModeSaCount++;
            OnEstablished?.Invoke(q);
            // MS-IKEE 3.8.7.2: a Main Mode SA that reached its Quick Mode limit is invalidated, not deleted.
            int max = q.Parent.Row.MaxQMSAs;
            if (max > 0 && q.Parent.Row.QuickModeSaCount >= max && !q.Parent.Expired)
            {
                q.Parent.Expired = true;
                _ctx.Log(LogLevel.Info, $"MM#{q.Parent.Row.Id} keyed {max} Quick Mode SAs (MaxQMSAs): invalidated, new ones use a fresh Main Mode");
            }
            _ctx.Statistics.QuickModeOk();
            _ctx.Log(LogLevel.Info, $"QM#{r.Id} established on MM#{r.MainModeSaId}: {q.Chosen} {r.EncapsulationMode} {r.LocalTrafficSelector} <-> {r.RemoteTrafficSelector} spi in {r.InboundSpi:x8} out {r.OutboundSpi:x8}");
            _ctx.Output.OnEvent(new EngineEvent(EngineEventKind.QuickModeEstablished, r));
        }

        public bool Fail(QuickModeSession q, string reason)
        {
            if (q.Row.State == QuickModeSaState.Failed) return false;
            q.Row.State = QuickModeSaState.Failed;
            q.Row.FailureReason = reason;
            q.Retransmit.Active = false;
            q.Dh?.Dispose();
            q.Parent.QuickModes.Remove(q);
            _ctx.QuickModeSas.Remove(q.Row.Id);
            _ctx.Statistics.QuickModeFail();
            _ctx.Log(LogLevel.Warning, $"QM#{q.Row.Id} on MM#{q.Row.MainModeSaId} failed: {reason}");
            _ctx.Output.OnEvent(new EngineEvent(EngineEventKind.QuickModeFailed, q.Row, reason));
            return false;
        }

        private byte[] Seal(QuickModeSession q, IReadOnlyList<IkePayload> payloads)
        {
            var datagram = q.Parent.Protection!.Encrypt(EngineContext.Header(q.Parent.Row, ExchangeType.QuickMode, q.Row.MessageId), payloads, q.Iv, out var next);
            q.Iv = next;
            return datagram;
        }

        private static void SetSelectors(QuickModeSession q)
        {
            var r = q.Row;
            r.LocalTrafficSelector = Selector(q.Row.IsInitiator ? q.IdCi : q.IdCr) ?? new TrafficSelector(r.LocalEndpoint.Address, r.LocalEndpoint.Address);
            r.RemoteTrafficSelector = Selector(q.Row.IsInitiator ? q.IdCr : q.IdCi) ?? new TrafficSelector(r.RemoteEndpoint.Address, r.RemoteEndpoint.Address);
        }

        private static TrafficSelector? Selector(IdentificationPayload? id) => id == null ? null : ClientIds.ToSelector(id);
        private static IdentificationPayload ClientId(TrafficSelector ts) => ClientIds.FromSelector(ts);

        private static int? ResponderLifetime(IReadOnlyList<IkePayload> payloads)
        {
            var n = payloads.OfType<NotificationPayload>().FirstOrDefault(x => x.MessageType == NotifyMessageType.ResponderLifetime);
            if (n == null || !DataAttribute.TryReadAll(n.Data, 0, PayloadType.Notification, 8, out var attrs, out _)) return null;
            bool seconds = false;
            foreach (var a in attrs)
            {
                if (a.Type == (ushort)IpsecAttributeType.SaLifeType) seconds = a.TryGetInteger(out ulong t) && t == (ulong)LifeType.Seconds;
                else if (a.Type == (ushort)IpsecAttributeType.SaLifeDuration && seconds && a.TryGetInteger(out ulong v) && v > 0) return (int)Math.Min(v, int.MaxValue);
            }
            return null;
        }

        private static byte[] LifetimeAttributes(int seconds)
        {
            var attrs = new[] { DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Seconds), DataAttribute.Integer((ushort)IpsecAttributeType.SaLifeDuration, (ulong)seconds) };
            var bytes = new byte[attrs[0].EncodedLength + attrs[1].EncodedLength];
            var w = new WireWriter(bytes);
            foreach (var a in attrs) a.Write(ref w);
            return bytes;
        }

        private bool Drop(string reason)
        {
            _ctx.Statistics.Dropped();
            _ctx.Log(LogLevel.Debug, "dropped: " + reason);
            return false;
        }
    }
}
