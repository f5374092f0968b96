using System;
using System.Linq;
using System.Runtime.InteropServices;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>The policy-store façade end to end (compile → map → encode → apply) against the rule-enforcing WFP double.</summary>
    public class PolicyStoreTests
    {
        public static TheoryDataRows Scenarios => PolicyTestData.Scenarios();

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Apply_adds_the_seed_policy_and_get_reads_it_back(string kind, string family)
        {
            using var wfp = new WfpStoreDouble();
            var policy = PolicyTestData.Seed(kind, family);
            var store = new PolicyStore(wfp);
            int expected = WfpCompiler.Compile(policy).Objects.Count;

            var result = store.Apply(policy, WfpPersistence.Persistent);

            Assert.Equal(expected, result.Result.Added.Count);
            Assert.All(result.Changes, c => Assert.Equal(PolicyChangeAction.Add, c.Action));
            Assert.Equal(expected, wfp.Engine.ObjectCount);
            Assert.Equal(1, wfp.Commits);
            var applied = Assert.Single(store.Get());
            Assert.Equal((policy.Name, true, expected, 1, 2), (applied.Name, applied.Persistent, applied.ObjectCount, applied.Sublayers, applied.ProviderContexts));
            int versions = family == "both" ? 2 : 1;
            Assert.Equal(1, applied.FiltersByLayer[family == "ipv6" ? "FWPM_LAYER_IKEEXT_V6" : "FWPM_LAYER_IKEEXT_V4"]);
            Assert.Equal(versions, applied.FiltersByLayer.Keys.Count(k => k.StartsWith("FWPM_LAYER_IKEEXT_", StringComparison.Ordinal)));
            Assert.Equal(kind == "nd", applied.FiltersByLayer.Keys.Any(k => k.StartsWith("FWPM_LAYER_ALE_AUTH_RECV_ACCEPT", StringComparison.Ordinal)));
            Assert.Equal(WfpObjectMapper.ProviderKeyFor(policy.Name), applied.ProviderKey);
        }

        [Fact]
        public void Reapplying_the_same_policy_writes_nothing()
        {
            using var wfp = new WfpStoreDouble();
            var store = new PolicyStore(wfp);
            store.Apply(PolicyTestData.Seed("nd", "both"), WfpPersistence.Persistent);
            var before = wfp.Engine.Snapshot();
            int mutations = wfp.Mutations, commits = wfp.Commits;

            var again = store.Apply(PolicyTestData.Seed("nd", "both"), WfpPersistence.Persistent);

            Assert.False(again.Changed);
            Assert.All(again.Changes, c => Assert.Equal(PolicyChangeAction.Unchanged, c.Action));
            Assert.Equal((mutations, commits), (wfp.Mutations, wfp.Commits));
            Assert.Equal(before, wfp.Engine.Snapshot());
        }

        [Fact]
        public void Changed_quick_mode_crypto_replaces_only_the_qm_context_and_its_filters()
        {
            using var wfp = new WfpStoreDouble();
            var store = new PolicyStore(wfp);
            store.Apply(PolicyTestData.Seed("transport", "both"), WfpPersistence.Persistent);
            var changed = PolicyTestData.Seed("transport", "both");
            changed.QuickModeCrypto = new QuickModeCryptoSet("qm", new[] { QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA256) });

            var result = store.Apply(changed, WfpPersistence.Persistent);

            var replaced = result.Changes.Where(c => c.Action == PolicyChangeAction.Replace).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { " - quick mode (IKEv1)", " - quick mode (IKEv1, v4)", " - quick mode (IKEv1, v6)" }.Select(s => changed.Name + s).OrderBy(n => n, StringComparer.Ordinal), replaced);
            Assert.Empty(result.Result.Added);
            Assert.Empty(result.Result.Removed);
        }

        [Fact]
        public void Policies_are_applied_and_removed_independently()
        {
            using var wfp = new WfpStoreDouble();
            var store = new PolicyStore(wfp);
            var a = IpsecPolicy.CreateSeed(PolicyKind.Transport, AddressFamilies.IPv4, name: "A");
            var b = IpsecPolicy.CreateSeed(PolicyKind.NegotiationDiscovery, AddressFamilies.IPv6, name: "B");
            store.Apply(a, WfpPersistence.Persistent);
            store.Apply(b, WfpPersistence.Persistent);
            Assert.Equal(new[] { "A", "B" }, store.Get().Select(p => p.Name));

            var removed = store.Remove("A");

            Assert.Equal(WfpCompiler.Compile(a).Objects.Count, removed.Removed.Count);
            Assert.Equal("B", Assert.Single(store.Get()).Name);
            Assert.Equal(WfpCompiler.Compile(b).Objects.Count, wfp.Engine.ObjectCount);
            Assert.Empty(store.Remove("A").Removed);            // not applied: nothing to do
            Assert.Empty(store.Remove("never applied").Removed);
        }

        [Fact]
        public void A_failure_midway_leaves_the_previous_policy_intact()
        {
            using var wfp = new WfpStoreDouble();
            var store = new PolicyStore(wfp);
            store.Apply(PolicyTestData.Seed("transport", "both"), WfpPersistence.Persistent);
            var before = wfp.Engine.Snapshot();
            var changed = PolicyTestData.Seed("transport", "both");
            changed.MainModeCrypto = new MainModeCryptoSet("mm", new[] { new MainModeCryptoProposal(Encryption.AES128, Hash.SHA256, DhGroup.DH14) });
            wfp.RejectAdd(2, FwpErrors.FWP_E_ALREADY_EXISTS);   // the MM context is re-added, then its first filter fails

            var e = Assert.Throws<WfpApplyException>(() => store.Apply(changed, WfpPersistence.Persistent));

            Assert.Contains("nothing changed", e.Message);
            Assert.Equal(before, wfp.Engine.Snapshot());
            Assert.False(wfp.InTransaction);
            Assert.Equal(1, wfp.Aborts);
            Assert.Equal(before.Count, Assert.Single(store.Get()).ObjectCount);
            Assert.False(store.Apply(PolicyTestData.Seed("transport", "both"), WfpPersistence.Persistent).Changed);   // still the old policy
        }

        [Fact]
        public void A_policy_without_its_preshared_key_fails_before_wfp_is_touched()
        {
            using var wfp = new WfpStoreDouble();
            var policy = PolicyTestData.Seed("transport", "ipv4");
            policy.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new PreSharedKeyAuthProposal(null) });
            var e = Assert.Throws<WfpMappingException>(() => new PolicyStore(wfp).Apply(policy, WfpPersistence.Persistent));
            Assert.Contains($"policy '{policy.Name}'", e.Message);
            Assert.Equal((0, 0, 0), (wfp.Mutations, wfp.Commits, wfp.Aborts));
        }

        [Fact]
        public void A_preshared_key_never_shows_in_results_summaries_or_errors()
        {
            const string secret = "TestOnly-Store-Psk-0815";
            using var wfp = new WfpStoreDouble();
            var policy = PolicyTestData.Seed("transport", "ipv4");
            policy.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new PreSharedKeyAuthProposal(PreSharedKey.FromText(secret)) });
            var store = new PolicyStore(wfp);
            var result = store.Apply(policy, WfpPersistence.Persistent);
            wfp.RejectAdd(1);
            var failed = Assert.Throws<WfpApplyException>(() => store.Apply(IpsecPolicy.CreateSeed(PolicyKind.Transport, name: "other"), WfpPersistence.Persistent));
            string text = string.Join("\n", new object[] { result, failed.Message, failed.InnerException!.Message }.Concat(result.Changes).Concat(store.Get())
                .Concat(wfp.Engine.Snapshot()));
            Assert.DoesNotContain(secret, text);
        }

        [Fact]
        public void Dynamic_policies_live_as_long_as_their_session()
        {
            var engine = new WfpDoubleEngine();
            using (var session = new WfpStoreDouble(engine, dynamicSession: true))
            {
                var result = new PolicyStore(session).Apply(PolicyTestData.Seed("nd-boundary", "ipv4"), WfpPersistence.Dynamic);
                Assert.True(result.Changed);
                Assert.False(Assert.Single(new PolicyStore(session).Get()).Persistent);
                Assert.Contains("dynamic session", Assert.Throws<InvalidOperationException>(
                    () => new PolicyStore(session).Apply(PolicyTestData.Seed("nd", "ipv4"), WfpPersistence.Persistent)).Message);
            }
            Assert.Equal(0, engine.ObjectCount);
        }

        [Fact]
        public void Dry_run_plans_against_an_empty_a_policy_or_a_described_state()
        {
            var policy = PolicyTestData.Seed("nd", "both");
            int count = WfpCompiler.Compile(policy).Objects.Count;
            Assert.All(PolicyStore.DryRun(policy, WfpPersistence.Persistent).Changes, c => Assert.Equal(PolicyChangeAction.Add, c.Action));
            Assert.Equal(count, PolicyStore.DryRun(policy, WfpPersistence.Persistent, currentPolicies: new[] { policy }).Changes.Count(c => c.Action == PolicyChangeAction.Unchanged));

            // A state read back from WFP (objects without their compiled bodies): the same policy plus a stale filter of ours.
            using var wfp = new WfpStoreDouble();
            var store = new PolicyStore(wfp);
            var old = PolicyTestData.Seed("nd", "both");
            old.ExemptIcmp = false;
            store.Apply(old, WfpPersistence.Persistent);
            var state = store.Snapshot();
            var plan = PolicyStore.DryRun(policy, WfpPersistence.Persistent, state);
            Assert.Equal(6, plan.Changes.Count(c => c.Action == PolicyChangeAction.Add));     // the ICMP exemptions (3 layers × 2 versions)
            Assert.Equal(count - 6, plan.Changes.Count(c => c.Action == PolicyChangeAction.Unchanged));
            var back = PolicyStore.DryRun(old, WfpPersistence.Persistent, currentPolicies: new[] { policy });
            Assert.Equal(6, back.Changes.Count(c => c.Action == PolicyChangeAction.Remove));
            Assert.All(back.Changes.Where(c => c.Action == PolicyChangeAction.Remove), c => Assert.Contains("ICMP exemption", c.Name));
            Assert.Equal(state.Count, wfp.Engine.ObjectCount);                                 // dry runs touched no real store
        }

        [Fact]
        public void Off_windows_the_native_store_fails_with_one_clear_line()
        {
            Assert.False(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), "this suite runs on Linux CI");
            var policy = PolicyTestData.Seed("transport", "ipv4");
            using var store = PolicyStore.OpenNative();
            foreach (var (operation, call) in new (string, Action)[]
            {
                ($"Applying IPsec policy '{policy.Name}'", () => store.Apply(policy, WfpPersistence.Persistent)),
                ("Removing IPsec policy 'x'", () => store.Remove("x")),
                ("Reading the applied IPsec policies", () => store.Get()),
            })
            {
                var e = Assert.Throws<PlatformNotSupportedException>(call);
                Assert.StartsWith(operation + " needs the Windows Filtering Platform", e.Message);
                Assert.Contains(RuntimeInformation.OSDescription.Trim(), e.Message);
                Assert.DoesNotContain("\n", e.Message);
            }
            using var dynamicStore = PolicyStore.OpenNative(WfpPersistence.Dynamic);
            Assert.True(dynamicStore.Store.IsDynamicSession);
            Assert.Throws<PlatformNotSupportedException>(() => dynamicStore.Apply(policy, WfpPersistence.Dynamic));
        }
    }
}
