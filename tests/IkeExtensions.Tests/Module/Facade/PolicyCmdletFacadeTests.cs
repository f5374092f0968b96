using System;
using System.IO;
using System.Linq;
using System.Security;
using IkeExtensions.Management;
using IkeExtensions.NegotiationDiscovery;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Module.Facade
{
    /// <summary>
    /// The calls the composition, file, store and flow cmdlets make: New-Ike*Proposal / New-Ike*Policy
    /// (<see cref="IkePolicyComposer"/>), Export/Import-IkePolicy (<see cref="IkePolicyFiles"/>), ConvertTo-IkeWfpFilter,
    /// Set/Get/Remove-IkePolicy (<see cref="PolicyStoreSessions"/> over a store double), Test-IkeFlow and Get-IkeFlow
    /// (<see cref="NdFlowTester"/>), and the helpers (<see cref="NamePattern"/>, <see cref="SecureStringSecrets"/>).
    /// </summary>
    public sealed class PolicyCmdletFacadeTests
    {
        [Fact]
        public void Proposals_AreCheckedByThePolicyRules()
        {
            Assert.Equal(DhGroup.DH20, IkePolicyComposer.MainModeProposal(Encryption.AES256, Hash.SHA384, DhGroup.DH20).KeyExchange);
            Assert.Equal(IkeManagementError.PolicyInvalid,
                Assert.Throws<IkeManagementException>(() => IkePolicyComposer.MainModeProposal(Encryption.AESGCM128, Hash.SHA256, DhGroup.DH14)).Error);
            Assert.Equal(3600, IkePolicyComposer.QuickModeProposal(Encapsulation.ESP, Encryption.AESGCM256, Hash.AESGMAC256, Hash.None, 60, 100000).LifetimeSeconds);
            Assert.Throws<IkeManagementException>(() => IkePolicyComposer.QuickModeProposal(Encapsulation.ESP, Encryption.AESGCM256, Hash.SHA256, Hash.None, 60, 100000));
        }

        [Fact]
        public void Compose_BuildsTheSeedsThreeKinds_WithTrafficAndCrypto()
        {
            var nd = IkePolicyComposer.Compose(new PolicyComposition
            {
                Name = "Boundary", Kind = PolicyKind.NegotiationDiscoveryBoundary, ExemptIcmp = true, GuaranteeEncryption = true,
                RemoteAddress = new[] { "192.0.2.0/255.255.255.0" }, Protocol = "tcp", RemotePort = new[] { "445" }, MainModeLifetimeMinutes = 60,
                KeyModules = new[] { KeyingModule.IKEv2, KeyingModule.IKEv1 },
                AuthProposals = new AuthProposal[] { new CertificateAuthProposal("CN=Example Root CA") },
            });
            Assert.Equal(SecurityRequirement.Request, nd.InboundSecurity);
            Assert.Equal("192.0.2.0/24", nd.Traffic.RemoteAddresses.Single().ToString());
            Assert.Equal((byte)6, nd.Traffic.Protocol);
            Assert.Equal(3600, nd.MainModeCrypto.LifetimeSeconds);
            Assert.Equal(new[] { KeyingModule.IKEv2, KeyingModule.IKEv1 }, nd.KeyingModules);

            var transport = IkePolicyComposer.Compose(new PolicyComposition { Name = "T" });
            Assert.Equal(SecurityRequirement.Require, transport.OutboundSecurity);
            Assert.True(transport.Traffic.IsAll);
        }

        [Theory]
        [InlineData("10.0.0.0/33", null, null)]
        [InlineData(null, "bogus", null)]
        [InlineData(null, null, "70000")]
        public void Compose_BadSelectors_ArePolicyInvalid_NamingTheParameter(string? remote, string? protocol, string? port)
        {
            var e = Assert.Throws<IkeManagementException>(() => IkePolicyComposer.Compose(new PolicyComposition
            {
                Name = "x", RemoteAddress = remote == null ? null : new[] { remote }, Protocol = protocol, LocalPort = port == null ? null : new[] { port },
            }));
            Assert.Equal(IkeManagementError.PolicyInvalid, e.Error);
            Assert.StartsWith(remote != null ? "-RemoteAddress" : protocol != null ? "-Protocol" : "-LocalPort", e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Compose_RuleViolations_ArePolicyInvalid_WithTheValidatorsErrors()
        {
            var e = Assert.Throws<IkeManagementException>(() => IkePolicyComposer.Compose(new PolicyComposition
            {
                Name = "ge", GuaranteeEncryption = true,
                QuickModeProposals = new[] { IkePolicyComposer.QuickModeProposal(Encapsulation.ESP, Encryption.None, Hash.SHA256, Hash.None, 60, 100000) },
            }));
            Assert.Contains(PolicyErrorCode.GuaranteeEncryptionNeedsCipher, Assert.IsType<PolicyValidationException>(e.InnerException).Codes);
        }

        [Fact]
        public void ExportImport_RoundTrips_AndLeavesTheKeyOutUnlessAsked()
        {
            string dir = Directory.CreateTempSubdirectory("ikex-policy").FullName;
            try
            {
                var policy = IkePolicyComposer.Compose(new PolicyComposition
                {
                    Name = "Lab", AuthProposals = new AuthProposal[] { new PreSharedKeyAuthProposal(PreSharedKey.FromText("do-not-write-me")) },
                });
                string file = Path.Combine(dir, "lab.json");
                IkePolicyFiles.Export(policy, file, includeSecrets: false, overwrite: false);
                Assert.DoesNotContain("do-not-write-me", File.ReadAllText(file), StringComparison.Ordinal);
                Assert.Equal(IkeManagementError.PolicyFileExists, Assert.Throws<IkeManagementException>(() => IkePolicyFiles.Export(policy, file, false, false)).Error);
                IkePolicyFiles.Export(policy, file, includeSecrets: true, overwrite: true);
                Assert.Contains("do-not-write-me", File.ReadAllText(file), StringComparison.Ordinal);

                var back = IkePolicyFiles.Import(file);
                Assert.Equal("Lab", back.Name);
                Assert.Equal(IkePolicyFiles.Serialize(policy, true), IkePolicyFiles.Serialize(back, true));

                File.WriteAllText(Path.Combine(dir, "bad.json"), "{ \"schemaVersion\": 1, \"surprise\": true }");
                Assert.Equal(IkeManagementError.PolicyFileInvalid, Assert.Throws<IkeManagementException>(() => IkePolicyFiles.Import(Path.Combine(dir, "bad.json"))).Error);
                File.WriteAllText(Path.Combine(dir, "engine.json"), "{ \"mainMode\": [] }");
                Assert.Equal(IkeManagementError.PolicyFileInvalid, Assert.Throws<IkeManagementException>(() => IkePolicyFiles.Import(Path.Combine(dir, "engine.json"))).Error);
                Assert.Throws<FileNotFoundException>(() => IkePolicyFiles.Import(Path.Combine(dir, "missing.json")));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void ConvertToWfp_IsTheCompilersOutput_PersistentOrNot()
        {
            var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "ND", Kind = PolicyKind.NegotiationDiscovery, ExemptIcmp = true });
            var persistent = WfpCompiler.Compile(IkePolicyComposer.Validated(policy), new WfpCompileOptions { Persistent = true });
            Assert.IsType<WfpProvider>(persistent.Objects[0]);
            Assert.Contains(persistent.Filters, f => f.Layer.Name == "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4");
        }

        [Fact]
        public void PolicyStoreSessions_ApplyGetRemove_OverAStoreDouble_AndKeepTheDynamicStoreForTheSession()
        {
            var engine = new WfpDoubleEngine();
            var previous = PolicyStoreSessions.Factory;
            PolicyStoreSessions.Factory = p => new PolicyStore(new WfpStoreDouble(engine, dynamicSession: p == WfpPersistence.Dynamic), ownsStore: true);
            try
            {
                Guid session = Guid.NewGuid();
                var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "Store test", Kind = PolicyKind.NegotiationDiscoveryBoundary });
                var (store, owned) = PolicyStoreSessions.Open(session, WfpPersistence.Persistent);
                Assert.True(owned);
                using (store)
                {
                    Assert.True(store.Apply(policy, WfpPersistence.Persistent).Changed);
                    Assert.False(store.Apply(policy, WfpPersistence.Persistent).Changed);
                    Assert.Equal("Store test", Assert.Single(store.Get()).Name);
                    Assert.NotEmpty(store.Remove("Store test").Removed);
                    Assert.Empty(store.Remove("Store test").Removed);
                }

                var (dyn1, owned1) = PolicyStoreSessions.Open(session, WfpPersistence.Dynamic);
                var (dyn2, _) = PolicyStoreSessions.Open(session, WfpPersistence.Dynamic);
                Assert.False(owned1);
                Assert.Same(dyn1, dyn2);
                dyn1.Apply(IkePolicyComposer.Compose(new PolicyComposition { Name = "Dynamic" }), WfpPersistence.Dynamic);
                Assert.NotEqual(0, engine.ObjectCount);
                Assert.True(PolicyStoreSessions.ReleaseSession(session));
                Assert.Equal(0, engine.ObjectCount);
            }
            finally
            {
                PolicyStoreSessions.Factory = previous;
            }
        }

        [Fact]
        public void NativeStoreOffWindows_IsNotSupported()
        {
            if (OperatingSystem.IsWindows()) return;
            var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "x" });
            Exception e = Record.Exception(() =>
            {
                var (store, _) = PolicyStoreSessions.Open(Guid.NewGuid(), WfpPersistence.Persistent);
                using (store) store.Apply(policy, WfpPersistence.Persistent);
            });
            Assert.True(e is PlatformNotSupportedException || (e is IkeManagementException m && m.Error == IkeManagementError.NotSupported), e?.ToString());
        }

        [Fact]
        public void SpdFromPolicy_MapsTheThreeKinds_AsNetSecurityDoes()
        {
            NdRule Rule(PolicyKind kind) => NdFlowTester.SpdFromPolicy(IkePolicyComposer.Compose(new PolicyComposition { Name = "p", Kind = kind })).Rules.Single();
            Assert.Equal(NdDirections.None, Rule(PolicyKind.Transport).NegotiationDiscovery);
            Assert.Equal(NdDirections.Outbound, Rule(PolicyKind.NegotiationDiscovery).NegotiationDiscovery);
            Assert.True(Rule(PolicyKind.NegotiationDiscoveryBoundary).Boundary);
            var icmp = NdFlowTester.SpdFromPolicy(IkePolicyComposer.Compose(new PolicyComposition { Name = "p", ExemptIcmp = true, RemoteAddress = new[] { "192.0.2.1", "192.0.2.2" } }));
            Assert.Equal(new[] { NdRuleAction.Bypass, NdRuleAction.Bypass, NdRuleAction.Secure, NdRuleAction.Secure }, icmp.Rules.Select(r => r.Action));
        }

        [Fact]
        public void TestPacket_NegotiationDiscoveryWithACapablePeer_SecuresTheFlow()
        {
            var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "ND", Kind = PolicyKind.NegotiationDiscoveryBoundary, RemoteAddress = new[] { "192.0.2.0/24" } });
            var result = NdFlowTester.TestPacket(new FlowTestRequest { Policy = policy, PacketCount = 2 });
            Assert.Equal(NdVerdict.SendClear, result.Packets[0].Host!.Verdict);
            Assert.Equal(NdVerdict.SendSecured, result.Packets[1].Host!.Verdict);
            Assert.True(Assert.Single(NdFlowTester.Flows(result)).Secure);
            Assert.NotEmpty(NdFlowTester.Flows(result, peer: true));
        }

        [Fact]
        public void TestPacket_TransportPolicy_DiscardsInboundClearFromAnIncapablePeer()
        {
            var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "T" });
            var result = NdFlowTester.TestPacket(new FlowTestRequest { Policy = policy, Direction = FlowDirection.Inbound, PeerKind = NdPeerKind.Incapable, PacketCount = 1 });
            Assert.Equal(NdVerdict.Discard, result.Packets[0].Host!.Verdict);
            Assert.Equal(IkeManagementError.PolicyInvalid, Assert.Throws<IkeManagementException>(() => NdFlowTester.TestPacket(new FlowTestRequest { Protocol = "nope" })).Error);
        }

        [Fact]
        public void TestTrace_RunsTheSpecTraces_WithTheHostPolicyFromAPolicyObject()
        {
            string trace = Path.Combine(ModuleArtifacts.RepoRoot, "tests", "IkeExtensions.Tests", "Vectors", "nd", "fig07-capable-peer.trace.json");
            var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "nd-all", Kind = PolicyKind.NegotiationDiscoveryBoundary, RemoteAddress = new[] { "192.0.2.0/24" } });
            var result = NdFlowTester.TestTrace(trace, policy);
            Assert.True(result.Passed, string.Join("; ", result.ExpectationFailures));
            string bad = Path.GetTempFileName();
            File.WriteAllText(bad, "{ \"events\": 3 }");
            try { Assert.Equal(IkeManagementError.TraceInvalid, Assert.Throws<IkeManagementException>(() => NdFlowTester.TestTrace(bad, policy)).Error); }
            finally { File.Delete(bad); }
        }

        [Theory]
        [InlineData("lab*", "LAB-1", true)]
        [InlineData("192.0.2.?", "192.0.2.7", true)]
        [InlineData("192.0.2.?", "192.0.2.17", false)]
        [InlineData("r[a-c]t", "rbt", true)]
        [InlineData("r[a-c]t", "rdt", false)]
        [InlineData("a`*b", "a*b", true)]
        [InlineData("a`*b", "axb", false)]
        public void NamePattern_MatchesLikeWildcardPattern(string pattern, string text, bool expected) => Assert.Equal(expected, NamePattern.IsMatch(pattern, text));

        [Theory]
        [InlineData("192.0.2.1:500", "192.0.2.1")]
        [InlineData("[2001:db8::1]:4500", "2001:db8::1")]
        [InlineData("2001:db8::1", "2001:db8::1")]
        public void SaFilter_MatchesTheHostWithOrWithoutThePort(string endpoint, string host) => Assert.Equal(host, SaFilter.HostOf(endpoint));

        [Fact]
        public void SecureString_BecomesAPreSharedKey_ThatNeverShowsItself()
        {
            var s = new SecureString();
            foreach (char c in "grüß-dich") s.AppendChar(c);
            PreSharedKey key = SecureStringSecrets.ToPreSharedKey(s);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("grüß-dich"), key.Length);
            Assert.DoesNotContain("dich", key.ToString(), StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => SecureStringSecrets.ToPreSharedKey(new SecureString()));
        }
    }
}
