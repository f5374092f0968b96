using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// Main Mode with pre-shared keys (RFC 2409 §5, §5.4), both roles: SA (1–2), KE+Nonce (3–4), encrypted ID+HASH (5–6).
    /// Vendor IDs are read into the row here; the extensions of MS-IKEE plug in beside it (issue 4).
    /// </summary>
    internal sealed class MainModeHandler
    {
        private readonly EngineContext _ctx;
        private readonly Phase1Authentication _auth;
        private readonly IReadOnlyList<IMainModeExtension> _extensions;
        private readonly NatTraversalExtension _natTraversal;

        /// <summary>Set by the engine: sends failure notifies protected in Main Mode's last round trip (MS-IKEE 3.1.5).</summary>
        public Action<Phase1Session, NotifyMessageType, uint>? LastRoundTripFailure { get; set; }

        public MainModeHandler(EngineContext ctx, IReadOnlyList<IMainModeExtension> extensions, NatTraversalExtension natTraversal)
        {
            _ctx = ctx;
            _auth = new Phase1Authentication(ctx);
            _extensions = extensions;
            _natTraversal = natTraversal;
        }

        // ---- initiator ----

        public Phase1Session Start(InitiateRequest request, PeerAuthorizationEntry peer)
        {
            var row = new MainModeSa(_ctx.NextId(), request.Local, request.Peer, _ctx.NewCookie(), true, _ctx.Now) { MaxQMSAs = _ctx.Options.Policy.MaxQuickModeSas };
            var s = new Phase1Session(row, true) { Step = 2, Peer = peer, PendingQuickMode = request, PeerNatPort = request.PeerNatPort, Deadline = _ctx.Now + _ctx.Options.NegotiationTimeout };
            _ctx.Sessions[(row.InitiatorCookie, row.RemoteEndpoint.Address)] = s;
            _ctx.MainModeSas.Add(row);

            var proposals = _auth.Proposals(peer, request.Local, request.Peer);
            if (proposals.Count == 0) throw new InvalidOperationException($"Nothing to offer {request.Peer}: no computable proposal for its authentication methods.");
            var offer = ProposalCodec.MainModeOffer(proposals);
            s.SaInitiatorBody = RawPayloads.BodyOf(offer);
            var payloads = Compose(s, 1, offer);
            var datagram = new IkeMessage(EngineContext.Header(row, ExchangeType.IdentityProtection, 0), payloads).Encode();
            _ctx.Send(s, datagram);
            _ctx.ArmRetransmit(s.Retransmit, datagram);
            _ctx.Log(LogLevel.Info, $"MM#{row.Id} initiating Main Mode to {row.RemoteEndpoint} ({offer.Proposals[0].Transforms.Count} transforms)");
            return s;
        }

        // ---- dispatch ----

        public void Handle(IPEndPoint local, IPEndPoint remote, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            var h = m.Header;
            _ctx.Sessions.TryGetValue((h.InitiatorSpi, remote.Address), out var s);
            if (s == null)
            {
                if (!m.HasEncryptedBody && m.Find<SecurityAssociationPayload>() != null) Admit(local, remote, m, datagram);
                else Drop($"Main Mode message for unknown cookies {h.InitiatorSpi:x16}/{h.ResponderSpi:x16} from {remote}");
                return;
            }
            if (s.Row.ResponderCookie != 0 && h.ResponderSpi != s.Row.ResponderCookie && !(h.ResponderSpi == 0 && !s.IsInitiator))
            {
                Drop($"MM#{s.Row.Id}: responder cookie mismatch from {remote}");
                return;
            }
            // Retransmitted request: a responder answers with its stored response and never retransmits on its own (MS-IKEE 3.1.5).
            if (EngineContext.SameBytes(s.LastReceivedDigest, datagram.Span))
            {
                if (!s.IsInitiator && s.LastResponse != null) _ctx.Send(s, s.LastResponse, s.LastResponseCarriesId, retransmission: true);
                return;
            }

            try
            {
                bool ok = s.IsInitiator ? Initiator(s, m, datagram) : Responder(s, m, local, remote);
                if (ok) s.LastReceivedDigest = datagram.ToArray();
            }
            catch (CryptoException ex)
            {
                Fail(s, "invalid peer key exchange value: " + ex.Message);
            }
        }

        private bool Initiator(Phase1Session s, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            switch (s.Step)
            {
                case 2:
                {
                    if (m.HasEncryptedBody || m.Header.ResponderSpi == 0) return Drop($"MM#{s.Row.Id}: unexpected message 2");
                    var sa = m.Find<SecurityAssociationPayload>();
                    var t = sa?.Proposals.SingleOrDefault()?.Transforms;
                    var chosen = t != null && t.Count == 1 ? ProposalCodec.ReadMainModeTransform(t[0]) : null;
                    var ours = chosen == null ? null : _auth.Proposals(s.Peer!, s.Row.LocalEndpoint, s.Row.RemoteEndpoint).FirstOrDefault(p => ProposalCodec.Same(p, chosen));
                    if (ours == null) return Fail(s, "message 2 chose a transform we did not offer");
                    s.Row.ResponderCookie = m.Header.ResponderSpi;
                    Accept(s, chosen!);
                    if (!Extend(s, 2, m.Payloads)) return false;
                    s.Dh = DhGroups.Get(chosen!.DhGroup, allowWeak: true).Generate(_ctx.Options.Random);
                    s.NonceI = _ctx.NewNonce();
                    SendAndArm(s, Compose(s, 3, new IkePayload[] { new KeyExchangePayload(s.Dh.PublicValue), new NoncePayload(s.NonceI) }.Concat(_auth.CertificateRequests(s))));
                    s.Row.State = MainModeSaState.KeyExchange;
                    s.Step = 4;
                    return true;
                }
                case 4:
                {
                    if (m.HasEncryptedBody) return Drop($"MM#{s.Row.Id}: unexpected encrypted message 4");
                    var ke = m.Find<KeyExchangePayload>();
                    var nonce = m.Find<NoncePayload>();
                    if (ke == null || nonce == null) return Fail(s, "message 4 lacks KE or Nonce");
                    s.PeerPublic = ke.Data.ToArray();
                    s.NonceR = nonce.Data.ToArray();
                    DeriveKeys(s);
                    if (!Extend(s, 4, m.Payloads)) return false;
                    var id = _auth.LocalId(s);
                    byte[] hashI = s.Protection!.Keys.HashI(Gxi(s), Gxr(s), s.Row.InitiatorCookie, s.Row.ResponderCookie, s.SaInitiatorBody, RawPayloads.BodyOf(id));
                    var datagramOut = s.Protection.Encrypt(EngineContext.Header(s.Row, ExchangeType.IdentityProtection, 0), Compose(s, 5, _auth.AuthPayloads(s, id, hashI)),
                        s.Protection.Phase1Iv, out var next);
                    s.Protection.Phase1Iv = next;
                    s.Row.LocalFirstId = id.IdType == IdentificationType.DerAsn1Dn ? DnText(id) : id.Value;
                    _ctx.Send(s, datagramOut, carriesId: true);
                    _ctx.ArmRetransmit(s.Retransmit, datagramOut, carriesId: true);
                    s.Row.State = MainModeSaState.Authentication;
                    s.Step = 6;
                    return true;
                }
                case 6:
                {
                    if (!m.HasEncryptedBody || !TryOpen(s, m, out var plain, out var next)) return Drop($"MM#{s.Row.Id}: message 6 not decryptable");
                    if (!VerifyPeer(s, m, plain, isInitiatorHash: false)) return false;
                    s.Protection!.Phase1Iv = next;
                    Established(s);
                    return true;
                }
                default:
                    return Drop($"MM#{s.Row.Id}: unexpected Main Mode message");
            }
        }

        private bool Responder(Phase1Session s, IkeMessage m, IPEndPoint local, IPEndPoint remote)
        {
            switch (s.Step)
            {
                case 3:
                {
                    var ke = m.Find<KeyExchangePayload>();
                    var nonce = m.Find<NoncePayload>();
                    if (m.HasEncryptedBody || ke == null || nonce == null) return Fail(s, "message 3 lacks KE or Nonce");
                    _ctx.OneMessageDone(s);
                    s.PeerPublic = ke.Data.ToArray();
                    s.NonceI = nonce.Data.ToArray();
                    s.Dh = DhGroups.Get(s.Chosen!.DhGroup, allowWeak: true).Generate(_ctx.Options.Random);
                    s.NonceR = _ctx.NewNonce();
                    DeriveKeys(s);
                    if (!Extend(s, 3, m.Payloads)) return false;
                    Respond(s, new IkeMessage(EngineContext.Header(s.Row, ExchangeType.IdentityProtection, 0),
                        Compose(s, 4, new IkePayload[] { new KeyExchangePayload(s.Dh.PublicValue), new NoncePayload(s.NonceR) }.Concat(_auth.CertificateRequests(s)))).Encode());
                    s.Row.State = MainModeSaState.Authentication;
                    s.Step = 5;
                    return true;
                }
                case 5:
                {
                    if (!m.HasEncryptedBody || !TryOpen(s, m, out var plain, out var next)) return Fail(s, "message 5 not decryptable (wrong pre-shared key?)");
                    s.Protection!.Phase1Iv = next;
                    if (!VerifyPeer(s, m, plain, isInitiatorHash: true)) return false;
                    // RFC 3947 §4: answer where the authenticated message came from (the initiator floated to the NAT-T port).
                    if (!remote.Equals(s.Row.RemoteEndpoint) || !local.Equals(s.Row.LocalEndpoint)) _natTraversal.Float(s, remote, local);
                    var id = _auth.LocalId(s);
                    byte[] hashR = s.Protection.Keys.HashR(Gxi(s), Gxr(s), s.Row.InitiatorCookie, s.Row.ResponderCookie, s.SaInitiatorBody, RawPayloads.BodyOf(id));
                    var reply = s.Protection.Encrypt(EngineContext.Header(s.Row, ExchangeType.IdentityProtection, 0), Compose(s, 6, _auth.AuthPayloads(s, id, hashR)),
                        s.Protection.Phase1Iv, out var afterReply);
                    s.Protection.Phase1Iv = afterReply;
                    s.Row.LocalFirstId = id.IdType == IdentificationType.DerAsn1Dn ? DnText(id) : id.Value;
                    Respond(s, reply, carriesId: true);
                    Established(s);
                    return true;
                }
                default:
                    return Drop($"MM#{s.Row.Id}: unexpected Main Mode message");
            }
        }

        /// <summary>
        /// A Main Mode #1 with no state yet (or #3 of the MS-IKEE 3.9 cookie exchange, which repeats #1 with the cookie as
        /// responder cookie): DoS protection decides whether state is created at all.
        /// </summary>
        private void Admit(IPEndPoint local, IPEndPoint remote, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            if (!_ctx.Options.AcceptAsResponder) { Drop($"Main Mode #1 from {remote}: not accepting as responder"); return; }
            switch (_ctx.Dos.Admit(local, remote, m.Header.InitiatorSpi, m.Header.ResponderSpi, out ulong cookie))
            {
                case DosProtection.Decision.Drop:
                    Drop($"Main Mode #1 from {remote}: {DosProtection.PerSourceLimit} negotiations from this address have received only message 1");
                    return;
                case DosProtection.Decision.CookieSent:
                    // MS-IKEE 3.9.5.1: answer with the cookie alone and keep nothing.
                    var data = new byte[8];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(data, cookie);
                    Notify(local, remote, m.Header.InitiatorSpi, NotifyMessageType.NotifyDosCookie, data);
                    return;
                case DosProtection.Decision.ProceedWithCookie:
                    StartResponder(local, remote, m, datagram, cookie);
                    return;
                default:
                    StartResponder(local, remote, m, datagram, _ctx.NewCookie());
                    return;
            }
        }

        /// <summary>MS-IKEE 3.9.5.2: the responder asked for its cookie; repeat message 1 with it as the responder cookie.</summary>
        public void OnDosCookie(Phase1Session s, ulong cookie)
        {
            if (!s.IsInitiator || s.Step != 2 || s.Row.ResponderCookie != 0 || s.Retransmit.Message == null) return;
            s.Row.ResponderCookie = cookie;
            var message3 = (byte[])s.Retransmit.Message.Clone();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(message3.AsSpan(8), cookie);
            _ctx.Send(s, message3);
            _ctx.ArmRetransmit(s.Retransmit, message3);
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id}: responder is in DoS protection, repeating message 1 with its cookie");
        }

        private void StartResponder(IPEndPoint local, IPEndPoint remote, IkeMessage m, ReadOnlyMemory<byte> datagram, ulong responderCookie)
        {
            if (_ctx.HalfOpen >= _ctx.Options.MaxHalfOpen) { Drop($"Main Mode #1 from {remote}: {_ctx.HalfOpen} half-open negotiations, limit reached"); return; }
            var entry = _ctx.Options.Pad.Find(remote.Address);
            if (entry == null) { Drop($"Main Mode #1 from {remote}: no PAD entry authorizes this peer"); return; }
            var sa = m.Find<SecurityAssociationPayload>();
            if (sa == null) { Drop($"Main Mode #1 from {remote} has no SA payload"); return; }
            // MS-IKEE 3.4.1: 0xFDED means AUTH_CGA only toward a peer that sent "IKE CGA version 1" in this message.
            var candidates = _auth.Proposals(entry, local, remote);
            if (!m.FindAll<VendorIdPayload>().Any(v => v.Known?.Kind == VendorIdKind.IkeCgaVersion1))
                candidates = candidates.Where(p => p.Authentication != IkeAuthenticationMethod.AuthCga).ToList();
            var selection = ProposalCodec.SelectMainMode(sa, candidates);
            if (selection == null)
            {
                _ctx.Log(LogLevel.Warning, $"Main Mode #1 from {remote}: no proposal chosen ({Describe(sa)})");
                // MS-IKEE 3.1.5: unprotected in the first round trips; toward Windows also NOTIFY_STATUS (2.2.6).
                bool windows = m.FindAll<VendorIdPayload>().Any(v => v.Known?.Kind == VendorIdKind.MicrosoftImplementation);
                Notify(local, remote, m.Header.InitiatorSpi, NotifyMessageType.NoProposalChosen, null, windows ? MsErrorCodes.IkePolicyMatch : (uint?)null);
                _ctx.Statistics.MainModeFail();
                return;
            }

            var row = new MainModeSa(_ctx.NextId(), local, remote, m.Header.InitiatorSpi, false, _ctx.Now)
            {
                ResponderCookie = responderCookie,
                MaxQMSAs = _ctx.Options.Policy.MaxQuickModeSas,
            };
            var s = new Phase1Session(row, false) { Step = 3, Peer = entry, Deadline = _ctx.Now + _ctx.Options.NegotiationTimeout };
            s.SaInitiatorBody = RawPayloads.Body(datagram.Span.Slice(IsakmpHeader.Size), m.Header.NextPayload, PayloadType.SecurityAssociation)!;
            _ctx.Sessions[(row.InitiatorCookie, remote.Address)] = s;
            _ctx.MainModeSas.Add(row);
            _ctx.TrackHalfOpen(s);
            Accept(s, selection.Value.Proposal);
            s.LastReceivedDigest = datagram.ToArray();
            if (!Extend(s, 1, m.Payloads, local, remote)) return;

            var reply = Compose(s, 2,
                new SecurityAssociationPayload(Doi.IpsecDoi, sa.Situation, new[] { new Proposal(1, ProtocolId.Isakmp, default, new[] { selection.Value.Transform }) }));
            Respond(s, new IkeMessage(EngineContext.Header(row, ExchangeType.IdentityProtection, 0), reply).Encode());
            _ctx.Log(LogLevel.Info, $"MM#{row.Id} responding to {remote}: selected {selection.Value.Proposal}");
        }

        // ---- shared steps ----

        private void Accept(Phase1Session s, MainModeProposal p)
        {
            s.Chosen = p;
            s.Row.CipherAlgorithm = Algorithms.Name(p.Encryption, p.KeyBits);
            s.Row.HashAlgorithm = p.Hash.ToString();
            s.Row.GroupId = p.DhGroup;
            s.Row.AuthenticationMethod = p.Authentication.ToString();
            s.Row.LifetimeSeconds = p.LifetimeSeconds;
            s.Row.IsWeak = p.IsWeak;
        }

        private void DeriveKeys(Phase1Session s)
        {
            var p = s.Chosen!;
            byte[] gxy = s.Dh!.Agree(s.PeerPublic);
            try
            {
                var keys = _auth.DeriveKeys(s, gxy);
                BlockCiphers.TryCreate(p.Encryption, p.KeyBits, out var cipher);
                s.OwnPublic = s.Dh.PublicValue;
                s.Protection = new Phase1Protection(keys, cipher, keys.InitialIv(Gxi(s), Gxr(s)));
            }
            finally
            {
                Array.Clear(gxy, 0, gxy.Length);
            }
        }

        /// <summary>g^xi and g^xr are the initiator's and responder's public values whichever side we are (RFC 2409 §5).</summary>
        private static byte[] Gxi(Phase1Session s) => s.IsInitiator ? s.OwnPublic : s.PeerPublic;
        private static byte[] Gxr(Phase1Session s) => s.IsInitiator ? s.PeerPublic : s.OwnPublic;

        private bool TryOpen(Phase1Session s, IkeMessage m, out byte[] plain, out byte[] nextIv)
        {
            plain = nextIv = Array.Empty<byte>();
            return s.Protection != null && s.Protection.TryDecrypt(m, s.Protection.Phase1Iv, out plain, out nextIv);
        }

        /// <summary>Checks the peer's ID and HASH_I/HASH_R (RFC 2409 §5.4). A mismatch is almost always a wrong pre-shared key.</summary>
        private bool VerifyPeer(Phase1Session s, IkeMessage m, byte[] plain, bool isInitiatorHash)
        {
            if (!IkeMessage.TryDecodePayloads(plain, m.Header.NextPayload, 1, out var payloads, out var error) ||
                !MessageRules.TryCheckDecrypted(1, ExchangeType.IdentityProtection, payloads, out error))
                return AuthenticationFailure(s, $"message {(isInitiatorHash ? 5 : 6)} is malformed after decryption ({error}); wrong pre-shared key?", MsErrorCodes.IkeInvalidPayload);
            var id = payloads.OfType<IdentificationPayload>().FirstOrDefault();
            if (id == null) return AuthenticationFailure(s, "authentication message lacks ID", MsErrorCodes.IkeInvalidPayload);
            byte[] idBody = RawPayloads.Body(plain, m.Header.NextPayload, PayloadType.Identification)!;
            byte[] expected = isInitiatorHash
                ? s.Protection!.Keys.HashI(Gxi(s), Gxr(s), s.Row.InitiatorCookie, s.Row.ResponderCookie, s.SaInitiatorBody, idBody)
                : s.Protection!.Keys.HashR(Gxi(s), Gxr(s), s.Row.InitiatorCookie, s.Row.ResponderCookie, s.SaInitiatorBody, idBody);
            if (!_auth.Verify(s, payloads, id, expected, out var why))
                return AuthenticationFailure(s, $"authentication of {(isInitiatorHash ? "the initiator" : "the responder")} failed: {why}", MsErrorCodes.IkeAuthFail);
            s.Row.RemoteFirstId = id.IdType == IdentificationType.DerAsn1Dn ? DnText(id) : id.Value;
            return Extend(s, isInitiatorHash ? 5 : 6, payloads);
        }

        /// <summary>
        /// The responder tells the initiator why message 5 was refused, protected because it is the last round trip
        /// (MS-IKEE 3.1.5), before failing; the initiator just fails.
        /// </summary>
        private bool AuthenticationFailure(Phase1Session s, string reason, uint windowsCode)
        {
            if (!s.IsInitiator) LastRoundTripFailure?.Invoke(s, NotifyMessageType.AuthenticationFailed, windowsCode);
            return Fail(s, reason);
        }

        private void Established(Phase1Session s)
        {
            s.Protection!.CompletePhase1();
            s.Retransmit.Active = false;
            s.Row.State = MainModeSaState.Established;
            s.Row.EstablishedAt = _ctx.Now;
            s.ExpiresAt = _ctx.Now + TimeSpan.FromSeconds(s.Row.LifetimeSeconds);
            s.Step = 7;
            _ctx.ReleaseHalfOpen(s);
            s.Dh?.Dispose();
            s.Dh = null;
            _ctx.Statistics.MainModeOk();
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id} established with {s.Row.RemoteEndpoint} ({s.Row.RemoteFirstId}): {s.Chosen}{(s.Row.IsWeak ? " [weak]" : "")}");
            _ctx.Output.OnEvent(new EngineEvent(EngineEventKind.MainModeEstablished, s.Row));
        }

        public bool Fail(Phase1Session s, string reason)
        {
            if (s.Row.State == MainModeSaState.Failed) return false;
            s.Row.State = MainModeSaState.Failed;
            s.Row.FailureReason = reason;
            s.Retransmit.Active = false;
            _ctx.ReleaseHalfOpen(s);
            _ctx.Sessions.Remove((s.Row.InitiatorCookie, s.Row.RemoteEndpoint.Address));
            _ctx.MainModeSas.Remove(s.Row.Id);
            s.Dispose();
            _ctx.Statistics.MainModeFail();
            _ctx.Log(LogLevel.Warning, $"MM#{s.Row.Id} with {s.Row.RemoteEndpoint} failed: {reason}");
            _ctx.Output.OnEvent(new EngineEvent(EngineEventKind.MainModeFailed, s.Row, reason));
            return false;
        }

        private void SendAndArm(Phase1Session s, IReadOnlyList<IkePayload> payloads)
        {
            var datagram = new IkeMessage(EngineContext.Header(s.Row, ExchangeType.IdentityProtection, 0), payloads).Encode();
            _ctx.Send(s, datagram);
            _ctx.ArmRetransmit(s.Retransmit, datagram);
        }

        private void Respond(Phase1Session s, byte[] datagram, bool carriesId = false)
        {
            s.LastResponse = datagram;
            s.LastResponseCarriesId = carriesId;
            _ctx.Send(s, datagram, carriesId);
        }

        /// <summary>An unprotected notify, as MS-IKEE 3.1.5 sends them during the first two Main Mode round trips.</summary>
        private void Notify(IPEndPoint local, IPEndPoint remote, ulong initiatorCookie, NotifyMessageType type, byte[]? data = null, uint? windowsStatus = null)
        {
            var header = new IsakmpHeader(initiatorCookie, 0, PayloadType.None, 1, 0, ExchangeType.Informational, HeaderFlags.None, _ctx.NewSpi(1), 0);
            var notifies = new List<IkePayload> { new NotificationPayload(Doi.IpsecDoi, ProtocolId.Isakmp, type, default, data) };
            if (windowsStatus is uint code)
                notifies.Add(new NotificationPayload(Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.NotifyStatus, default, MsErrorCodes.Encode(code)));
            var datagram = new IkeMessage(header, notifies).Encode();
            _ctx.Statistics.Sent();
            _ctx.Output.Send(local, remote, datagram);
        }

        /// <summary>Core payloads of Main Mode message <paramref name="message"/> plus every extension's.</summary>
        private List<IkePayload> Compose(Phase1Session s, int message, params IkePayload[] core) => Compose(s, message, (IEnumerable<IkePayload>)core);

        private List<IkePayload> Compose(Phase1Session s, int message, IEnumerable<IkePayload> core)
        {
            var list = new List<IkePayload>(core);
            foreach (var e in _extensions) e.Build(s, message, list);
            return list;
        }

        /// <summary>Lets every extension read the peer's message; the first objection fails the negotiation.</summary>
        private bool Extend(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint? local = null, IPEndPoint? remote = null)
        {
            foreach (var e in _extensions)
            {
                string? reason = e.Process(s, message, payloads, local ?? s.Row.LocalEndpoint, remote ?? s.Row.RemoteEndpoint);
                if (reason != null) return Fail(s, reason);
            }
            return true;
        }

        private static string DnText(IdentificationPayload id)
        {
            try { return Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(id.Data.ToArray())).ToString(); }
            catch (Exception) { return id.Value; }
        }

        private static string Describe(SecurityAssociationPayload sa) =>
            string.Join("; ", sa.Proposals.SelectMany(p => p.Transforms).Select(t => ProposalCodec.ReadMainModeTransform(t)?.ToString() ?? "unreadable"));

        private bool Drop(string reason)
        {
            _ctx.Statistics.Dropped();
            _ctx.Log(LogLevel.Debug, "dropped: " + reason);
            return false;
        }
    }
}
