using System;
using System.Collections.Generic;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Wire
{
    /// <summary>Turns the raw payloads of a chain into typed payload objects, by version.</summary>
    internal static class PayloadDecoder
    {
        /// <param name="buffer">The memory the chain walks; <paramref name="bufferOffset"/> is its offset within the message.</param>
        public static bool TryDecodeChain(ReadOnlyMemory<byte> buffer, int bufferOffset, PayloadType first, int majorVersion, bool allowTrailing,
            NatTraversalRevision revision, out List<IkePayload> payloads, out ParseError error)
        {
            payloads = new List<IkePayload>();
            var chain = new PayloadChain(buffer.Span, first, bufferOffset, allowTrailing);
            while (chain.MoveNext())
            {
                RawPayload raw = chain.Current;
                ReadOnlyMemory<byte> body = buffer.Slice(raw.BodyOffset - bufferOffset, raw.Body.Length);
                if (!TryDecodeOne(raw.Type, raw.NextPayload, body, raw.BodyOffset, majorVersion, revision, out var payload, out error))
                    return false;
                payload.HeaderFlags = raw.HeaderFlags;
                payloads.Add(payload);
            }
            error = chain.Error;
            return !error.IsError;
        }

        private static bool TryDecodeOne(PayloadType type, PayloadType next, ReadOnlyMemory<byte> body, int offset, int majorVersion,
            NatTraversalRevision revision, out IkePayload payload, out ParseError error)
        {
            error = default;
            if (majorVersion == 1)
            {
                switch (type)
                {
                    case PayloadType.SecurityAssociation: return V1.SecurityAssociationPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.KeyExchange: payload = new V1.KeyExchangePayload(body); return true;
                    case PayloadType.Identification: return V1.IdentificationPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.Certificate: return CertificatePayload.TryRead(body, offset, 1, out payload, out error);
                    case PayloadType.CertificateRequest: return CertificateRequestPayload.TryRead(body, offset, 1, out payload, out error);
                    case PayloadType.Hash: payload = new HashPayload(body); return true;
                    case PayloadType.Signature: payload = new SignaturePayload(body); return true;
                    case PayloadType.Nonce: payload = new NoncePayload(body, 1); return true;
                    case PayloadType.Notification: return V1.NotificationPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.Delete: return V1.DeletePayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.VendorId: payload = new VendorIdPayload(body, 1); return true;
                    case PayloadType.Fragment: return FragmentPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.NatDiscovery:
                    case PayloadType.NatDiscoveryDraft:
                        if (!revision.Accepts(type)) break;
                        payload = new NatDiscoveryPayload(type, body);
                        return true;
                    case PayloadType.NatOriginalAddress:
                    case PayloadType.NatOriginalAddressDraft:
                        if (!revision.Accepts(type)) break;
                        return NatOriginalAddressPayload.TryRead(type, body, offset, out payload, out error);
                }
            }
            else
            {
                switch (type)
                {
                    case PayloadType.SecurityAssociationV2: return V2.SecurityAssociationPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.KeyExchangeV2: return V2.KeyExchangePayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.IdentificationInitiator:
                    case PayloadType.IdentificationResponder: return V2.IdentificationPayload.TryRead(type, body, offset, out payload, out error);
                    case PayloadType.CertificateV2: return CertificatePayload.TryRead(body, offset, 2, out payload, out error);
                    case PayloadType.CertificateRequestV2: return CertificateRequestPayload.TryRead(body, offset, 2, out payload, out error);
                    case PayloadType.Authentication: return V2.AuthenticationPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.NonceV2: payload = new NoncePayload(body, 2); return true;
                    case PayloadType.Notify: return V2.NotifyPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.DeleteV2: return V2.DeletePayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.VendorIdV2: payload = new VendorIdPayload(body, 2); return true;
                    case PayloadType.TrafficSelectorInitiator:
                    case PayloadType.TrafficSelectorResponder: return V2.TrafficSelectorPayload.TryRead(type, body, offset, out payload, out error);
                    case PayloadType.Encrypted: payload = new V2.EncryptedPayload(next, body); return true;
                    case PayloadType.EncryptedFragment: return V2.EncryptedFragmentPayload.TryRead(next, body, offset, out payload, out error);
                    case PayloadType.Configuration: return V2.ConfigurationPayload.TryRead(body, offset, out payload, out error);
                    case PayloadType.ExtensibleAuthentication: payload = new V2.ExtensibleAuthenticationPayload(body); return true;
                    case PayloadType.Correlation: return V2.CorrelationPayload.TryRead(body, offset, out payload, out error);
                }
            }
            payload = new UnknownPayload(type, body);
            return true;
        }
    }
}
