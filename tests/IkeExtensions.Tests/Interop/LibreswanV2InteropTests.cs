using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv2 beyond PSK against a real libreswan pluto (Debian 12's 4.10): each test runs tests/interop/libreswan-v2.sh with
    /// the built ikex.dll (pluto in one network namespace, ikex in the other) and expects its "PASS scenario" line. RSA-3072
    /// (and ECDSA P-256) certificates from a throw-away CA (pluto's in its NSS database), ID_DER_ASN1_DN identities. The script asserts both
    /// sides' views: the IKE SA established with the same SPIs on both; pluto authenticated our certificate (its log names
    /// the RFC 7427 PKCS#1 1.5 SHA2_256 signature and the CA) and we authenticated pluto's (our row's certificate subject and
    /// method) — as initiator pluto signs with RSASSA-PSS; with fragmentation, how many Encrypted Fragment payloads each side
    /// sent and the other reassembled; through a NAT (libreswan-nat.sh, nftables masquerade, PSK), both sides' NAT detection and
    /// the 4500 ports; rekeying and deletion of the IKE SA by pluto (libreswan-lifecycle.sh). The child cannot be installed (no ESP in this kernel), as in LibreswanInteropTests.
    /// These tests fail, never skip, when they cannot run.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class LibreswanV2InteropTests
    {
        private readonly ITestOutputHelper _output;

        public LibreswanV2InteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>pluto initiates with its RSA certificate and an RSASSA-PSS SHA2_512 signature (RFC 7427 A.4), which we verify; it verifies ours.</summary>
        [Fact]
        public void LibreswanInitiates_Ikev2RsaCertificates_RsassaPssAndPkcs1Signatures_ToIkexResponder_Rfc7296_2_15_Rfc7427_3() => Run("lsw-v2-cert-rsa");

        /// <summary>ikex initiate --cert/--key/--ca to pluto: both authenticate each other's certificate DN chained to the test CA.</summary>
        [Fact]
        public void IkexInitiates_Ikev2RsaCertificates_ToLibreswanResponder_Rfc7296_2_15_Rfc7427_3() => Run("lsw-v2-we-initiate-cert-rsa");

        /// <summary>pluto (fragmentation=yes) initiates; its IKE_AUTH request arrives in SKF fragments we reassemble, our response goes in 300-byte fragments it reassembles.</summary>
        [Fact]
        public void LibreswanInitiates_Ikev2Fragmentation_BothIkeAuthMessagesFragmented_ToIkexResponder_Rfc7383_2_5_2_6() => Run("lsw-v2-frag");

        /// <summary>ikex initiate --fragment-size 300 to pluto: our IKE_AUTH request and pluto's response are both fragmented and reassembled.</summary>
        [Fact]
        public void IkexInitiates_Ikev2Fragmentation_BothIkeAuthMessagesFragmented_ToLibreswanResponder_Rfc7383_2_5_2_6() => Run("lsw-v2-we-initiate-frag");

        /// <summary>pluto (authby=ecdsa) initiates with a P-256 certificate and an ecdsa-with-SHA512 RFC 7427 signature; pluto verifies our ecdsa-with-SHA256.</summary>
        [Fact]
        public void LibreswanInitiates_Ikev2EcdsaP256Certificates_ToIkexResponder_Rfc7427_3() => Run("lsw-v2-cert-ecdsa");

        /// <summary>ikex initiate with a P-256 certificate to pluto (authby=ecdsa): both verify each other's RFC 7427 ECDSA signature.</summary>
        [Fact]
        public void IkexInitiates_Ikev2EcdsaP256Certificates_ToLibreswanResponder_Rfc7427_3() => Run("lsw-v2-we-initiate-cert-ecdsa");

        /// <summary>ikex initiate from behind an nftables masquerade to pluto: both detect the NAT in front of us (NAT_DETECTION_*_IP), IKE_AUTH on 4500, pluto sets the child up as ESP in UDP.</summary>
        [Fact]
        public void IkexBehindNat_InitiatesIkev2Psk_ToLibreswan_FloatsTo4500_BothDetectTheNat_Rfc7296_2_23() => Run("lsw-v2-nat-we-initiate", "libreswan-nat.sh");

        /// <summary>pluto behind the NAT initiates to ikex responder: pluto floats to 4500 and we follow it to the NAT's address and port.</summary>
        [Fact]
        public void LibreswanBehindNat_InitiatesIkev2Psk_ToIkexResponder_WeFollowItTo4500_Rfc7296_2_23() => Run("lsw-v2-nat-lsw-initiates", "libreswan-nat.sh");

        /// <summary>whack --rekey-ike on the IKE SA we initiated: pluto's CREATE_CHILD_SA rekey gives the same new SPIs on both sides, the old SA is deleted on both, and the new SA's keys work (pluto's Delete on it is decrypted).</summary>
        [Fact]
        public void LibreswanRekeysIkeSa_WeRespond_SameNewSpis_OldSaDeletedOnBoth_Rfc7296_1_3_2_2_18() => Run("lsw-v2-rekeys-ike", "libreswan-lifecycle.sh");

        /// <summary>Our 10 s IKE SA lifetime: at the soft lifetime we rekey towards pluto (CREATE_CHILD_SA), pluto's rekeyed state has our new SPIs, both delete the old SA, and pluto decrypts our Delete on the new one.</summary>
        [Fact]
        public void IkexRekeysIkeSaAtSoftLifetime_LibreswanResponds_SameNewSpis_OldSaDeletedOnBoth_Rfc7296_1_3_2_2_18() => Run("lsw-v2-we-rekey-ike", "libreswan-lifecycle.sh");

        /// <summary>whack --terminate: pluto's INFORMATIONAL Delete of the IKE SA removes ours and we answer it.</summary>
        [Fact]
        public void LibreswanDeletesIkeSa_WeRemoveOursAndAnswer_Rfc7296_1_4_1() => Run("lsw-v2-deletes-ike", "libreswan-lifecycle.sh");

        private void Run(string scenario, string script = "libreswan-v2.sh")
        {
            // Checked here, not through InteropScript's apt hint: `apt-get install libreswan` would remove strongSwan.
            string root = Environment.GetEnvironmentVariable("LIBRESWAN_ROOT") is { Length: > 0 } r ? r : "/opt/libreswan";
            var missing = new[] { "pluto", "whack", "addconn" }
                .Select(f => Path.Combine(root, "usr", "libexec", "ipsec", f)).Where(f => !File.Exists(f)).ToList();
            if (missing.Count > 0)
                Assert.Fail($"{scenario}: libreswan is not unpacked ({string.Join(", ", missing)} missing): run .ci/run, or " +
                    $"`apt-get download libreswan && dpkg-deb -x libreswan_*.deb {root}` (not apt-get install: it conflicts with strongswan-charon).");
            InteropScript.Run(_output, script, scenario, new Dictionary<string, string>
            {
                ["/usr/bin/certutil"] = "libnss3-tools",
                ["/usr/bin/pk12util"] = "libnss3-tools",
                ["/usr/bin/pki"] = "strongswan-pki",
                ["/usr/bin/openssl"] = "openssl",
                ["/usr/sbin/nft"] = "nftables",
            });
        }
    }
}
