using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ IKE_AUTH (RFC 7296 §1.2, §2.15)

        private (byte Type, byte[] Data) OurId(IkeV2Session s) => SignatureId(s) ?? IkeV2Codec.LocalId(_options.LocalIdentity, s.Row.LocalEndpoint.Address);

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
            s.Row.LocalFirstId = IdText(id);
            var child = NewChild(s, request, initiator: true);
            s.FirstChild = child;
            var payloads = new List<IkePayload> { id };
            payloads.AddRange(OurAuthPayloads(s, s.InitRequest, s.NonceR, s.Keys!.SkPi, idType, idData, initiator: true)); // [CERT] [CERTREQ] AUTH
            AddInitialContact(s, payloads); // RFC 7296 §2.4
            if (request.Mode == EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            AddConfigurationRequest(s, payloads);
            if (!AddCorrelation(s, payloads)) return;
            payloads.Add(new SecurityAssociationPayload(_options.Policy.Child.Select((p, i) => IkeV2Codec.Child((byte)(i + 1), p, child.Row.InboundSpi, withDh: false)).ToList()));
            payloads.Add(IkeV2Codec.Ts(true, child.ProposedLocal));
            payloads.Add(IkeV2Codec.Ts(false, child.ProposedRemote));
            AddSecurityRealmVendorId(s, payloads);
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
            if (DiscardForSecurityRealm(s, ExchangeType.IkeAuth, inner)) return;
            var idi = inner.OfType<IdentificationPayload>().FirstOrDefault(p => p.Type == PayloadType.IdentificationInitiator);
            var auth = inner.OfType<AuthenticationPayload>().FirstOrDefault();
            string? refusal = null;
            if (idi == null || auth == null) refusal = "IKE_AUTH request without IDi or AUTH (EAP is not supported)";
            else refusal = VerifyPeerAuth(s, idi, auth, inner, s.InitRequest, s.NonceR, s.Keys!.SkPi);
            if (refusal != null)
            {
                // §2.21.2: AUTHENTICATION_FAILED in the IKE_AUTH response; the IKE SA is not created.
                SendResponse(s, h, ErrorPayloads(NotifyTypeV2.AuthenticationFailed));
                Fail(s, "AUTHENTICATION_FAILED: " + refusal);
                return;
            }
            if (inner.OfType<CorrelationPayload>().FirstOrDefault() is CorrelationPayload correlation)
            {
                OnCorrelationRequest(s, h, correlation);
                return;
            }

            var (idType, idData) = OurId(s);
            var idr = new IdentificationPayload(false, idType, idData);
            s.Row.LocalFirstId = IdText(idr);
            s.Row.RemoteFirstId = IdText(idi!);
            var payloads = new List<IkePayload> { idr };
            payloads.AddRange(OurAuthPayloads(s, s.InitResponse, s.NonceI, s.Keys!.SkPr, idType, idData, initiator: false)); // [CERT] AUTH
            AddConfigurationReply(s, inner, payloads);
            ChildSession? child = null;
            var sa = inner.OfType<SecurityAssociationPayload>().FirstOrDefault();
            var tsi = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator);
            var tsr = inner.OfType<TrafficSelectorPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder);
            string? childRefusal = null;
            if (sa != null && tsi != null && tsr != null)
                payloads.AddRange(RespondChild(s, inner, sa, tsi, tsr, s.NonceI, s.NonceR, null, inIkeAuth: true, out child, out childRefusal));
            Established(s);
            HonourInitialContact(s, inner); // RFC 7296 §2.4
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
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} established with {s.Row.RemoteEndpoint} ({s.Row.LocalFirstId} <-> {s.Row.RemoteFirstId}, {s.Row.LocalAuthenticationMethod}/{s.Row.AuthenticationMethod}): " +
                               $"{s.Row.CipherAlgorithm}/{s.Row.HashAlgorithm}/{s.Row.PrfAlgorithm}/group{s.Row.GroupId} spi {s.Row.InitiatorSpi:x16}/{s.Row.ResponderSpi:x16}");
            _output.OnEvent(new EngineEvent(EngineEventKind.MainModeEstablished, s.Row.Snapshot()));
        }

        private void OnAuthResponse(IkeV2Session s, ChildSession child, IReadOnlyList<IkePayload> inner)
        {
            var idr = inner.OfType<IdentificationPayload>().FirstOrDefault(p => p.Type == PayloadType.IdentificationResponder);
            var auth = inner.OfType<AuthenticationPayload>().FirstOrDefault();
            if (OnCorrelationResponse(s, inner)) return;
            if (idr == null || auth == null)
            {
                var error = inner.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
                Fail(s, error != null ? $"the responder refused IKE_AUTH: {NotifyName(error.MessageType)}" : "IKE_AUTH response without IDr or AUTH");
                return;
            }
            if (VerifyPeerAuth(s, idr, auth, inner, s.InitResponse, s.NonceI, s.Keys!.SkPr) is string refusal)
            {
                Fail(s, "AUTHENTICATION_FAILED: " + refusal);
                return;
            }
            s.Row.RemoteFirstId = IdText(idr);
            TakeConfigurationReply(s, inner);
            Established(s);
            HonourInitialContact(s, inner); // RFC 7296 §2.4
            CompleteChild(s, child, inner, s.NonceI, s.NonceR, inIkeAuth: true);
            AfterCorrelatingAuth(s);
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
    }
}
