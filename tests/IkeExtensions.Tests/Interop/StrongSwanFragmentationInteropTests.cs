using System;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv1 fragmentation (MS-IKEE 2.2.3, 3.3) against a real strongSwan charon with <c>fragmentation = force</c> and a
    /// 400-byte <c>fragment_size</c>: each test runs tests/interop/ikev1-fragmentation.sh with the built ikex.dll and
    /// expects its "PASS scenario" line. We reassemble charon's fragments and, with "Fragmentation active" set by them
    /// (MS-IKEE 3.3.5.3 note 18), send our certificate-bearing message as fragments of 576-byte datagrams that charon
    /// reassembles. These tests fail, never skip, when they cannot run: they need root (or password-less sudo), iproute2
    /// and Debian's strongswan-charon, strongswan-swanctl and strongswan-pki.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanFragmentationInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanFragmentationInteropTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void StrongSwanInitiates_ForcedFragmentation_Certificates_BothSidesReassemble_MsIkee_3_3() => Run("frag-sw-initiates-cert");

        [Fact]
        public void IkexInitiates_ToStrongSwanWithForcedFragmentation_Certificates_BothSidesReassemble_MsIkee_3_3() => Run("frag-we-initiate-cert");

        private void Run(string scenario)
        {
            var required = InteropScript.StrongSwan();
            required["/usr/bin/pki"] = "strongswan-pki"; // RSA-3072 certificates make messages large enough to fragment
            InteropScript.Run(_output, "ikev1-fragmentation.sh", scenario, required);
        }
    }
}
