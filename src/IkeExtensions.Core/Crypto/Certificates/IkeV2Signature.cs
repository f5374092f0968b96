using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace IkeExtensions.Crypto.Certificates
{
    /// <summary>Hash algorithm identifiers of the SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4, IANA "Hash Algorithms").</summary>
    public enum SignatureHashAlgorithm : ushort
    {
        Sha1 = 1,
        Sha2_256 = 2,
        Sha2_384 = 3,
        Sha2_512 = 4,
    }

    /// <summary>How an IKEv2 AUTH payload carries a signature (RFC 7296 §3.8, RFC 4754 §7, RFC 7427 §3).</summary>
    public enum IkeV2SignatureMethod : byte
    {
        /// <summary>RFC 7296 §3.8 method 1: RSASSA-PKCS1-v1_5 with SHA-1 (the legacy default).</summary>
        RsaSha1 = 1,
        /// <summary>RFC 4754 methods 9/10/11: ECDSA r|s, fixed length, with the hash tied to the curve.</summary>
        EcdsaP256Sha256 = 9,
        EcdsaP384Sha384 = 10,
        EcdsaP521Sha512 = 11,
        /// <summary>RFC 7427 method 14: an AlgorithmIdentifier names the signature algorithm and hash.</summary>
        DigitalSignature = 14,
    }

    /// <summary>
    /// IKEv2 signature AUTH data (RFC 7296 §2.15: the signature is over the InitiatorSignedOctets/ResponderSignedOctets).
    /// Signing is deterministic: PKCS#1 v1.5 has no randomness and ECDSA uses RFC 6979 nonces. Verification never throws
    /// on peer data; the reason says what failed.
    /// </summary>
    public static partial class IkeV2Signature
    {
        // RFC 7427 Appendix A: the DER AlgorithmIdentifiers (RSA with a NULL parameter, ECDSA without parameters).
        private static readonly DerObjectIdentifier Sha256WithRsa = new DerObjectIdentifier("1.2.840.113549.1.1.11");
        private static readonly DerObjectIdentifier Sha384WithRsa = new DerObjectIdentifier("1.2.840.113549.1.1.12");
        private static readonly DerObjectIdentifier Sha512WithRsa = new DerObjectIdentifier("1.2.840.113549.1.1.13");
        private static readonly DerObjectIdentifier EcdsaWithSha256 = new DerObjectIdentifier("1.2.840.10045.4.3.2");
        private static readonly DerObjectIdentifier EcdsaWithSha384 = new DerObjectIdentifier("1.2.840.10045.4.3.3");
        private static readonly DerObjectIdentifier EcdsaWithSha512 = new DerObjectIdentifier("1.2.840.10045.4.3.4");

        /// <summary>The SHA-2 hashes we announce and accept in RFC 7427 signatures.</summary>
        public static readonly IReadOnlyList<SignatureHashAlgorithm> Supported = new[] { SignatureHashAlgorithm.Sha2_256, SignatureHashAlgorithm.Sha2_384, SignatureHashAlgorithm.Sha2_512 };

        /// <summary>The AUTH method the row shows: RsaSignature (1), EcdsaSignature (9, 10, 11), DigitalSignature (14).</summary>
        public static string Name(IkeV2SignatureMethod m) => m switch
        {
            IkeV2SignatureMethod.RsaSha1 => "RsaSignature",
            IkeV2SignatureMethod.DigitalSignature => "DigitalSignature",
            _ => "EcdsaSignature",
        };

        /// <summary>
        /// Our method and hash: RFC 7427 §4 — Digital Signature (14) with a hash the peer announced, preferring the one
        /// matching our EC curve (then SHA2-256); without an announced SHA-2 hash the legacy method of our key (RFC 7296
        /// §3.8 method 1 for RSA, RFC 4754 methods 9/10/11 by curve).
        /// </summary>
        public static (IkeV2SignatureMethod Method, SignatureHashAlgorithm Hash) Choose(CertificateCredential credential, IReadOnlyCollection<SignatureHashAlgorithm>? peerHashes)
        {
            var key = credential.SigningKey;
            var curveHash = key is ECPrivateKeyParameters ec ? CurveHash(ec.Parameters.Curve.FieldSize) : SignatureHashAlgorithm.Sha2_256;
            var common = peerHashes?.Where(h => Supported.Contains(h)).ToList() ?? new List<SignatureHashAlgorithm>();
            if (common.Count > 0)
                return (IkeV2SignatureMethod.DigitalSignature, common.Contains(curveHash) ? curveHash : common.Contains(SignatureHashAlgorithm.Sha2_256) ? SignatureHashAlgorithm.Sha2_256 : common[0]);
            if (key is ECPrivateKeyParameters e)
            {
                // The credential admits only these three curves (RFC 4754 §3-§5).
                int bits = NistCurveBits(e.Parameters);
                return bits == 256 ? (IkeV2SignatureMethod.EcdsaP256Sha256, SignatureHashAlgorithm.Sha2_256)
                     : bits == 384 ? (IkeV2SignatureMethod.EcdsaP384Sha384, SignatureHashAlgorithm.Sha2_384)
                     : (IkeV2SignatureMethod.EcdsaP521Sha512, SignatureHashAlgorithm.Sha2_512);
            }
            return (IkeV2SignatureMethod.RsaSha1, SignatureHashAlgorithm.Sha1);
        }

        private static readonly (int Bits, Org.BouncyCastle.Math.EC.ECCurve Curve)[] NistCurves =
        {
            (256, Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetByName("P-256").Curve),
            (384, Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetByName("P-384").Curve),
            (521, Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetByName("P-521").Curve),
        };

        /// <summary>256, 384 or 521 for the NIST curves RFC 4754 names (P-256, P-384, P-521); 0 for any other curve.</summary>
        public static int NistCurveBits(ECDomainParameters parameters)
        {
            foreach (var (bits, curve) in NistCurves)
                if (curve.Equals(parameters.Curve)) return bits;
            return 0;
        }

        private static SignatureHashAlgorithm CurveHash(int fieldSize) =>
            fieldSize <= 256 ? SignatureHashAlgorithm.Sha2_256 : fieldSize <= 384 ? SignatureHashAlgorithm.Sha2_384 : SignatureHashAlgorithm.Sha2_512;

        /// <summary>The AUTH payload's Authentication Data for <paramref name="method"/> over <paramref name="signedOctets"/>.</summary>
        internal static byte[] Sign(CertificateCredential credential, IkeV2SignatureMethod method, SignatureHashAlgorithm hash, byte[] signedOctets)
        {
            var key = credential.SigningKey;
            bool der = method == IkeV2SignatureMethod.DigitalSignature;
            byte[] signature;
            if (key is RsaKeyParameters rsa)
            {
                var signer = new RsaDigestSigner(Digest(hash));
                signer.Init(true, rsa);
                signer.BlockUpdate(signedOctets, 0, signedOctets.Length);
                signature = signer.GenerateSignature();
            }
            else
            {
                var ec = (ECPrivateKeyParameters)key;
                var digest = Digest(hash);
                var h = Hash(digest, signedOctets);
                var signer = new ECDsaSigner(new HMacDsaKCalculator(Digest(hash)));
                signer.Init(true, ec);
                var rs = signer.GenerateSignature(h);
                signature = der ? new DerSequence(new DerInteger(rs[0]), new DerInteger(rs[1])).GetDerEncoded() : Fixed(rs[0], rs[1], (ec.Parameters.Curve.FieldSize + 7) / 8);
            }
            if (!der) return signature;
            // RFC 7427 §3: one octet of ASN.1 length, the AlgorithmIdentifier, then the signature.
            var algorithm = new AlgorithmIdentifier(Oid(key is RsaKeyParameters, hash)!, key is RsaKeyParameters ? DerNull.Instance : null).GetDerEncoded();
            var data = new byte[1 + algorithm.Length + signature.Length];
            data[0] = (byte)algorithm.Length;
            algorithm.CopyTo(data, 1);
            signature.CopyTo(data, 1 + algorithm.Length);
            return data;
        }

        /// <summary>
        /// True when <paramref name="authData"/> is a valid signature of <paramref name="method"/> by <paramref name="publicKey"/>
        /// over <paramref name="signedOctets"/>. RFC 7427 signatures must name a hash in <paramref name="acceptedHashes"/>
        /// (what we announced); the method must fit the key type (and for RFC 4754, the curve).
        /// </summary>
        public static bool Verify(AsymmetricKeyParameter publicKey, byte method, ReadOnlySpan<byte> authData, byte[] signedOctets,
            IReadOnlyCollection<SignatureHashAlgorithm> acceptedHashes, out string reason)
        {
            try
            {
                var m = (IkeV2SignatureMethod)method;
                SignatureHashAlgorithm hash;
                ReadOnlySpan<byte> signature = authData;
                bool rsa;
                PssParameters? pss = null;
                switch (m)
                {
                    case IkeV2SignatureMethod.RsaSha1: rsa = true; hash = SignatureHashAlgorithm.Sha1; break;
                    case IkeV2SignatureMethod.EcdsaP256Sha256: rsa = false; hash = SignatureHashAlgorithm.Sha2_256; break;
                    case IkeV2SignatureMethod.EcdsaP384Sha384: rsa = false; hash = SignatureHashAlgorithm.Sha2_384; break;
                    case IkeV2SignatureMethod.EcdsaP521Sha512: rsa = false; hash = SignatureHashAlgorithm.Sha2_512; break;
                    case IkeV2SignatureMethod.DigitalSignature:
                        if (authData.Length < 1 || authData.Length < 1 + authData[0]) { reason = "RFC 7427 AUTH data shorter than its AlgorithmIdentifier length"; return false; }
                        var algorithmDer = authData.Slice(1, authData[0]).ToArray();
                        if (IsRsassaPss(algorithmDer))
                        {
                            // RFC 7427 Appendix A.4 (libreswan signs RSA this way): the parameters name hash, MGF and salt.
                            if (!TryRsassaPss(algorithmDer, out pss, out reason)) return false;
                            rsa = true;
                            hash = pss!.Hash;
                        }
                        else if (!TryAlgorithm(algorithmDer, out rsa, out hash)) { reason = "RFC 7427 AlgorithmIdentifier names no signature algorithm we support"; return false; }
                        if (!acceptedHashes.Contains(hash)) { reason = $"RFC 7427 signature with {hash}, which we did not announce"; return false; }
                        signature = authData.Slice(1 + authData[0]);
                        break;
                    default: reason = $"AUTH method {method} is not a signature method we support"; return false;
                }
                if (rsa != publicKey is RsaKeyParameters) { reason = $"AUTH method {m} does not fit the certificate's {(publicKey is RsaKeyParameters ? "RSA" : "EC")} key"; return false; }
                if (rsa)
                {
                    ISigner verifier = pss != null ? PssVerifier(pss) : new RsaDigestSigner(Digest(hash));
                    verifier.Init(false, publicKey);
                    verifier.BlockUpdate(signedOctets, 0, signedOctets.Length);
                    reason = "the RSA signature does not verify with the certificate's key";
                    return verifier.VerifySignature(signature.ToArray());
                }
                var ec = (ECPublicKeyParameters)publicKey;
                int n = (ec.Parameters.Curve.FieldSize + 7) / 8;
                BigInteger r, s;
                if (m == IkeV2SignatureMethod.DigitalSignature)
                {
                    var seq = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(signature.ToArray()));
                    if (seq.Count != 2) { reason = "the ECDSA signature is not an Ecdsa-Sig-Value"; return false; }
                    r = DerInteger.GetInstance(seq[0]).Value;
                    s = DerInteger.GetInstance(seq[1]).Value;
                }
                else
                {
                    // RFC 4754 §7: the method fixes the curve; r and s are fixed-length big-endian.
                    int want = m == IkeV2SignatureMethod.EcdsaP256Sha256 ? 256 : m == IkeV2SignatureMethod.EcdsaP384Sha384 ? 384 : 521;
                    if (NistCurveBits(ec.Parameters) != want) { reason = $"AUTH method {m} needs a P-{want} key"; return false; }
                    if (signature.Length != 2 * n) { reason = $"the ECDSA signature is {signature.Length} octets, not {2 * n}"; return false; }
                    r = new BigInteger(1, signature.Slice(0, n).ToArray());
                    s = new BigInteger(1, signature.Slice(n).ToArray());
                }
                var ecdsa = new ECDsaSigner();
                ecdsa.Init(false, ec);
                reason = "the ECDSA signature does not verify with the certificate's key";
                return ecdsa.VerifySignature(Hash(Digest(hash), signedOctets), r, s);
            }
            catch (Exception ex)
            {
                reason = "the signature could not be processed: " + ex.GetType().Name;
                return false;
            }
        }

        /// <summary>CERTREQ's Certification Authority field (RFC 7296 §3.7): SHA-1 of each anchor's SubjectPublicKeyInfo, concatenated.</summary>
        public static byte[] AuthorityHashes(IEnumerable<Org.BouncyCastle.X509.X509Certificate> anchors) =>
            anchors.SelectMany(a => HashAlgorithms.Sha1.Compute(a.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded())).ToArray();

        private static bool TryAlgorithm(byte[] der, out bool rsa, out SignatureHashAlgorithm hash)
        {
            rsa = false;
            hash = 0;
            var oid = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(der)).Algorithm;
            foreach (var h in Supported)
            {
                if (oid.Equals(Oid(true, h))) { rsa = true; hash = h; return true; }
                if (oid.Equals(Oid(false, h))) { hash = h; return true; }
            }
            return false;
        }

        private static DerObjectIdentifier? Oid(bool rsa, SignatureHashAlgorithm hash) => hash switch
        {
            SignatureHashAlgorithm.Sha2_256 => rsa ? Sha256WithRsa : EcdsaWithSha256,
            SignatureHashAlgorithm.Sha2_384 => rsa ? Sha384WithRsa : EcdsaWithSha384,
            SignatureHashAlgorithm.Sha2_512 => rsa ? Sha512WithRsa : EcdsaWithSha512,
            _ => null,
        };

        private static IDigest Digest(SignatureHashAlgorithm hash) => hash switch
        {
            SignatureHashAlgorithm.Sha1 => new Sha1Digest(),
            SignatureHashAlgorithm.Sha2_256 => new Sha256Digest(),
            SignatureHashAlgorithm.Sha2_384 => new Sha384Digest(),
            SignatureHashAlgorithm.Sha2_512 => new Sha512Digest(),
            _ => throw new ArgumentOutOfRangeException(nameof(hash)),
        };

        private static byte[] Hash(IDigest digest, byte[] data)
        {
            digest.BlockUpdate(data, 0, data.Length);
            var h = new byte[digest.GetDigestSize()];
            digest.DoFinal(h, 0);
            return h;
        }

        private static byte[] Fixed(BigInteger r, BigInteger s, int n)
        {
            var o = new byte[2 * n];
            var rb = r.ToByteArrayUnsigned();
            var sb = s.ToByteArrayUnsigned();
            rb.CopyTo(o, n - rb.Length);
            sb.CopyTo(o, 2 * n - sb.Length);
            return o;
        }
    }
}
