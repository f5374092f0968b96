using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 fragmentation (RFC 7383; MS-IKEE 2.2.11, 3.15) against a real strongSwan charon: each test runs
    /// tests/interop/ikev2-fragmentation.sh with the built ikex.dll and expects its "PASS scenario" line. Both sides
    /// announce IKEV2_FRAGMENTATION_SUPPORTED and limit fragments to 200-byte IP datagrams (charon fragment_size = 200,
    /// ikex --fragment-size 200), so the PSK IKE_AUTH request and response travel as Encrypted Fragment payloads: charon
    /// logs that it split its message and reassembled ours, we log the same, and both list the same ESTABLISHED IKEv2 SA
    /// (ours with fragmentationSupported and fragmentationActive). These tests fail, never skip, when they cannot run:
    /// they need root (or password-less sudo), iproute2 and Debian's strongswan-charon, strongswan-swanctl and
    /// libcharon-extra-plugins.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev2FragmentationInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev2FragmentationInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>charon's IKE_AUTH request arrives in fragments at our responder; our response goes back in fragments.</summary>
        [Fact]
        public void StrongSwanInitiates_FragmentedIkeAuth_ReassembledByIkexResponder_Rfc7383_2_5_MsIkee_3_15() => Run("v2-frag-sw-initiates");

        /// <summary>Our IKE_AUTH request in fragments, reassembled by charon; charon's (long IDr) response in fragments, reassembled by us.</summary>
        [Fact]
        public void IkexInitiates_FragmentedIkeAuth_ReassembledByStrongSwan_Rfc7383_2_5_MsIkee_3_15() => Run("v2-frag-we-initiate");

        /// <summary>AES-GCM-16: the SKF header (Fragment Number, Total Fragments) is associated data of each fragment (RFC 7383 §2.5).</summary>
        [Fact]
        public void StrongSwanInitiates_FragmentedIkeAuth_AesGcm16_Rfc7383_2_5() => Run("v2-frag-sw-initiates-gcm");

        [Fact]
        public void IkexInitiates_FragmentedIkeAuth_AesGcm16_Rfc7383_2_5() => Run("v2-frag-we-initiate-gcm");

        private void Run(string scenario) => InteropScript.Run(_output, "ikev2-fragmentation.sh", scenario, InteropScript.StrongSwan());
    }
}
