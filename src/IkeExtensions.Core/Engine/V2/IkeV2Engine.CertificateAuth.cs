using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// IKE_AUTH by signatures (RFC 7296 §2.15, §3.6-§3.8; RFC 4754; RFC 7427) next to pre-shared keys: which method we
    /// use (our side, <see cref="IkeV2EngineOptions.LocalAuthentication"/>), what the PAD entry lets the peer use, CERT /
    /// CERTREQ payloads, the SIGNATURE_HASH_ALGORITHMS notify, and the checks on the peer's certificate and identity.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        private const byte X509Signature = 4; // RFC 7296 §3.6 Cert Encoding "X.509 Certificate - Signature"
        private const byte IdDerAsn1Dn = 9;

        /// <summary>We sign with our certificate towards this peer (else we use the pre-shared key).</summary>
        private bool WeSign(PeerAuthorizationEntry entry) => _options.LocalAuthentication switch
        {
            IkeV2LocalAuthentication.Certificate => true,
            IkeV2LocalAuthentication.PresharedKey => false,
            _ => _options.LocalCertificate != null && (entry.Certificates != null || entry.PresharedKey == null),
        };

        /// <summary>
        /// For one SA: as <see cref="WeSign(PeerAuthorizationEntry)"/>, except that an Auto responder that could do
        /// either (certificate, trust anchors and a pre-shared key for this peer) answers in the initiator's method —
        /// IKEv2 does not negotiate the method (RFC 7296 §2.15), and a peer configured for PSK expects a PSK AUTH back.
        /// </summary>
        private bool WeSign(IkeV2Session s)
        {
            if (_options.LocalAuthentication == IkeV2LocalAuthentication.Auto && !s.IsOriginalInitiator && s.PeerUsedSharedKey is bool psk &&
                _options.LocalCertificate != null && s.Peer.PresharedKey != null)
                return !psk;
            return WeSign(s.Peer);
        }

        /// <summary>Why an IKE SA with this PAD entry cannot be authenticated, or null when it can (both directions).</summary>
        private string? AuthenticationProblem(PeerAuthorizationEntry? entry)
        {
            if (entry == null) return "no PAD entry for this peer";
            if (entry.PresharedKey == null && entry.Certificates == null) return "the PAD entry has neither a pre-shared key nor trust anchors";
            if (WeSign(entry)) return _options.LocalCertificate == null ? "we are to sign but have no local certificate" : null;
            return entry.PresharedKey == null ? "we are to use a pre-shared key but the PAD entry has none" : null;
        }

        /// <summary>With a certificate our ID is the configured FQDN or else the certificate's subject as ID_DER_ASN1_DN (RFC 7296 §3.5).</summary>
        private (byte Type, byte[] Data)? SignatureId(IkeV2Session s)
        {
            if (!WeSign(s) || !string.IsNullOrEmpty(_options.LocalIdentity)) return null;
            return (IdDerAsn1Dn, _options.LocalCertificate!.Certificate.SubjectDN.GetDerEncoded());
        }

        // ---------------------------------------------------------------- IKE_SA_INIT: RFC 7427 §4 and CERTREQ

        /// <summary>SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4) when signatures may be used with this peer, in either direction.</summary>
        private IEnumerable<IkePayload> SignatureHashNotify(PeerAuthorizationEntry? entry)
        {
            if (entry == null || _options.SignatureHashAlgorithms.Count == 0 || !(WeSign(entry) || entry.Certificates != null)) yield break;
            var data = new byte[2 * _options.SignatureHashAlgorithms.Count];
            for (int i = 0; i < _options.SignatureHashAlgorithms.Count; i++)
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2 * i), (ushort)_options.SignatureHashAlgorithms[i]);
            yield return new NotifyPayload(NotifyTypeV2.SignatureHashAlgorithms, data);
        }

        /// <summary>The responder answers with its own list only when the initiator sent one (RFC 7427 §4).</summary>
        private IEnumerable<IkePayload> SignatureHashNotifyResponse(IkeV2Session s) =>
            s.PeerSignatureHashes != null ? SignatureHashNotify(s.Peer) : Enumerable.Empty<IkePayload>();

        /// <summary>Records the peer's SIGNATURE_HASH_ALGORITHMS; a list of odd length is malformed and ignored.</summary>
        private void RecordSignatureHashes(IkeV2Session s, IkeMessage m)
        {
            var n = m.FindAll<NotifyPayload>().FirstOrDefault(p => p.MessageType == NotifyTypeV2.SignatureHashAlgorithms);
            if (n == null) return;
            if (n.Data.Length % 2 != 0)
            {
                Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} SIGNATURE_HASH_ALGORITHMS of odd length {n.Data.Length} ignored (RFC 7427 §4)");
                return;
            }
            var list = new List<SignatureHashAlgorithm>();
            for (int i = 0; i < n.Data.Length; i += 2) list.Add((SignatureHashAlgorithm)BinaryPrimitives.ReadUInt16BigEndian(n.Data.Span.Slice(i)));
            s.PeerSignatureHashes = list;
        }

        /// <summary>CERTREQ (RFC 7296 §3.7) naming our trust anchors by the SHA-1 of their SubjectPublicKeyInfo, when the peer may use certificates.</summary>
        private static IEnumerable<IkePayload> CertificateRequests(PeerAuthorizationEntry? entry)
        {
            if (entry?.Certificates == null) yield break;
            yield return new CertificateRequestPayload(X509Signature, IkeV2Signature.AuthorityHashes(entry.Certificates.TrustAnchors), majorVersion: 2);
        }

        // ---------------------------------------------------------------- IKE_AUTH: our AUTH

        /// <summary>
        /// [CERT...] [CERTREQ] AUTH for our side (RFC 7296 §1.2): the signature over our signed octets with the method
        /// <see cref="IkeV2Signature.Choose"/> picks, or the pre-shared key MAC. The initiator adds CERTREQ so a peer
        /// that sends its certificate only when asked (strongSwan's default) does.
        /// </summary>
        private List<IkePayload> OurAuthPayloads(IkeV2Session s, byte[] ownFirstMessage, byte[] peerNonce, byte[] skP, byte idType, byte[] idData, bool initiator)
        {
            var list = new List<IkePayload>();
            if (!WeSign(s))
            {
                if (initiator) list.AddRange(CertificateRequests(s.Peer));
                s.Row.LocalAuthenticationMethod = "PreSharedKey";
                list.Add(new AuthenticationPayload(AuthMethod.SharedKeyMic, PskAuth(s, ownFirstMessage, peerNonce, skP, idType, idData)));
                return list;
            }
            var cred = _options.LocalCertificate!;
            list.Add(new CertificatePayload(X509Signature, cred.Certificate.GetEncoded(), majorVersion: 2));
            list.AddRange(cred.Intermediates.Select(c => (IkePayload)new CertificatePayload(X509Signature, c.GetEncoded(), majorVersion: 2)));
            if (initiator) list.AddRange(CertificateRequests(s.Peer));
            var (method, hash) = IkeV2Signature.Choose(cred, s.PeerSignatureHashes);
            var octets = IkeV2KeyMaterial.SignedOctets(s.Prf!, ownFirstMessage, peerNonce, skP, IkeV2Codec.IdBody(idType, idData));
            list.Add(new AuthenticationPayload((AuthMethod)method, IkeV2Signature.Sign(cred, method, hash, octets)));
            s.Row.LocalAuthenticationMethod = IkeV2Signature.Name(method);
            s.Row.LocalCertificateSubject = cred.Subject;
            Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} AUTH by {method}{(method == IkeV2SignatureMethod.DigitalSignature ? " with " + hash : "")} as '{cred.Subject}'");
            return _options.RewriteOwnAuthPayloadsForTests?.Invoke(list) ?? list;
        }

        // ---------------------------------------------------------------- IKE_AUTH: the peer's AUTH

        /// <summary>
        /// Verifies the peer's AUTH as its PAD entry allows (RFC 4301 §4.4.3): a pre-shared key MAC, or a signature by
        /// the key of the first X.509 CERT (RFC 7296 §3.6) whose chain reaches a trust anchor at the engine's clock and
        /// whose subject or subjectAltName is the peer's ID; the ID must also be the entry's RemoteIdentity when set.
        /// Returns why it fails (the caller answers AUTHENTICATION_FAILED, §2.21.2), or null. Never throws on peer data.
        /// </summary>
        private string? VerifyPeerAuth(IkeV2Session s, IdentificationPayload id, AuthenticationPayload auth, IReadOnlyList<IkePayload> inner,
            byte[] peerFirstMessage, byte[] ourNonce, byte[] skP)
        {
            var entry = s.Peer;
            if (entry.RemoteIdentity != null && !PadIdentityMatches(entry.RemoteIdentity, id.IdType, id.Data.Span))
                return $"the peer's ID {id.Value} is not the identity its PAD entry allows ({entry.RemoteIdentity})";
            var octets = IkeV2KeyMaterial.SignedOctets(s.Prf!, peerFirstMessage, ourNonce, skP, IkeV2Codec.IdBody(id.IdType, id.Data.Span));
            if (auth.Method == AuthMethod.SharedKeyMic)
            {
                if (entry.PresharedKey == null) return "the peer uses a pre-shared key, but its PAD entry has none";
                var expected = IkeV2KeyMaterial.SharedKeyAuth(s.Prf!, entry.PresharedKey.Reveal(), octets);
                if (!CryptoBytes.FixedTimeEquals(expected, auth.Data.Span)) return "the peer's AUTH does not match the pre-shared key";
                s.Row.AuthenticationMethod = "PreSharedKey";
                s.PeerUsedSharedKey = true;
                return null;
            }
            if (entry.Certificates == null) return $"the peer authenticates with {auth.Method}, but its PAD entry has no trust anchors";
            var certs = inner.OfType<CertificatePayload>().Where(c => c.Encoding == X509Signature).ToList();
            if (certs.Count == 0) return "no X.509 CERT payload with the signature AUTH (RFC 7296 §3.6)";
            var leaf = CertificatePem.TryParseDer(certs[0].Data.Span);
            if (leaf == null) return "the first CERT payload is not a DER X.509 certificate";
            var intermediates = certs.Skip(1).Select(c => CertificatePem.TryParseDer(c.Data.Span)).Where(c => c != null).Cast<X509Certificate>().ToList();
            if (!entry.Certificates.TryValidate(leaf, intermediates, Now, out var why)) return "the peer's certificate is not trusted: " + why;
            if (!IdMatchesCertificate(id.IdType, id.Data.Span, leaf)) return $"the peer's ID {id.Value} is not in its certificate '{leaf.SubjectDN}'";
            Org.BouncyCastle.Crypto.AsymmetricKeyParameter key;
            try { key = leaf.GetPublicKey(); }
            catch (Exception) { return "the peer certificate's public key cannot be read"; }
            if (!IkeV2Signature.Verify(key, (byte)auth.Method, auth.Data.Span, octets, _options.SignatureHashAlgorithms, out why)) return why;
            s.Row.AuthenticationMethod = IkeV2Signature.Name((IkeV2SignatureMethod)auth.Method);
            s.Row.RemoteCertificateSubject = leaf.SubjectDN.ToString();
            s.PeerUsedSharedKey = false;
            return null;
        }

        /// <summary>The ID as the rows show it: ID_DER_ASN1_DN as its DN text (as the IKEv1 rows do), other types as rendered by the wire layer.</summary>
        private static string IdText(IdentificationPayload id)
        {
            if (id.IdType != IdDerAsn1Dn) return id.Value;
            try { return X509Name.GetInstance(Asn1Object.FromByteArray(id.Data.ToArray())).ToString(); }
            catch (Exception) { return id.Value; }
        }

        /// <summary>RFC 7296 §3.5 / RFC 4945 §3.1: the ID is the certificate's subject DN, or an IP, DNS or RFC 822 subjectAltName.</summary>
        internal static bool IdMatchesCertificate(byte idType, ReadOnlySpan<byte> data, X509Certificate cert)
        {
            try
            {
                if (idType == IdDerAsn1Dn) return X509Name.GetInstance(Asn1Object.FromByteArray(data.ToArray())).Equivalent(cert.SubjectDN);
                int sanType;
                string want;
                switch (idType)
                {
                    case 1 when data.Length == 4:
                    case 5 when data.Length == 16:
                        sanType = GeneralName.IPAddress; want = new IPAddress(data.ToArray()).ToString(); break;
                    case 2: sanType = GeneralName.DnsName; want = System.Text.Encoding.ASCII.GetString(data.ToArray()); break;
                    case 3: sanType = GeneralName.Rfc822Name; want = System.Text.Encoding.ASCII.GetString(data.ToArray()); break;
                    default: return false;
                }
                var names = cert.GetSubjectAlternativeNames();
                if (names == null) return false;
                foreach (System.Collections.IList san in names)
                    if (san.Count == 2 && Equals(san[0], sanType) && string.Equals(san[1]?.ToString(), want, StringComparison.OrdinalIgnoreCase)) return true;
                return false;
            }
            catch (Exception) { return false; }
        }

        /// <summary>The PAD entry's identity (an address, a DN with '=', an RFC 822 address with '@', else an FQDN) against the ID.</summary>
        internal static bool PadIdentityMatches(string allowed, byte idType, ReadOnlySpan<byte> data)
        {
            try
            {
                if (IPAddress.TryParse(allowed, out var ip)) return (idType == 1 || idType == 5) && data.SequenceEqual(ip.GetAddressBytes());
                if (allowed.Contains("=")) return idType == IdDerAsn1Dn && new X509Name(allowed).Equivalent(X509Name.GetInstance(Asn1Object.FromByteArray(data.ToArray())));
                var text = System.Text.Encoding.ASCII.GetString(data.ToArray());
                return idType == (allowed.Contains("@") ? 3 : 2) && string.Equals(text, allowed, StringComparison.OrdinalIgnoreCase);
            }
            catch (Exception) { return false; }
        }
    }
}
