using System;
using System.Collections.Generic;
using IkeExtensions.Wire;
using IkeExtensions.Crypto.Certificates;

namespace IkeExtensions.Engine.V2
{
    /// <summary>How we authenticate ourselves in IKE_AUTH (RFC 7296 §2.15); the PAD entry says how the peer may.</summary>
    public enum IkeV2LocalAuthentication
    {
        /// <summary>Our certificate when we have one and the peer's PAD entry has trust anchors (or no pre-shared key); else the pre-shared key.</summary>
        Auto,
        Certificate,
        PresharedKey,
    }

    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>Our certificate (RSA or ECDSA) and private key for signature AUTH (RFC 7296 §3.8, RFC 4754, RFC 7427).</summary>
        public CertificateCredential? LocalCertificate { get; set; }
        /// <summary>Which method we use for our own AUTH; Auto follows the PAD entry.</summary>
        public IkeV2LocalAuthentication LocalAuthentication { get; set; } = IkeV2LocalAuthentication.Auto;
        /// <summary>
        /// Hashes announced in SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4) and accepted in Digital Signature (14) AUTH.
        /// Empty: no notify, legacy signature methods only (RFC 7296 method 1, RFC 4754 methods 9/10/11).
        /// </summary>
        public IReadOnlyList<SignatureHashAlgorithm> SignatureHashAlgorithms { get; set; } = IkeV2Signature.Supported;
        /// <summary>
        /// Tests only: rewrites our [CERT] [CERTREQ] AUTH payloads before they are sent, so a test can play a peer that
        /// tampers with its signature, leaves out CERT or sends a malformed certificate.
        /// </summary>
        internal Func<List<IkePayload>, List<IkePayload>>? RewriteOwnAuthPayloadsForTests { get; set; }
    }
}
