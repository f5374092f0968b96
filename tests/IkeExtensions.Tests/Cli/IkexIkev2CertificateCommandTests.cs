using System.IO;
using IkeExtensions.Tests.Engine;
using IkeExtensions.Tests.EngineV2;
using Org.BouncyCastle.OpenSsl;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>`ikex initiate/responder --cert/--key/--ca` with EC keys: IKEv2 only (RFC 4754, RFC 7427; IKEv1 Main Mode signs with RSA).</summary>
    public sealed class IkexIkev2CertificateCommandTests
    {
        private static string Pem(object o)
        {
            using var w = new StringWriter();
            new PemWriter(w).WriteObject(o);
            return w.ToString();
        }

        private static (string Cert, string Key, string Ca) WriteEcCredential(TempFiles files)
        {
            var ec = TestCertificatesV2.EcP256.Value;
            return (files.Write("ec.pem", Pem(ec.Certificate)), files.Write("ec.key", Pem(ec.SigningKey)), files.Write("ca.pem", Pem(TestCertificates.Ca.Value.Cert)));
        }

        [Fact]
        public void EcKey_WithIkeVersion1_Exits2_NamingTheReason()
        {
            using var files = new TempFiles();
            var (cert, key, ca) = WriteEcCredential(files);
            var r = IkexProcess.Run("initiate", "--address", "127.0.0.1", "--peer", "127.0.0.1", "--cert", cert, "--key", key, "--ca", ca);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("ikex initiate: --key: an EC key needs --ike-version 2 (IKEv1 Main Mode signs with RSA only)", r.StdErr.TrimEnd('\r', '\n'));
        }

        [Fact]
        public void EcKeyOnAnotherCurve_Exits2_NamingTheCurves()
        {
            using var files = new TempFiles();
            var (cert, _, ca) = WriteEcCredential(files);
            var gen = new Org.BouncyCastle.Crypto.Generators.ECKeyPairGenerator("ECDSA");
            gen.Init(new Org.BouncyCastle.Crypto.Parameters.ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256k1, new Org.BouncyCastle.Security.SecureRandom()));
            string key = files.Write("k1.key", Pem(gen.GenerateKeyPair().Private));
            var r = IkexProcess.Run("initiate", "--ike-version", "2", "--address", "127.0.0.1", "--peer", "127.0.0.1", "--cert", cert, "--key", key, "--ca", ca);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal($"ikex initiate: --key: the EC key in '{key}' is not on P-256, P-384 or P-521 (RFC 4754)", r.StdErr.TrimEnd('\r', '\n'));
        }
    }
}
