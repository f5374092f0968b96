using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Policy;
using Xunit;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>
    /// Each seed scenario's objects written by <see cref="WfpNativeEncoder"/> (through the store's codec) into unmanaged
    /// memory and read back through the same struct definitions. Expected GUIDs and values are copied from
    /// shared/reference/netsecurity-wfp.md, not taken from the compiler.
    /// </summary>
    public sealed class WfpNativeEncoderTests
    {
        public static TheoryDataRows Scenarios => PolicyTestData.Scenarios();

        private static readonly Guid LocalAddressType = new Guid("6ec7f6c4-376b-45d7-9e9c-d337cedcd237");
        private static readonly Guid IpProtocol = new Guid("3971ef2b-623e-4f9a-8cb1-6e79b806b9a7");
        private static readonly Guid LocalAddress = new Guid("d9ee00de-c1ef-4617-bfe3-ffd8f5a08957");
        private static readonly Guid RemoteAddress = new Guid("b235ae9a-1d64-49b8-a44c-5ff3d9095045");
        private static readonly Guid LocalPort = new Guid("0c1ba1af-5765-453f-af22-a8f791ac775b");
        private static readonly Guid RemotePort = new Guid("c35a604d-d22b-4e1a-91b4-68f674ee674b");

        private static readonly Dictionary<string, (Guid V4, Guid V6)> Layers = new Dictionary<string, (Guid, Guid)>
        {
            ["IKEEXT"] = (new Guid("b14b7bdb-dbbd-473e-bed4-8b4708d4f270"), new Guid("b64786b3-f687-4eb9-89d2-8ef32acdabe2")),
            ["IPSEC"] = (new Guid("eda65c74-610d-4bc5-948f-3c4f89556867"), new Guid("13c48442-8d87-4261-9a29-59d2abc348b4")),
            ["INBOUND_TRANSPORT"] = (new Guid("5926dfc8-e3cf-4426-a283-dc393f5d0f9d"), new Guid("634a869f-fc23-4b90-b0c1-bf620a36ae6f")),
            ["OUTBOUND_TRANSPORT"] = (new Guid("09e61aea-d214-46e2-9b21-b26b0b2f28c8"), new Guid("e1735bde-013f-4655-b351-a49e15762df0")),
            ["ALE_AUTH_RECV_ACCEPT"] = (new Guid("e1cd9fe7-f4b5-4273-96c0-592e487b8650"), new Guid("a3b42c97-9f04-4672-b87e-cee9c483257f")),
        };

        private static readonly Dictionary<string, (Guid V4, Guid V6)> Callouts = new Dictionary<string, (Guid, Guid)>
        {
            ["INBOUND_TRANSPORT"] = (new Guid("5132900d-5e84-4b5f-80e4-01741e81ff10"), new Guid("49d3ac92-2a6c-4dcf-955f-1c3be009dd99")),
            ["OUTBOUND_TRANSPORT"] = (new Guid("4b46bf0a-4523-4e57-aa38-a87987c910d9"), new Guid("38d87722-ad83-4f11-a91f-df0fb077225b")),
            ["ALE_AUTH_RECV_ACCEPT"] = (new Guid("7dff309b-ba7d-4aba-91aa-ae5c6640c944"), new Guid("a9a0d6d9-c58c-474e-8aeb-3cfe99d6d53d")),
        };

        private const uint Permit = 0x1002, CalloutTerminating = 0x5003;

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Seed_filters_round_trip_with_the_seed_layers_conditions_actions_weights_and_contexts(string kind, string family)
        {
            var policy = PolicyTestData.Seed(kind, family);
            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(policy));
            using var arena = new NativeArena();
            var filters = plan.Objects.Where(d => d.Kind == WfpDescriptionKind.Filter).Select(d => Decode.Filter(Write(plan, d, arena))).ToList();
            var versions = new[] { false, true }.Where(v6 => (policy.AddressFamilies & (v6 ? AddressFamilies.IPv6 : AddressFamilies.IPv4)) != 0).ToList();
            Guid mmContext = plan.Objects.Single(d => d.Kind == WfpDescriptionKind.ProviderContext && d.Name.Contains("main mode")).Key;
            Guid qmContext = plan.Objects.Single(d => d.Kind == WfpDescriptionKind.ProviderContext && d.Name.Contains("quick mode")).Key;
            bool nd = kind != "transport";

            foreach (bool v6 in versions)
            {
                Guid L(string name) => v6 ? Layers[name].V6 : Layers[name].V4;
                Guid C(string name) => v6 ? Callouts[name].V6 : Callouts[name].V4;
                byte icmp = v6 ? (byte)58 : (byte)1;

                // IKEEXT / IPSEC: no conditions, PERMIT, automatic weight, the MM / QM provider context.
                foreach (var (layer, context) in new[] { ("IKEEXT", mmContext), ("IPSEC", qmContext) })
                {
                    var f = Assert.Single(filters, x => x.Layer == L(layer));
                    Assert.Empty(f.Conditions);
                    Assert.Equal((Permit, Guid.Empty), (f.Action, f.Callout));
                    Assert.Equal(FwpValues.FWP_EMPTY, f.WeightType);
                    Assert.Equal(FwpValues.FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT | FwpValues.FWPM_FILTER_FLAG_PERSISTENT, f.Flags);
                    Assert.Equal(context, f.ProviderContext);
                }

                var perPacket = new List<(string Layer, ulong RawContext)>
                {
                    ("INBOUND_TRANSPORT", nd ? 0x2UL : 0), ("OUTBOUND_TRANSPORT", nd ? 0x1UL : 0),
                };
                if (kind == "nd") perPacket.Add(("ALE_AUTH_RECV_ACCEPT", 0));
                Assert.Equal(kind == "nd" ? 2 : 0, filters.Count(x => x.Layer == L("ALE_AUTH_RECV_ACCEPT")));
                foreach (var (layer, raw) in perPacket)
                {
                    var atLayer = filters.Where(x => x.Layer == L(layer)).ToList();
                    Assert.Equal(2, atLayer.Count);
                    // The callout filter: unicast, CALLOUT_TERMINATING with the layer's IPsec callout, the scenario's rawContext.
                    var callout = Assert.Single(atLayer, x => x.Action == CalloutTerminating);
                    Assert.Equal(new[] { (LocalAddressType, 0u, "FWP_UINT8:1") }, callout.Conditions);
                    Assert.Equal(C(layer), callout.Callout);
                    Assert.Equal(raw, callout.RawContext);
                    Assert.Equal(FwpValues.FWPM_FILTER_FLAG_PERSISTENT, callout.Flags);
                    Assert.Equal(FwpValues.FWP_EMPTY, callout.WeightType);
                    // The ICMP exemption: unicast + IP_PROTOCOL 1/58, PERMIT, weight FWP_UINT8 FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS (0xC).
                    var exemption = Assert.Single(atLayer, x => x.Action == Permit);
                    Assert.Equal(new[] { (LocalAddressType, 0u, "FWP_UINT8:1"), (IpProtocol, 0u, $"FWP_UINT8:{icmp}") }, exemption.Conditions);
                    Assert.Equal((FwpValues.FWP_UINT8, (byte)0xC), (exemption.WeightType, exemption.Weight));
                    Assert.Equal(0UL, exemption.RawContext);
                }
            }
            Assert.Equal(versions.Count * (2 + 4 + (kind == "nd" ? 2 : 0)), filters.Count);
        }

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Seed_provider_contexts_round_trip_with_their_proposals_flags_and_timeouts(string kind, string family)
        {
            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(PolicyTestData.Seed(kind, family)));
            using var arena = new NativeArena();
            var contexts = plan.Objects.Where(d => d.Kind == WfpDescriptionKind.ProviderContext).Select(d => Write(plan, d, arena)).ToList();
            Assert.Equal(2, contexts.Count);

            var mmNative = Marshal.PtrToStructure<FWPM_PROVIDER_CONTEXT1>(contexts[0]);
            Assert.Equal(5u, mmNative.type);                                   // FWPM_IPSEC_IKE_MM_CONTEXT
            var mm = Decode.MainMode(mmNative.u.ikeMmPolicy);
            // Seed crypto: AES256/SHA256/DH14, AES256/SHA384/DH20, AES128/SHA256/DH19; 8 h; no QM limit.
            Assert.Equal(new[] { (4u, 2u, 3u), (4u, 3u, 5u), (2u, 2u, 4u) }, mm.Proposals.Select(p => (p.Cipher, p.Integrity, p.Dh)));
            Assert.All(mm.Proposals, p => Assert.Equal((28800u, 0u, 0u, 0u), (p.Lifetime, p.QuickModeLimit, p.KeyLen, p.Rounds)));
            Assert.Equal(new[] { 2u }, mm.Methods.Select(m => m.Type));       // IKEEXT_KERBEROS
            Assert.Equal((0u, 0u, 0u, 0u), (mm.Flags, mm.Impersonation, mm.SoftExpiration, mm.MaxDynamicFilters));

            var qmNative = Marshal.PtrToStructure<FWPM_PROVIDER_CONTEXT1>(contexts[1]);
            Assert.Equal(1u, qmNative.type);                                   // FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT
            var qm = Decode.QuickMode(qmNative.u.ikeQmTransportPolicy);
            Assert.Equal(kind switch { "nd" => 0x2u, "nd-boundary" => 0x4u, _ => 0u }, qm.Flags);   // ND_SECURE / ND_BOUNDARY
            Assert.Equal(kind == "transport" ? 0u : 10u, qm.NdAllowClear);
            Assert.Equal((300u, 60u), (qm.Idle, qm.IdleFailOver));
            Assert.Equal(IntPtr.Zero, qm.EmPolicy);
            // ESP_AUTH_AND_CIPHER: SHA256 {2,2} + AES256 {5,5}; SHA256 + AES128 {3,3}; GMAC256 {5,5} + GCM256 {5,8}.
            Assert.Equal(new[] { "4:2/2:5/5", "4:2/2:3/3", "4:5/5:5/8" }, qm.Proposals.Select(p => Assert.Single(p.Transforms)));
            Assert.All(qm.Proposals, p => Assert.Equal((3600u, 100000u, 0x7FFFFFFFu, 0u), (p.Seconds, p.Kilobytes, p.Packets, p.Pfs)));
        }

        [Fact]
        public void Using_transport_mode_sample_authip_contexts_carry_both_auth_sets_and_the_em_policy()
        {
            // win32 "Using Transport Mode": AuthIP, MM [Kerberos, certificate with an explicit root], EM [Kerberos user] with
            // SOCKET_PRINCIPAL, QM AH-SHA1 / ESP_AUTH-SHA1 / ESP SHA1+AES128 / ESP SHA1+3DES, ND_SECURE, ndAllowClear 10, idle {300, 60}.
            var policy = PolicyTestData.Seed("nd", "both");
            policy.KeyingModules = new[] { KeyingModule.AuthIP };
            policy.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new KerberosAuthProposal(), new CertificateAuthProposal("CN=Contoso Root, O=Contoso, C=US") });
            policy.Phase2Auth = new AuthSet("p2", new AuthProposal[] { new KerberosAuthProposal(KerberosPrincipal.User) });
            policy.MainModeCrypto = new MainModeCryptoSet("mm", new[] { new MainModeCryptoProposal(Encryption.AES128, Hash.SHA1, DhGroup.DH2), new MainModeCryptoProposal(Encryption.DES3, Hash.SHA1, DhGroup.DH2) });
            policy.QuickModeCrypto = new QuickModeCryptoSet("qm", new[]
            {
                new QuickModeCryptoProposal(Encapsulation.AH, Encryption.None, Hash.None, Hash.SHA1),
                new QuickModeCryptoProposal(Encapsulation.ESP, Encryption.None, Hash.SHA1),
                QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA1),
                QuickModeCryptoProposal.Esp(Encryption.DES3, Hash.SHA1),
            });
            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(policy));
            using var arena = new NativeArena();
            var contexts = plan.Objects.Where(d => d.Kind == WfpDescriptionKind.ProviderContext).Select(d => Marshal.PtrToStructure<FWPM_PROVIDER_CONTEXT1>(Write(plan, d, arena))).ToList();

            Assert.Equal(new[] { 6u, 3u }, contexts.Select(c => c.type));    // AUTHIP_MM, AUTHIP_QM_TRANSPORT
            var mm = Decode.MainMode(contexts[0].u.authIpMmPolicy);
            Assert.Equal(new[] { (2u, 1u, 2u), (1u, 1u, 2u) }, mm.Proposals.Select(p => (p.Cipher, p.Integrity, p.Dh)));
            Assert.Equal(new[] { 2u, 1u }, mm.Methods.Select(m => m.Type));   // KERBEROS, CERTIFICATE
            var cert = mm.Methods[1].Certificate!.Value;
            Assert.Equal((0u, 1u, 0u, 1u), (cert.inboundConfigType, cert.inbound.rootArray.inboundRootArraySize, cert.outboundConfigType, cert.outbound.rootArray.outboundRootArraySize));
            var root = Marshal.PtrToStructure<IKEEXT_CERT_ROOT_CONFIG0>(cert.inbound.rootArray.inboundRootArray);
            byte[] dn = NativeArena.ReadBlob(root.certData);
            Assert.Equal(new X500DistinguishedName("CN=Contoso Root, O=Contoso, C=US").RawData, dn);
            Assert.Equal(0x30, dn[0]);                                          // a DER SEQUENCE (X.500 Name)
            Assert.Equal("CN=Contoso Root, O=Contoso, C=US", new X500DistinguishedName(dn).Name);
            Assert.Equal(cert.inbound.rootArray.inboundRootArray, cert.outbound.rootArray.outboundRootArray);

            var qm = Decode.QuickMode(contexts[1].u.authipQmTransportPolicy);
            Assert.Equal((0x2u, 10u, 300u, 60u), (qm.Flags, qm.NdAllowClear, qm.Idle, qm.IdleFailOver));
            Assert.Equal(new[] { "1:1/1", "2:1/1", "4:1/1:3/3", "4:1/1:2/2" }, qm.Proposals.Select(p => Assert.Single(p.Transforms)));
            var em = Marshal.PtrToStructure<IKEEXT_EM_POLICY1>(qm.EmPolicy);
            Assert.Equal((1u, 1u), (em.numAuthenticationMethods, em.initiatorImpersonationType));   // one method, SOCKET_PRINCIPAL
            Assert.Equal(2u, Marshal.PtrToStructure<IKEEXT_AUTHENTICATION_METHOD1>(em.authenticationMethods).authenticationMethodType);
        }

        [Fact]
        public void Traffic_selector_conditions_encode_addresses_masks_ranges_protocol_and_ports()
        {
            var policy = PolicyTestData.Seed("transport", "ipv4");
            policy.Traffic = new PolicyTrafficSelector(
                new[] { PolicyAddress.Parse("192.0.2.0/24"), PolicyAddress.Parse("192.0.2.200") },
                new[] { PolicyAddress.Parse("198.51.100.10-198.51.100.20") }, protocol: 6,
                localPorts: new[] { new PortRange(443, 443) }, remotePorts: new[] { new PortRange(1024, 65535) });
            var v6 = PolicyTestData.Seed("transport", "ipv6");
            v6.Traffic = new PolicyTrafficSelector(new[] { PolicyAddress.Parse("2001:db8::/32") }, new[] { PolicyAddress.Parse("2001:db8:1::5") });
            using var arena = new NativeArena();

            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(policy));
            var qm = Decode.Filter(Write(plan, plan.Objects.Single(d => d.Name.Contains("quick mode (IKEv1, v4)")), arena));
            Assert.Equal(new[]
            {
                (LocalAddress, 0u, "FWP_V4_ADDR_MASK:C0000200/FFFFFF00"),
                (LocalAddress, 0u, "FWP_UINT32:C00002C8"),
                (RemoteAddress, 5u, "FWP_RANGE_TYPE:FWP_UINT32:C633640A..FWP_UINT32:C6336414"),
                (IpProtocol, 0u, "FWP_UINT8:6"),
                (LocalPort, 0u, "FWP_UINT16:443"),
                (RemotePort, 5u, "FWP_RANGE_TYPE:FWP_UINT16:1024..FWP_UINT16:65535"),
            }, qm.Conditions);

            var plan6 = WfpObjectMapper.Map(WfpCompiler.Compile(v6));
            var mm6 = Decode.Filter(Write(plan6, plan6.Objects.Single(d => d.Name.Contains("main mode (IKEv1, v6)")), arena));
            Assert.Equal(new[]
            {
                (LocalAddress, 0u, "FWP_V6_ADDR_MASK:20010db8000000000000000000000000/32"),
                (RemoteAddress, 0u, "FWP_BYTE_ARRAY16_TYPE:20010db8000100000000000000000005"),
            }, mm6.Conditions);
        }

        [Fact]
        public void Preshared_key_is_written_into_the_blob_and_nowhere_else()
        {
            const string secret = "TestOnly-Encoder-Psk-4711";
            var policy = PolicyTestData.Seed("transport", "ipv4");
            policy.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new PreSharedKeyAuthProposal(PreSharedKey.FromText(secret)) });
            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(policy));
            var mmd = plan.Objects.Single(d => d.Kind == WfpDescriptionKind.ProviderContext && d.Name.Contains("main mode"));
            using var arena = new NativeArena();
            var native = Marshal.PtrToStructure<FWPM_PROVIDER_CONTEXT1>(Write(plan, mmd, arena));
            var method = Assert.Single(Decode.MainMode(native.u.ikeMmPolicy).Methods);
            Assert.Equal(0u, method.Type);                                     // IKEEXT_PRESHARED_KEY
            Assert.Equal(Encoding.UTF8.GetBytes(secret), NativeArena.ReadBlob(method.Raw.u.presharedKeyAuthentication.presharedKey));
            Assert.Equal(0u, method.Raw.u.presharedKeyAuthentication.flags);

            string everything = string.Join("\n", plan.Objects.Select(d => d + Encoding.UTF8.GetString(d.Payload) + d.Body + d.Description));
            Assert.DoesNotContain(secret, everything);
            Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(secret)), everything, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void Ikev2_mm_encodes_but_its_qm_transport_context_needs_provider_context_version_2()
        {
            var policy = PolicyTestData.Seed("transport", "ipv4");
            policy.KeyingModules = new[] { KeyingModule.IKEv2 };
            policy.Phase1Auth = new AuthSet("p1", new AuthProposal[] { new CertificateAuthProposal("CN=Root") });
            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(policy));
            using var arena = new NativeArena();
            var contexts = plan.Objects.Where(d => d.Kind == WfpDescriptionKind.ProviderContext).ToList();
            Assert.Equal(10u, Marshal.PtrToStructure<FWPM_PROVIDER_CONTEXT1>(Write(plan, contexts[0], arena)).type);
            var e = Assert.Throws<WfpEncodingException>(() => Write(plan, contexts[1], arena));
            Assert.Contains("FWPM_IPSEC_IKEV2_QM_TRANSPORT_CONTEXT needs FWPM_PROVIDER_CONTEXT2", e.Message);
        }

        [Theory]
        [InlineData("thumbprint", "IKEEXT_CERTIFICATE_AUTHENTICATION2")]
        [InlineData("proxy", "Kerberos proxy (kdc.example.test)")]
        [InlineData("bad-dn", "'not a dn' is not a distinguished name")]
        public void What_the_version_1_structs_cannot_say_fails_with_a_clear_error(string what, string expected)
        {
            var policy = PolicyTestData.Seed("transport", "ipv4");
            AuthProposal auth = what switch
            {
                "thumbprint" => new CertificateAuthProposal(null, thumbprint: new string('A', 40)),
                "proxy" => new KerberosAuthProposal(KerberosPrincipal.Machine, "kdc.example.test"),
                _ => new CertificateAuthProposal("not a dn"),
            };
            policy.Phase1Auth = new AuthSet("p1", new[] { auth });
            var plan = WfpObjectMapper.Map(WfpCompiler.Compile(policy));
            using var arena = new NativeArena();
            var mm = plan.Objects.First(d => d.Kind == WfpDescriptionKind.ProviderContext);
            var e = Assert.Throws<WfpEncodingException>(() => Write(plan, mm, arena));
            Assert.Contains(expected, e.Message);
            Assert.Contains(mm.Name, e.Message);
        }

        [Fact]
        public void Objects_read_back_from_bfe_have_nothing_to_encode()
        {
            var o = new WfpStoredObject(WfpDescriptionKind.Filter, Guid.NewGuid(), "f", null, Layers["IPSEC"].V4, Guid.Empty, null, 0, true, new byte[0]);
            var native = new FWPM_FILTER0();
            using var arena = new NativeArena();
            Assert.Contains("no compiled filter", Assert.Throws<WfpEncodingException>(() => new WfpNativeEncoder().EncodeFilter(o, ref native, arena)).Message);
        }

        /// <summary>Writes a description as <see cref="NativeWfpStore"/> does (codec + encoder) and returns the struct's address.</summary>
        internal static IntPtr Write(WfpPlan plan, WfpObjectDescription d, NativeArena arena)
        {
            var o = WfpStoredObject.From(d, plan.ProviderKey, persistent: true, new byte[] { 1, 2, 3 });
            return d.Kind == WfpDescriptionKind.Filter ? WfpNativeCodec.WriteFilter(o, arena, new WfpNativeEncoder())
                : WfpNativeCodec.WriteProviderContext(o, arena, new WfpNativeEncoder());
        }
    }

    /// <summary>Reads the encoded structs back through the same definitions, into comparable values.</summary>
    internal static class Decode
    {
        public sealed record FilterView(Guid Layer, uint Flags, uint WeightType, byte Weight, (Guid, uint, string)[] Conditions, uint Action, Guid Callout,
            ulong RawContext, Guid? ProviderContext);

        public sealed record Proposal(uint Cipher, uint KeyLen, uint Rounds, uint Integrity, uint Lifetime, uint Dh, uint QuickModeLimit);

        public sealed record Method(uint Type, IKEEXT_AUTHENTICATION_METHOD1 Raw, IKEEXT_CERTIFICATE_AUTHENTICATION1? Certificate);

        public sealed record MainModeView(uint SoftExpiration, uint Impersonation, uint Flags, uint MaxDynamicFilters, List<Proposal> Proposals, List<Method> Methods);

        public sealed record QmProposal(uint Seconds, uint Kilobytes, uint Packets, uint Pfs, List<string> Transforms);

        public sealed record QuickModeView(uint Flags, uint NdAllowClear, uint Idle, uint IdleFailOver, IntPtr EmPolicy, List<QmProposal> Proposals);

        public static FilterView Filter(IntPtr p)
        {
            var f = Marshal.PtrToStructure<FWPM_FILTER0>(p);
            var conditions = Array<FWPM_FILTER_CONDITION0>(f.filterCondition, f.numFilterConditions)
                .Select(c => (c.fieldKey, c.matchType, ConditionValue(c.conditionValue))).ToArray();
            bool hasContext = (f.flags & FwpValues.FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT) != 0;
            return new FilterView(f.layerKey, f.flags, f.weight.type, f.weight.u.uint8, conditions, f.action.type,
                (f.action.type & 0x4000) != 0 ? f.action.u.calloutKey : Guid.Empty, hasContext ? 0 : f.u.rawContext, hasContext ? f.u.providerContextKey : (Guid?)null);
        }

        public static MainModeView MainMode(IntPtr p)
        {
            var m = Marshal.PtrToStructure<IKEEXT_POLICY1>(p);
            var proposals = Array<IKEEXT_PROPOSAL0>(m.ikeProposals, m.numIkeProposals).Select(x => new Proposal(x.cipherAlgorithm.algoIdentifier,
                x.cipherAlgorithm.keyLen, x.cipherAlgorithm.rounds, x.integrityAlgorithm.algoIdentifier, x.maxLifetimeSeconds, x.dhGroup, x.quickModeLimit)).ToList();
            var methods = Array<IKEEXT_AUTHENTICATION_METHOD1>(m.authenticationMethods, m.numAuthenticationMethods)
                .Select(x => new Method(x.authenticationMethodType, x, x.authenticationMethodType is 1 or 7 or 8 ? x.u.certificateAuthentication : null)).ToList();
            return new MainModeView(m.softExpirationTime, m.initiatorImpersonationType, m.flags, m.maxDynamicFilters, proposals, methods);
        }

        public static QuickModeView QuickMode(IntPtr p)
        {
            var q = Marshal.PtrToStructure<IPSEC_TRANSPORT_POLICY1>(p);
            var proposals = Array<IPSEC_PROPOSAL0>(q.ipsecProposals, q.numIpsecProposals).Select(x => new QmProposal(x.lifetime.lifetimeSeconds,
                x.lifetime.lifetimeKilobytes, x.lifetime.lifetimePackets, x.pfsGroup, Array<IPSEC_SA_TRANSFORM0>(x.saTransforms, x.numSaTransforms).Select(Transform).ToList())).ToList();
            return new QuickModeView(q.flags, q.ndAllowClearTimeoutSeconds, q.saIdleTimeout.idleTimeoutSeconds, q.saIdleTimeout.idleTimeoutSecondsFailOver, q.emPolicy, proposals);
        }

        /// <summary>"type:authType/authConfig[:cipherType/cipherConfig]" (cipher only: "type:cipherType/cipherConfig").</summary>
        private static string Transform(IPSEC_SA_TRANSFORM0 t)
        {
            string A(IPSEC_AUTH_TRANSFORM0 a) => $"{a.authTransformId.authType}/{a.authTransformId.authConfig}" + (a.cryptoModuleId == IntPtr.Zero ? "" : "+module");
            string C(IPSEC_CIPHER_TRANSFORM0 c) => $"{c.cipherTransformId.cipherType}/{c.cipherTransformId.cipherConfig}" + (c.cryptoModuleId == IntPtr.Zero ? "" : "+module");
            return t.ipsecTransformType switch
            {
                1 => "1:" + A(Marshal.PtrToStructure<IPSEC_AUTH_TRANSFORM0>(t.u.ahTransform)),
                2 => "2:" + A(Marshal.PtrToStructure<IPSEC_AUTH_TRANSFORM0>(t.u.espAuthTransform)),
                3 => "3:" + C(Marshal.PtrToStructure<IPSEC_CIPHER_TRANSFORM0>(t.u.espCipherTransform)),
                4 => "4:" + A(Marshal.PtrToStructure<IPSEC_AUTH_AND_CIPHER_TRANSFORM0>(t.u.espAuthAndCipherTransform).authTransform) + ":" +
                     C(Marshal.PtrToStructure<IPSEC_AUTH_AND_CIPHER_TRANSFORM0>(t.u.espAuthAndCipherTransform).cipherTransform),
                _ => "?" + t.ipsecTransformType,
            };
        }

        private static string ConditionValue(FWP_CONDITION_VALUE0 v) => v.type switch
        {
            FwpValues.FWP_UINT8 => $"FWP_UINT8:{v.u.uint8}",
            FwpValues.FWP_UINT16 => $"FWP_UINT16:{v.u.uint16}",
            FwpValues.FWP_UINT32 => $"FWP_UINT32:{v.u.uint32:X8}",
            FwpValues.FWP_BYTE_ARRAY16_TYPE => "FWP_BYTE_ARRAY16_TYPE:" + Hex(Marshal.PtrToStructure<FWP_BYTE_ARRAY16>(v.u.byteArray16).byteArray16.ToArray()),
            FwpValues.FWP_V4_ADDR_MASK => $"FWP_V4_ADDR_MASK:{Marshal.PtrToStructure<FWP_V4_ADDR_AND_MASK>(v.u.v4AddrMask).addr:X8}/{Marshal.PtrToStructure<FWP_V4_ADDR_AND_MASK>(v.u.v4AddrMask).mask:X8}",
            FwpValues.FWP_V6_ADDR_MASK => "FWP_V6_ADDR_MASK:" + Hex(Marshal.PtrToStructure<FWP_V6_ADDR_AND_MASK>(v.u.v6AddrMask).addr.ToArray()) + "/" +
                                           Marshal.PtrToStructure<FWP_V6_ADDR_AND_MASK>(v.u.v6AddrMask).prefixLength,
            FwpValues.FWP_RANGE_TYPE => "FWP_RANGE_TYPE:" + Value(Marshal.PtrToStructure<FWP_RANGE0>(v.u.rangeValue).valueLow) + ".." +
                                         Value(Marshal.PtrToStructure<FWP_RANGE0>(v.u.rangeValue).valueHigh),
            _ => "?" + v.type,
        };

        private static string Value(FWP_VALUE0 v) => v.type switch
        {
            FwpValues.FWP_UINT16 => $"FWP_UINT16:{v.u.uint16}",
            FwpValues.FWP_UINT32 => $"FWP_UINT32:{v.u.uint32:X8}",
            FwpValues.FWP_BYTE_ARRAY16_TYPE => "FWP_BYTE_ARRAY16_TYPE:" + Hex(Marshal.PtrToStructure<FWP_BYTE_ARRAY16>(v.u.byteArray16).byteArray16.ToArray()),
            _ => "?" + v.type,
        };

        private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

        private static List<T> Array<T>(IntPtr p, uint count) where T : struct
        {
            var list = new List<T>();
            if (count > 0) Assert.NotEqual(IntPtr.Zero, p);
            for (int i = 0; i < count; i++) list.Add(Marshal.PtrToStructure<T>(p + i * Marshal.SizeOf<T>()));
            return list;
        }
    }
}
