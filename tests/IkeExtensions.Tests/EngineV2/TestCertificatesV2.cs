using System;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Tests.Engine;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>ECDSA (P-256, P-384) and subjectAltName leaves under <see cref="TestCertificates.Ca"/> for the IKEv2 certificate tests.</summary>
    internal static class TestCertificatesV2
    {
        private static readonly SecureRandom Random = new SecureRandom();
        private static readonly DateTime NotBefore = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static readonly Lazy<CertificateCredential> EcP256 = new Lazy<CertificateCredential>(() => Leaf("C=XX, O=IkeExtensions, CN=ec256.ike.test", Ec(SecObjectIdentifiers.SecP256r1)));
        public static readonly Lazy<CertificateCredential> EcP384 = new Lazy<CertificateCredential>(() => Leaf("C=XX, O=IkeExtensions, CN=ec384.ike.test", Ec(SecObjectIdentifiers.SecP384r1)));
        /// <summary>RSA with subjectAltName dNSName san.ike.test and iPAddress 192.0.2.1.</summary>
        public static readonly Lazy<CertificateCredential> RsaWithSan = new Lazy<CertificateCredential>(() => Leaf("C=XX, O=IkeExtensions, CN=san.ike.test", Rsa(),
            new GeneralNames(new[] { new GeneralName(GeneralName.DnsName, "san.ike.test"), new GeneralName(GeneralName.IPAddress, "192.0.2.1") })));

        private static AsymmetricCipherKeyPair Ec(DerObjectIdentifier curve)
        {
            var gen = new ECKeyPairGenerator("ECDSA");
            gen.Init(new ECKeyGenerationParameters(curve, Random));
            return gen.GenerateKeyPair();
        }

        private static AsymmetricCipherKeyPair Rsa()
        {
            var gen = new RsaKeyPairGenerator();
            gen.Init(new KeyGenerationParameters(Random, 2048));
            return gen.GenerateKeyPair();
        }

        private static CertificateCredential Leaf(string subject, AsymmetricCipherKeyPair key, GeneralNames? san = null)
        {
            var ca = TestCertificates.Ca.Value;
            var cg = new X509V3CertificateGenerator();
            cg.SetSerialNumber(BigInteger.ValueOf(DateTime.UtcNow.Ticks & 0x7fffffff));
            cg.SetSubjectDN(new X509Name(subject));
            cg.SetIssuerDN(ca.Cert.SubjectDN);
            cg.SetNotBefore(NotBefore);
            cg.SetNotAfter(NotBefore.AddYears(5));
            cg.SetPublicKey(key.Public);
            if (san != null) cg.AddExtension(X509Extensions.SubjectAlternativeName, false, san);
            return new CertificateCredential(cg.Generate(new Asn1SignatureFactory("SHA256WITHRSA", ca.Key.Private, Random)), key.Private);
        }
    }
}
