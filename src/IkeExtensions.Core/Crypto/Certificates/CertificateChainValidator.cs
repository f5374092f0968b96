using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Crypto.Certificates
{
    /// <summary>
    /// Validates a peer's certificate to configured trust anchors (RFC 5280 §6 in the subset IKE deployments need):
    /// each link's signature, validity at the engine's clock, CA basic constraints on issuers, bounded depth.
    /// Revocation is not checked yet. Never throws on peer data; the reason says what failed.
    /// </summary>
    public sealed class CertificateChainValidator
    {
        public const int MaxDepth = 8;
        private readonly IReadOnlyList<X509Certificate> _anchors;

        public CertificateChainValidator(IReadOnlyList<X509Certificate> trustAnchors)
        {
            if (trustAnchors == null || trustAnchors.Count == 0) throw new ArgumentException("At least one trust anchor is needed.", nameof(trustAnchors));
            _anchors = trustAnchors;
        }

        public IReadOnlyList<X509Certificate> TrustAnchors => _anchors;

        public bool TryValidate(X509Certificate leaf, IReadOnlyList<X509Certificate> intermediates, DateTime now, out string reason)
        {
            try
            {
                var current = leaf;
                for (int depth = 0; depth < MaxDepth; depth++)
                {
                    if (!current.IsValid(now)) { reason = $"certificate '{current.SubjectDN}' is not valid at {now:u}"; return false; }
                    var anchor = _anchors.FirstOrDefault(a => a.SubjectDN.Equivalent(current.IssuerDN) && Verifies(current, a));
                    if (anchor != null)
                    {
                        if (!anchor.IsValid(now)) { reason = $"trust anchor '{anchor.SubjectDN}' is not valid at {now:u}"; return false; }
                        reason = "";
                        return true;
                    }
                    if (_anchors.Any(a => a.Equals(current))) { reason = ""; return true; } // the peer is itself an anchor (self-signed, pinned)
                    var issuer = intermediates.FirstOrDefault(i => i.SubjectDN.Equivalent(current.IssuerDN) && Verifies(current, i));
                    if (issuer == null) { reason = $"no trusted issuer for '{current.SubjectDN}' (issuer '{current.IssuerDN}')"; return false; }
                    if (issuer.GetBasicConstraints() < 0) { reason = $"'{issuer.SubjectDN}' is not a CA certificate"; return false; }
                    current = issuer;
                }
                reason = $"chain longer than {MaxDepth}";
                return false;
            }
            catch (Exception ex)
            {
                reason = "certificate could not be processed: " + ex.GetType().Name;
                return false;
            }
        }

        private static bool Verifies(X509Certificate subject, X509Certificate issuer)
        {
            try { subject.Verify(issuer.GetPublicKey()); return true; }
            catch (Exception) { return false; }
        }
    }
}
