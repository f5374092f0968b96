using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using IkeExtensions.Policy.Json;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>
    /// The compiled WFP objects of the 3 seed scenarios × {IPv4, IPv6, both} against the checked-in lists in
    /// Vectors/wfp (derived from the seed tables; see Vectors/wfp/README.md). IKEX_UPDATE_WFP_GOLDEN=1 rewrites them.
    /// </summary>
    public class WfpCompilerGoldenTests
    {
        public static TheoryDataRows Scenarios => PolicyTestData.Scenarios();

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Compile_matches_the_golden_object_list(string kind, string family)
        {
            string actual = WfpJson.Serialize(WfpCompiler.Compile(PolicyTestData.Seed(kind, family)));
            if (Environment.GetEnvironmentVariable("IKEX_UPDATE_WFP_GOLDEN") == "1")
                File.WriteAllText(PolicyTestData.SourceGoldenPath(kind, family), actual + "\n");
            string path = PolicyTestData.GoldenPath(kind, family);
            Assert.True(File.Exists(path), "missing golden file " + path);
            var expected = JsonNode.Parse(File.ReadAllText(path));
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(actual)),
                $"{Path.GetFileName(path)} differs from the compiled objects:\n{actual}");
        }

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Golden_files_hold_the_seed_shape(string kind, string family)
        {
            // The checked-in files themselves (not the compiler) have the seed's layers in order.
            var objects = JsonNode.Parse(File.ReadAllText(PolicyTestData.GoldenPath(kind, family)))!["objects"]!.AsArray();
            var layers = objects.Where(o => (string?)o!["kind"] == "filter").Select(o => (string)o!["layer"]!).ToList();
            var families = family == "both" ? new[] { "V4", "V6" } : new[] { family == "ipv4" ? "V4" : "V6" };
            var expected = families.Select(v => "FWPM_LAYER_IKEEXT_" + v)
                .Concat(families.Select(v => "FWPM_LAYER_IPSEC_" + v))
                .Concat(families.SelectMany(v => new[] { "FWPM_LAYER_INBOUND_TRANSPORT_" + v, "FWPM_LAYER_INBOUND_TRANSPORT_" + v }))
                .Concat(families.SelectMany(v => new[] { "FWPM_LAYER_OUTBOUND_TRANSPORT_" + v, "FWPM_LAYER_OUTBOUND_TRANSPORT_" + v }))
                .Concat(kind == "nd" ? families.SelectMany(v => new[] { "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_" + v, "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_" + v }) : Enumerable.Empty<string>());
            Assert.Equal(expected, layers);
            Assert.Equal(new[] { "provider", "sublayer", "providerContext" }, objects.Take(3).Select(o => (string)o!["kind"]!));
        }

        [Fact]
        public void Recompiling_gives_the_same_keys_and_renaming_changes_them()
        {
            var a = WfpCompiler.Compile(PolicyTestData.Seed("nd", "both"));
            var b = WfpCompiler.Compile(PolicyTestData.Seed("nd", "both"));
            Assert.Equal(a.Objects.Select(o => o.Key), b.Objects.Select(o => o.Key));
            Assert.Equal(a.Objects.Count, a.Objects.Select(o => o.Key).Distinct().Count());
            var renamed = PolicyTestData.Seed("nd", "both");
            renamed.Name = "Other";
            var c = WfpCompiler.Compile(renamed);
            Assert.Equal(a.Objects[0].Key, c.Objects[0].Key); // the shared provider
            Assert.Empty(a.Objects.Skip(1).Select(o => o.Key).Intersect(c.Objects.Skip(1).Select(o => o.Key)));
        }

        [Fact]
        public void Rfc4122_version5_vector()
        {
            // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
            Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"),
                DeterministicGuid.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
        }
    }
}
