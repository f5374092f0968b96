using System;
using System.Linq;
using System.Text;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>The compiler's objects → the applier's descriptions (<see cref="WfpObjectMapper"/>).</summary>
    public class WfpObjectMapperTests
    {
        public static TheoryDataRows Scenarios => PolicyTestData.Scenarios();

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Every_compiled_object_maps_one_to_one_with_its_keys_names_layers_sublayer_and_context(string kind, string family)
        {
            var compilation = WfpCompiler.Compile(PolicyTestData.Seed(kind, family));
            var plan = WfpObjectMapper.Map(compilation);
            Assert.Equal(compilation.Objects.Count, plan.Objects.Count);
            var sublayer = compilation.Objects.OfType<WfpSublayer>().Single();
            foreach (var (o, d) in compilation.Objects.Zip(plan.Objects, (o, d) => (o, d)))
            {
                Assert.Equal(o.Kind.ToString(), d.Kind.ToString());
                if (o is WfpProvider)
                {
                    Assert.Equal(plan.ProviderKey, d.Key);
                    Assert.Equal("IkeExtensions: " + compilation.Policy.Name, d.Name);
                    continue;
                }
                Assert.Equal((o.Key, o.Name, o.Description), (d.Key, d.Name, d.Description));
                switch (o)
                {
                    case WfpSublayer s:
                        Assert.Equal(s.Weight, d.Weight);
                        break;
                    case WfpProviderContext c:
                        Assert.Same(c, d.Body);
                        Assert.NotEmpty(d.Payload);
                        break;
                    case WfpFilter f:
                        Assert.Same(f, d.Body);
                        Assert.Equal((f.Layer.Key, sublayer.Key, f.ProviderContextKey), (d.LayerKey, d.SublayerKey, d.ProviderContextKey));
                        Assert.Contains(f.Layer.Name, Encoding.UTF8.GetString(d.Payload));
                        break;
                }
            }
        }

        [Fact]
        public void Each_policy_gets_its_own_provider_recognisable_by_name_and_key()
        {
            Guid a = WfpObjectMapper.ProviderKeyFor("A"), b = WfpObjectMapper.ProviderKeyFor("B");
            Assert.NotEqual(a, b);
            Assert.Equal(a, WfpObjectMapper.ProviderKeyFor("A"));
            Assert.Equal(DeterministicGuid.ForPolicyObject("A", "provider"), a);
            Assert.Equal("A", WfpObjectMapper.PolicyNameOf(a, "IkeExtensions: A"));
            Assert.Null(WfpObjectMapper.PolicyNameOf(b, "IkeExtensions: A"));        // a name without its key is not ours
            Assert.Null(WfpObjectMapper.PolicyNameOf(a, "Microsoft Corporation"));
            Assert.NotEqual(WfpCompiler.ProviderKey, a);
        }

        [Fact]
        public void Payloads_are_deterministic_and_change_with_what_the_objects_say()
        {
            var p1 = WfpObjectMapper.Map(WfpCompiler.Compile(PolicyTestData.Seed("nd", "both")));
            var p2 = WfpObjectMapper.Map(WfpCompiler.Compile(PolicyTestData.Seed("nd", "both")));
            Assert.Equal(p1.Objects.Select(d => Convert.ToBase64String(d.Payload)), p2.Objects.Select(d => Convert.ToBase64String(d.Payload)));

            var changed = PolicyTestData.Seed("nd", "both");
            changed.QuickModeCrypto = new QuickModeCryptoSet("qm", new[] { QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA1) });
            var p3 = WfpObjectMapper.Map(WfpCompiler.Compile(changed));
            var differing = p1.Objects.Zip(p3.Objects, (x, y) => (x, y)).Where(t => !t.x.Payload.SequenceEqual(t.y.Payload)).Select(t => t.x.Name).ToList();
            Assert.Equal(new[] { changed.Name + " - quick mode (IKEv1)" }, differing);
        }

        [Fact]
        public void A_changed_preshared_key_changes_the_payload_which_never_holds_the_key()
        {
            static WfpPlan With(string key)
            {
                var p = PolicyTestData.Seed("transport", "ipv4");
                p.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new PreSharedKeyAuthProposal(PreSharedKey.FromText(key)) });
                return WfpObjectMapper.Map(WfpCompiler.Compile(p));
            }
            var one = With("TestOnly-Mapper-One");
            var two = With("TestOnly-Mapper-Two");
            var mm1 = one.Objects.Single(d => d.Name.EndsWith("main mode (IKEv1)", StringComparison.Ordinal));
            var mm2 = two.Objects.Single(d => d.Name.EndsWith("main mode (IKEv1)", StringComparison.Ordinal));
            Assert.False(mm1.Payload.SequenceEqual(mm2.Payload));
            Assert.DoesNotContain("TestOnly", Encoding.UTF8.GetString(mm1.Payload));
            Assert.Contains("psk-sha256=", Encoding.UTF8.GetString(mm1.Payload));
        }

        [Fact]
        public void A_policy_without_its_preshared_key_fails_naming_the_policy()
        {
            var p = PolicyTestData.Seed("transport", "ipv4");
            p.Name = "Branch PSK";
            p.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new PreSharedKeyAuthProposal(null) });
            var e = Assert.Throws<WfpMappingException>(() => WfpObjectMapper.Map(WfpCompiler.Compile(p)));
            Assert.StartsWith("policy 'Branch PSK': ", e.Message);
            Assert.Contains("pre-shared key", e.Message);
            Assert.Contains("--include-secrets", e.Message);

            p.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new PreSharedKeyAuthProposal(null, new ProtectedSecret("dpapi-machine", "AQAAAN...")) });
            Assert.Contains("protected (dpapi-machine)", Assert.Throws<WfpMappingException>(() => WfpObjectMapper.Map(WfpCompiler.Compile(p))).Message);
        }
    }
}
