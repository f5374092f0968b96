using System;
using System.Linq;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>Each named validation error, the seeds being valid, and the engine adapter (SPD proposals and PAD entry).</summary>
    public class PolicyValidationTests
    {
        private static IpsecPolicy Valid() => IpsecPolicy.CreateSeed(PolicyKind.Transport, AddressFamilies.Both, exemptIcmp: true);

        private static MainModeCryptoSet Mm(params MainModeCryptoProposal[] p) => new MainModeCryptoSet("mm", p);
        private static QuickModeCryptoSet Qm(params QuickModeCryptoProposal[] p) => new QuickModeCryptoSet("qm", p);

        private static IpsecPolicy Broken(PolicyErrorCode code)
        {
            var p = Valid();
            switch (code)
            {
                case PolicyErrorCode.NameMissing: p.Name = " "; break;
                case PolicyErrorCode.NoAddressFamily: p.AddressFamilies = AddressFamilies.None; break;
                case PolicyErrorCode.NoKeyingModule: p.KeyingModules = new KeyingModule[0]; break;
                case PolicyErrorCode.DuplicateKeyingModule: p.KeyingModules = new[] { KeyingModule.IKEv1, KeyingModule.IKEv1 }; break;
                case PolicyErrorCode.MainModeProposalsEmpty: p.MainModeCrypto = Mm(); break;
                case PolicyErrorCode.MainModeGcm: p.MainModeCrypto = Mm(new MainModeCryptoProposal(Encryption.AESGCM128, Hash.SHA256, DhGroup.DH14)); break;
                case PolicyErrorCode.MainModeGmac: p.MainModeCrypto = Mm(new MainModeCryptoProposal(Encryption.AES128, Hash.AESGMAC128, DhGroup.DH14)); break;
                case PolicyErrorCode.MainModeEncryptionMissing: p.MainModeCrypto = Mm(new MainModeCryptoProposal(Encryption.None, Hash.SHA256, DhGroup.DH14)); break;
                case PolicyErrorCode.MainModeHashMissing: p.MainModeCrypto = Mm(new MainModeCryptoProposal(Encryption.AES128, Hash.None, DhGroup.DH14)); break;
                case PolicyErrorCode.MainModeGroupMissing: p.MainModeCrypto = Mm(new MainModeCryptoProposal(Encryption.AES128, Hash.SHA256, DhGroup.None)); break;
                case PolicyErrorCode.MainModeSameAsMainMode: p.MainModeCrypto = Mm(new MainModeCryptoProposal(Encryption.AES128, Hash.SHA256, DhGroup.SameAsMainMode)); break;
                case PolicyErrorCode.MainModeLifetimeOutOfRange: p.MainModeCrypto = new MainModeCryptoSet("mm", p.MainModeCrypto.Proposals, lifetimeSeconds: 2880 * 60); break;
                case PolicyErrorCode.MaxQuickModeSasOutOfRange: p.MainModeCrypto = new MainModeCryptoSet("mm", p.MainModeCrypto.Proposals, maxQuickModeSas: -1); break;
                case PolicyErrorCode.QuickModeProposalsEmpty: p.QuickModeCrypto = Qm(); break;
                case PolicyErrorCode.QuickModeEncapsulationMissing: p.QuickModeCrypto = Qm(new QuickModeCryptoProposal(Encapsulation.None, Encryption.AES128, Hash.SHA256)); break;
                case PolicyErrorCode.QuickModeEmptyTransform: p.QuickModeCrypto = Qm(QuickModeCryptoProposal.Esp(Encryption.None, Hash.None)); break;
                case PolicyErrorCode.QuickModeGcmWithoutGmac: p.QuickModeCrypto = Qm(QuickModeCryptoProposal.Esp(Encryption.AESGCM128, Hash.SHA256)); break;
                case PolicyErrorCode.QuickModeGmacWithCbc: p.QuickModeCrypto = Qm(QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.AESGMAC128)); break;
                case PolicyErrorCode.QuickModeHashNotSupported: p.QuickModeCrypto = Qm(QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA384)); break;
                case PolicyErrorCode.QuickModeLifetimeOutOfRange: p.QuickModeCrypto = Qm(new QuickModeCryptoProposal(Encapsulation.ESP, Encryption.AES128, Hash.SHA256, lifetimeSeconds: 60)); break;
                case PolicyErrorCode.QuickModeKilobytesOutOfRange: p.QuickModeCrypto = Qm(new QuickModeCryptoProposal(Encapsulation.ESP, Encryption.AES128, Hash.SHA256, lifetimeKilobytes: 1000)); break;
                case PolicyErrorCode.AhWithIkeV2:
                    p.KeyingModules = new[] { KeyingModule.IKEv2 };
                    p.Phase1Auth = new AuthSet("a", new AuthProposal[] { new CertificateAuthProposal("CN=Root") });
                    p.QuickModeCrypto = Qm(new QuickModeCryptoProposal(Encapsulation.AH, Encryption.None, Hash.None, Hash.SHA256));
                    break;
                case PolicyErrorCode.AuthProposalsEmpty: p.Phase1Auth = new AuthSet("a", new AuthProposal[0]); break;
                case PolicyErrorCode.NoAuthForKeyingModule: p.KeyingModules = new[] { KeyingModule.IKEv2 }; break; // Kerberos only
                case PolicyErrorCode.CertificateWithoutAuthority: p.Phase1Auth = new AuthSet("a", new AuthProposal[] { new CertificateAuthProposal(null) }); break;
                case PolicyErrorCode.CertificateThumbprintInvalid: p.Phase1Auth = new AuthSet("a", new AuthProposal[] { new CertificateAuthProposal(null, thumbprint: "abc") }); break;
                case PolicyErrorCode.CgaNeedsIpv6:
                    p.AddressFamilies = AddressFamilies.IPv4;
                    p.Phase1Auth = new AuthSet("a", new AuthProposal[] { new CgaAuthProposal() });
                    break;
                case PolicyErrorCode.MixedAddressFamilies:
                    p.Traffic = new PolicyTrafficSelector(new[] { PolicyAddress.Parse("10.0.0.1") }, new[] { PolicyAddress.Parse("2001:db8::/32") });
                    break;
                case PolicyErrorCode.AddressFamilyMismatch: p.Traffic = new PolicyTrafficSelector(remoteAddresses: new[] { PolicyAddress.Parse("10.0.0.0/8") }); break;
                case PolicyErrorCode.PortsNeedTcpOrUdp: p.Traffic = new PolicyTrafficSelector(protocol: 1, localPorts: new[] { new PortRange(80, 80) }); break;
                case PolicyErrorCode.GuaranteeEncryptionNeedsCipher:
                    p.GuaranteeEncryption = true;
                    p.QuickModeCrypto = Qm(QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA256), QuickModeCryptoProposal.Esp(Encryption.None, Hash.SHA256));
                    break;
                case PolicyErrorCode.TimeoutOutOfRange: p.SaIdleTimeoutSeconds = -1; break;
                default: throw new ArgumentOutOfRangeException(nameof(code), code, "no test case");
            }
            return p;
        }

        public static TheoryData<PolicyErrorCode> Codes()
        {
            var data = new TheoryData<PolicyErrorCode>();
            foreach (PolicyErrorCode c in Enum.GetValues(typeof(PolicyErrorCode))) data.Add(c);
            return data;
        }

        [Theory]
        [MemberData(nameof(Codes))]
        public void Each_named_error_is_reported_alone(PolicyErrorCode code)
        {
            var errors = Broken(code).Validate();
            var e = Assert.Single(errors);
            Assert.Equal(code, e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            var ex = Assert.Throws<PolicyValidationException>(() => Broken(code).EnsureValid());
            Assert.DoesNotContain('\n', ex.Message);
        }

        [Fact]
        public void Gcm_in_main_mode_message_names_the_place()
        {
            var ex = Assert.Throws<PolicyValidationException>(() => Broken(PolicyErrorCode.MainModeGcm).EnsureValid());
            Assert.Equal("mainModeCryptoSet.proposals[0].encryption: AESGCM128 is not allowed in main mode (AES-GCM is quick mode only)", ex.Message);
        }

        [Theory]
        [InlineData(PolicyKind.Transport, SecurityRequirement.Require, SecurityRequirement.Require)]
        [InlineData(PolicyKind.NegotiationDiscovery, SecurityRequirement.Require, SecurityRequirement.Request)]
        [InlineData(PolicyKind.NegotiationDiscoveryBoundary, SecurityRequirement.Request, SecurityRequirement.Request)]
        public void Seeds_are_valid_and_map_to_netsecurity_security(PolicyKind kind, SecurityRequirement inbound, SecurityRequirement outbound)
        {
            foreach (var f in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6, AddressFamilies.Both })
                Assert.Empty(IpsecPolicy.CreateSeed(kind, f).Validate());
            var p = IpsecPolicy.CreateSeed(kind);
            Assert.Equal(inbound, p.InboundSecurity);
            Assert.Equal(outbound, p.OutboundSecurity);
            Assert.Equal(kind == PolicyKind.Transport ? 0 : 10, p.NdAllowClearTimeoutSeconds);
        }

        [Theory]
        [InlineData("10.0.0.0/255.255.0.0", "10.0.0.0/16")]
        [InlineData("10.1.2.3/24", "10.1.2.0/24")]
        [InlineData("2001:db8::1/32", "2001:db8::/32")]
        [InlineData("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9")]
        [InlineData("any", "Any")]
        public void Addresses_parse_like_netsecurity(string text, string normalized) => Assert.Equal(normalized, PolicyAddress.Parse(text).ToString());

        [Theory]
        [InlineData("10.0.0.9-10.0.0.1")]
        [InlineData("10.0.0.1-2001:db8::1")]
        [InlineData("10.0.0.0/33")]
        [InlineData("10.0.0.0/255.0.255.0")]
        [InlineData("host.example")]
        public void Bad_addresses_are_refused(string text) => Assert.False(PolicyAddress.TryParse(text, out _, out string problem) || problem.Length == 0);

        [Fact]
        public void Engine_policy_keeps_what_the_engine_implements()
        {
            var p = Valid();
            p.MainModeCrypto = new MainModeCryptoSet("mm", p.MainModeCrypto.Proposals, lifetimeSeconds: 7200, maxQuickModeSas: 5);
            p.QuickModeCrypto = new QuickModeCryptoSet("qm", p.QuickModeCrypto.Proposals.Append(new QuickModeCryptoProposal(Encapsulation.AH, Encryption.None, Hash.None, Hash.SHA256)), DhGroup.DH14);
            var engine = p.ToEngineV1Policy();
            Assert.Equal(new[] { (IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14), (IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_384, 20), (IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha2_256, 19) },
                engine.MainMode.Select(m => (m.Encryption, m.KeyBits, m.Hash, m.DhGroup)));
            Assert.All(engine.MainMode, m => Assert.Equal(7200, m.LifetimeSeconds));
            Assert.Equal(5, engine.MaxQuickModeSas);
            Assert.Equal(new[] { (EspTransformId.Aes, 256), (EspTransformId.Aes, 128) }, engine.QuickMode.Select(q => (q.Encryption, q.KeyBits))); // GCM and AH left out
            Assert.All(engine.QuickMode, q => Assert.Equal((14, 100000, IpsecAuthenticationAlgorithm.HmacSha2_256), (q.PfsGroup, q.LifetimeKilobytes, q.Integrity)));
            Assert.True(engine.AllowTransport);
            Assert.False(engine.AllowTunnel);
            Assert.Equal(3, p.EngineOmissions().Count); // GCM, AH, Kerberos
        }

        [Fact]
        public void Engine_policy_needs_an_esp_proposal_it_implements()
        {
            var p = Valid();
            p.QuickModeCrypto = Qm(QuickModeCryptoProposal.Esp(Encryption.AESGCM256, Hash.AESGMAC256));
            var ex = Assert.Throws<PolicyConversionException>(() => p.ToEngineV1Policy());
            Assert.Contains("no quick mode proposal the engine implements", ex.Message);
        }

        [Fact]
        public void Pad_entry_carries_the_preshared_key_and_cga()
        {
            var p = Valid();
            Assert.Null(p.ToPeerAuthorizationEntry()); // Kerberos only
            p.AddressFamilies = AddressFamilies.IPv6;
            p.Phase1Auth = new AuthSet("a", new AuthProposal[] { new CgaAuthProposal(), new PreSharedKeyAuthProposal(PreSharedKey.FromText("s3cret")) });
            p.Traffic = new PolicyTrafficSelector(remoteAddresses: new[] { PolicyAddress.Parse("2001:db8::7") });
            var entry = p.ToPeerAuthorizationEntry()!;
            Assert.Equal(System.Net.IPAddress.Parse("2001:db8::7"), entry.Peer);
            Assert.True(entry.AcceptsCga);
            Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(entry.PresharedKey!.Reveal()));
        }
    }
}
