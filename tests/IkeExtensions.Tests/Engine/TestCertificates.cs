using System;
using System.Collections.Generic;
using IkeExtensions.Crypto.Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>A throw-away RSA PKI made with BouncyCastle for the certificate tests (keys generated once per test run).</summary>
    internal static class TestCertificates
    {
        private static readonly SecureRandom Random = new SecureRandom();
        private static readonly DateTime NotBefore = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static readonly Lazy<(X509Certificate Cert, AsymmetricCipherKeyPair Key)> Ca = new Lazy<(X509Certificate, AsymmetricCipherKeyPair)>(() =>
            Issue("C=XX, O=IkeExtensions, CN=IkeExtensions Test CA", null, isCa: true));
        public static readonly Lazy<(X509Certificate Cert, AsymmetricCipherKeyPair Key)> OtherCa = new Lazy<(X509Certificate, AsymmetricCipherKeyPair)>(() =>
            Issue("C=XX, O=Elsewhere, CN=Untrusted CA", null, isCa: true));
        public static readonly Lazy<CertificateCredential> A = new Lazy<CertificateCredential>(() => Leaf("C=XX, O=IkeExtensions, CN=a.ike.test", Ca.Value));
        public static readonly Lazy<CertificateCredential> B = new Lazy<CertificateCredential>(() => Leaf("C=XX, O=IkeExtensions, CN=b.ike.test", Ca.Value));
        public static readonly Lazy<CertificateCredential> Rogue = new Lazy<CertificateCredential>(() => Leaf("C=XX, O=IkeExtensions, CN=a.ike.test", OtherCa.Value));
        public static readonly Lazy<CertificateCredential> Expired = new Lazy<CertificateCredential>(() =>
            Leaf("C=XX, O=IkeExtensions, CN=a.ike.test", Ca.Value, notAfter: new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)));

        public static CertificateChainValidator Trust(params X509Certificate[] anchors) => new CertificateChainValidator(anchors);

        private static CertificateCredential Leaf(string subject, (X509Certificate Cert, AsymmetricCipherKeyPair Key) issuer, DateTime? notAfter = null)
        {
            var (cert, key) = Issue(subject, issuer, isCa: false, notAfter);
            return new CertificateCredential(cert, key.Private);
        }

        private static (X509Certificate, AsymmetricCipherKeyPair) Issue(string subject, (X509Certificate Cert, AsymmetricCipherKeyPair Key)? issuer, bool isCa, DateTime? notAfter = null)
        {
            var gen = new RsaKeyPairGenerator();
            gen.Init(new KeyGenerationParameters(Random, 2048));
            var key = gen.GenerateKeyPair();
            var cg = new X509V3CertificateGenerator();
            cg.SetSerialNumber(BigInteger.ValueOf(DateTime.UtcNow.Ticks & 0x7fffffff));
            cg.SetSubjectDN(new X509Name(subject));
            cg.SetIssuerDN(issuer?.Cert.SubjectDN ?? new X509Name(subject));
            cg.SetNotBefore(NotBefore);
            cg.SetNotAfter(notAfter ?? NotBefore.AddYears(5));
            cg.SetPublicKey(key.Public);
            if (isCa) cg.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            var signer = new Asn1SignatureFactory("SHA256WITHRSA", (issuer?.Key ?? key).Private, Random);
            return (cg.Generate(signer), key);
        }
    }
}
