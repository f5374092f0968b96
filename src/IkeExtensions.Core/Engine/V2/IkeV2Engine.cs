using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// The sans-IO IKEv2 engine (RFC 7296): IKE_SA_INIT, IKE_AUTH with pre-shared keys, CREATE_CHILD_SA for more ESP
    /// children, INFORMATIONAL deletes and liveness checks. Datagrams, initiate/delete requests and clock ticks in;
    /// datagrams, SA events and log lines out through <see cref="IEngineOutput"/>. Not thread-safe: one caller at a time.
    /// Untrusted input never throws out of <see cref="Receive"/>.
    /// <para>Events reuse <see cref="EngineEventKind"/>: MainMode* for the IKE SA (Sa is an <see cref="IkeV2Sa"/>),
    /// QuickMode* for child SAs (Sa is a <see cref="ChildSaV2"/>).</para>
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        private readonly IkeV2EngineOptions _options;
        private readonly IEngineOutput _output;
        /// <summary>IKE SAs by our own SPI (SPIi when we are the original initiator, SPIr otherwise).</summary>
        private readonly Dictionary<ulong, IkeV2Session> _bySpi = new Dictionary<ulong, IkeV2Session>();
        /// <summary>Responder IKE SAs by the initiator's SPI and address, to recognise retransmitted IKE_SA_INIT requests.</summary>
        private readonly Dictionary<(ulong, IPEndPoint), IkeV2Session> _byInitiator = new Dictionary<(ulong, IPEndPoint), IkeV2Session>();
        private long _nextId;
        private int _halfOpen;

        public IkeV2Engine(IkeV2EngineOptions options, IEngineOutput output)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _output = output ?? throw new ArgumentNullException(nameof(output));
            _nextId = options.FirstId - 1;
        }

        public IkeV2SaDatabase IkeSas { get; } = new IkeV2SaDatabase();
        public ChildSaV2Database ChildSas { get; } = new ChildSaV2Database();
        public EngineStatistics Statistics { get; } = new EngineStatistics();
        public IkeV2EngineOptions Options => _options;

        /// <summary>Half-open responder IKE SAs (IKE_SA_INIT answered, IKE_AUTH not yet).</summary>
        public int HalfOpenCount => _halfOpen;

        private DateTime Now => _options.Clock.UtcNow;

        // ================================================================ input

        public void Receive(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram)
        {
            Statistics.Received();
            try
            {
                ReceiveCore(local, remote, datagram);
            }
            catch (Exception ex)
            {
                // A bug must not take the daemon down because of one datagram; the type names it without echoing data.
                Statistics.Dropped();
                Log(LogLevel.Error, $"internal error on an IKEv2 datagram from {remote}: {ex.GetType().Name} at {ex.TargetSite?.Name}");
            }
        }

        private void ReceiveCore(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram)
        {
            if (IsNatKeepAlive(datagram)) return; // RFC 3948 §2.3 (NAT-T: IkeV2Engine.NatTraversal.cs)
            if (!IkeMessage.TryDecode(datagram, out var m, out var error))
            {
                Statistics.Malformed();
                Log(LogLevel.Debug, $"malformed datagram from {remote}: {error}");
                return;
            }
            if (m.MajorVersion != 2)
            {
                Statistics.Dropped();
                Log(LogLevel.Debug, $"IKEv{m.MajorVersion} message from {remote} ignored: this engine speaks IKEv2");
                return;
            }
            if (!MessageRules.TryCheck(m, out error))
            {
                Statistics.Malformed();
                Log(LogLevel.Debug, $"message from {remote} breaks the {m.Header.ExchangeType} rules: {error}");
                return;
            }
            var h = m.Header;
            bool response = (h.Flags & HeaderFlags.Response) != 0;
            bool fromOriginalInitiator = (h.Flags & HeaderFlags.Initiator) != 0;

            if (h.ExchangeType == ExchangeType.IkeSaInit)
            {
                if (h.MessageId != 0) { Drop(remote, "IKE_SA_INIT with a non-zero message ID"); return; }
                if (response)
                {
                    if (!fromOriginalInitiator && _bySpi.TryGetValue(h.InitiatorSpi, out var s) && s.IsOriginalInitiator &&
                        s.Pending?.Kind == RequestKind.Init)
                    {
                        OnInitResponse(s, m, datagram); // clears Pending when it accepts the response
                    }
                    else Drop(remote, "IKE_SA_INIT response for no IKE SA of ours");
                }
                else if (fromOriginalInitiator && h.ResponderSpi == 0) OnInitRequest(local, remote, m, datagram);
                else Drop(remote, "IKE_SA_INIT request with a responder SPI or without the I flag");
                return;
            }
            if (h.ExchangeType != ExchangeType.IkeAuth && h.ExchangeType != ExchangeType.CreateChildSa && h.ExchangeType != ExchangeType.InformationalV2)
            {
                Drop(remote, $"exchange {h.ExchangeType} not supported");
                return;
            }

            IkeV2Session? session = null;
            if (fromOriginalInitiator)
            {
                if (_bySpi.TryGetValue(h.ResponderSpi, out var x) && !x.IsOriginalInitiator && x.Row.InitiatorSpi == h.InitiatorSpi) session = x;
            }
            else if (_bySpi.TryGetValue(h.InitiatorSpi, out var y) && y.IsOriginalInitiator && y.Row.ResponderSpi == h.ResponderSpi) session = y;
            if (session == null || session.Sk == null)
            {
                Drop(remote, $"{h.ExchangeType} for no IKE SA ({h.InitiatorSpi:x16}/{h.ResponderSpi:x16})");
                return;
            }

            if (response)
            {
                var p = session.Pending;
                if (p == null || p.MessageId != h.MessageId || p.Exchange != h.ExchangeType)
                {
                    Drop(remote, $"{h.ExchangeType} response mid={h.MessageId} answers no request of ours");
                    return;
                }
                if (!TryOpen(session, m, datagram, out var inner)) return;
                FollowPeerAddress(session, local, remote, request: false); // NAT-T (RFC 7296 §2.23): only after the integrity check
                session.Pending = null;
                session.Row.LastHeardAt = Now;
                OnResponse(session, p, inner);
                if (!session.Gone) Pump(session);
                return;
            }

            // A request. The previous one again: answer with the same response (RFC 7296 §2.1), after checking it is the same.
            if (session.ExpectedRequestId > 0 && h.MessageId == session.ExpectedRequestId - 1)
            {
                if (OnAnsweredRequestFragment(session, m, datagram)) return; // RFC 7383 §2.6.1
                if (session.LastResponse != null && session.LastRequestDigest != null &&
                    CryptoBytes.FixedTimeEquals(HashAlgorithms.Sha2_256.Compute(datagram.Span), session.LastRequestDigest))
                {
                    Statistics.Retransmitted();
                    Log(LogLevel.Debug, $"IKEv2#{session.Row.Id} retransmitted {h.ExchangeType} request mid={h.MessageId}: response sent again");
                    SendRawTo(local, remote, session.LastResponse); // §2.11: back where the request came from
                }
                else Drop(remote, $"old request mid={h.MessageId}");
                return;
            }
            if (h.MessageId != session.ExpectedRequestId)
            {
                Drop(remote, $"{h.ExchangeType} request mid={h.MessageId} outside the window (expected {session.ExpectedRequestId})");
                return;
            }
            if (!TryOpen(session, m, datagram, out var payloads)) return;
            FollowPeerAddress(session, local, remote, request: true); // NAT-T (RFC 7296 §2.23): only after the integrity check
            session.ExpectedRequestId = h.MessageId + 1;
            session.LastRequestDigest = HashAlgorithms.Sha2_256.Compute(datagram.Span);
            session.LastResponse = null;
            session.Row.LastHeardAt = Now;
            OnRequest(session, h, payloads);
            if (!session.Gone) Pump(session);
        }

        private void Drop(IPEndPoint remote, string why)
        {
            Statistics.Dropped();
            Log(LogLevel.Debug, $"IKEv2 message from {remote} dropped: {why}");
        }

        /// <summary>Checks and decrypts the SK payload; decodes and checks the inner payloads (RFC 7296 §3.14).</summary>
        private bool TryOpen(IkeV2Session s, IkeMessage m, ReadOnlyMemory<byte> datagram, out IReadOnlyList<IkePayload> inner)
        {
            inner = Array.Empty<IkePayload>();
            var last = m.Payloads.Count > 0 ? m.Payloads[m.Payloads.Count - 1] : null;
            if (last is EncryptedFragmentPayload skf) return TryOpenFragment(s, m, skf, datagram, out inner); // RFC 7383 §2.6
            if (!(last is EncryptedPayload sk))
            {
                Statistics.Malformed();
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} {m.Header.ExchangeType} without an SK payload");
                return false;
            }
            int skOffset = datagram.Length - sk.EncodedLength;
            if (!s.Sk!.TryUnprotect(datagram.Span, skOffset, out var plain, out var why))
            {
                Statistics.Malformed();
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} {m.Header.ExchangeType} mid={m.Header.MessageId} dropped: {why}");
                return false;
            }
            if (!IkeMessage.TryDecodePayloads(plain, sk.FirstInnerPayload, 2, out inner, out var error, baseOffset: 0) ||
                !MessageRules.TryCheckDecrypted(2, m.Header.ExchangeType, inner, out error))
            {
                Statistics.Malformed();
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} {m.Header.ExchangeType} inner payloads rejected: {error}");
                return false;
            }
            return true;
        }

        private void OnResponse(IkeV2Session s, OutstandingRequest p, IReadOnlyList<IkePayload> inner)
        {
            RecordMsNotifyStatus(s, inner);
            switch (p.Kind)
            {
                case RequestKind.Auth: OnAuthResponse(s, p.Child!, inner); break;
                case RequestKind.CreateChild: OnCreateChildResponse(s, p.Child!, inner); break;
                case RequestKind.DeleteChild:
                    if (p.Child != null) RemoveChild(p.Child, "deleted", QuickModeSaState.Deleted);
                    break;
                case RequestKind.DeleteIke: Remove(s, s.Row.FailureReason ?? "deleted"); break;
                case RequestKind.Liveness: Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} liveness check answered"); break;
                case RequestKind.RekeyIke: OnRekeyIkeResponse(s, inner); break; // RFC 7296 §1.3.2 (IkeV2Engine.Rekey.cs)
                case RequestKind.RekeyChild: OnRekeyChildResponse(s, p.Child!, inner); break; // §1.3.3 (IkeV2Engine.ChildRekey.cs)
            }
        }

        private void OnRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner)
        {
            RecordMsNotifyStatus(s, inner);
            switch (h.ExchangeType)
            {
                case ExchangeType.IkeAuth:
                    if (!s.IsOriginalInitiator && s.Row.State == IkeV2SaState.SaInit && h.MessageId == 1) OnAuthRequest(s, h, inner);
                    else SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.InvalidSyntax) });
                    break;
                case ExchangeType.CreateChildSa:
                    if (s.Row.State == IkeV2SaState.Established) OnCreateChildRequest(s, h, inner);
                    else SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.TemporaryFailure) });
                    break;
                default:
                    OnInformationalRequest(s, h, inner);
                    break;
            }
        }

        // ================================================================ requests from the administrator

        /// <summary>
        /// Negotiates an ESP child with <paramref name="request"/>'s peer: on an established IKE SA with it by
        /// CREATE_CHILD_SA, otherwise IKE_SA_INIT + IKE_AUTH first (the child rides in IKE_AUTH).
        /// </summary>
        public IkeV2Sa Initiate(InitiateRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var existing = _bySpi.Values.FirstOrDefault(s => !s.Gone && s.Row.State == IkeV2SaState.Established &&
                                                            s.Row.RemoteEndpoint.Address.Equals(request.Peer.Address) && StartedFrom(s, request.Local));
            if (existing != null && !request.ForceNewMainMode)
            {
                StartCreateChild(existing, request);
                return existing.Row;
            }
            var entry = _options.Pad.Find(request.Peer.Address)
                        ?? throw new InvalidOperationException($"No PAD entry authorizes peer {request.Peer.Address} (add a pre-shared key).");
            if (AuthenticationProblem(entry) is string noAuth) throw new InvalidOperationException($"Cannot authenticate with {request.Peer.Address}: {noAuth}.");
            var row = new IkeV2Sa(NextId(), request.Local, request.Peer, NewIkeSpi(), isInitiator: true, Now) { State = IkeV2SaState.SaInit };
            var session = new IkeV2Session(row, isOriginalInitiator: true, entry)
            {
                FirstChildRequest = request,
                KeGroup = _options.Policy.Ike[0].DhGroup,
                NonceI = NewNonce(),
                NextRequestId = 1,
                Deadline = Now + _options.HalfOpenTimeout,
            };
            _bySpi.Add(row.InitiatorSpi, session);
            IkeSas.Add(row);
            Log(LogLevel.Info, $"IKEv2#{row.Id} initiating to {request.Peer} (IKE_SA_INIT, KE group {session.KeGroup})");
            SendInit(session);
            return row;
        }

        /// <summary>Deletes an IKE SA and its children (INFORMATIONAL with Delete(IKE), RFC 7296 §1.4.1); false when there is none or its delete is already in flight.</summary>
        public bool DeleteIkeSa(long id)
        {
            var s = _bySpi.Values.FirstOrDefault(x => x.Row.Id == id && !x.Gone && x.Row.State != IkeV2SaState.Deleting);
            if (s == null) return false;
            DeleteIke(s, "deleted by administrator");
            return true;
        }

        /// <summary>Deletes one child SA, telling the peer (Delete(ESP) with our inbound SPI); false when there is none or its delete is already in flight.</summary>
        public bool DeleteChildSa(long id)
        {
            var c = _bySpi.Values.SelectMany(s => s.Children).FirstOrDefault(x => x.Row.Id == id && !x.DeleteRequested);
            if (c == null) return false;
            DeleteChild(c, "deleted by administrator");
            return true;
        }

        /// <summary>Sends an empty INFORMATIONAL request (liveness check, RFC 7296 §1.4); false when there is no such established SA.</summary>
        public bool CheckLiveness(long ikeSaId)
        {
            var s = _bySpi.Values.FirstOrDefault(x => x.Row.Id == ikeSaId && x.Row.State == IkeV2SaState.Established);
            if (s == null) return false;
            SendRequest(s, RequestKind.Liveness, ExchangeType.InformationalV2, Array.Empty<IkePayload>());
            return true;
        }

        /// <summary>Deletes every SA, telling peers (graceful stop): one Delete(IKE) each, not waiting for answers.</summary>
        public void Shutdown()
        {
            foreach (var s in _bySpi.Values.ToList())
            {
                if (s.Gone) continue;
                if (s.Row.State == IkeV2SaState.Established && s.Sk != null)
                {
                    var bytes = Seal(s, ExchangeType.InformationalV2, s.NextRequestId++, false,
                        new IkePayload[] { new Wire.V2.DeletePayload(ProtocolIdV2.Ike, 0, Array.Empty<ReadOnlyMemory<byte>>()) });
                    SendRaw(s, bytes);
                }
                Remove(s, "shutdown");
            }
        }

        /// <summary>The ESP keys of a child SA (inbound, outbound: encryption key with salt, then integrity key), for a keying consumer and tests; never logged.</summary>
        internal (byte[] Inbound, byte[] Outbound)? KeyMaterialOf(long childId)
        {
            var c = _bySpi.Values.SelectMany(s => s.Children).FirstOrDefault(x => x.Row.Id == childId);
            return c?.InboundKeys == null ? null : (c.InboundKeys, c.OutboundKeys!);
        }

        // ================================================================ helpers

        private long NextId() => ++_nextId;

        private ulong NewIkeSpi()
        {
            Span<byte> b = stackalloc byte[8];
            ulong v;
            do { _options.Random.Fill(b); v = BinaryPrimitives.ReadUInt64BigEndian(b); } while (v == 0 || _bySpi.ContainsKey(v));
            return v;
        }

        /// <summary>A random ESP SPI above 255 (RFC 4303 §2.1 reserves 1–255), unique among our inbound SPIs.</summary>
        private uint NewEspSpi()
        {
            Span<byte> b = stackalloc byte[4];
            uint v;
            do { _options.Random.Fill(b); v = BinaryPrimitives.ReadUInt32BigEndian(b); }
            while (v < 256 || _bySpi.Values.Any(s => s.Children.Any(c => c.Row.InboundSpi == v)));
            return v;
        }

        private byte[] NewNonce()
        {
            var n = new byte[Math.Max(16, Math.Min(256, _options.NonceLength))];
            _options.Random.Fill(n);
            return n;
        }

        private void Log(LogLevel level, string message) => _output.Log(level, message);
    }
}
