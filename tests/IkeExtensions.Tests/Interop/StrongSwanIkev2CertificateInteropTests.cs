using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 certificate authentication (RFC 7296 §2.15, §3.6-§3.8; RFC 7427; RFC 4754) against a real strongSwan
    /// charon: each test runs tests/interop/ikev2-certificates.sh with the built ikex.dll and expects its "PASS scenario"
    /// line — charon received our CERT, chained it to the throw-away CA, recognised our CERTREQ and verified our AUTH
    /// with the named signature scheme; ikex verified charon's; both sides list the same ESTABLISHED IKEv2 SA with the
    /// certificate DNs as identities. These tests fail, never skip, when they cannot run: they need root (or
    /// password-less sudo), iproute2 and Debian's strongswan-charon, strongswan-swanctl and strongswan-pki.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev2CertificateInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev2CertificateInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>RSA certificates, AUTH method 14 with sha256WithRSAEncryption both ways.</summary>
        [Fact]
        public void StrongSwanInitiates_Ikev2RsaCertificates_ToIkexResponder_Rfc7427_3() => Run("v2-sw-initiates-rsa");

        [Fact]
        public void IkexInitiates_Ikev2RsaCertificates_ToStrongSwanResponder_Rfc7427_3() => Run("v2-we-initiate-rsa");

        /// <summary>ECDSA P-256 certificates, AUTH method 14 with ecdsa-with-SHA256 (DER Ecdsa-Sig-Value) both ways.</summary>
        [Fact]
        public void StrongSwanInitiates_Ikev2EcdsaP256Certificates_ToIkexResponder_Rfc7427_3() => Run("v2-sw-initiates-ecdsa");

        [Fact]
        public void IkexInitiates_Ikev2EcdsaP256Certificates_ToStrongSwanResponder_Rfc7427_3() => Run("v2-we-initiate-ecdsa");

        /// <summary>charon with RFC 7427 off: no SIGNATURE_HASH_ALGORITHMS back, so both sign with AUTH method 1 (RFC 7296 §3.8).</summary>
        [Fact]
        public void IkexInitiates_Ikev2RsaCertificates_LegacyMethod1_ToStrongSwanWithoutRfc7427_Rfc7296_3_8() => Run("v2-we-initiate-rsa-legacy");

        private void Run(string scenario)
        {
            var required = InteropScript.StrongSwan();
            required["/usr/bin/pki"] = "strongswan-pki"; // throw-away CA and certificates
            InteropScript.Run(_output, "ikev2-certificates.sh", scenario, required);
        }
    }
}
