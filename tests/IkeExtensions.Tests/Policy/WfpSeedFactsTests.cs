using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>
    /// Direct checks of what the seed pages prescribe (shared/seeds/wfp-*.md and the win32 "Negotiation Discovery Transport
    /// Mode" page), with the SDK GUIDs and values copied from shared/reference/netsecurity-wfp.md (not from the compiler).
    /// </summary>
    public class WfpSeedFactsTests
    {
        public static TheoryDataRows Scenarios => PolicyTestData.Scenarios();

        private static readonly Dictionary<string, (string V4, string V6)> Layers = new Dictionary<string, (string, string)>
        {
            ["IKEEXT"] = ("b14b7bdb-dbbd-473e-bed4-8b4708d4f270", "b64786b3-f687-4eb9-89d2-8ef32acdabe2"),
            ["IPSEC"] = ("eda65c74-610d-4bc5-948f-3c4f89556867", "13c48442-8d87-4261-9a29-59d2abc348b4"),
            ["INBOUND_TRANSPORT"] = ("5926dfc8-e3cf-4426-a283-dc393f5d0f9d", "634a869f-fc23-4b90-b0c1-bf620a36ae6f"),
            ["OUTBOUND_TRANSPORT"] = ("09e61aea-d214-46e2-9b21-b26b0b2f28c8", "e1735bde-013f-4655-b351-a49e15762df0"),
            ["ALE_AUTH_RECV_ACCEPT"] = ("e1cd9fe7-f4b5-4273-96c0-592e487b8650", "a3b42c97-9f04-4672-b87e-cee9c483257f"),
        };

        private static readonly Dictionary<string, (string V4, string V6)> Callouts = new Dictionary<string, (string, string)>
        {
            ["INBOUND_TRANSPORT"] = ("5132900d-5e84-4b5f-80e4-01741e81ff10", "49d3ac92-2a6c-4dcf-955f-1c3be009dd99"),
            ["OUTBOUND_TRANSPORT"] = ("4b46bf0a-4523-4e57-aa38-a87987c910d9", "38d87722-ad83-4f11-a91f-df0fb077225b"),
            ["INBOUND_INITIATE_SECURE"] = ("7dff309b-ba7d-4aba-91aa-ae5c6640c944", "a9a0d6d9-c58c-474e-8aeb-3cfe99d6d53d"),
        };

        private static readonly Guid LocalAddressType = new Guid("6ec7f6c4-376b-45d7-9e9c-d337cedcd237");
        private static readonly Guid IpProtocol = new Guid("3971ef2b-623e-4f9a-8cb1-6e79b806b9a7");

        private static Guid Layer(string name, bool v6) => new Guid(v6 ? Layers[name].V6 : Layers[name].V4);
        private static Guid Callout(string name, bool v6) => new Guid(v6 ? Callouts[name].V6 : Callouts[name].V4);

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Every_object_the_seed_prescribes(string kind, string family)
        {
            var policy = PolicyTestData.Seed(kind, family);
            var c = WfpCompiler.Compile(policy);
            var versions = new[] { false, true }.Where(v6 => (policy.AddressFamilies & (v6 ? AddressFamilies.IPv6 : AddressFamilies.IPv4)) != 0).ToList();
            bool nd = kind != "transport";

            Assert.IsType<WfpProvider>(c.Objects[0]);
            var sublayer = Assert.IsType<WfpSublayer>(c.Objects[1]);
            Assert.All(c.Filters, f => Assert.Equal(sublayer.Key, f.SublayerKey));

            // IKEEXT: an FWPM_IPSEC_IKE_MM_CONTEXT and, per IP version, a filter with no conditions pointing at it.
            var mm = Assert.Single(c.ProviderContexts, p => p.Type.Name == "FWPM_IPSEC_IKE_MM_CONTEXT");
            Assert.Equal(5UL, mm.Type.Value);
            // IPSEC: an FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT with ND_SECURE (nd) / ND_BOUNDARY (nd-boundary) / no flag.
            var qm = Assert.Single(c.ProviderContexts, p => p.Type.Name == "FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT");
            Assert.Equal(1UL, qm.Type.Value);
            Assert.Equal(kind switch { "nd" => 0x2u, "nd-boundary" => 0x4u, _ => 0u }, qm.QuickModePolicy!.FlagsValue);
            Assert.Equal(kind switch { "nd" => new[] { "IPSEC_POLICY_FLAG_ND_SECURE" }, "nd-boundary" => new[] { "IPSEC_POLICY_FLAG_ND_BOUNDARY" }, _ => new string[0] },
                qm.QuickModePolicy.Flags.Select(f => f.Name));

            foreach (bool v6 in versions)
            {
                foreach (var (layer, context) in new[] { ("IKEEXT", mm), ("IPSEC", qm) })
                {
                    var f = Assert.Single(c.Filters, x => x.Layer.Key == Layer(layer, v6));
                    Assert.Empty(f.Conditions);
                    Assert.Equal(context.Key, f.ProviderContextKey);
                    Assert.Null(f.RawContext);
                    Assert.Contains(f.Flags, x => x.Name == "FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT" && x.Value == 0x4);
                    Assert.Equal(0x1002UL, f.Action.Type.Value);
                }

                CheckPerPacket(c, Layer("INBOUND_TRANSPORT", v6), Callout("INBOUND_TRANSPORT", v6), v6, nd ? 0x2UL : (ulong?)null,
                    nd ? "FWPM_CONTEXT_IPSEC_INBOUND_PERSIST_CONNECTION_SECURITY" : null);
                CheckPerPacket(c, Layer("OUTBOUND_TRANSPORT", v6), Callout("OUTBOUND_TRANSPORT", v6), v6, nd ? 0x1UL : (ulong?)null,
                    nd ? "FWPM_CONTEXT_IPSEC_OUTBOUND_NEGOTIATE_DISCOVER" : null);

                var ale = c.Filters.Where(f => f.Layer.Key == Layer("ALE_AUTH_RECV_ACCEPT", v6)).ToList();
                if (kind == "nd") CheckPerPacket(c, Layer("ALE_AUTH_RECV_ACCEPT", v6), Callout("INBOUND_INITIATE_SECURE", v6), v6, null, null);
                else Assert.Empty(ale); // Transport: none; Boundary: "no need to add a filter at ALE_AUTH_RECV_ACCEPT"
            }

            int n = versions.Count;
            Assert.Equal(2 + 2 * (1 + n) + 4 * n + (kind == "nd" ? 2 * n : 0), c.Objects.Count);
            var allowed = new HashSet<Guid>(versions.SelectMany(v6 => Layers.Keys.Select(l => Layer(l, v6))));
            Assert.All(c.Filters, f => Assert.Contains(f.Layer.Key, allowed));
        }

        private static void CheckPerPacket(WfpCompilation c, Guid layer, Guid callout, bool v6, ulong? rawContext, string? rawContextName)
        {
            var filters = c.Filters.Where(f => f.Layer.Key == layer).ToList();
            Assert.Equal(2, filters.Count);

            var main = Assert.Single(filters, f => f.Action.Callout != null);
            var unicast = Assert.Single(main.Conditions);
            Assert.Equal(LocalAddressType, unicast.Field.Key);
            Assert.Equal("FWP_MATCH_EQUAL", unicast.Match);
            Assert.Equal("FWP_UINT8", unicast.Value.Type);
            Assert.Equal(1UL, unicast.Value.Number); // NlatUnicast
            Assert.Equal("FWP_ACTION_CALLOUT_TERMINATING", main.Action.Type.Name);
            Assert.Equal(0x5003UL, main.Action.Type.Value);
            Assert.Equal(callout, main.Action.Callout!.Key);
            Assert.Equal(rawContext, main.RawContext?.Value);
            Assert.Equal(rawContextName, main.RawContext?.Name);
            Assert.Null(main.ProviderContextKey);
            Assert.Null(main.Weight.Range);

            var icmp = Assert.Single(filters, f => f.Action.Callout == null);
            Assert.Equal(new[] { LocalAddressType, IpProtocol }, icmp.Conditions.Select(x => x.Field.Key));
            Assert.Equal(1UL, icmp.Conditions[0].Value.Number);
            Assert.Equal(v6 ? 58UL : 1UL, icmp.Conditions[1].Value.Number); // IPPROTO_ICMPV6 / IPPROTO_ICMP
            Assert.Equal("FWP_ACTION_PERMIT", icmp.Action.Type.Name);
            Assert.Equal("FWP_UINT8", icmp.Weight.Type);
            Assert.Equal(0xCUL, icmp.Weight.Range!.Value);
            Assert.Equal("FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS", icmp.Weight.Range.Name);
            Assert.Null(icmp.RawContext);
        }

        [Fact]
        public void Without_icmp_exemption_there_are_no_permit_filters_at_per_packet_layers()
        {
            var c = WfpCompiler.Compile(IpsecPolicy.CreateSeed(PolicyKind.NegotiationDiscovery, AddressFamilies.Both, exemptIcmp: false));
            Assert.DoesNotContain(c.Filters, f => f.Weight.Range != null);
            Assert.Equal(2 + 2 * 3 + 2 * 2 + 2, c.Objects.Count);
        }

        [Fact]
        public void One_mm_and_qm_context_per_keying_module()
        {
            var p = IpsecPolicy.CreateSeed(PolicyKind.Transport, AddressFamilies.IPv4, exemptIcmp: true);
            p.KeyingModules = new[] { KeyingModule.AuthIP, KeyingModule.IKEv1, KeyingModule.IKEv2 };
            p.Phase1Auth = new AuthSet("auth", new AuthProposal[] { new KerberosAuthProposal(), new CertificateAuthProposal("CN=Root") });
            p.Phase2Auth = new AuthSet("em", new AuthProposal[] { new KerberosAuthProposal(KerberosPrincipal.User) });
            var c = WfpCompiler.Compile(p);
            Assert.Equal(new[] { "FWPM_IPSEC_AUTHIP_MM_CONTEXT", "FWPM_IPSEC_IKE_MM_CONTEXT", "FWPM_IPSEC_IKEV2_MM_CONTEXT",
                    "FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT", "FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT", "FWPM_IPSEC_IKEV2_QM_TRANSPORT_CONTEXT" },
                c.ProviderContexts.Select(x => x.Type.Name));
            Assert.Equal(new ulong[] { 6, 5, 10, 3, 1, 12 }, c.ProviderContexts.Select(x => x.Type.Value));
            var ikev2 = c.ProviderContexts.First(x => x.Type.Name == "FWPM_IPSEC_IKEV2_MM_CONTEXT");
            Assert.Equal(new[] { "IKEEXT_CERTIFICATE" }, ikev2.MainModePolicy!.AuthenticationMethods.Select(a => a.Type.Name)); // no Kerberos in IKEv2
            var authipQm = c.ProviderContexts.First(x => x.Type.Name == "FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT");
            Assert.Equal("IKEEXT_IMPERSONATION_SOCKET_PRINCIPAL", authipQm.QuickModePolicy!.EmPolicy!.InitiatorImpersonationType);
            Assert.Null(c.ProviderContexts.First(x => x.Type.Name == "FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT").QuickModePolicy!.EmPolicy);
        }

        [Fact]
        public void Traffic_selector_becomes_conditions()
        {
            var p = IpsecPolicy.CreateSeed(PolicyKind.Transport, AddressFamilies.IPv4);
            p.Traffic = new PolicyTrafficSelector(new[] { PolicyAddress.Parse("10.10.1.20") }, new[] { PolicyAddress.Parse("10.10.1.0/255.255.255.0"), PolicyAddress.Parse("10.10.2.1-10.10.2.9") },
                protocol: 6, remotePorts: new[] { new PortRange(1433, 1433) });
            var c = WfpCompiler.Compile(p);
            var mm = c.Filters.First(f => f.Layer.Name == "FWPM_LAYER_IKEEXT_V4");
            Assert.Equal(new[] { "FWPM_CONDITION_IP_LOCAL_ADDRESS", "FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWPM_CONDITION_IP_REMOTE_ADDRESS" }, mm.Conditions.Select(x => x.Field.Name));
            Assert.Equal("FWP_V4_ADDR_MASK", mm.Conditions[1].Value.Type);
            Assert.Equal(24, mm.Conditions[1].Value.PrefixLength);
            Assert.Equal("FWP_MATCH_RANGE", mm.Conditions[2].Match);
            var qm = c.Filters.First(f => f.Layer.Name == "FWPM_LAYER_IPSEC_V4");
            Assert.Equal(new[] { "FWPM_CONDITION_IP_LOCAL_ADDRESS", "FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWPM_CONDITION_IP_PROTOCOL", "FWPM_CONDITION_IP_REMOTE_PORT" },
                qm.Conditions.Select(x => x.Field.Name));
            var inbound = c.Filters.First(f => f.Layer.Name == "FWPM_LAYER_INBOUND_TRANSPORT_V4");
            Assert.Equal("FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE", inbound.Conditions[0].Field.Name);
            Assert.Equal(6, inbound.Conditions.Count);
        }
    }
}
