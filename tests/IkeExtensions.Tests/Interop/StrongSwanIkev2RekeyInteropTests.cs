using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 rekeying against a real strongSwan charon: each test runs tests/interop/ikev2-rekey.sh with the built ikex.dll
    /// and expects its "PASS scenario" line — after the rekey both sides list one ESTABLISHED IKEv2 SA with the same new
    /// SPIs and neither lists the old one. Child rekeying is not shown here (no ESP in this kernel, so charon with
    /// kernel-netlink deletes the child it cannot install); StrongSwanIkev2ChildRekeyInteropTests shows it with
    /// kernel-libipsec. These tests fail, never skip,
    /// when they cannot run: they need root (or password-less sudo), iproute2, strongswan-charon and strongswan-swanctl.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev2RekeyInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev2RekeyInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>`swanctl --rekey --ike`: charon rekeys the IKE SA against our responder and deletes the old one (RFC 7296 §1.3.2, §2.18).</summary>
        [Fact]
        public void StrongSwanRekeysTheIkeSa_IkexResponderMovesToTheNewSpis_Rfc7296_1_3_2() => Run("v2-sw-rekeys-ike");

        /// <summary>A 20 s IKE SA lifetime in our policy file: we rekey at the soft lifetime towards charon and delete the old SA (§2.8, §1.3.2).</summary>
        [Fact]
        public void IkexRekeysTheIkeSaAtItsSoftLifetime_TowardsStrongSwan_Rfc7296_2_8() => Run("v2-we-rekey-ike");

        /// <summary>charon rekeys first, then we rekey the rekeyed IKE SA (its message IDs restart at 0).</summary>
        [Fact]
        public void StrongSwanThenIkexRekeyTheSameIkeSa_Rfc7296_1_3_2() => Run("v2-rekey-both");

        private void Run(string scenario) => InteropScript.Run(_output, "ikev2-rekey.sh", scenario, InteropScript.StrongSwan());
    }
}
