using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// The two Main Mode authentication methods this engine speaks: pre-shared keys (RFC 2409 §5.4) and RSA signatures
    /// over X.509 certificates (§5.1). Decides what to offer for a PAD entry, which SKEYID to derive, what messages 5/6
    /// carry, and how the peer's are verified.
    /// </summary>
    internal sealed class Phase1Authentication
    {
        private readonly EngineContext _ctx;
        public Phase1Authentication(EngineContext ctx) => _ctx = ctx;

        /// <summary>Methods usable with this peer, certificates first (they do not depend on a shared secret).</summary>
        public IReadOnlyList<IkeAuthenticationMethod> Methods(PeerAuthorizationEntry entry)
        {
            var list = new List<IkeAuthenticationMethod>(2);
            if (entry.Certificates != null && _ctx.Options.LocalCertificate != null) list.Add(IkeAuthenticationMethod.RsaSignatures);
            if (entry.PresharedKey != null) list.Add(IkeAuthenticationMethod.PreSharedKey);
            return list;
        }

        /// <summary>Every policy suite with every method the peer may use, for the initiator's offer and the responder's choice.</summary>
        public IReadOnlyList<MainModeProposal> Proposals(PeerAuthorizationEntry entry) =>
            Methods(entry).SelectMany(m => _ctx.Options.Policy.MainMode.Select(p => p.WithAuthentication(m))).Where(Computable).ToList();

        public static bool UsesCertificates(Phase1Session s) => s.Chosen?.Authentication == IkeAuthenticationMethod.RsaSignatures;

        /// <summary>CERTREQ payloads naming our trust anchors (RFC 2408 §3.10), sent in messages 3/4 when certificates are used.</summary>
        public IEnumerable<IkePayload> CertificateRequests(Phase1Session s) =>
            UsesCertificates(s) && s.Peer?.Certificates != null
                ? s.Peer.Certificates.TrustAnchors.Select(a => (IkePayload)new CertificateRequestPayload((byte)CertificateEncoding.X509Signature, a.SubjectDN.GetDerEncoded()))
                : Enumerable.Empty<IkePayload>();

        public IkeV1KeyMaterial DeriveKeys(Phase1Session s, byte[] gxy)
        {
            var p = s.Chosen!;
            var prf = PrfAlgorithms.ForIkeHash(p.Hash);
            var hash = HashAlgorithms.For(p.Hash);
            BlockCiphers.TryCreate(p.Encryption, p.KeyBits, out var cipher);
            return UsesCertificates(s)
                ? IkeV1KeyMaterial.ForSignatures(prf, hash, cipher, s.NonceI, s.NonceR, gxy, s.Row.InitiatorCookie, s.Row.ResponderCookie)
                : IkeV1KeyMaterial.ForPreSharedKey(prf, hash, cipher, s.Psk!.Reveal(), s.NonceI, s.NonceR, gxy, s.Row.InitiatorCookie, s.Row.ResponderCookie);
        }

        /// <summary>Our ID: the certificate's subject DN with certificates, else our address (RFC 2407 §4.6.2).</summary>
        public IdentificationPayload LocalId(Phase1Session s)
        {
            var local = s.Row.LocalEndpoint;
            if (UsesCertificates(s))
                return new IdentificationPayload(IdentificationType.DerAsn1Dn, 0, 0, _ctx.Options.LocalCertificate!.Certificate.SubjectDN.GetDerEncoded());
            return new IdentificationPayload(local.AddressFamily == AddressFamily.InterNetworkV6 ? IdentificationType.Ipv6Address : IdentificationType.Ipv4Address,
                (byte)ProtocolType.Udp, (ushort)local.Port, local.Address.GetAddressBytes());
        }

        /// <summary>Messages 5/6: ID plus HASH, or ID, CERT (leaf, then intermediates) and SIG over the hash.</summary>
        public IReadOnlyList<IkePayload> AuthPayloads(Phase1Session s, IdentificationPayload id, byte[] hash)
        {
            if (!UsesCertificates(s)) return new IkePayload[] { id, new HashPayload(hash) };
            var cred = _ctx.Options.LocalCertificate!;
            var list = new List<IkePayload> { id, new CertificatePayload((byte)CertificateEncoding.X509Signature, cred.Certificate.GetEncoded()) };
            list.AddRange(cred.Intermediates.Select(c => new CertificatePayload((byte)CertificateEncoding.X509Signature, c.GetEncoded())));
            list.Add(new SignaturePayload(RsaIkeSignature.Sign(cred.PrivateKey, hash)));
            return list;
        }

        /// <summary>Verifies the peer's HASH or certificate chain and SIG against <paramref name="expected"/>; the reason names what failed.</summary>
        public bool Verify(Phase1Session s, IReadOnlyList<IkePayload> payloads, IdentificationPayload id, byte[] expected, out string reason)
        {
            if (!UsesCertificates(s))
            {
                var hash = payloads.OfType<HashPayload>().FirstOrDefault();
                if (hash == null) { reason = "no HASH payload"; return false; }
                reason = "HASH does not verify (pre-shared keys differ)";
                return CryptoBytes.FixedTimeEquals(expected, hash.Data.Span);
            }
            var sig = payloads.OfType<SignaturePayload>().FirstOrDefault();
            var certs = payloads.OfType<CertificatePayload>().Where(c => c.Encoding == (byte)CertificateEncoding.X509Signature)
                .Select(c => CertificatePem.TryParseDer(c.Data.Span)).Where(c => c != null).Cast<X509Certificate>().ToList();
            if (sig == null || certs.Count == 0) { reason = "no SIG or no X.509 CERT payload"; return false; }
            var leaf = certs.FirstOrDefault(c => IdMatches(id, c));
            if (leaf == null) { reason = $"no certificate matches the peer's ID ({id.Value})"; return false; }
            if (!s.Peer!.Certificates!.TryValidate(leaf, certs.Where(c => c != leaf).ToList(), _ctx.Now, out reason)) return false;
            if (!(leaf.GetPublicKey() is RsaKeyParameters key)) { reason = "the peer certificate's key is not RSA"; return false; }
            reason = "SIG does not verify with the peer certificate's key";
            return RsaIkeSignature.Verify(key, expected, sig.Data.Span);
        }

        /// <summary>The ID must name the certificate: its subject DN, or an IP address in its subjectAltName.</summary>
        private static bool IdMatches(IdentificationPayload id, X509Certificate cert)
        {
            if (id.IdType == IdentificationType.DerAsn1Dn)
            {
                try { return Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(id.Data.ToArray())).Equivalent(cert.SubjectDN); }
                catch (Exception) { return false; }
            }
            if (id.IdType == IdentificationType.Ipv4Address || id.IdType == IdentificationType.Ipv6Address)
            {
                var names = cert.GetSubjectAlternativeNames();
                if (names == null) return false;
                string want = new System.Net.IPAddress(id.Data.ToArray()).ToString();
                foreach (System.Collections.IList entry in names)
                    if (entry.Count == 2 && Equals(entry[0], 7) && string.Equals(entry[1]?.ToString(), want, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }

        /// <summary>
        /// Only transforms this build can compute are offered or accepted. Group 1, DES and MD5 reach here only when a policy
        /// names them (the JSON loader refuses them without "allowWeak"), so naming them is the permission.
        /// </summary>
        private static bool Computable(MainModeProposal p) =>
            DhGroups.TryGet(p.DhGroup, allowWeak: true, out _) && PrfAlgorithms.TryGetForIkeHash(p.Hash, out _) && BlockCiphers.TryCreate(p.Encryption, p.KeyBits, out _);
    }
}
