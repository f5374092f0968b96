using System;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Signers;

namespace IkeExtensions.Crypto.Certificates
{
    /// <summary>
    /// Verification of RFC 7427 Digital Signatures made with RSASSA-PSS (RFC 8017 §8.1; AlgorithmIdentifier id-RSASSA-PSS
    /// with RSASSA-PSS-params, RFC 4055 §3.1; RFC 7427 Appendix A.4). RFC 8247 §3.2 recommends PSS for IKEv2 RSA
    /// signatures, and libreswan's pluto signs its RSA certificate AUTH with it whenever the peer announced
    /// SIGNATURE_HASH_ALGORITHMS. We accept it from peers; we keep signing with RSASSA-PKCS1-v1_5, which every peer verifies.
    /// </summary>
    public static partial class IkeV2Signature
    {
        /// <summary>What the RSASSA-PSS-params of a peer's AlgorithmIdentifier name (RFC 4055 §3.1).</summary>
        internal sealed class PssParameters
        {
            public PssParameters(SignatureHashAlgorithm hash, SignatureHashAlgorithm mgfHash, int saltLength)
            {
                Hash = hash;
                MgfHash = mgfHash;
                SaltLength = saltLength;
            }

            public SignatureHashAlgorithm Hash { get; }
            public SignatureHashAlgorithm MgfHash { get; }
            public int SaltLength { get; }
        }

        // RFC 8017 §9.1: the salt is at most emLen - hLen - 2 octets; no RSA key we accept has more than 16384 bits.
        private const int MaximumSaltLength = 2048;

        private static bool IsRsassaPss(byte[] algorithmDer)
        {
            try
            {
                return AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(algorithmDer)).Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss);
            }
            catch (Exception)
            {
                return false;   // not DER: TryAlgorithm reports it
            }
        }

        /// <summary>
        /// The hash, MGF1 hash and salt length of an id-RSASSA-PSS AlgorithmIdentifier. The RFC 4055 defaults (SHA-1,
        /// MGF1 with SHA-1, salt 20) apply to absent fields; like the PKCS#1 v1.5 methods we accept only SHA-2 hashes we
        /// announced (checked by the caller) and MGF1 with a SHA-2 hash, and only the trailer field 1 (0xBC).
        /// </summary>
        private static bool TryRsassaPss(byte[] algorithmDer, out PssParameters? parameters, out string reason)
        {
            parameters = null;
            var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(algorithmDer));
            if (algorithm.Parameters == null || algorithm.Parameters is DerNull)
            {
                reason = "RFC 7427 RSASSA-PSS signature without parameters (RFC 4055 defaults: SHA-1), which we do not accept";
                return false;
            }
            var p = RsassaPssParameters.GetInstance(algorithm.Parameters);
            if (!TryHash(p.HashAlgorithm.Algorithm, out var hash))
            {
                reason = $"RFC 7427 RSASSA-PSS signature with hash {p.HashAlgorithm.Algorithm.Id}, which we do not support";
                return false;
            }
            if (!p.MaskGenAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1) || p.MaskGenAlgorithm.Parameters == null ||
                !TryHash(AlgorithmIdentifier.GetInstance(p.MaskGenAlgorithm.Parameters).Algorithm, out var mgfHash))
            {
                reason = "RFC 7427 RSASSA-PSS signature with a mask generation function other than MGF1 with SHA-2";
                return false;
            }
            if (p.TrailerField.Value.IntValue != 1)
            {
                reason = "RFC 7427 RSASSA-PSS signature with a trailer field other than 1";
                return false;
            }
            var salt = p.SaltLength.Value;
            if (salt.SignValue < 0 || salt.BitLength > 31 || salt.IntValue > MaximumSaltLength)
            {
                reason = "RFC 7427 RSASSA-PSS signature with an impossible salt length";
                return false;
            }
            parameters = new PssParameters(hash, mgfHash, salt.IntValue);
            reason = "";
            return true;
        }

        private static bool TryHash(DerObjectIdentifier oid, out SignatureHashAlgorithm hash)
        {
            hash = Supported.FirstOrDefault(h => HashOid(h).Equals(oid));
            return hash != 0;
        }

        private static DerObjectIdentifier HashOid(SignatureHashAlgorithm hash) => hash switch
        {
            SignatureHashAlgorithm.Sha2_256 => Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256,
            SignatureHashAlgorithm.Sha2_384 => Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha384,
            SignatureHashAlgorithm.Sha2_512 => Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha512,
            _ => throw new ArgumentOutOfRangeException(nameof(hash)),
        };

        /// <summary>An RSASSA-PSS verifier (EMSA-PSS, RFC 8017 §9.1.2) for <paramref name="p"/>; trailer 0xBC.</summary>
        private static ISigner PssVerifier(PssParameters p) =>
            new PssSigner(new RsaBlindedEngine(), Digest(p.Hash), Digest(p.MgfHash), p.SaltLength);
    }
}
