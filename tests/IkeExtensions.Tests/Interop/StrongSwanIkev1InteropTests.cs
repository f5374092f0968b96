using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Interop
{
    /// <summary>
    /// The strongSwan interop tests share UDP 500 inside their namespaces and take seconds each: never in parallel
    /// with one another (xunit runs non-parallel collections after the parallel ones).
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class StrongSwanInteropCollection
    {
        public const string Name = "strongSwan interop (network namespaces)";
    }

    /// <summary>
    /// IKEv1 against a real strongSwan charon: each test runs tests/interop/ikev1-strongswan.sh with the built ikex.dll
    /// (two network namespaces, charon in one, ikex in the other) and expects its "PASS scenario" line.
    /// These tests fail, never skip, when they cannot run: they need root (or password-less sudo) and Debian's
    /// strongswan-charon, strongswan-swanctl, libcharon-extra-plugins and iproute2 (.ci/run installs them); the
    /// certificate scenarios also need strongswan-pki.
    /// </summary>
    [Collection(StrongSwanInteropCollection.Name)]
    public sealed class StrongSwanIkev1InteropTests
    {
        private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);
        private readonly ITestOutputHelper _output;

        public StrongSwanIkev1InteropTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void StrongSwanInitiates_Ikev1Psk_Aes256Sha256Modp2048_ToIkexResponder() => Run("sw-initiates-aes256-sha256-modp2048");

        [Fact]
        public void StrongSwanInitiates_Ikev1Psk_Aes128Sha1Modp2048_ToIkexResponder() => Run("sw-initiates-aes128-sha1-modp2048");

        [Fact]
        public void StrongSwanInitiates_Ikev1Psk_Aes128Sha256Ecp256_ToIkexResponder() => Run("sw-initiates-aes128-sha256-ecp256");

        [Fact]
        public void IkexInitiates_Ikev1Psk_Aes256Sha256Modp2048_ToStrongSwanResponder() => Run("we-initiate-aes256-sha256-modp2048");

        [Fact]
        public void IkexInitiates_Ikev1Psk_Aes128Sha1Modp2048_ToStrongSwanResponder() => Run("we-initiate-aes128-sha1-modp2048");

        [Fact]
        public void IkexInitiates_Ikev1Psk_Aes128Sha256Ecp256_ToStrongSwanResponder() => Run("we-initiate-aes128-sha256-ecp256");

        [Fact]
        public void IkexInitiates_Ikev1Psk_TransportMode_ToStrongSwanResponder() => Run("we-initiate-transport");

        /// <summary>RSA signatures over X.509 (RFC 2409 §5.1): throw-away CA and RSA-3072 certificates from strongSwan's pki.</summary>
        [Fact]
        public void StrongSwanInitiates_Ikev1Certificates_ToIkexResponder() => Run("sw-initiates-cert");

        [Fact]
        public void IkexInitiates_Ikev1Certificates_ToStrongSwanResponder() => Run("we-initiate-cert");

        private void Run(string scenario)
        {
            string repo = FindRepoRoot();
            string script = Path.Combine(repo, "tests", "interop", "ikev1-strongswan.sh");
            string ikexDll = FindIkexDll(repo);
            CheckPrerequisites(needsPki: scenario.EndsWith("-cert", StringComparison.Ordinal));

            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Environment.IsPrivilegedProcess)
            {
                psi.FileName = "bash";
            }
            else
            {
                // Namespaces need root: use password-less sudo when there is one, else fail saying so.
                if (RunQuietly("sudo", "-n", "true") != 0)
                    Assert.Fail($"{scenario}: the strongSwan interop tests need root (network and mount namespaces); run the tests as root or with password-less sudo.");
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
                // SIGTERM first so the script's trap removes its namespaces and stops charon/ikex.
                RunQuietly("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
                    process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(); // drains the asynchronous readers
            string text;
            lock (output) text = output.ToString();
            _output.WriteLine(text);

            Assert.True(finished, $"{scenario} did not finish within {ScenarioTimeout.TotalSeconds} s. Output:\n{text}");
            string last = text.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.Length > 0) ?? "";
            Assert.True(process.ExitCode == 0 && last == "PASS " + scenario,
                $"{scenario}: exit {process.ExitCode}, last line '{last}'. Output of {script}:\n{text}");
        }

        private static void CheckPrerequisites(bool needsPki)
        {
            string[] required = { "/usr/lib/ipsec/charon", "/usr/sbin/swanctl" };
            string[] missing = required.Where(p => !File.Exists(p)).ToArray();
            if (missing.Length > 0)
                Assert.Fail($"strongSwan is not installed ({string.Join(", ", missing)} missing): apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins iproute2 (.ci/run does this).");
            if (needsPki && !File.Exists("/usr/bin/pki"))
                Assert.Fail("strongSwan's pki is not installed (/usr/bin/pki missing; the certificate scenarios make a throw-away CA with it): apt-get install strongswan-pki.");
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tests", "interop", "ikev1-strongswan.sh")))
                    return dir.FullName;
            }
            throw new InvalidOperationException($"tests/interop/ikev1-strongswan.sh not found above {AppContext.BaseDirectory}");
        }

        /// <summary>
        /// ikex.dll: $IKEX_DLL if set; next to this test assembly; else the CLI project's output for this test build's
        /// configuration (the test project references the CLI project without copying it); else the newest CLI build.
        /// </summary>
        private static string FindIkexDll(string repo)
        {
            string? fromEnv = Environment.GetEnvironmentVariable("IKEX_DLL");
            if (!string.IsNullOrEmpty(fromEnv))
                return File.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : throw new InvalidOperationException($"IKEX_DLL={fromEnv} does not exist");

            string beside = Path.Combine(AppContext.BaseDirectory, "ikex.dll");
            if (File.Exists(beside)) return beside;

            string cliBin = Path.Combine(repo, "src", "IkeExtensions.Cli", "bin");
            // .../tests/IkeExtensions.Tests/bin/<Configuration>/net10.0/ => the same configuration for the CLI.
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
