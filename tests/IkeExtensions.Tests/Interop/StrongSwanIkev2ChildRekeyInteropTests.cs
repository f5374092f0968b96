using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 CHILD SA rekeying (RFC 7296 §1.3.3, §2.8) against a real strongSwan charon: each test runs
    /// tests/interop/ikev2-child-rekey.sh with the built ikex.dll and expects its "PASS scenario" line. charon uses
    /// kernel-libipsec (userspace ESP; this kernel has no ESP for kernel-netlink), so it installs and keeps the tunnel-mode
    /// child it negotiates with our `ikex responder` (UDP-encapsulated, IKE on port 4500). After each rekey both sides list
    /// exactly one established child with the same new SPIs on the same IKE SA, neither lists the old child's SPIs, and
    /// both logs show CREATE_CHILD_SA with REKEY_SA and the old child's Delete.
    /// These tests fail, never skip, when they cannot run: they need root (or password-less sudo), iproute2,
    /// strongswan-charon, strongswan-swanctl, libcharon-extra-plugins and /dev/net/tun.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev2ChildRekeyInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev2ChildRekeyInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>`swanctl --rekey --child`: charon rekeys the child against our responder, then deletes the old one (§1.3.3).</summary>
        [Fact]
        public void Rfc7296_1_3_3_StrongSwanRekeysTheChild_IkexResponderMovesToTheNewSpis() => Run("v2-sw-rekeys-child");

        /// <summary>A 30 s child lifetime in our policy file: we rekey the child at its soft lifetime towards charon and delete the old one (§2.8, §1.3.3).</summary>
        [Fact]
        public void Rfc7296_2_8_IkexRekeysTheChildAtItsSoftLifetime_TowardsStrongSwan() => Run("v2-we-rekey-child");

        /// <summary>charon rekeys the child first, then we rekey the child charon's rekey made, all on one IKE SA.</summary>
        [Fact]
        public void Rfc7296_1_3_3_StrongSwanThenIkexRekeyTheSameChild() => Run("v2-child-rekey-both");

        /// <summary>
        /// Roles turned round: `ikex initiate --encap` makes IKE + child with charon responding; charon rekeys the child, then
        /// we rekey charon's new child at its soft lifetime (our side read from ikex initiate's log: it has no control socket).
        /// </summary>
        [Fact]
        public void Rfc7296_1_3_3_IkexInitiates_StrongSwanThenIkexRekeyTheChild() => Run("v2-we-initiate-child-rekey-both");

        /// <summary>With PFS (ESP with MODP_2048): charon's rekey carries KEi, our response KEr (§1.3.3 [KEi], §2.17 g^ir (new)).</summary>
        [Fact]
        public void Rfc7296_1_3_3_StrongSwanRekeysTheChildWithPfs_KeExchangedInCreateChildSa() => Run("v2-sw-rekeys-child-pfs");

        /// <summary>With PFS from our policy file's pfsGroup: our lifetime-driven rekey carries KEi, charon answers with KEr.</summary>
        [Fact]
        public void Rfc7296_1_3_3_IkexRekeysTheChildWithPfs_TowardsStrongSwan() => Run("v2-we-rekey-child-pfs");

        private void Run(string scenario)
        {
            var required = InteropScript.StrongSwan();
            required["/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"] = "libcharon-extra-plugins";
            InteropScript.Run(_output, "ikev2-child-rekey.sh", scenario, required);
        }
    }
}
