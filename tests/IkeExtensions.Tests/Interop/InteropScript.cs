using System;
using System.Collections.Generic;
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
    /// Runs one scenario of a tests/interop/*.sh script with the built ikex.dll and expects its final "PASS scenario"
    /// line. Shared by every interop test class: they fail, never skip, when they cannot run (not root, or a tool
    /// missing — the message names the Debian package; .ci/run installs them).
    /// </summary>
    internal static class InteropScript
    {
        private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);

        /// <param name="required">Files that must exist (path → Debian package), checked before running.</param>
        public static void Run(ITestOutputHelper log, string scriptName, string scenario, IReadOnlyDictionary<string, string> required)
        {
            var missing = required.Where(r => !File.Exists(r.Key)).Select(r => $"{r.Key} ({r.Value})").ToList();
            if (missing.Count > 0)
                Assert.Fail($"{scenario}: prerequisites missing: {string.Join(", ", missing)}; apt-get install {string.Join(" ", required.Values.Distinct())} (.ci/run does this).");

            string repo = FindRepoRoot(scriptName);
            string script = Path.Combine(repo, "tests", "interop", scriptName);
            string ikexDll = FindIkexDll(repo);

            var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Environment.IsPrivilegedProcess)
            {
                psi.FileName = "bash";
            }
            else
            {
                // Namespaces need root: use password-less sudo when there is one, else fail saying so.
                if (RunQuietly("sudo", "-n", "true") != 0)
                    Assert.Fail($"{scenario}: the interop tests need root (network and mount namespaces); run the tests as root or with password-less sudo.");
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
            process.WaitForExit(); // drains the asynchronous readers
            string text;
            lock (output) text = output.ToString();
            log.WriteLine(text);

            Assert.True(finished, $"{scenario} did not finish within {ScenarioTimeout.TotalSeconds} s. Output:\n{text}");
            string last = text.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.Length > 0) ?? "";
            Assert.True(process.ExitCode == 0 && last == "PASS " + scenario,
                $"{scenario}: exit {process.ExitCode}, last line '{last}'. Output of {script}:\n{text}");
        }

        /// <summary>charon and swanctl: every scenario needs them.</summary>
        public static Dictionary<string, string> StrongSwan() => new Dictionary<string, string>
        {
            ["/usr/lib/ipsec/charon"] = "strongswan-charon",
            ["/usr/sbin/swanctl"] = "strongswan-swanctl",
        };

        private static string FindRepoRoot(string scriptName)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "tests", "interop", scriptName)))
                    return dir.FullName;
            throw new InvalidOperationException($"tests/interop/{scriptName} not found above {AppContext.BaseDirectory}");
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
