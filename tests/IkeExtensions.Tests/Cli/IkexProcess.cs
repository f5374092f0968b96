using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>
    /// Runs the built <c>ikex.dll</c> with <c>dotnet</c> (the test project builds the CLI but does not reference it): found next
    /// to the tests or in src/IkeExtensions.Cli/bin/&lt;configuration&gt;/net10.0, built once if absent.
    /// </summary>
    internal static class IkexProcess
    {
        public sealed record Result(int ExitCode, string StdOut, string StdErr);

        private static readonly Lazy<string> Dll = new Lazy<string>(FindOrBuild, LazyThreadSafetyMode.ExecutionAndPublication);

        public static Result Run(params string[] args)
        {
            using var p = Process.Start(StartInfo(args))!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000), "ikex did not finish in 120 s");
            return new Result(p.ExitCode, stdout, stderr.Result);
        }

        /// <summary>Starts ikex and collects its stderr lines as they come (for long-running commands).</summary>
        public static Process Start(BlockingCollection<string> stderrLines, params string[] args)
        {
            var p = new Process { StartInfo = StartInfo(args) };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) stderrLines.Add(e.Data); };
            p.Start();
            p.BeginErrorReadLine();
            return p;
        }

        private static ProcessStartInfo StartInfo(string[] args)
        {
            var psi = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Dll.Value);
            foreach (var a in args) psi.ArgumentList.Add(a);
            return psi;
        }

        private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is string host && File.Exists(host) ? host : "dotnet";

        private static string FindOrBuild()
        {
            string beside = Path.Combine(AppContext.BaseDirectory, "ikex.dll");
            if (File.Exists(beside)) return beside;
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string configuration = baseDir.Parent?.Name ?? "Debug";
            var root = baseDir;
            while (root != null && !File.Exists(Path.Combine(root.FullName, "IkeExtensions.sln"))) root = root.Parent;
            Assert.True(root != null, "repository root (IkeExtensions.sln) not found above " + AppContext.BaseDirectory);
            string project = Path.Combine(root!.FullName, "src", "IkeExtensions.Cli");
            string dll = Path.Combine(project, "bin", configuration, "net10.0", "ikex.dll");
            if (File.Exists(dll)) return dll;
            var psi = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "build", project, "-c", configuration, "--nologo", "-v", "q" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0 && File.Exists(dll), "building ikex failed:\n" + output + err.Result);
            return dll;
        }
    }

    /// <summary>A temporary directory for PSK and policy files, removed afterwards.</summary>
    internal sealed class TempFiles : IDisposable
    {
        public TempFiles() => Directory.CreateDirectory(Root);
        public string Root { get; } = Path.Combine(Path.GetTempPath(), "ikex-cli-" + Guid.NewGuid().ToString("N"));

        public string Write(string name, string content)
        {
            string path = Path.Combine(Root, name);
            File.WriteAllText(path, content);
            return path;
        }

        public string PathOf(string name) => Path.Combine(Root, name);

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
        }
    }
}
