using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// IKEv1 (RFC 2409) and IKEv2 (RFC 7296) with pre-shared keys against a real libreswan pluto (Debian 12's 4.10): each
    /// test runs tests/interop/libreswan.sh with the built ikex.dll (pluto in one network namespace, ikex in the other)
    /// and expects its "PASS scenario" line. The script asserts both sides' views: the Main Mode / IKE SA established on
    /// both with the same cookies/SPIs, algorithms, PSK authentication of ID_IPV4_ADDR identities, and how far the child
    /// gets: this kernel has no ESP and pluto installs its SAs before it completes Quick Mode / IKE_AUTH, so pluto
    /// accepts our Quick Mode or child proposal, fails to add the SA (whose SPI must be ours) and the child stops there.
    /// Debian's libreswan conflicts with strongswan-charon in apt, so .ci/run unpacks its .deb into /opt/libreswan
    /// (pluto runs from there in a private mount namespace) and installs libnss3-tools, libldns3 and
    /// libevent-pthreads-2.1-7. These tests fail, never skip, when they cannot run (not root, or libreswan missing).
    /// Same collection as the strongSwan tests: all of them bind UDP 500 in their namespaces and take seconds each.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class LibreswanInteropTests
    {
        private readonly ITestOutputHelper _output;

        public LibreswanInteropTests(ITestOutputHelper output) => _output = output;

        /// <summary>pluto (ikev2=no) initiates Main Mode PSK aes256-sha2_256;modp2048 and a tunnel-mode Quick Mode with PFS.</summary>
        [Fact]
        public void LibreswanInitiates_Ikev1MainModePsk_Aes256Sha256Modp2048_ToIkexResponder_Rfc2409_5_4() => Run("lsw-v1-initiates-psk");

        /// <summary>ikex initiate (IKEv1) to pluto: Main Mode established on both, pluto accepts our Quick Mode msgid and proposal.</summary>
        [Fact]
        public void IkexInitiates_Ikev1MainModePsk_Aes256Sha256Modp2048_ToLibreswanResponder_Rfc2409_5_4() => Run("lsw-v1-we-initiate-psk");

        /// <summary>pluto (ikev2=yes) initiates IKE_SA_INIT + IKE_AUTH (PSK) with a child; our child's inbound SPI is the SA pluto installs.</summary>
        [Fact]
        public void LibreswanInitiates_Ikev2Psk_Aes256Sha256Modp2048_ToIkexResponder_Rfc7296_1_2() => Run("lsw-v2-initiates-psk");

        /// <summary>ikex initiate --ike-version 2 to pluto: IKE SA on both; pluto refuses the child it cannot install (TS_UNACCEPTABLE) and decrypts our Delete.</summary>
        [Fact]
        public void IkexInitiates_Ikev2Psk_Aes256Sha256Modp2048_ToLibreswanResponder_Rfc7296_1_2() => Run("lsw-v2-we-initiate-psk");

        private void Run(string scenario)
        {
            // Checked here, not through InteropScript's apt hint: `apt-get install libreswan` would remove strongSwan.
            string root = Environment.GetEnvironmentVariable("LIBRESWAN_ROOT") is { Length: > 0 } r ? r : "/opt/libreswan";
            var missing = new[] { "pluto", "whack", "addconn" }
                .Select(f => Path.Combine(root, "usr", "libexec", "ipsec", f)).Where(f => !File.Exists(f)).ToList();
            if (missing.Count > 0)
                Assert.Fail($"{scenario}: libreswan is not unpacked ({string.Join(", ", missing)} missing): run .ci/run, or " +
                    $"`apt-get download libreswan && dpkg-deb -x libreswan_*.deb {root}` (not apt-get install: it conflicts with strongswan-charon).");
            InteropScript.Run(_output, "libreswan.sh", scenario, new Dictionary<string, string>
            {
                ["/usr/bin/certutil"] = "libnss3-tools",
            });
        }
    }
}
