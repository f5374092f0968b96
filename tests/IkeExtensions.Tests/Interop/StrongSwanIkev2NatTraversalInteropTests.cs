using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 NAT traversal (RFC 7296 §2.23, RFC 3948) against a real strongSwan charon through an nftables masquerade
    /// router (three network namespaces): each test runs tests/interop/ikev2-nat.sh with the built ikex.dll and expects
    /// its "PASS scenario" line. charon uses kernel-libipsec, so it installs its UDP-encapsulated child and both
    /// negotiations complete. The script checks both sides' SA listings (the NAT's address, port 4500 or the NAT's
    /// mapping of it, TUNNEL-in-UDP / UdpEncapsulatedTunnel, the same SPIs) and the wire with tcpdump + tshark
    /// (IKE_SA_INIT on 500, IKE_AUTH onwards on 4500 with the non-ESP marker, NAT-keepalives from the side behind the NAT).
    /// These tests fail, never skip, when they cannot run: they need root (or password-less sudo), strongswan-charon,
    /// strongswan-swanctl, libcharon-extra-plugins, iproute2, nftables, tcpdump and tshark.
    /// Same collection as the other strongSwan tests: they all use UDP 500/4500 and never run in parallel.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev2NatTraversalInteropTests
    {
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev2NatTraversalInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>ikex initiate --ike-version 2 behind the NAT: detects it, floats to 4500 for IKE_AUTH, child UDP-encapsulated, keepalive after 20 s.</summary>
        [Fact]
        public void Rfc7296_2_23_IkexInitiatesFromBehindNat_ToStrongSwan_FloatsTo4500_UdpEncapsulatedChild_Keepalives() => Run("v2-nat-we-initiate");

        /// <summary>As above through a port-changing NAT (nftables "masquerade random"): charon follows the NAT's mapping.</summary>
        [Fact]
        public void Rfc7296_2_23_IkexInitiatesFromBehindPortChangingNat_ToStrongSwan_CharonFollowsTheMappedPort() => Run("v2-nat-we-initiate-random");

        /// <summary>charon behind the NAT initiates: our responder follows it to 4500 after the integrity check; charon's keepalives are dropped as such.</summary>
        [Fact]
        public void Rfc7296_2_23_StrongSwanInitiatesFromBehindNat_IkexResponderFollowsTo4500() => Run("v2-nat-sw-initiates");

        /// <summary>As above through a port-changing NAT: our responder follows the NAT's random mapping of charon's 4500.</summary>
        [Fact]
        public void Rfc7296_2_23_StrongSwanInitiatesFromBehindPortChangingNat_IkexResponderFollowsTheMappedPort() => Run("v2-nat-sw-initiates-random");

        /// <summary>No NAT, ikex initiate --encap (strongSwan's encap = yes): charon sees our faked NAT, both float to 4500 and encapsulate; no keepalives.</summary>
        [Fact]
        public void Rfc7296_2_23_IkexInitiatesWithForcedEncapsulation_NoNat_BothOn4500_UdpEncapsulatedChild() => Run("v2-encap-we-initiate");

        private void Run(string scenario)
        {
            var required = InteropScript.StrongSwan();
            required["/usr/bin/tshark"] = "tshark";
            required["/usr/bin/tcpdump"] = "tcpdump";
            required["/usr/sbin/nft"] = "nftables";
            required["/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"] = "libcharon-extra-plugins";
            InteropScript.Run(_output, "ikev2-nat.sh", scenario, required);
        }
    }
}
