using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Crypto.Certificates
{
    /// <summary>
    /// Our own certificate (with any intermediates to send) and its private key: RSA (IKEv1 and IKEv2) or ECDSA (IKEv2,
    /// RFC 4754 / RFC 7427). The key is reachable only inside the engine; ToString names the subject, never the key.
    /// </summary>
    public sealed class CertificateCredential
    {
        private readonly AsymmetricKeyParameter _key;

        public CertificateCredential(X509Certificate certificate, AsymmetricKeyParameter privateKey, IReadOnlyList<X509Certificate>? intermediates = null)
        {
            Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
            var pub = certificate.GetPublicKey();
            switch (privateKey)
            {
                case RsaKeyParameters rsa when rsa.IsPrivate:
                    if (!(pub is RsaKeyParameters rsaPub) || !rsaPub.Modulus.Equals(rsa.Modulus))
                        throw new ArgumentException($"The private key does not belong to the certificate '{certificate.SubjectDN}'.", nameof(privateKey));
                    break;
                case ECPrivateKeyParameters ec:
                    if (IkeV2Signature.NistCurveBits(ec.Parameters) == 0)
                        throw new ArgumentException("EC keys must be on P-256, P-384 or P-521 (RFC 4754).", nameof(privateKey));
                    if (!(pub is ECPublicKeyParameters ecPub) || !ec.Parameters.G.Multiply(ec.D).Normalize().Equals(ecPub.Q.Normalize()))
                        throw new ArgumentException($"The private key does not belong to the certificate '{certificate.SubjectDN}'.", nameof(privateKey));
                    break;
                default:
                    throw new ArgumentException("The private key must be an RSA or EC private key.", nameof(privateKey));
            }
            _key = privateKey;
            Intermediates = intermediates ?? Array.Empty<X509Certificate>();
        }

        public X509Certificate Certificate { get; }
        /// <summary>The RSA private key (IKEv1 signs only with RSA, RFC 2409 §5.1); throws for an EC credential.</summary>
        internal RsaKeyParameters PrivateKey => _key as RsaKeyParameters ?? throw new InvalidOperationException("The credential's key is not RSA.");
        /// <summary>The signing key, RSA or EC.</summary>
        internal AsymmetricKeyParameter SigningKey => _key;
        public bool IsRsa => _key is RsaKeyParameters;
        public bool IsEcdsa => _key is ECPrivateKeyParameters;
        public IReadOnlyList<X509Certificate> Intermediates { get; }
        public string Subject => Certificate.SubjectDN.ToString();

        /// <summary>Reads a PEM certificate file (first certificate = ours, the rest = intermediates) and a PEM RSA or EC key (PKCS#1, SEC 1 or PKCS#8).</summary>
        public static CertificateCredential FromPem(string certificatePem, string privateKeyPem)
        {
            var certs = CertificatePem.ReadCertificates(certificatePem);
            if (certs.Count == 0) throw new ArgumentException("No PEM certificate found.", nameof(certificatePem));
            object? key;
            using (var reader = new StringReader(privateKeyPem)) key = new PemReader(reader).ReadObject();
            var priv = key switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter p when p.IsPrivate => p,
                _ => throw new ArgumentException("No PEM private key found (expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)."),
            };
            return new CertificateCredential(certs[0], priv, certs.Skip(1).ToList());
        }

        public override string ToString() => $"certificate '{Subject}' with private key (hidden)";
    }

    public static class CertificatePem
    {
        public static IReadOnlyList<X509Certificate> ReadCertificates(string pem)
        {
            var list = new List<X509Certificate>();
            using var reader = new StringReader(pem ?? throw new ArgumentNullException(nameof(pem)));
            var pemReader = new PemReader(reader);
            object? o;
            while ((o = pemReader.ReadObject()) != null)
                if (o is X509Certificate c) list.Add(c);
            return list;
        }

        /// <summary>Parses a DER certificate from a CERT payload; null when it is not one (untrusted input never throws).</summary>
        public static X509Certificate? TryParseDer(ReadOnlySpan<byte> der)
        {
            try { return new X509CertificateParser().ReadCertificate(der.ToArray()); }
            catch (Exception) { return null; }
        }
    }
}
