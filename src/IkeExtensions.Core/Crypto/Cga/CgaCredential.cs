using System;
using System.Net;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Crypto.Cga
{
    /// <summary>
    /// What MS-IKEE 3.4.3 has a CGA host hold (the "CGA ID" of 3.4.1): an RSA key pair, a self-signed X.509 certificate
    /// of it, and a CGA generated from its public key (RFC 3972 §4) with the CGA parameters. The private key is reachable
    /// only inside the engine; ToString shows the address, never the key.
    /// </summary>
    public sealed class CgaCredential
    {
        /// <summary>
        /// Wraps an existing credential after checking it: the key belongs to the certificate, the parameters' public key
        /// is the certificate's SubjectPublicKeyInfo (what the peer will rebuild them from, MS-IKEE 3.4.5.5), and
        /// <paramref name="address"/> verifies as a CGA of them (RFC 3972 §5, subnet per MS-IKEE 3.4).
        /// </summary>
        public CgaCredential(X509Certificate certificate, AsymmetricKeyParameter privateKey, IPAddress address, CgaParameters parameters)
        {
            Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
            Address = address ?? throw new ArgumentNullException(nameof(address));
            Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
            if (!(privateKey is RsaKeyParameters rsa) || !rsa.IsPrivate) throw new ArgumentException("MS-IKEE 3.4.3: the CGA key is an RSA private key.", nameof(privateKey));
            if (!(certificate.GetPublicKey() is RsaKeyParameters pub) || !pub.Modulus.Equals(rsa.Modulus))
                throw new ArgumentException("The private key does not belong to the certificate.", nameof(privateKey));
            if (!Parameters.PublicKey.SequenceEqual(PublicKeyInfo(certificate)))
                throw new ArgumentException("The CGA parameters' public key is not the certificate's SubjectPublicKeyInfo.", nameof(parameters));
            if (!CgaVerifier.VerifyMsIkee(address, parameters, out var reason))
                throw new ArgumentException($"{address} is not a CGA of this key: {reason}", nameof(address));
            PrivateKey = rsa;
        }

        private CgaCredential(X509Certificate certificate, RsaKeyParameters privateKey, IPAddress address, CgaParameters parameters, bool unchecked_)
        {
            Certificate = certificate;
            PrivateKey = privateKey;
            Address = address;
            Parameters = parameters;
        }

        /// <summary>
        /// A credential whose parts need not fit together (tests standing in for a misbehaving or misconfigured peer:
        /// a tampered modifier, another key's certificate). Never used by the engine itself.
        /// </summary>
        internal static CgaCredential Unchecked(X509Certificate certificate, RsaKeyParameters privateKey, IPAddress address, CgaParameters parameters) =>
            new CgaCredential(certificate, privateKey, address, parameters, unchecked_: true);

        public X509Certificate Certificate { get; }
        internal RsaKeyParameters PrivateKey { get; }
        /// <summary>The CGA: the address this host uses for CGA-authenticated negotiations (MS-IKEE 3.4.3, 3.4.4.1).</summary>
        public IPAddress Address { get; }
        public CgaParameters Parameters { get; }
        public int Sec => CgaVerifier.SecOf(Address);

        /// <summary>
        /// MS-IKEE 3.4.3 initialization: an RSA key pair, a self-signed X.509 certificate of it (SHA-256 with RSA), then a CGA
        /// in <paramref name="subnet"/> (its leftmost 64 bits, or 88 under 3ffe:831e::/32) per RFC 3972 §4.
        /// </summary>
        public static CgaCredential Create(IPAddress subnet, int sec, IRandomSource random, int keyBits = 2048, DateTime? notBefore = null,
            string subject = "CN=IKE CGA", byte collisionCount = 0)
        {
            if (random == null) throw new ArgumentNullException(nameof(random));
            if (keyBits < 1024) throw new ArgumentOutOfRangeException(nameof(keyBits), keyBits, "RSA keys of at least 1024 bits.");
            var secure = new SecureRandom(new RandomSourceGenerator(random));
            var gen = new RsaKeyPairGenerator();
            gen.Init(new KeyGenerationParameters(secure, keyBits));
            var key = gen.GenerateKeyPair();

            var from = notBefore ?? DateTime.UtcNow.AddDays(-1);
            var serial = new byte[8];
            random.Fill(serial);
            serial[0] &= 0x7F;
            var cg = new X509V3CertificateGenerator();
            cg.SetSerialNumber(new BigInteger(1, serial).Add(BigInteger.One));
            cg.SetSubjectDN(new X509Name(subject));
            cg.SetIssuerDN(new X509Name(subject));
            cg.SetNotBefore(from);
            cg.SetNotAfter(from.AddYears(10));
            cg.SetPublicKey(key.Public);
            var certificate = cg.Generate(new Asn1SignatureFactory("SHA256WITHRSA", key.Private, secure));

            var (address, parameters) = CgaGenerator.GenerateInSubnet(subnet, PublicKeyInfo(certificate), sec, random, collisionCount);
            return new CgaCredential(certificate, key.Private, address, parameters);
        }

        /// <summary>The certificate's SubjectPublicKeyInfo, DER: the Public Key field of the CGA parameters.</summary>
        public static byte[] PublicKeyInfo(X509Certificate certificate) =>
            (certificate ?? throw new ArgumentNullException(nameof(certificate))).CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();

        public override string ToString() => $"CGA {Address} (Sec {Sec}, certificate '{Certificate.SubjectDN}') with private key (hidden)";

        /// <summary>The engine's randomness as BouncyCastle's generator, so tests can make credentials deterministically.</summary>
        private sealed class RandomSourceGenerator : IRandomGenerator
        {
            private readonly IRandomSource _source;
            public RandomSourceGenerator(IRandomSource source) => _source = source;
            public void AddSeedMaterial(byte[] seed) { }
            public void AddSeedMaterial(long seed) { }
            public void NextBytes(byte[] bytes) => _source.Fill(bytes);
            public void NextBytes(byte[] bytes, int start, int len) => _source.Fill(bytes.AsSpan(start, len));
        }
    }
}
