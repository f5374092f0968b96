using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy.Json;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using IkeExtensions.Tests.Cli;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>`ikex policy apply|remove|show` (platform error off Windows, --dry-run anywhere) and `ikex responder --policy` with a versioned policy file.</summary>
    public class PolicyApplyCliTests
    {
        private static string NewPolicy(TempFiles files, string name, params string[] more)
        {
            string path = files.PathOf(name);
            var r = IkexProcess.Run(new[] { "policy", "new", "--out", path }.Concat(more).ToArray());
            Assert.True(r.ExitCode == 0, r.StdErr);
            return path;
        }

        [Theory]
        [InlineData("apply", "Applying IPsec policy 'IkeExtensions Transport Mode'")]
        [InlineData("apply --dynamic", "Applying IPsec policy 'IkeExtensions Transport Mode'")]
        [InlineData("remove --name Corp", "Removing IPsec policy 'Corp'")]
        [InlineData("show", "Reading the applied IPsec policies")]
        [InlineData("show --json", "Reading the applied IPsec policies")]
        public void Off_windows_apply_remove_and_show_exit_1_with_the_one_line_platform_error(string command, string operation)
        {
            Assert.False(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), "this suite runs on Linux CI");
            using var files = new TempFiles();
            string policy = NewPolicy(files, "p.json", "--kind", "transport");
            var args = new[] { "policy" }.Concat(command.Split(' ')).ToList();
            if (command.StartsWith("apply", StringComparison.Ordinal)) args.AddRange(new[] { "--policy", policy });

            var r = IkexProcess.Run(args.ToArray());

            Assert.Equal(1, r.ExitCode);
            Assert.Equal("", r.StdOut);
            string line = Assert.Single(r.StdErr.TrimEnd().Split('\n'));
            Assert.StartsWith($"ikex policy {command.Split(' ')[0]}: {operation} needs the Windows Filtering Platform", line);
            Assert.Contains(RuntimeInformation.OSDescription.Trim(), line);
            Assert.EndsWith("'ikex policy apply --dry-run' shows the plan on any OS.", line);
        }

        [Fact]
        public void Dry_run_prints_every_object_to_add_against_the_empty_state()
        {
            using var files = new TempFiles();
            string path = NewPolicy(files, "nd.json", "--kind", "nd", "--exempt-icmp", "--address-family", "ipv4");
            var r = IkexProcess.Run("policy", "apply", "--policy", path, "--dry-run");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal("", r.StdErr);
            var lines = r.StdOut.TrimEnd().Split('\n');
            var policy = IpsecPolicyJson.Load(path);
            var compiled = WfpCompiler.Compile(policy).Objects;
            Assert.Equal($"plan for policy '{policy.Name}' (persistent) against the empty state: {compiled.Count} to add, 0 to replace, 0 to remove, 0 unchanged", lines[0]);
            Assert.Equal(compiled.Count, lines.Length - 1);
            Assert.Contains(WfpObjectMapper.ProviderKeyFor(policy.Name).ToString(), lines[1]);
            foreach (var (o, line) in compiled.Skip(1).Zip(lines.Skip(2), (o, l) => (o, l)))
                Assert.Matches($@"^  add\s+{o.Kind}\s+{o.Key}  {Regex.Escape(o.Name)}$", line);
        }

        [Fact]
        public void Dry_run_against_a_policy_or_a_state_shows_replacements_removals_and_unchanged_objects()
        {
            using var files = new TempFiles();
            string v1 = NewPolicy(files, "v1.json", "--kind", "nd", "--exempt-icmp", "--address-family", "ipv4", "--name", "Corp", "--description", "Corp");
            string v2 = NewPolicy(files, "v2.json", "--kind", "nd-boundary", "--address-family", "ipv4", "--name", "Corp", "--description", "Corp");

            var same = IkexProcess.Run("policy", "apply", "--policy", v1, "--dry-run", "--current", v1);
            Assert.True(same.ExitCode == 0, same.StdErr);
            Assert.Contains("0 to add, 0 to replace, 0 to remove, 12 unchanged", same.StdOut);

            // nd → nd-boundary without the exemption (same description): the QM context (ND_BOUNDARY) and its filter are
            // replaced, the ALE filters and the ICMP exemptions go; provider, sublayer, MM context and filter and the
            // transport callout filters (same rawContext) stay.
            var change = IkexProcess.Run("policy", "apply", "--policy", v2, "--dry-run", "--current", v1);
            Assert.True(change.ExitCode == 0, change.StdErr);
            Assert.Contains("0 to add, 2 to replace, 4 to remove, 6 unchanged", change.StdOut.Split('\n')[0]);
            Assert.Contains(change.StdOut.Split('\n'), l => Regex.IsMatch(l, @"^  replace\s+ProviderContext\s+\S+  Corp - quick mode \(IKEv1\)$"));

            // The state a Windows host prints with 'ikex policy show --json' (built here through the double).
            using var wfp = new WfpStoreDouble();
            var store = new PolicyStore(wfp);
            store.Apply(IpsecPolicyJson.Load(v1), WfpPersistence.Persistent);
            string state = files.Write("state.json", PolicyStoreJson.Serialize(store.Get(), store.Snapshot()));
            var fromState = IkexProcess.Run("policy", "apply", "--policy", v2, "--dry-run", "--current", state);
            Assert.True(fromState.ExitCode == 0, fromState.StdErr);
            Assert.Equal(change.StdOut.Split('\n').Skip(1), fromState.StdOut.Split('\n').Skip(1));
            Assert.Contains("against 'state.json' (12 objects)", fromState.StdOut);
        }

        [Theory]
        [InlineData("ikex policy apply: --policy: file not found: 'missing.json'", "--policy", "missing.json")]
        [InlineData("ikex policy apply: --current needs --dry-run", "--policy", "{p}", "--current", "{p}")]
        [InlineData("ikex policy apply: --current: file not found: 'nope.json'", "--policy", "{p}", "--dry-run", "--current", "nope.json")]
        [InlineData("ikex policy apply: junk.json: not a policy file (no schemaVersion) nor a state (no \"objects\" array, as 'ikex policy show --json' writes)", "--policy", "{p}", "--dry-run", "--current", "{junk}")]
        public void Bad_input_is_one_line_and_exit_2(string message, params string[] args)
        {
            using var files = new TempFiles();
            string p = NewPolicy(files, "p.json", "--kind", "transport");
            string junk = files.Write("junk.json", "{\"hello\": 1}");
            var r = IkexProcess.Run(new[] { "policy", "apply" }.Concat(args.Select(a => a.Replace("{p}", p).Replace("{junk}", junk))).ToArray());
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(message, r.StdErr.TrimEnd());
            Assert.Equal("", r.StdOut);
        }

        [Fact]
        public void A_policy_without_its_preshared_key_cannot_be_applied_even_in_a_dry_run()
        {
            using var files = new TempFiles();
            string psk = files.Write("psk", "TestOnly-Cli-Psk-31337\n");
            string path = NewPolicy(files, "psk.json", "--kind", "transport", "--psk-file", psk, "--name", "Branch");
            var r = IkexProcess.Run("policy", "apply", "--policy", path, "--dry-run");
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith("ikex policy apply: policy 'Branch': ", r.StdErr);
            Assert.Contains("pre-shared key", r.StdErr);

            string withKey = NewPolicy(files, "psk2.json", "--kind", "transport", "--psk-file", psk, "--name", "Branch", "--include-secrets");
            var ok = IkexProcess.Run("policy", "apply", "--policy", withKey, "--dry-run");
            Assert.True(ok.ExitCode == 0, ok.StdErr);
            Assert.DoesNotContain("TestOnly", ok.StdOut + ok.StdErr);
        }

        [Fact]
        public void Responder_runs_a_versioned_policy_file_and_negotiates_with_ikex_initiate()
        {
            if (OperatingSystem.IsWindows()) return; // SIGTERM: Linux/macOS
            using var files = new TempFiles();
            const string Psk = "cli-policy-responder-key";
            string psk = files.Write("psk", Psk + "\n");
            // Only AES128/SHA256/DH19 in main mode and ESP AES128/SHA256 in quick mode: a negotiation proves the file was used.
            var policy = IpsecPolicy.CreateSeed(PolicyKind.Transport, AddressFamilies.IPv4, name: "Responder policy");
            policy.MainModeCrypto = new MainModeCryptoSet("mm", new[] { new MainModeCryptoProposal(Encryption.AES128, Hash.SHA256, DhGroup.DH19) });
            policy.QuickModeCrypto = new QuickModeCryptoSet("qm", new[] { QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA256) });
            string policyFile = files.Write("policy.json", IpsecPolicyJson.Serialize(policy));
            Assert.True(PolicyFiles.IsVersionedPolicy(File.ReadAllText(policyFile)));

            var stderr = new BlockingCollection<string>();
            using var responder = IkexProcess.Start(stderr, "responder", "--address", "127.0.0.1", "--port", "0", "--nat-port", "0",
                "--psk-file", psk, "--policy", policyFile);
            try
            {
                string? listening = null;
                while (listening == null && stderr.TryTake(out var line, TimeSpan.FromSeconds(30)))
                    if (line.Contains("info: listening on ", StringComparison.Ordinal)) listening = line;
                Assert.True(listening != null, "the responder did not start: " + string.Join("\n", stderr));
                string port = Regex.Match(listening!, @"listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;

                var r = IkexProcess.Run("initiate", "--address", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1", "--peer-port", port,
                    "--psk-file", psk, "--policy", policyFile, "--json");
                Assert.True(r.ExitCode == 0, r.StdErr);
                using var doc = JsonDocument.Parse(r.StdOut);
                var mm = doc.RootElement.GetProperty("mainModeSa");
                Assert.Equal("Established", mm.GetProperty("state").GetString());
                Assert.Equal(19, mm.GetProperty("groupId").GetInt32());
                Assert.Equal("Established", doc.RootElement.GetProperty("quickModeSa").GetProperty("state").GetString());
            }
            finally
            {
                if (!responder.HasExited)
                {
                    using (var kill = System.Diagnostics.Process.Start("kill", new[] { "-TERM", responder.Id.ToString(CultureInfo.InvariantCulture) })) kill.WaitForExit();
                    if (!responder.WaitForExit(30_000)) responder.Kill();
                }
            }
            Assert.Equal(0, responder.ExitCode);
        }
    }
}
