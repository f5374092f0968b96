using System;
using System.Collections.Generic;
using System.Linq;
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
            var policy = s.SelectedPolicy ?? _options.Policy;
            if (SecurityRealmChildRefusal(s, inner) is string realmRefusal)
            {
                refusal = realmRefusal;
                return Refuse(NotifyTypeV2.NoProposalChosen);
            }
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

            List<IkePayload> Refuse(NotifyTypeV2 type) => ErrorPayloads(type).ToList();
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
            MarkUdpEncapsulation(c); // NAT-T (RFC 7296 §2.23)
            c.Row.State = QuickModeSaState.Established;
            c.Row.EstablishedAt = Now;
            c.ExpiresAt = Now + TimeSpan.FromSeconds(c.Row.LifetimeSeconds);
            c.Parent.Row.ChildSaCount = c.Parent.Children.Count(x => x.Row.State == QuickModeSaState.Established);
            DeadPeerChildEstablished(c);
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
            var chosen = sa.Proposals.Count == 1 ? IkeV2Codec.MatchChild(sa.Proposals[0], (s.SelectedPolicy ?? _options.Policy).Child, inIkeAuth) : null;
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
            var policy = s.SelectedPolicy ?? _options.Policy;
            int pfs = policy.Child[0].PfsGroup;
            payloads.Add(new SecurityAssociationPayload(policy.Child.Select((p, i) => IkeV2Codec.Child((byte)(i + 1), p, c.Row.InboundSpi, withDh: true)).ToList()));
            payloads.Add(new NoncePayload(c.NonceI, 2));
            if (pfs != 0)
            {
                c.Dh = DhGroups.Get(pfs).Generate(_options.Random);
                payloads.Add(new KeyExchangePayload((ushort)pfs, c.Dh.PublicValue));
            }
            if (request.Mode == EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            payloads.Add(IkeV2Codec.Ts(true, c.ProposedLocal));
            payloads.Add(IkeV2Codec.Ts(false, c.ProposedRemote));
            AddSecurityRealmVendorId(s, payloads);
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
            if (DiscardForSecurityRealm(s, ExchangeType.CreateChildSa, inner)) return;
            var sa = inner.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var nonce = inner.OfType<NoncePayload>().FirstOrDefault();
            var tsi = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator);
            var tsr = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder);
            if (sa != null && sa.Proposals.Any(p => p.ProtocolId == ProtocolIdV2.Ike))
            {
                OnRekeyIkeRequest(s, h, inner); // RFC 7296 §1.3.2 (IkeV2Engine.Rekey.cs)
                return;
            }
            if (sa == null || nonce == null || tsi == null || tsr == null || nonce.Data.Length < 16)
            {
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.InvalidSyntax) });
                return;
            }
            if (inner.OfType<NotifyPayload>().FirstOrDefault(n => n.MessageType == NotifyTypeV2.RekeySa) is NotifyPayload rekey)
            {
                OnRekeyChildRequest(s, h, inner, rekey, sa, tsi, tsr, nonce); // RFC 7296 §1.3.3 (IkeV2Engine.ChildRekey.cs)
                return;
            }
            var ke = inner.OfType<KeyExchangePayload>().FirstOrDefault();
            var nonceR = NewNonce();
            var payloads = RespondChild(s, inner, sa, tsi, tsr, nonce.Data.ToArray(), nonceR, ke, inIkeAuth: false, out var child, out var refusal);
            SendResponse(s, h, payloads);
            if (child != null) ChildEstablished(child);
            else Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} CREATE_CHILD_SA refused: {refusal}");
        }
    }
}
