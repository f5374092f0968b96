using System;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// The strongSwan interop tests share UDP 500 inside their namespaces and take seconds each: never in parallel
    /// with one another (xunit runs non-parallel collections after the parallel ones).
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class StrongSwanInteropCollection
    {
        public const string Name = "strongSwan interop (network namespaces)";
    }

    /// <summary>
    /// IKEv1 against a real strongSwan charon: each test runs tests/interop/ikev1-strongswan.sh with the built ikex.dll
    /// (two network namespaces, charon in one, ikex in the other) and expects its "PASS scenario" line.
    /// These tests fail, never skip, when they cannot run: they need root (or password-less sudo) and Debian's
    /// strongswan-charon, strongswan-swanctl, libcharon-extra-plugins and iproute2 (.ci/run installs them); the
    /// certificate scenarios also need strongswan-pki.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev1InteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev1InteropTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void StrongSwanInitiates_Ikev1Psk_Aes256Sha256Modp2048_ToIkexResponder() => Run("sw-initiates-aes256-sha256-modp2048");

        [Fact]
        public void StrongSwanInitiates_Ikev1Psk_Aes128Sha1Modp2048_ToIkexResponder() => Run("sw-initiates-aes128-sha1-modp2048");

        [Fact]
        public void StrongSwanInitiates_Ikev1Psk_Aes128Sha256Ecp256_ToIkexResponder() => Run("sw-initiates-aes128-sha256-ecp256");

        [Fact]
        public void IkexInitiates_Ikev1Psk_Aes256Sha256Modp2048_ToStrongSwanResponder() => Run("we-initiate-aes256-sha256-modp2048");

        [Fact]
        public void IkexInitiates_Ikev1Psk_Aes128Sha1Modp2048_ToStrongSwanResponder() => Run("we-initiate-aes128-sha1-modp2048");

        [Fact]
        public void IkexInitiates_Ikev1Psk_Aes128Sha256Ecp256_ToStrongSwanResponder() => Run("we-initiate-aes128-sha256-ecp256");

        [Fact]
        public void IkexInitiates_Ikev1Psk_TransportMode_ToStrongSwanResponder() => Run("we-initiate-transport");

        /// <summary>RSA signatures over X.509 (RFC 2409 §5.1): throw-away CA and RSA-3072 certificates from strongSwan's pki.</summary>
        [Fact]
        public void StrongSwanInitiates_Ikev1Certificates_ToIkexResponder() => Run("sw-initiates-cert");

        [Fact]
        public void IkexInitiates_Ikev1Certificates_ToStrongSwanResponder() => Run("we-initiate-cert");

        private void Run(string scenario)
        {
            var required = InteropScript.StrongSwan();
            if (scenario.EndsWith("-cert", StringComparison.Ordinal)) required["/usr/bin/pki"] = "strongswan-pki"; // throw-away CA
            InteropScript.Run(_output, "ikev1-strongswan.sh", scenario, required);
        }
    }
}
