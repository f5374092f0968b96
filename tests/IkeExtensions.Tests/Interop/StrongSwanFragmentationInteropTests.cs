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
        private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);
        private readonly ITestOutputHelper _output;

        public StrongSwanFragmentationInteropTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void StrongSwanInitiates_ForcedFragmentation_Certificates_BothSidesReassemble_MsIkee_3_3() => Run("frag-sw-initiates-cert");

        [Fact]
        public void IkexInitiates_ToStrongSwanWithForcedFragmentation_Certificates_BothSidesReassemble_MsIkee_3_3() => Run("frag-we-initiate-cert");

        private void Run(string scenario)
        {
            string repo = FindRepoRoot();
            string script = Path.Combine(repo, "tests", "interop", "ikev1-fragmentation.sh");
            string ikexDll = FindIkexDll(repo);
            string[] required = { "/usr/lib/ipsec/charon", "/usr/sbin/swanctl", "/usr/bin/pki" };
            string[] missing = required.Where(p => !File.Exists(p)).ToArray();
            if (missing.Length > 0)
                Assert.Fail($"strongSwan is not installed ({string.Join(", ", missing)} missing): apt-get install strongswan-charon strongswan-swanctl strongswan-pki iproute2 (.ci/run does this).");

            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Environment.IsPrivilegedProcess)
            {
                psi.FileName = "bash";
            }
            else
            {
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
            process.WaitForExit();
            string text;
            lock (output) text = output.ToString();
            _output.WriteLine(text);

            Assert.True(finished, $"{scenario} did not finish within {ScenarioTimeout.TotalSeconds} s. Output:\n{text}");
            string last = text.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.Length > 0) ?? "";
            Assert.True(process.ExitCode == 0 && last == "PASS " + scenario,
                $"{scenario}: exit {process.ExitCode}, last line '{last}'. Output of {script}:\n{text}");
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tests", "interop", "ikev1-fragmentation.sh")))
                    return dir.FullName;
            }
            throw new InvalidOperationException($"tests/interop/ikev1-fragmentation.sh not found above {AppContext.BaseDirectory}");
        }

        /// <summary>ikex.dll: $IKEX_DLL if set; beside the tests; the CLI build of this configuration; else the newest CLI build.</summary>
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
