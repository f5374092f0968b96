using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Crypto.Cga;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Engine
{
    /// <summary>
    /// The Main Mode authentication methods this engine speaks: pre-shared keys (RFC 2409 §5.4), RSA signatures over X.509
    /// certificates (§5.1) and AUTH_CGA (MS-IKEE 3.4: the certificate exchange of §5.1 with a self-signed certificate, an
    /// ID_IPV6_CGA identity and the peer's address verified as a CGA of the certificate's key). Decides what to offer for
    /// a PAD entry, which SKEYID to derive, what messages 5/6 carry, and how the peer's are verified.
    /// </summary>
    internal sealed class Phase1Authentication
    {
        private readonly EngineContext _ctx;
        public Phase1Authentication(EngineContext ctx) => _ctx = ctx;

        /// <summary>
        /// Methods usable with this peer: AUTH_CGA first (the PAD entry names it explicitly, MS-IKEE 3.4.4.1), then
        /// certificates (they do not depend on a shared secret), then the pre-shared key. Given the endpoints of the
        /// negotiation, AUTH_CGA is left out unless the peer is IPv6 (MS-IKEE 1.6) and we negotiate from our CGA (3.4.4.1,
        /// 3.4.5.1); without them, unless the entry names an IPv6 peer or any peer (<see cref="Extensions.CgaExtension"/>
        /// then fails a negotiation that chose AUTH_CGA where it does not apply).
        /// </summary>
        public IReadOnlyList<IkeAuthenticationMethod> Methods(PeerAuthorizationEntry entry, IPEndPoint? local = null, IPEndPoint? remote = null)
        {
            var list = new List<IkeAuthenticationMethod>(3);
            if (CgaApplies(entry, local, remote)) list.Add(IkeAuthenticationMethod.AuthCga);
            if (entry.Certificates != null && _ctx.Options.LocalCertificate?.IsRsa == true) list.Add(IkeAuthenticationMethod.RsaSignatures);
            if (entry.PresharedKey != null) list.Add(IkeAuthenticationMethod.PreSharedKey);
            return list;
        }

        /// <summary>Every policy suite with every method the peer may use, for the initiator's offer and the responder's choice.</summary>
        public IReadOnlyList<MainModeProposal> Proposals(PeerAuthorizationEntry entry, IPEndPoint? local = null, IPEndPoint? remote = null) =>
            Methods(entry, local, remote).SelectMany(m => _ctx.Options.Policy.MainMode.Select(p => p.WithAuthentication(m))).Where(Computable).ToList();

        public static bool UsesCertificates(Phase1Session s) => s.Chosen?.Authentication == IkeAuthenticationMethod.RsaSignatures;

        /// <summary>AUTH_CGA (MS-IKEE 2.2.4) was negotiated.</summary>
        public static bool UsesCga(Phase1Session s) => s.Chosen?.Authentication == IkeAuthenticationMethod.AuthCga;

        /// <summary>MS-IKEE 3.4 "uses the same exchanges as an IKE phase 1 certificate exchange": signature keying (RFC 2409 §5.1).</summary>
        private static bool UsesSignatures(Phase1Session s) => UsesCertificates(s) || UsesCga(s);

        private bool CgaApplies(PeerAuthorizationEntry entry, IPEndPoint? local, IPEndPoint? remote)
        {
            var cga = _ctx.Options.LocalCga;
            if (cga == null || !entry.AcceptsCga) return false;
            var peer = remote?.Address ?? entry.Peer;
            if (peer != null && !IsIpv6(peer)) return false;
            return local == null || IsLocalCga(cga, local.Address);
        }

        /// <summary>MS-IKEE 1.6: CGA authentication only applies to IPv6 addresses (not IPv4-mapped ones).</summary>
        internal static bool IsIpv6(IPAddress a) => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv4MappedToIPv6;

        /// <summary>
        /// MS-IKEE 3.4.4.1 / 3.4.5.1: "The host MUST use its CGA to communicate with the peer for this negotiation." The
        /// unspecified address (a wildcard binding) cannot be judged and passes; scope IDs are ignored.
        /// </summary>
        internal static bool IsLocalCga(CgaCredential cga, IPAddress local) =>
            local.Equals(IPAddress.IPv6Any) || local.GetAddressBytes().AsSpan().SequenceEqual(cga.Address.GetAddressBytes());

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
            // RFC 2409 §5.1 for certificates and, as MS-IKEE 3.4 uses the certificate exchange, for AUTH_CGA: SKEYID = prf(Ni_b | Nr_b, g^xy).
            return UsesSignatures(s)
                ? IkeV1KeyMaterial.ForSignatures(prf, hash, cipher, s.NonceI, s.NonceR, gxy, s.Row.InitiatorCookie, s.Row.ResponderCookie)
                : IkeV1KeyMaterial.ForPreSharedKey(prf, hash, cipher, s.Psk!.Reveal(), s.NonceI, s.NonceR, gxy, s.Row.InitiatorCookie, s.Row.ResponderCookie);
        }

        /// <summary>
        /// Our ID: ID_IPV6_CGA with our CGA's modifier, collision count and extension fields for AUTH_CGA (MS-IKEE 3.4.5.4,
        /// 2.2.5: protocol and port zero); the certificate's subject DN with certificates; else our address (RFC 2407 §4.6.2).
        /// </summary>
        public IdentificationPayload LocalId(Phase1Session s)
        {
            var local = s.Row.LocalEndpoint;
            if (UsesCga(s))
                return new IdentificationPayload(IdentificationType.Ipv6Cga, 0, 0, _ctx.Options.LocalCga!.Parameters.ToIdentification().ToIdentificationData());
            if (UsesCertificates(s))
                return new IdentificationPayload(IdentificationType.DerAsn1Dn, 0, 0, _ctx.Options.LocalCertificate!.Certificate.SubjectDN.GetDerEncoded());
            return new IdentificationPayload(local.AddressFamily == AddressFamily.InterNetworkV6 ? IdentificationType.Ipv6Address : IdentificationType.Ipv4Address,
                (byte)ProtocolType.Udp, (ushort)local.Port, local.Address.GetAddressBytes());
        }

        /// <summary>
        /// Messages 5/6: ID plus HASH; or ID, CERT (leaf, then intermediates) and SIG over the hash; or for AUTH_CGA
        /// (MS-IKEE 3.4.5.4) ID_IPV6_CGA, CERT with the self-signed certificate of the CGA key, and SIG (RFC 2409 §5.1).
        /// </summary>
        public IReadOnlyList<IkePayload> AuthPayloads(Phase1Session s, IdentificationPayload id, byte[] hash)
        {
            if (UsesCga(s))
            {
                var cga = _ctx.Options.LocalCga!;
                return new IkePayload[]
                {
                    id,
                    new CertificatePayload((byte)CertificateEncoding.X509Signature, cga.Certificate.GetEncoded()),
                    new SignaturePayload(RsaIkeSignature.Sign(cga.PrivateKey, hash)),
                };
            }
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
            if (UsesCga(s)) return VerifyCga(s, payloads, id, expected, out reason);
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

        /// <summary>
        /// MS-IKEE 3.4.5.5 (and 3.4.5.6 for message 6): verify SIG_I/SIG_R with the key of the self-signed certificate in
        /// CERT (RFC 2409 §5.1); take modifier, collision count and extension fields from ID_IPV6_CGA; rebuild the CGA
        /// parameters with the subnet of the peer's address (MS-IKEE 3.4: 64 bits, or 88 under 3ffe:831e::/32) and the
        /// certificate's SubjectPublicKeyInfo; and verify the peer's address as a CGA of them (RFC 3972 §5). The address
        /// is the one the peer's packets come from. The certificate is not chained, dated or otherwise trusted: the CGA
        /// binds the key to the address, and SIG proves the peer holds it (MS-IKEE 1.3.3, 1.6).
        /// </summary>
        private bool VerifyCga(Phase1Session s, IReadOnlyList<IkePayload> payloads, IdentificationPayload id, byte[] expected, out string reason)
        {
            if (!id.TryGetCgaParameters(out var cgaId)) { reason = $"the peer's ID is {id.IdType}, not ID_IPV6_CGA (MS-IKEE 3.4.5.4)"; return false; }
            var sig = payloads.OfType<SignaturePayload>().FirstOrDefault();
            var certPayload = payloads.OfType<CertificatePayload>().FirstOrDefault(c => c.Encoding == (byte)CertificateEncoding.X509Signature);
            if (sig == null || certPayload == null) { reason = "no SIG or no X.509 CERT payload (MS-IKEE 3.4.5.4)"; return false; }
            var cert = CertificatePem.TryParseDer(certPayload.Data.Span);
            if (cert == null) { reason = "the CERT payload is not an X.509 certificate"; return false; }
            RsaKeyParameters? key;
            byte[] publicKeyInfo;
            try
            {
                key = cert.GetPublicKey() as RsaKeyParameters;
                publicKeyInfo = CgaCredential.PublicKeyInfo(cert);
            }
            catch (Exception) { key = null; publicKeyInfo = Array.Empty<byte>(); }
            if (key == null) { reason = "the peer certificate's key is not RSA (MS-IKEE 3.4.3)"; return false; }
            if (!RsaIkeSignature.Verify(key, expected, sig.Data.Span)) { reason = "SIG does not verify with the key of the peer's self-signed certificate (MS-IKEE 3.4.5.5)"; return false; }

            var peer = s.Row.RemoteEndpoint.Address;
            if (!IsIpv6(peer)) { reason = $"the peer {peer} is not IPv6; CGA authentication applies only to IPv6 (MS-IKEE 1.6)"; return false; }
            CgaParameters parameters;
            try { parameters = CgaParameters.FromIdentification(cgaId, CgaSubnet.SubnetPrefixField(peer), publicKeyInfo); }
            catch (ArgumentException) { reason = "the peer certificate's SubjectPublicKeyInfo is not DER"; return false; }
            int prefixLength = CgaSubnet.PrefixLength(peer);
            if (!CgaVerifier.Verify(peer, parameters, prefixLength, out var why))
            {
                reason = $"the peer's address {peer} is not a CGA of the key in its certificate: {why} (MS-IKEE 3.4.5.5)";
                return false;
            }
            _ctx.Log(LogLevel.Debug, $"MM#{s.Row.Id}: {why}; SIG verified (MS-IKEE 3.4.5.5)");
            reason = why;
            return true;
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
