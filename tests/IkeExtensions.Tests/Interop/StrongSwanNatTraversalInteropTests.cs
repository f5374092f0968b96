using System;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv1 NAT traversal (MS-IKEE 3.2, RFC 3947/3948) against a real strongSwan charon: each test runs
    /// tests/interop/ikev1-nat.sh with the built ikex.dll and expects its "PASS scenario" line. nat-* scenarios put one
    /// side behind an nftables masquerade router (three network namespaces); libipsec-sw-initiates uses charon's
    /// kernel-libipsec, which fakes NAT-D so both sides float to 4500 and charon installs its UDP-encapsulated tunnel
    /// child in userspace, so the whole Quick Mode (QM3 included) completes. Every scenario checks the wire with tcpdump +
    /// tshark (4500 with the non-ESP marker after MM4, the Quick Mode decrypted with charon's key: encapsulation mode 3).
    /// These tests fail, never skip, when they cannot run: they need root (or password-less sudo), strongswan-charon,
    /// strongswan-swanctl, libcharon-extra-plugins, iproute2, nftables, tcpdump and tshark (.ci/run installs them).
    /// Same collection as the other strongSwan tests: they all use UDP 500/4500 and never run in parallel.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanNatTraversalInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanNatTraversalInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>ikex initiate behind the NAT, charon public: we detect the NAT in front of us, float, send NAT-OA and keep-alives.</summary>
        [Fact]
        public void IkexInitiatesFromBehindNat_ToStrongSwan_FloatsTo4500_UdpEncapsulatedTunnel_KeepAlives() => Run("nat-we-initiate");

        /// <summary>As above through a NAT that also changes ports (nftables "masquerade random").</summary>
        [Fact]
        public void IkexInitiatesFromBehindPortChangingNat_ToStrongSwan_FloatsToTheMappedPort() => Run("nat-we-initiate-random");

        /// <summary>charon behind the NAT initiates to ikex responder: both detect the NAT and float; charon's keep-alives are dropped as such.</summary>
        [Fact]
        public void StrongSwanInitiatesFromBehindNat_ToIkexResponder_BothFloatTo4500() => Run("nat-sw-initiates");

        /// <summary>As above through a port-changing NAT: our responder answers where MM5 came from (the NAT's random port).</summary>
        [Fact]
        public void StrongSwanInitiatesFromBehindPortChangingNat_ToIkexResponder_AnswersTheMappedPort() => Run("nat-sw-initiates-random");

        /// <summary>charon with kernel-libipsec initiates: full Quick Mode (QM3), child INSTALLED TUNNEL-in-UDP, same SPIs as ours.</summary>
        [Fact]
        public void StrongSwanKernelLibipsecInitiates_ToIkexResponder_QuickModeCompletes_TunnelInUdp() => Run("libipsec-sw-initiates");

        private void Run(string scenario)
        {
            var required = InteropScript.StrongSwan();
            required["/usr/bin/tshark"] = "tshark";
            required["/usr/bin/tcpdump"] = "tcpdump";
            if (scenario.StartsWith("nat-", StringComparison.Ordinal)) required["/usr/sbin/nft"] = "nftables";
            if (scenario.StartsWith("libipsec", StringComparison.Ordinal))
                required["/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"] = "libcharon-extra-plugins";
            InteropScript.Run(_output, "ikev1-nat.sh", scenario, required);
        }
    }
}
