using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ IKE_SA_INIT (RFC 7296 §1.2)

        private void SendInit(IkeV2Session s)
        {
            if (!XboxMayNegotiate(s)) return;
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
            AddNatDetection(s, payloads, s.Row.InitiatorSpi, 0, s.Row.LocalEndpoint, s.Row.RemoteEndpoint); // NAT-T (RFC 7296 §2.23)
            payloads.AddRange(SignatureHashNotify(s.Peer)); // RFC 7427 §4
            OfferFragmentation(s, payloads); // MS-IKEE 2.2.11.1
            AddSecurityRealmVendorId(s, payloads);
            AddXboxVendorIds(s, payloads);
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
            if (!PassesCookieCheck(local, remote, m)) return;
            if (!AdmitXbox(m, remote, out bool xbox, out uint? xboxType)) return;
            var entry = _options.Pad.Find(remote.Address);
            var noAuth = AuthenticationProblem(entry);
            if (noAuth != null || entry == null)
            {
                Statistics.Dropped();
                Log(LogLevel.Warning, $"IKE_SA_INIT from {remote} dropped: {noAuth}");
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
            var selected = ChooseIkePolicy(m, sa, out var chosen, out var theirs, out var realmId, out var noPolicy);
            if (selected == null || chosen == null || theirs == null)
            {
                Log(LogLevel.Warning, $"IKE_SA_INIT from {remote}: {noPolicy}: NO_PROPOSAL_CHOSEN");
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
            AttachSecurityRealm(s, selected, realmId);
            RecordXbox(s, xbox, xboxType);
            s.Dh = DhGroups.Get(chosen.DhGroup).Generate(_options.Random);
            CheckNat(s, m, h.InitiatorSpi, 0);
            RecordSignatureHashes(s, m);
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
            };
            AddNatDetection(s, payloads, row.InitiatorSpi, row.ResponderSpi, local, remote); // NAT-T (RFC 7296 §2.23)
            payloads.AddRange(SignatureHashNotifyResponse(s)); // RFC 7427 §4
            // RFC 7296 §3.7: [CERTREQ] in the IKE_SA_INIT response — but not to a peer that sent the security realm vendor ID
            // (MS-IKEE 3.14.5.1, product note <39>: Windows leaves the optional CERTREQ out then).
            if (realmId == null) payloads.AddRange(CertificateRequests(entry));
            NegotiateFragmentation(s, m, payloads); // MS-IKEE 3.15.5.1
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
            var bytes = new IkeMessage(header, ErrorPayloads(type, data)).Encode();
            Statistics.Sent();
            _output.Send(local, remote, bytes);
        }

        private void OnInitResponse(IkeV2Session s, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            RecordMsNotifyStatus(s, m.Payloads);
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
                    // §2.21.1 / §2.4: IKE_SA_INIT responses are not protected, so anyone on the path can forge a refusal.
                    // Note it and keep waiting (retransmitting) for a real answer a little longer; fail with it only then.
                    if (s.InitRefusal == null)
                    {
                        s.InitRefusal = $"the responder refused IKE_SA_INIT: {n.MessageType}";
                        var grace = Now + _options.UnauthenticatedErrorGrace;
                        if (grace < s.Deadline) s.Deadline = grace;
                        Log(LogLevel.Info, $"IKEv2#{s.Row.Id} unauthenticated {n.MessageType} in the IKE_SA_INIT response: waiting {_options.UnauthenticatedErrorGrace.TotalSeconds:0.#} s for a valid one");
                    }
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
            RecordSignatureHashes(s, m);
            if (!TryDeriveKeys(s, ke.Data.Span))
            {
                Fail(s, "invalid KE public value from the responder");
                return;
            }
            s.Pending = null;
            NegotiateFragmentation(s, m, null); // MS-IKEE 3.15.5.2
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} IKE_SA_INIT done with {s.Row.RemoteEndpoint}: {chosen} (spi {s.Row.InitiatorSpi:x16}/{s.Row.ResponderSpi:x16})");
            SendAuth(s);
        }

        /// <summary>NAT detection (RFC 7296 §2.23): compares the peer's hashes with ours, records them on the row, then NAT-T (OnNatDetection).</summary>
        private void CheckNat(IkeV2Session s, IkeMessage m, ulong spiI, ulong spiR)
        {
            var src = m.FindAll<NotifyPayload>().Where(n => n.MessageType == NotifyTypeV2.NatDetectionSourceIp).ToList();
            var dst = m.FindAll<NotifyPayload>().FirstOrDefault(n => n.MessageType == NotifyTypeV2.NatDetectionDestinationIp);
            if (src.Count == 0 || dst == null) return;
            var expectedSrc = IkeV2Codec.NatHash(spiI, spiR, s.Row.RemoteEndpoint);
            s.Row.NatDetectedRemote = !src.Any(n => n.Data.Span.SequenceEqual(expectedSrc));
            s.Row.NatDetectedLocal = !dst.Data.Span.SequenceEqual(IkeV2Codec.NatHash(spiI, spiR, s.Row.LocalEndpoint));
            OnNatDetection(s); // NAT-T: IkeV2Engine.NatTraversal.cs
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
    }
}
