using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ IKE_SA_INIT (RFC 7296 §1.2)

        private void SendInit(IkeV2Session s)
        {
            s.Dh?.Dispose();
            s.Dh = DhGroups.Get(s.KeGroup).Generate(_options.Random);
            var payloads = new List<IkePayload>();
            // §2.6: the cookie goes first, before SA.
            if (s.Cookie != null) payloads.Add(new NotifyPayload(NotifyTypeV2.Cookie, s.Cookie));
            // The proposals whose group matches KE come first, so the peer's favourite is the one we sent KE for.
            var ordered = _options.Policy.Ike.Where(p => p.DhGroup == s.KeGroup).Concat(_options.Policy.Ike.Where(p => p.DhGroup != s.KeGroup)).ToList();
            payloads.Add(new SecurityAssociationPayload(ordered.Select((p, i) => IkeV2Codec.Ike((byte)(i + 1), p)).ToList()));
            payloads.Add(new KeyExchangePayload((ushort)s.KeGroup, s.Dh.PublicValue));
            payloads.Add(new NoncePayload(s.NonceI, 2));
            payloads.Add(new NotifyPayload(NotifyTypeV2.NatDetectionSourceIp, IkeV2Codec.NatHash(s.Row.InitiatorSpi, 0, s.Row.LocalEndpoint)));
            payloads.Add(new NotifyPayload(NotifyTypeV2.NatDetectionDestinationIp, IkeV2Codec.NatHash(s.Row.InitiatorSpi, 0, s.Row.RemoteEndpoint)));
            var header = new IsakmpHeader(s.Row.InitiatorSpi, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Initiator, 0, 0);
            var bytes = new IkeMessage(header, payloads).Encode();
            s.InitRequest = bytes;
            s.Pending = new OutstandingRequest(RequestKind.Init, ExchangeType.IkeSaInit, 0, bytes) { NextAt = Now + _options.RetransmitInitial };
            SendRaw(s, bytes);
        }

        private void OnInitRequest(IPEndPoint local, IPEndPoint remote, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            var h = m.Header;
            if (_byInitiator.TryGetValue((h.InitiatorSpi, remote), out var existing))
            {
                // A retransmitted IKE_SA_INIT gets the same response (RFC 7296 §2.1); anything else with these SPIs is dropped.
                if (datagram.Span.SequenceEqual(existing.InitRequest) && existing.InitResponse.Length > 0)
                {
                    Statistics.Retransmitted();
                    SendRaw(existing, existing.InitResponse);
                }
                else Drop(remote, "second IKE_SA_INIT with the same initiator SPI");
                return;
            }
            if (!_options.AcceptAsResponder) { Drop(remote, "not accepting IKE_SA_INIT (responder role off)"); return; }
            if (_halfOpen >= _options.MaxHalfOpen) { Drop(remote, $"{_halfOpen} half-open IKE SAs: at the limit"); return; }
            var entry = _options.Pad.Find(remote.Address);
            if (entry?.PresharedKey == null)
            {
                Statistics.Dropped();
                Log(LogLevel.Warning, $"IKE_SA_INIT from {remote} dropped: no PAD entry with a pre-shared key for this peer");
                return;
            }
            var sa = m.Find<SecurityAssociationPayload>();
            var ke = m.Find<KeyExchangePayload>();
            var nonce = m.Find<NoncePayload>();
            if (sa == null || ke == null || nonce == null || nonce.Data.Length < 16 || nonce.Data.Length > 256)
            {
                Log(LogLevel.Info, $"IKE_SA_INIT from {remote} lacks SA, KE or a valid nonce: INVALID_SYNTAX");
                SendInitError(local, remote, h, NotifyTypeV2.InvalidSyntax, default);
                return;
            }
            IkeV2Proposal? chosen = null;
            ProposalV2? theirs = null;
            foreach (var ours in _options.Policy.Ike)
            {
                theirs = sa.Proposals.FirstOrDefault(p => IkeV2Codec.MatchIke(p, new[] { ours }) != null);
                if (theirs != null) { chosen = ours; break; }
            }
            if (chosen == null || theirs == null)
            {
                Log(LogLevel.Warning, $"IKE_SA_INIT from {remote}: no acceptable proposal in [{string.Join(" | ", sa.Proposals)}]: NO_PROPOSAL_CHOSEN");
                SendInitError(local, remote, h, NotifyTypeV2.NoProposalChosen, default);
                return;
            }
            if (ke.DhGroup != chosen.DhGroup)
            {
                // §1.2: the responder names the group it wants; the initiator retries. No state is kept.
                Log(LogLevel.Info, $"IKE_SA_INIT from {remote}: KE is group {ke.DhGroup}, we chose {chosen}: INVALID_KE_PAYLOAD({chosen.DhGroup})");
                SendInitError(local, remote, h, NotifyTypeV2.InvalidKePayload, IkeV2Codec.Group16(chosen.DhGroup));
                return;
            }

            var row = new IkeV2Sa(NextId(), local, remote, h.InitiatorSpi, isInitiator: false, Now) { State = IkeV2SaState.SaInit };
            row.ResponderSpi = NewIkeSpi();
            var s = new IkeV2Session(row, isOriginalInitiator: false, entry)
            {
                Chosen = chosen,
                KeGroup = chosen.DhGroup,
                NonceI = nonce.Data.ToArray(),
                NonceR = NewNonce(),
                InitRequest = datagram.ToArray(),
                ExpectedRequestId = 1,
                NextRequestId = 0,
                Deadline = Now + _options.HalfOpenTimeout,
            };
            s.Dh = DhGroups.Get(chosen.DhGroup).Generate(_options.Random);
            CheckNat(s, m, h.InitiatorSpi, 0);
            if (!TryDeriveKeys(s, ke.Data.Span))
            {
                s.Dispose();
                Drop(remote, "invalid KE public value");
                return;
            }
            var payloads = new List<IkePayload>
            {
                new SecurityAssociationPayload(new[] { IkeV2Codec.Ike(theirs.Number, chosen) }),
                new KeyExchangePayload((ushort)chosen.DhGroup, s.OwnPublic),
                new NoncePayload(s.NonceR, 2),
                new NotifyPayload(NotifyTypeV2.NatDetectionSourceIp, IkeV2Codec.NatHash(row.InitiatorSpi, row.ResponderSpi, local)),
                new NotifyPayload(NotifyTypeV2.NatDetectionDestinationIp, IkeV2Codec.NatHash(row.InitiatorSpi, row.ResponderSpi, remote)),
            };
            var header = new IsakmpHeader(row.InitiatorSpi, row.ResponderSpi, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Response, 0, 0);
            s.InitResponse = new IkeMessage(header, payloads).Encode();
            _bySpi.Add(row.ResponderSpi, s);
            _byInitiator[(row.InitiatorSpi, remote)] = s;
            s.HalfOpenCounted = true;
            _halfOpen++;
            IkeSas.Add(row);
            Log(LogLevel.Info, $"IKEv2#{row.Id} IKE_SA_INIT from {remote}: {chosen} (spi {row.InitiatorSpi:x16}/{row.ResponderSpi:x16})");
            SendRaw(s, s.InitResponse);
        }

        /// <summary>An unprotected IKE_SA_INIT error response (RFC 7296 §2.21.1); no state is created.</summary>
        private void SendInitError(IPEndPoint local, IPEndPoint remote, IsakmpHeader request, NotifyTypeV2 type, ReadOnlyMemory<byte> data)
        {
            var header = new IsakmpHeader(request.InitiatorSpi, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Response, 0, 0);
            var bytes = new IkeMessage(header, new IkePayload[] { new NotifyPayload(type, data) }).Encode();
            Statistics.Sent();
            _output.Send(local, remote, bytes);
        }

        private void OnInitResponse(IkeV2Session s, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            foreach (var n in m.FindAll<NotifyPayload>())
            {
                if (n.MessageType == NotifyTypeV2.Cookie)
                {
                    if (++s.InitRetries > _options.MaxInitRetries) { Fail(s, "too many COOKIE round trips"); return; }
                    s.Cookie = n.Data.ToArray();
                    Log(LogLevel.Info, $"IKEv2#{s.Row.Id} responder asks for a COOKIE: IKE_SA_INIT again");
                    SendInit(s);
                    return;
                }
                if (n.MessageType == NotifyTypeV2.InvalidKePayload)
                {
                    int group = n.Data.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(n.Data.Span) : 0;
                    if (++s.InitRetries > _options.MaxInitRetries || group == s.KeGroup || !_options.Policy.Ike.Any(p => p.DhGroup == group))
                    {
                        Fail(s, $"INVALID_KE_PAYLOAD: the responder wants D-H group {group}, which we do not offer");
                        return;
                    }
                    Log(LogLevel.Info, $"IKEv2#{s.Row.Id} INVALID_KE_PAYLOAD: the responder wants group {group} (we sent {s.KeGroup}); IKE_SA_INIT again");
                    s.KeGroup = group;
                    SendInit(s);
                    return;
                }
                if (n.IsError)
                {
                    Fail(s, $"the responder refused IKE_SA_INIT: {n.MessageType}");
                    return;
                }
            }
            var sa = m.Find<SecurityAssociationPayload>();
            var ke = m.Find<KeyExchangePayload>();
            var nonce = m.Find<NoncePayload>();
            if (sa == null || ke == null || nonce == null || sa.Proposals.Count != 1 || m.Header.ResponderSpi == 0 ||
                nonce.Data.Length < 16 || nonce.Data.Length > 256)
            {
                Fail(s, "malformed IKE_SA_INIT response");
                return;
            }
            var chosen = IkeV2Codec.MatchIke(sa.Proposals[0], _options.Policy.Ike.Where(p => p.DhGroup == s.KeGroup));
            if (chosen == null || ke.DhGroup != s.KeGroup)
            {
                Fail(s, $"the responder chose what we did not offer: {sa.Proposals[0]} KE group {ke.DhGroup}");
                return;
            }
            s.Chosen = chosen;
            s.Row.ResponderSpi = m.Header.ResponderSpi;
            s.NonceR = nonce.Data.ToArray();
            s.InitResponse = datagram.ToArray();
            CheckNat(s, m, s.Row.InitiatorSpi, s.Row.ResponderSpi);
            if (!TryDeriveKeys(s, ke.Data.Span))
            {
                Fail(s, "invalid KE public value from the responder");
                return;
            }
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} IKE_SA_INIT done with {s.Row.RemoteEndpoint}: {chosen} (spi {s.Row.InitiatorSpi:x16}/{s.Row.ResponderSpi:x16})");
            SendAuth(s);
        }

        /// <summary>NAT detection (RFC 7296 §2.23): compares the peer's hashes with ours. Recorded on the row; no port floating yet.</summary>
        private void CheckNat(IkeV2Session s, IkeMessage m, ulong spiI, ulong spiR)
        {
            var src = m.FindAll<NotifyPayload>().Where(n => n.MessageType == NotifyTypeV2.NatDetectionSourceIp).ToList();
            var dst = m.FindAll<NotifyPayload>().FirstOrDefault(n => n.MessageType == NotifyTypeV2.NatDetectionDestinationIp);
            if (src.Count == 0 || dst == null) return;
            var expectedSrc = IkeV2Codec.NatHash(spiI, spiR, s.Row.RemoteEndpoint);
            s.Row.NatDetectedRemote = !src.Any(n => n.Data.Span.SequenceEqual(expectedSrc));
            s.Row.NatDetectedLocal = !dst.Data.Span.SequenceEqual(IkeV2Codec.NatHash(spiI, spiR, s.Row.LocalEndpoint));
            if (s.Row.NatDetectedLocal || s.Row.NatDetectedRemote)
                Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} NAT detected ({(s.Row.NatDetectedLocal ? "us" : "")}{(s.Row.NatDetectedRemote ? " peer" : "")}); NAT-T is not implemented for IKEv2 yet");
        }

        /// <summary>g^ir, SKEYSEED and the seven keys (RFC 7296 §2.14); false for an invalid peer public value.</summary>
        private bool TryDeriveKeys(IkeV2Session s, ReadOnlySpan<byte> peerPublic)
        {
            byte[] shared;
            try { shared = s.Dh!.Agree(peerPublic); }
            catch (CryptoException) { return false; }
            var p = s.Chosen!;
            var prf = IkeV2Names.PrfOf(p.Prf);
            var seed = IkeV2KeyMaterial.SkeySeed(prf, s.NonceI, s.NonceR, shared);
            CryptoBytes.Zero(shared);
            var keys = IkeV2KeyMaterial.DeriveIkeSaKeys(prf, seed, s.NonceI, s.NonceR, s.Row.InitiatorSpi, s.Row.ResponderSpi,
                SkProtection.EncryptionKeyLength(p.Encryption, p.KeyBits), SkProtection.IntegrityKeyLength(p.Integrity));
            CryptoBytes.Zero(seed);
            s.Prf = prf;
            s.Keys = keys;
            s.Sk = s.IsOriginalInitiator
                ? new SkProtection(p.Encryption, p.KeyBits, p.Integrity, keys.SkEi, keys.SkAi, keys.SkEr, keys.SkAr)
                : new SkProtection(p.Encryption, p.KeyBits, p.Integrity, keys.SkEr, keys.SkAr, keys.SkEi, keys.SkAi);
            s.OwnPublic = s.Dh!.PublicValue;
            s.Dh.Dispose();
            s.Dh = null;
            s.Row.CipherAlgorithm = IkeV2Names.CipherName(p.Encryption, p.KeyBits);
            s.Row.HashAlgorithm = IkeV2Names.IntegrityName(p.Integrity);
            s.Row.PrfAlgorithm = IkeV2Names.PrfName(p.Prf);
            s.Row.GroupId = p.DhGroup;
            s.Row.LifetimeSeconds = p.LifetimeSeconds;
            s.Row.AuthenticationMethod = "PreSharedKey";
            return true;
        }

        // ================================================================ IKE_AUTH (RFC 7296 §1.2, §2.15)

        private (byte Type, byte[] Data) OurId(IkeV2Session s) => IkeV2Codec.LocalId(_options.LocalIdentity, s.Row.LocalEndpoint.Address);

        private byte[] PskAuth(IkeV2Session s, byte[] ownFirstMessage, byte[] peerNonce, byte[] skP, byte idType, ReadOnlySpan<byte> idData)
        {
            var octets = IkeV2KeyMaterial.SignedOctets(s.Prf!, ownFirstMessage, peerNonce, skP, IkeV2Codec.IdBody(idType, idData));
            return IkeV2KeyMaterial.SharedKeyAuth(s.Prf!, s.Peer.PresharedKey!.Reveal(), octets);
        }

        private void SendAuth(IkeV2Session s)
        {
            var request = s.FirstChildRequest!;
            var (idType, idData) = OurId(s);
            var id = new IdentificationPayload(true, idType, idData);
            s.Row.LocalFirstId = id.Value;
            var auth = PskAuth(s, s.InitRequest, s.NonceR, s.Keys!.SkPi, idType, idData);
            var child = NewChild(s, request, initiator: true);
            s.FirstChild = child;
            var payloads = new List<IkePayload> { id, new AuthenticationPayload(AuthMethod.SharedKeyMic, auth) };
            if (request.Mode == EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            payloads.Add(new SecurityAssociationPayload(_options.Policy.Child.Select((p, i) => IkeV2Codec.Child((byte)(i + 1), p, child.Row.InboundSpi, withDh: false)).ToList()));
            payloads.Add(IkeV2Codec.Ts(true, child.ProposedLocal));
            payloads.Add(IkeV2Codec.Ts(false, child.ProposedRemote));
            s.Row.State = IkeV2SaState.Authenticating;
            SendRequest(s, RequestKind.Auth, ExchangeType.IkeAuth, payloads, child);
        }

        private ChildSession NewChild(IkeV2Session s, InitiateRequest? request, bool initiator)
        {
            var row = new ChildSaV2(NextId(), s.Row.Id, s.Row.LocalEndpoint, s.Row.RemoteEndpoint, initiator, Now)
            {
                State = QuickModeSaState.Negotiating,
                InboundSpi = NewEspSpi(),
            };
            var c = new ChildSession(row, s) { Request = request };
            if (request != null)
            {
                c.Mode = request.Mode;
                c.ProposedLocal.Add(request.LocalTrafficSelector != null ? TrafficSelectorV2.FromV1(request.LocalTrafficSelector) : TrafficSelectorV2.Host(s.Row.LocalEndpoint.Address));
                c.ProposedRemote.Add(request.RemoteTrafficSelector != null ? TrafficSelectorV2.FromV1(request.RemoteTrafficSelector) : TrafficSelectorV2.Host(s.Row.RemoteEndpoint.Address));
            }
            s.Children.Add(c);
            ChildSas.Add(row);
            return c;
        }

        private void OnAuthRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner)
        {
            var idi = inner.OfType<IdentificationPayload>().FirstOrDefault(p => p.Type == PayloadType.IdentificationInitiator);
            var auth = inner.OfType<AuthenticationPayload>().FirstOrDefault();
            string? refusal = null;
            if (idi == null || auth == null) refusal = "IKE_AUTH request without IDi or AUTH (EAP is not supported)";
            else if (auth.Method != AuthMethod.SharedKeyMic) refusal = $"the initiator authenticates with {auth.Method}; only shared keys are supported";
            else
            {
                var expected = PskAuth(s, s.InitRequest, s.NonceR, s.Keys!.SkPi, idi.IdType, idi.Data.Span);
                if (!CryptoBytes.FixedTimeEquals(expected, auth.Data.Span)) refusal = "the initiator's AUTH does not match the pre-shared key";
            }
            if (refusal != null)
            {
                // §2.21.2: AUTHENTICATION_FAILED in the IKE_AUTH response; the IKE SA is not created.
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.AuthenticationFailed) });
                Fail(s, "AUTHENTICATION_FAILED: " + refusal);
                return;
            }

            var (idType, idData) = OurId(s);
            var idr = new IdentificationPayload(false, idType, idData);
            var ourAuth = PskAuth(s, s.InitResponse, s.NonceI, s.Keys!.SkPr, idType, idData);
            s.Row.LocalFirstId = idr.Value;
            s.Row.RemoteFirstId = idi!.Value;
            var payloads = new List<IkePayload> { idr, new AuthenticationPayload(AuthMethod.SharedKeyMic, ourAuth) };
            ChildSession? child = null;
            var sa = inner.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var tsi = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator);
            var tsr = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder);
            string? childRefusal = null;
            if (sa != null && tsi != null && tsr != null)
                payloads.AddRange(RespondChild(s, inner, sa, tsi, tsr, s.NonceI, s.NonceR, null, inIkeAuth: true, out child, out childRefusal));
            Established(s);
            SendResponse(s, h, payloads);
            if (child != null) ChildEstablished(child);
            else if (childRefusal != null) Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} no child SA in IKE_AUTH: {childRefusal}");
        }

        private void Established(IkeV2Session s)
        {
            s.Row.State = IkeV2SaState.Established;
            s.Row.EstablishedAt = Now;
            s.Row.LastHeardAt = Now;
            s.ExpiresAt = Now + TimeSpan.FromSeconds(s.Chosen!.LifetimeSeconds);
            if (s.HalfOpenCounted) { s.HalfOpenCounted = false; _halfOpen--; }
            Statistics.MainModeOk();
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} established with {s.Row.RemoteEndpoint} ({s.Row.LocalFirstId} <-> {s.Row.RemoteFirstId}, PSK): " +
                               $"{s.Row.CipherAlgorithm}/{s.Row.HashAlgorithm}/{s.Row.PrfAlgorithm}/group{s.Row.GroupId} spi {s.Row.InitiatorSpi:x16}/{s.Row.ResponderSpi:x16}");
            _output.OnEvent(new EngineEvent(EngineEventKind.MainModeEstablished, s.Row.Snapshot()));
        }

        private void OnAuthResponse(IkeV2Session s, ChildSession child, IReadOnlyList<IkePayload> inner)
        {
            var idr = inner.OfType<IdentificationPayload>().FirstOrDefault(p => p.Type == PayloadType.IdentificationResponder);
            var auth = inner.OfType<AuthenticationPayload>().FirstOrDefault();
            if (idr == null || auth == null)
            {
                var error = inner.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
                Fail(s, error != null ? $"the responder refused IKE_AUTH: {NotifyName(error.MessageType)}" : "IKE_AUTH response without IDr or AUTH");
                return;
            }
            if (auth.Method != AuthMethod.SharedKeyMic ||
                !CryptoBytes.FixedTimeEquals(PskAuth(s, s.InitResponse, s.NonceI, s.Keys!.SkPr, idr.IdType, idr.Data.Span), auth.Data.Span))
            {
                Fail(s, "AUTHENTICATION_FAILED: the responder's AUTH does not match the pre-shared key");
                return;
            }
            s.Row.RemoteFirstId = idr.Value;
            Established(s);
            CompleteChild(s, child, inner, s.NonceI, s.NonceR, inIkeAuth: true);
        }

        private static string NotifyName(NotifyTypeV2 t) => t switch
        {
            NotifyTypeV2.AuthenticationFailed => "AUTHENTICATION_FAILED",
            NotifyTypeV2.NoProposalChosen => "NO_PROPOSAL_CHOSEN",
            NotifyTypeV2.TsUnacceptable => "TS_UNACCEPTABLE",
            NotifyTypeV2.InvalidKePayload => "INVALID_KE_PAYLOAD",
            NotifyTypeV2.InvalidSyntax => "INVALID_SYNTAX",
            NotifyTypeV2.NoAdditionalSas => "NO_ADDITIONAL_SAS",
            NotifyTypeV2.SinglePairRequired => "SINGLE_PAIR_REQUIRED",
            NotifyTypeV2.TemporaryFailure => "TEMPORARY_FAILURE",
            _ => t.ToString(),
        };

        // ================================================================ child SAs (RFC 7296 §1.3, §2.9, §2.17)

        /// <summary>
        /// The responder's half of a child negotiation: picks an ESP proposal, narrows the selectors, derives keys. Returns
        /// the response payloads (an error notify when refused, <paramref name="refusal"/> says why).
        /// </summary>
        private List<IkePayload> RespondChild(IkeV2Session s, IReadOnlyList<IkePayload> inner, SecurityAssociationPayload sa, TrafficSelectorPayload tsi,
            TrafficSelectorPayload tsr, byte[] nonceI, byte[] nonceR, KeyExchangePayload? ke, bool inIkeAuth, out ChildSession? child, out string? refusal)
        {
            child = null;
            refusal = null;
            var policy = _options.Policy;
            ChildProposalV2? chosen = null;
            ProposalV2? theirs = null;
            foreach (var ours in policy.Child)
            {
                theirs = sa.Proposals.FirstOrDefault(p => IkeV2Codec.MatchChild(p, new[] { ours }, inIkeAuth) != null);
                if (theirs != null) { chosen = ours; break; }
            }
            if (chosen == null || theirs == null)
            {
                refusal = $"no acceptable ESP proposal in [{string.Join(" | ", sa.Proposals)}]";
                return Refuse(NotifyTypeV2.NoProposalChosen);
            }
            int pfs = inIkeAuth ? 0 : chosen.PfsGroup;
            if (pfs != 0 && (ke == null || ke.DhGroup != pfs))
            {
                refusal = $"CREATE_CHILD_SA KE is group {ke?.DhGroup ?? 0}, the chosen proposal wants {pfs}";
                return new List<IkePayload> { new NotifyPayload(NotifyTypeV2.InvalidKePayload, IkeV2Codec.Group16(pfs)) };
            }
            bool transportAsked = inner.OfType<NotifyPayload>().Any(n => n.MessageType == NotifyTypeV2.UseTransportMode);
            EncapsulationModeChoice mode;
            if (transportAsked && policy.AllowTransport) mode = EncapsulationModeChoice.Transport;
            else if (policy.AllowTunnel) mode = EncapsulationModeChoice.Tunnel; // §1.3.1: no USE_TRANSPORT_MODE back = tunnel
            else
            {
                refusal = "tunnel mode asked for, policy allows transport only";
                return Refuse(NotifyTypeV2.NoProposalChosen);
            }
            // TSi describes the initiator's side (our remote), TSr ours.
            var remoteTs = IkeV2Codec.Narrow(tsi.Selectors, policy.RemoteTrafficSelectors);
            var localTs = IkeV2Codec.Narrow(tsr.Selectors, policy.LocalTrafficSelectors);
            if (remoteTs == null || localTs == null)
            {
                refusal = $"traffic selectors TSi [{string.Join(", ", tsi.Selectors)}] TSr [{string.Join(", ", tsr.Selectors)}] are outside our policy";
                return Refuse(NotifyTypeV2.TsUnacceptable);
            }

            byte[] shared = Array.Empty<byte>();
            byte[]? ourKe = null;
            if (pfs != 0)
            {
                using var dh = DhGroups.Get(pfs).Generate(_options.Random);
                try { shared = dh.Agree(ke!.Data.Span); }
                catch (CryptoException)
                {
                    refusal = "invalid KE public value";
                    return Refuse(NotifyTypeV2.InvalidSyntax);
                }
                ourKe = dh.PublicValue;
            }
            var c = NewChild(s, null, initiator: false);
            c.Mode = mode;
            c.Chosen = chosen;
            c.Row.OutboundSpi = IkeV2Codec.ReadSpi(theirs.Spi);
            c.Row.LocalTrafficSelector = localTs;
            c.Row.RemoteTrafficSelector = remoteTs;
            c.Row.PfsGroup = pfs;
            InstallKeys(s, c, chosen, shared, nonceI, nonceR, weInitiated: false);
            CryptoBytes.Zero(shared);
            child = c;

            var payloads = new List<IkePayload>();
            if (mode == EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            payloads.Add(new SecurityAssociationPayload(new[] { IkeV2Codec.Child(theirs.Number, chosen, c.Row.InboundSpi, withDh: pfs != 0) }));
            if (!inIkeAuth) payloads.Add(new NoncePayload(nonceR, 2));
            if (ourKe != null) payloads.Add(new KeyExchangePayload((ushort)pfs, ourKe));
            payloads.Add(IkeV2Codec.Ts(true, remoteTs));
            payloads.Add(IkeV2Codec.Ts(false, localTs));
            return payloads;

            List<IkePayload> Refuse(NotifyTypeV2 type) => new List<IkePayload> { new NotifyPayload(type) };
        }

        /// <summary>
        /// KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr): the exchange initiator's outbound keys first (encryption then integrity),
        /// then the responder's (RFC 7296 §2.17).
        /// </summary>
        private static void InstallKeys(IkeV2Session s, ChildSession c, ChildProposalV2 p, byte[] shared, byte[] nonceI, byte[] nonceR, bool weInitiated)
        {
            int n = p.KeyMaterialLength;
            var keymat = IkeV2KeyMaterial.ChildKeyMaterial(s.Prf!, s.Keys!.SkD, shared, nonceI, nonceR, 2 * n);
            var first = keymat.AsSpan(0, n).ToArray();
            var second = keymat.AsSpan(n, n).ToArray();
            CryptoBytes.Zero(keymat);
            c.OutboundKeys = weInitiated ? first : second;
            c.InboundKeys = weInitiated ? second : first;
            c.Chosen = p;
            c.Row.EncapsulationMode = c.Mode.ToString();
            c.Row.EncryptionAlgorithm = IkeV2Names.CipherName(p.Encryption, p.KeyBits);
            c.Row.IntegrityAlgorithm = IkeV2Names.IntegrityName(p.Integrity);
            c.Row.LifetimeSeconds = p.LifetimeSeconds;
        }

        private void ChildEstablished(ChildSession c)
        {
            c.Row.State = QuickModeSaState.Established;
            c.Row.EstablishedAt = Now;
            c.ExpiresAt = Now + TimeSpan.FromSeconds(c.Row.LifetimeSeconds);
            c.Parent.Row.ChildSaCount = c.Parent.Children.Count(x => x.Row.State == QuickModeSaState.Established);
            Statistics.QuickModeOk();
            Log(LogLevel.Info, $"CHILD#{c.Row.Id} established (IKEv2#{c.Parent.Row.Id}): ESP {c.Row.EncapsulationMode} {c.Row.EncryptionAlgorithm}/{c.Row.IntegrityAlgorithm}" +
                               (c.Row.PfsGroup != 0 ? $"/pfs{c.Row.PfsGroup}" : "") +
                               $" {c.Row.LocalTrafficSelector} === {c.Row.RemoteTrafficSelector} spi in {c.Row.InboundSpi:x8} out {c.Row.OutboundSpi:x8}");
            _output.OnEvent(new EngineEvent(EngineEventKind.QuickModeEstablished, c.Row.Snapshot()));
        }

        /// <summary>The initiator's half: checks the responder's choice against what we offered, derives keys.</summary>
        private void CompleteChild(IkeV2Session s, ChildSession c, IReadOnlyList<IkePayload> inner, byte[] nonceI, byte[] nonceR, bool inIkeAuth)
        {
            var error = inner.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
            var sa = inner.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var tsi = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator);
            var tsr = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder);
            if (error != null || sa == null || tsi == null || tsr == null)
            {
                RemoveChild(c, error != null ? $"the peer refused the child SA: {NotifyName(error.MessageType)}" : "no child SA in the response", QuickModeSaState.Failed);
                return;
            }
            var chosen = sa.Proposals.Count == 1 ? IkeV2Codec.MatchChild(sa.Proposals[0], _options.Policy.Child, inIkeAuth) : null;
            if (chosen == null)
            {
                RemoveChild(c, $"the responder chose an ESP proposal we did not offer: {string.Join(" | ", sa.Proposals)}", QuickModeSaState.Failed);
                return;
            }
            bool transport = inner.OfType<NotifyPayload>().Any(n => n.MessageType == NotifyTypeV2.UseTransportMode);
            if (transport != (c.Mode == EncapsulationModeChoice.Transport))
            {
                RemoveChild(c, transport ? "the responder answered with transport mode, we asked for tunnel" : "the responder wants tunnel mode, we asked for transport",
                    QuickModeSaState.Failed);
                DeleteUnwanted(s, c);
                return;
            }
            if (tsi.Selectors.Count == 0 || tsr.Selectors.Count == 0)
            {
                RemoveChild(c, "empty traffic selectors in the response", QuickModeSaState.Failed);
                return;
            }
            var local = TrafficSelectorV2.FromWire(tsi.Selectors[0]);
            var remote = TrafficSelectorV2.FromWire(tsr.Selectors[0]);
            if (!IkeV2Codec.Within(local, c.ProposedLocal) || !IkeV2Codec.Within(remote, c.ProposedRemote))
            {
                RemoveChild(c, $"the responder widened the traffic selectors ({local} === {remote})", QuickModeSaState.Failed);
                DeleteUnwanted(s, c);
                return;
            }
            byte[] shared = Array.Empty<byte>();
            int pfs = inIkeAuth ? 0 : chosen.PfsGroup;
            if (pfs != 0)
            {
                var ke = inner.OfType<KeyExchangePayload>().FirstOrDefault();
                if (ke == null || c.Dh == null || ke.DhGroup != pfs)
                {
                    RemoveChild(c, "CREATE_CHILD_SA response without the KE our proposal needs", QuickModeSaState.Failed);
                    return;
                }
                try { shared = c.Dh.Agree(ke.Data.Span); }
                catch (CryptoException)
                {
                    RemoveChild(c, "invalid KE public value in CREATE_CHILD_SA", QuickModeSaState.Failed);
                    return;
                }
            }
            c.Dh?.Dispose();
            c.Dh = null;
            c.Row.OutboundSpi = IkeV2Codec.ReadSpi(sa.Proposals[0].Spi);
            c.Row.LocalTrafficSelector = local;
            c.Row.RemoteTrafficSelector = remote;
            c.Row.PfsGroup = pfs;
            InstallKeys(s, c, chosen, shared, nonceI, nonceR, weInitiated: true);
            CryptoBytes.Zero(shared);
            ChildEstablished(c);
        }

        /// <summary>
        /// The responder installed a child we refuse (wrong mode, widened selectors): ask it to delete its half (RFC 7296
        /// §2.9) — Delete(ESP) names our inbound SPI, which the peer learned from our proposal.
        /// </summary>
        private void DeleteUnwanted(IkeV2Session s, ChildSession c)
        {
            if (s.Gone || s.Row.State != IkeV2SaState.Established) return;
            SendRequest(s, RequestKind.DeleteChild, ExchangeType.InformationalV2,
                new IkePayload[] { new Wire.V2.DeletePayload(ProtocolIdV2.Esp, 4, new ReadOnlyMemory<byte>[] { IkeV2Codec.SpiBytes(c.Row.InboundSpi) }) });
        }

        private void StartCreateChild(IkeV2Session s, InitiateRequest request)
        {
            var c = NewChild(s, request, initiator: true);
            c.NonceI = NewNonce();
            var payloads = new List<IkePayload>();
            int pfs = _options.Policy.Child[0].PfsGroup;
            payloads.Add(new SecurityAssociationPayload(_options.Policy.Child.Select((p, i) => IkeV2Codec.Child((byte)(i + 1), p, c.Row.InboundSpi, withDh: true)).ToList()));
            payloads.Add(new NoncePayload(c.NonceI, 2));
            if (pfs != 0)
            {
                c.Dh = DhGroups.Get(pfs).Generate(_options.Random);
                payloads.Add(new KeyExchangePayload((ushort)pfs, c.Dh.PublicValue));
            }
            if (request.Mode == EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            payloads.Add(IkeV2Codec.Ts(true, c.ProposedLocal));
            payloads.Add(IkeV2Codec.Ts(false, c.ProposedRemote));
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} CREATE_CHILD_SA for CHILD#{c.Row.Id}");
            SendRequest(s, RequestKind.CreateChild, ExchangeType.CreateChildSa, payloads, c);
        }

        private void OnCreateChildResponse(IkeV2Session s, ChildSession c, IReadOnlyList<IkePayload> inner)
        {
            if (!s.Children.Contains(c)) return;
            var nonce = inner.OfType<NoncePayload>().FirstOrDefault();
            var error = inner.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
            if (error == null && (nonce == null || nonce.Data.Length < 16))
            {
                RemoveChild(c, "CREATE_CHILD_SA response without a nonce", QuickModeSaState.Failed);
                return;
            }
            c.NonceR = nonce?.Data.ToArray() ?? Array.Empty<byte>();
            CompleteChild(s, c, inner, c.NonceI, c.NonceR, inIkeAuth: false);
        }

        private void OnCreateChildRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner)
        {
            var sa = inner.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var nonce = inner.OfType<NoncePayload>().FirstOrDefault();
            var tsi = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator);
            var tsr = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder);
            if (sa != null && sa.Proposals.Any(p => p.ProtocolId == ProtocolIdV2.Ike))
            {
                // Rekeying the IKE SA (§1.3.2) is not implemented yet: refuse, the SA stays as it is.
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} peer asks to rekey the IKE SA: not supported yet, NO_ADDITIONAL_SAS");
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.NoAdditionalSas) });
                return;
            }
            if (sa == null || nonce == null || tsi == null || tsr == null || nonce.Data.Length < 16)
            {
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.InvalidSyntax) });
                return;
            }
            if (inner.OfType<NotifyPayload>().Any(n => n.MessageType == NotifyTypeV2.RekeySa))
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} child rekey: negotiated as a new child; the peer deletes the old one");
            var ke = inner.OfType<KeyExchangePayload>().FirstOrDefault();
            var nonceR = NewNonce();
            var payloads = RespondChild(s, inner, sa, tsi, tsr, nonce.Data.ToArray(), nonceR, ke, inIkeAuth: false, out var child, out var refusal);
            SendResponse(s, h, payloads);
            if (child != null) ChildEstablished(child);
            else Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} CREATE_CHILD_SA refused: {refusal}");
        }

        // ================================================================ INFORMATIONAL (RFC 7296 §1.4)

        private void OnInformationalRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner)
        {
            var deletes = inner.OfType<Wire.V2.DeletePayload>().ToList();
            if (deletes.Any(d => d.ProtocolId == ProtocolIdV2.Ike))
            {
                SendResponse(s, h, Array.Empty<IkePayload>());
                Remove(s, "deleted by peer");
                return;
            }
            var response = new List<IkePayload>();
            var ours = new List<ReadOnlyMemory<byte>>();
            var gone = new List<ChildSession>();
            foreach (var d in deletes.Where(d => d.ProtocolId == ProtocolIdV2.Esp && d.SpiSize == 4))
            {
                foreach (var spi in d.Spis)
                {
                    uint peerInbound = IkeV2Codec.ReadSpi(spi);
                    var c = s.Children.FirstOrDefault(x => x.Row.OutboundSpi == peerInbound && x.Row.State == QuickModeSaState.Established);
                    if (c == null || gone.Contains(c)) continue;
                    ours.Add(IkeV2Codec.SpiBytes(c.Row.InboundSpi));
                    gone.Add(c);
                }
            }
            if (ours.Count > 0) response.Add(new Wire.V2.DeletePayload(ProtocolIdV2.Esp, 4, ours));
            SendResponse(s, h, response);
            foreach (var c in gone) RemoveChild(c, "deleted by peer", QuickModeSaState.Deleted);
            if (deletes.Count == 0 && inner.Count == 0) Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} liveness check from peer answered");
        }
    }
}
