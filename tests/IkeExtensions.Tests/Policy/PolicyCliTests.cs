using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using IkeExtensions.Policy.Json;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tests.Cli;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>`ikex policy new` and `ikex policy compile` as processes.</summary>
    public class PolicyCliTests
    {
        public static TheoryDataRows Scenarios => PolicyTestData.Scenarios();

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void New_writes_the_seed_policy_and_compile_prints_its_golden_objects(string kind, string family)
        {
            using var files = new TempFiles();
            string path = files.PathOf("policy.json");
            var r = IkexProcess.Run("policy", "new", "--kind", kind, "--exempt-icmp", "--address-family", family, "--out", path);
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal("", r.StdErr);
            var policy = IpsecPolicyJson.Load(path);
            Assert.Equal(PolicyTestData.Kind(kind), policy.Kind);
            Assert.Equal(PolicyTestData.Family(family), policy.AddressFamilies);
            Assert.True(policy.ExemptIcmp);
            Assert.Equal(new[] { KeyingModule.IKEv1 }, policy.KeyingModules);

            var c = IkexProcess.Run("policy", "compile", "--policy", path, "--target", "wfp", "--json");
            Assert.True(c.ExitCode == 0, c.StdErr);
            var expected = JsonNode.Parse(File.ReadAllText(PolicyTestData.GoldenPath(kind, family)));
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(c.StdOut)), c.StdOut);
        }

        [Fact]
        public void New_defaults_to_both_families_ikev1_and_no_exemption()
        {
            var r = IkexProcess.Run("policy", "new", "--kind", "nd-boundary", "--out", "-");
            Assert.Equal(0, r.ExitCode);
            var p = IpsecPolicyJson.Parse(r.StdOut);
            Assert.Equal((PolicyKind.NegotiationDiscoveryBoundary, AddressFamilies.Both, false), (p.Kind, p.AddressFamilies, p.ExemptIcmp));
            Assert.Equal(new[] { KeyingModule.IKEv1 }, p.KeyingModules);
        }

        [Fact]
        public void Preshared_key_is_written_only_with_include_secrets()
        {
            using var files = new TempFiles();
            string psk = files.Write("psk", "TestOnly-NotForProd-12345\n");
            var hidden = IkexProcess.Run("policy", "new", "--kind", "transport", "--psk-file", psk, "--out", "-");
            Assert.Equal(0, hidden.ExitCode);
            Assert.DoesNotContain("TestOnly", hidden.StdOut);
            Assert.Contains("--include-secrets", hidden.StdErr);
            var shown = IkexProcess.Run("policy", "new", "--kind", "transport", "--psk-file", psk, "--include-secrets", "--keying", "ikev1,authip",
                "--cert-authority", "CN=CorpRootCA", "--out", "-");
            Assert.True(shown.ExitCode == 0, shown.StdErr);
            Assert.Contains("\"clear\": \"TestOnly-NotForProd-12345\"", shown.StdOut);
            Assert.Equal(new[] { KeyingModule.IKEv1, KeyingModule.AuthIP }, IpsecPolicyJson.Parse(shown.StdOut).KeyingModules);
        }

        [Theory]
        [InlineData("ikex policy new: --kind: 'tunnel' is not transport, nd or nd-boundary", "policy", "new", "--kind", "tunnel", "--out", "-")]
        [InlineData("ikex policy new: --address-family: 'ipx' is not ipv4, ipv6 or both", "policy", "new", "--kind", "nd", "--address-family", "ipx", "--out", "-")]
        [InlineData("ikex policy new: --keying: 'ikev3' is not ikev1, authip or ikev2", "policy", "new", "--kind", "nd", "--keying", "ikev3", "--out", "-")]
        [InlineData("ikex policy new: phase1AuthSet.proposals: no proposal can be used with IKEv2 (it takes Certificate only)", "policy", "new", "--kind", "nd", "--keying", "ikev2", "--out", "-")]
        [InlineData("ikex policy compile: --policy: file not found: 'missing.json'", "policy", "compile", "--policy", "missing.json", "--target", "wfp", "--json")]
        [InlineData("ikex policy compile: --target: 'ipsecpol' is not supported (wfp)", "policy", "compile", "--policy", "x.json", "--target", "ipsecpol")]
        public void Bad_input_is_one_line_and_exit_2(string message, params string[] args)
        {
            var r = IkexProcess.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(message, r.StdErr.TrimEnd());
            Assert.Equal("", r.StdOut);
        }

        [Fact]
        public void Compile_refuses_the_engine_proposal_format()
        {
            using var files = new TempFiles();
            string old = files.Write("old.json", "{\"mainMode\":[{\"encryption\":\"aes128\",\"hash\":\"sha256\",\"group\":14}],\"quickMode\":[{\"encryption\":\"aes128\",\"integrity\":\"sha256\"}]}");
            var r = IkexProcess.Run("policy", "compile", "--policy", old, "--target", "wfp", "--json");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("no schemaVersion", r.StdErr);
            Assert.Single(r.StdErr.TrimEnd().Split('\n'));
        }

        [Fact]
        public void Compile_without_json_prints_a_table()
        {
            using var files = new TempFiles();
            string path = files.PathOf("p.json");
            Assert.Equal(0, IkexProcess.Run("policy", "new", "--kind", "nd", "--address-family", "ipv4", "--out", path).ExitCode);
            var r = IkexProcess.Run("policy", "compile", "--policy", path);
            Assert.Equal(0, r.ExitCode);
            var lines = r.StdOut.TrimEnd().Split('\n');
            Assert.Equal(1 + 2 + 2 + 2 + 3, lines.Length); // header, provider+sublayer, MM ctx+filter, QM ctx+filter, in/out/ALE callouts
            Assert.Contains(lines, l => l.Contains("FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4") && l.Contains("FWPM_CALLOUT_IPSEC_INBOUND_INITIATE_SECURE_V4"));
        }
    }
}
