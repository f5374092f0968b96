using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
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
        private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);
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
            string repo = FindRepoRoot();
            string script = Path.Combine(repo, "tests", "interop", "ikev1-nat.sh");
            string ikexDll = FindIkexDll(repo);
            CheckPrerequisites(libipsec: scenario.StartsWith("libipsec", StringComparison.Ordinal), nat: scenario.StartsWith("nat-", StringComparison.Ordinal));

            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Environment.IsPrivilegedProcess)
            {
                psi.FileName = "bash";
            }
            else
            {
                if (RunQuietly("sudo", "-n", "true") != 0)
                    Assert.Fail($"{scenario}: the strongSwan NAT-T interop tests need root (network and mount namespaces, nftables, tcpdump); run the tests as root or with password-less sudo.");
                psi.FileName = "sudo";
                psi.ArgumentList.Add("-n");
                psi.ArgumentList.Add("bash");
            }
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(scenario);
            psi.ArgumentList.Add(ikexDll);

            var output = new StringBuilder();
            using var process = new Process { StartInfo = psi };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            bool finished = process.WaitForExit(ScenarioTimeout);
            if (!finished)
            {
                // SIGTERM first so the script's trap removes its namespaces and stops charon/ikex/tcpdump.
                RunQuietly("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
                if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
                    process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
            string text;
            lock (output) text = output.ToString();
            _output.WriteLine(text);

            Assert.True(finished, $"{scenario} did not finish within {ScenarioTimeout.TotalSeconds} s. Output:\n{text}");
            string last = text.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.Length > 0) ?? "";
            Assert.True(process.ExitCode == 0 && last == "PASS " + scenario,
                $"{scenario}: exit {process.ExitCode}, last line '{last}'. Output of {script}:\n{text}");
        }

        private static void CheckPrerequisites(bool libipsec, bool nat)
        {
            var required = new (string Path, string Package)[]
            {
                ("/usr/lib/ipsec/charon", "strongswan-charon"),
                ("/usr/sbin/swanctl", "strongswan-swanctl"),
                ("/usr/bin/tshark", "tshark"),
            };
            string[] missing = required.Where(r => !File.Exists(r.Path)).Select(r => $"{r.Path} ({r.Package})").ToArray();
            if (!OnPath("tcpdump")) missing = missing.Append("tcpdump (tcpdump)").ToArray();
            if (nat && !OnPath("nft")) missing = missing.Append("nft (nftables)").ToArray();
            if (libipsec && !File.Exists("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"))
                missing = missing.Append("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so (libcharon-extra-plugins)").ToArray();
            if (missing.Length > 0)
                Assert.Fail($"NAT-T interop prerequisites missing: {string.Join(", ", missing)}. apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins iproute2 nftables tcpdump tshark (.ci/run does this).");
        }

        private static bool OnPath(string command) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/sbin", "/usr/bin" })
                .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, command)));

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tests", "interop", "ikev1-nat.sh")))
                    return dir.FullName;
            }
            throw new InvalidOperationException($"tests/interop/ikev1-nat.sh not found above {AppContext.BaseDirectory}");
        }

        /// <summary>ikex.dll as the other interop tests find it: $IKEX_DLL, beside the tests, the CLI build of this configuration, the newest.</summary>
        private static string FindIkexDll(string repo)
        {
            string? fromEnv = Environment.GetEnvironmentVariable("IKEX_DLL");
            if (!string.IsNullOrEmpty(fromEnv))
                return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : throw new InvalidOperationException($"IKEX_DLL={fromEnv} does not exist");
            string beside = Path.Combine(AppContext.BaseDirectory, "ikex.dll");
            if (File.Exists(beside)) return beside;
            string cliBin = Path.Combine(repo, "src", "IkeExtensions.Cli", "bin");
            var parts = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
            int bin = Array.LastIndexOf(parts, "bin");
            if (bin >= 0 && bin + 1 < parts.Length)
            {
                string same = Path.Combine(cliBin, parts[bin + 1], "net10.0", "ikex.dll");
                if (File.Exists(same)) return same;
            }
            var any = Directory.Exists(cliBin)
                ? new DirectoryInfo(cliBin).GetFiles("ikex.dll", SearchOption.AllDirectories)
                    .Where(f => f.Directory?.Name == "net10.0").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
                : null;
            return any?.FullName ?? throw new InvalidOperationException(
                $"ikex.dll not found (looked beside the tests and under {cliBin}/<Configuration>/net10.0); build src/IkeExtensions.Cli or set IKEX_DLL.");
        }

        private static int RunQuietly(string file, params string[] args)
        {
            try
            {
                var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in args) psi.ArgumentList.Add(a);
                using var p = Process.Start(psi);
                if (p == null) return -1;
                p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                p.WaitForExit();
                return p.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return -1;
            }
        }
    }
}
