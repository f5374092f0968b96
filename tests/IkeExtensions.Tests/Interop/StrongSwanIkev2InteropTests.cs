using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 (RFC 7296) against a real strongSwan charon (version = 2, mobike = no, kernel-netlink): each test runs
    /// tests/interop/ikev2-strongswan.sh with the built ikex.dll and expects its "PASS scenario" line — both sides list the
    /// same ESTABLISHED IKEv2 SA (PSK AUTH verified by charon, same SPIs and algorithms). The child is negotiated on the
    /// wire but charon cannot install it in this kernel (no ESP), which the script expects. These tests fail, never skip,
    /// when they cannot run: they need root (or password-less sudo), iproute2 and Debian's strongswan-charon,
    /// strongswan-swanctl and libcharon-extra-plugins.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev2InteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev2InteropTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void StrongSwanInitiates_Ikev2Psk_Aes256Sha256Modp2048_ToIkexResponder_Rfc7296_1_2() => Run("v2-sw-initiates-psk");

        [Fact]
        public void IkexInitiates_Ikev2Psk_Aes256Sha256Modp2048_ToStrongSwanResponder_Rfc7296_1_2() => Run("v2-we-initiate-psk");

        /// <summary>AES-GCM-16 SK payload (RFC 5282) with PRF-HMAC-SHA2-256 and ECP-256.</summary>
        [Fact]
        public void StrongSwanInitiates_Ikev2Psk_Aes128Gcm16Ecp256_ToIkexResponder_Rfc5282() => Run("v2-sw-initiates-psk-gcm");

        /// <summary>We send KE for MODP-2048 first; charon answers INVALID_KE_PAYLOAD(ECP_256) and we retry (RFC 7296 §1.2).</summary>
        [Fact]
        public void IkexInitiates_Ikev2Psk_Aes128Gcm16Ecp256_AfterInvalidKePayload_ToStrongSwanResponder_Rfc7296_1_2() => Run("v2-we-initiate-psk-gcm");

        /// <summary>DH group 24 (RFC 5114 §2.3 MODP-2048 with a 256-bit subgroup) chosen through an ikex --policy file.</summary>
        [Fact]
        public void StrongSwanInitiates_Ikev2Psk_Aes128Sha256Modp2048s256_ToIkexResponder_Rfc5114() => Run("v2-sw-initiates-psk-modp2048s256");

        [Fact]
        public void IkexInitiates_Ikev2Psk_Aes128Sha256Modp2048s256_ToStrongSwanResponder_Rfc5114() => Run("v2-we-initiate-psk-modp2048s256");

        private void Run(string scenario) => InteropScript.Run(_output, "ikev2-strongswan.sh", scenario, InteropScript.StrongSwan());
    }
}
