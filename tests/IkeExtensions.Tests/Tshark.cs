using System;
using System.Diagnostics;
using System.IO;

namespace IkeExtensions.Tests
{
    /// <summary>Runs the system's Wireshark dissector (/usr/bin/tshark). Tests that use it fail, never skip, when it is missing.</summary>
    internal static class Tshark
    {
        public const string Path = "/usr/bin/tshark";

        /// <summary>Runs tshark with <paramref name="args"/> and returns its standard output; throws with stderr when it fails.</summary>
        public static string Run(params string[] args)
        {
            if (!File.Exists(Path))
                throw new InvalidOperationException($"tshark is required for this test and was not found at {Path} (apt-get install tshark).");
            var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Path}");
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                throw new TimeoutException("tshark did not finish within 120 s");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"tshark {string.Join(" ", args)} exited with {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
    }
}
