using System;
using System.IO;
using System.Linq;
using System.Text;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Json;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>The versioned policy file: round trip, secrets, strict reading, and telling it from the engine's older format.</summary>
    public class PolicyJsonTests
    {
        private const string Secret = "TestOnly-NotForProd-12345";

        private static IpsecPolicy Rich()
        {
            var p = IpsecPolicy.CreateSeed(PolicyKind.NegotiationDiscovery, AddressFamilies.IPv6, exemptIcmp: true, name: "SrvToSrv-IPsec-001");
            p.KeyingModules = new[] { KeyingModule.AuthIP, KeyingModule.IKEv1 };
            p.GuaranteeEncryption = true;
            p.Phase1Auth = new AuthSet("{Auth-Set-001}", new AuthProposal[]
            {
                new CertificateAuthProposal("CN=CorpRootCA,DC=corp,DC=example,DC=com", CertificateAuthorityType.Root, "00112233445566778899aabbccddeeff00112233", CertificateSigning.ECDSA256),
                new KerberosAuthProposal(KerberosPrincipal.Machine, "kdcproxy.example"),
                new CgaAuthProposal(),
                new PreSharedKeyAuthProposal(PreSharedKey.FromText(Secret)),
            });
            p.Phase2Auth = new AuthSet("em", new AuthProposal[] { new KerberosAuthProposal(KerberosPrincipal.User) });
            p.QuickModeCrypto = new QuickModeCryptoSet("{QM-CryptoSet-001}", new[]
            {
                new QuickModeCryptoProposal(Encapsulation.AH | Encapsulation.ESP, Encryption.AES256, Hash.SHA256, Hash.SHA1, 7200, 200000),
                QuickModeCryptoProposal.Esp(Encryption.AESGCM128, Hash.AESGMAC128),
            }, DhGroup.SameAsMainMode);
            p.Traffic = new PolicyTrafficSelector(new[] { PolicyAddress.Parse("2001:db8::20") }, new[] { PolicyAddress.Parse("2001:db8:1::/48"), PolicyAddress.Parse("2001:db8::1-2001:db8::9") },
                6, new[] { new PortRange(1433, 1433) }, new[] { new PortRange(49152, 65535) });
            p.NdAllowClearTimeoutSeconds = 20;
            return p;
        }

        [Fact]
        public void Round_trip_with_secrets_keeps_everything()
        {
            var options = new PolicyJsonWriteOptions { IncludeSecrets = true };
            string first = IpsecPolicyJson.Serialize(Rich(), options);
            var back = IpsecPolicyJson.Parse(first);
            Assert.Equal(first, IpsecPolicyJson.Serialize(back, options));
            Assert.Contains($"\"clear\": \"{Secret}\"", first);
            Assert.Equal(Secret, Encoding.UTF8.GetString(back.Phase1Auth.Proposals.OfType<PreSharedKeyAuthProposal>().Single().Key!.Reveal()));
            Assert.Equal(PolicyKind.NegotiationDiscovery, back.Kind);
            Assert.Equal(new[] { KeyingModule.AuthIP, KeyingModule.IKEv1 }, back.KeyingModules);
            Assert.Equal("2001:db8::1-2001:db8::9", back.Traffic.RemoteAddresses[1].ToString());
        }

        [Fact]
        public void Secrets_are_left_out_by_default()
        {
            string json = IpsecPolicyJson.Serialize(Rich());
            Assert.DoesNotContain(Secret, json);
            Assert.DoesNotContain("presharedKey", json);
            Assert.Contains("\"method\": \"PreSharedKey\"", json);
            var back = IpsecPolicyJson.Parse(json);
            var psk = back.Phase1Auth.Proposals.OfType<PreSharedKeyAuthProposal>().Single();
            Assert.Null(psk.Key);
            Assert.DoesNotContain(Secret, IpsecPolicyJson.Serialize(back, new PolicyJsonWriteOptions { IncludeSecrets = true }));
            Assert.DoesNotContain(Secret, WfpJson.Serialize(IkeExtensions.Policy.Wfp.WfpCompiler.Compile(Rich())));
        }

        private sealed class ReversingProtector : IPolicySecretProtector
        {
            public string Scheme => "test-reverse";
            public string Protect(byte[] secret) => Convert.ToBase64String(secret.Reverse().ToArray());
            public byte[]? Unprotect(string data) => Convert.FromBase64String(data).Reverse().ToArray();
        }

        [Fact]
        public void Secrets_are_protected_when_a_protector_is_given()
        {
            var protector = new ReversingProtector();
            string json = IpsecPolicyJson.Serialize(Rich(), new PolicyJsonWriteOptions { Protector = protector });
            Assert.DoesNotContain(Secret, json);
            Assert.Contains("\"protected\":", json);
            Assert.Contains("\"scheme\": \"test-reverse\"", json);
            var opened = IpsecPolicyJson.Parse(json, options: new PolicyJsonReadOptions { Protector = protector });
            Assert.Equal(Secret, Encoding.UTF8.GetString(opened.Phase1Auth.Proposals.OfType<PreSharedKeyAuthProposal>().Single().Key!.Reveal()));
            // Without the protector the key stays unavailable but its protected form survives a rewrite.
            var closed = IpsecPolicyJson.Parse(json);
            Assert.Null(closed.Phase1Auth.Proposals.OfType<PreSharedKeyAuthProposal>().Single().Key);
            Assert.Equal(json, IpsecPolicyJson.Serialize(closed, new PolicyJsonWriteOptions { IncludeSecrets = true }));
        }

        [Theory]
        [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": 2", "p.json: schemaVersion: 2 is not supported (this version reads schemaVersion 1)")]
        [InlineData("\"exemptIcmp\": true", "\"exemptIcmp\": true, \"colour\": 1", "p.json: colour: unknown field")]
        [InlineData("\"hash\": \"SHA256\"", "\"hash\": \"SHA512\"", "p.json: mainModeCryptoSet.proposals[0].hash: \"SHA512\" is not one of")]
        [InlineData("\"kind\": \"nd\"", "\"kind\": \"tunnel\"", "p.json: kind: \"tunnel\" is not a policy kind")]
        [InlineData("\"inboundSecurity\": \"Require\"", "\"inboundSecurity\": \"Request\"", "p.json: inboundSecurity: Request contradicts kind nd")]
        [InlineData("\"remoteAddresses\": [", "\"remoteAddresses\": [\"10.0.0.0/40\", ", "p.json: traffic.remoteAddresses[0]: '10.0.0.0/40': prefix /40 is out of range")]
        public void Format_errors_name_the_file_and_place(string find, string replace, string message)
        {
            string json = IpsecPolicyJson.Serialize(IpsecPolicy.CreateSeed(PolicyKind.NegotiationDiscovery, exemptIcmp: true));
            Assert.Contains(find, json);
            var ex = Assert.Throws<PolicyFormatException>(() => IpsecPolicyJson.Parse(ReplaceFirst(json, find, replace), "p.json"));
            Assert.StartsWith(message, ex.Message);
        }

        [Fact]
        public void Rule_violations_are_validation_errors()
        {
            string json = IpsecPolicyJson.Serialize(IpsecPolicy.CreateSeed(PolicyKind.Transport));
            var ex = Assert.Throws<PolicyValidationException>(() => IpsecPolicyJson.Parse(ReplaceFirst(json, "\"encryption\": \"AES256\"", "\"encryption\": \"AESGCM256\"")));
            Assert.Equal(PolicyErrorCode.MainModeGcm, Assert.Single(ex.Errors).Code);
            ex = Assert.Throws<PolicyValidationException>(() => IpsecPolicyJson.Parse(ReplaceFirst(json, "\"remoteAddresses\": []", "\"remoteAddresses\": [\"10.0.0.1\", \"2001:db8::1\"]")));
            Assert.Equal(PolicyErrorCode.MixedAddressFamilies, Assert.Single(ex.Errors).Code);
        }

        [Fact]
        public void Both_file_formats_load_for_the_engine()
        {
            string dir = Path.Combine(Path.GetTempPath(), "ikex-policy-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string old = Path.Combine(dir, "old.json");
                File.WriteAllText(old, "{\"mainMode\":[{\"encryption\":\"aes128\",\"hash\":\"sha256\",\"group\":14}],\"quickMode\":[{\"encryption\":\"aes128\",\"integrity\":\"sha256\"}]}");
                Assert.False(PolicyFiles.IsVersionedPolicy(File.ReadAllText(old)));
                var fromOld = PolicyFiles.LoadEngineV1Policy(old);
                Assert.Equal(128, fromOld.MainMode.Single().KeyBits);

                string versioned = Path.Combine(dir, "new.json");
                IpsecPolicyJson.Save(IpsecPolicy.CreateSeed(PolicyKind.NegotiationDiscoveryBoundary), versioned);
                Assert.True(PolicyFiles.IsVersionedPolicy(File.ReadAllText(versioned)));
                var fromNew = PolicyFiles.LoadEngineV1Policy(versioned);
                Assert.Equal(3, fromNew.MainMode.Count);
                Assert.Equal(2, fromNew.QuickMode.Count); // AES-GCM ESP is WFP-only

                File.WriteAllText(versioned, ReplaceFirst(File.ReadAllText(versioned), "\"encryption\": \"AES256\"", "\"encryption\": \"AESGCM256\""));
                var ex = Assert.Throws<PolicyFormatException>(() => PolicyFiles.LoadEngineV1Policy(versioned));
                Assert.StartsWith("new.json: mainModeCryptoSet.proposals[0].encryption: AESGCM256 is not allowed in main mode", ex.Message);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        private static string ReplaceFirst(string text, string find, string replace)
        {
            int i = text.IndexOf(find, StringComparison.Ordinal);
            return i < 0 ? text : text.Substring(0, i) + replace + text.Substring(i + find.Length);
        }
    }
}
