using System.IO;
using IkeExtensions.Policy;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Management
{
    /// <summary>Policy files: a valid one maps onto <see cref="IkeV1Policy"/>; every kind of mistake is named with its place.</summary>
    public class IkeV1PolicyJsonTests
    {
        private const string Valid = @"{
  ""mainMode"": [
    { ""encryption"": ""aes256"", ""hash"": ""sha256"", ""group"": 14, ""lifetimeSeconds"": 28800 },
    { ""encryption"": ""3des"", ""hash"": ""sha1"", ""group"": 2 }
  ],
  ""quickMode"": [
    { ""encryption"": ""aes128"", ""integrity"": ""sha1"", ""pfsGroup"": 19, ""lifetimeSeconds"": 1800, ""lifetimeKilobytes"": 100000 }
  ],
  ""allowTransport"": true,
  ""allowTunnel"": false,
  ""allowWeak"": false
}";

        private static string Error(string json) => Assert.Throws<PolicyFormatException>(() => IkeV1PolicyJson.Parse(json, "policy.json")).Message;

        [Fact]
        public void ValidPolicy_MapsEveryFieldInOrder()
        {
            var p = IkeV1PolicyJson.Parse(Valid, "policy.json");
            Assert.Equal(2, p.MainMode.Count);
            Assert.Equal((IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14, 28800),
                (p.MainMode[0].Encryption, p.MainMode[0].KeyBits, p.MainMode[0].Hash, p.MainMode[0].DhGroup, p.MainMode[0].LifetimeSeconds));
            Assert.Equal((IkeEncryptionAlgorithm.TripleDesCbc, 0, IkeHashAlgorithm.Sha1, 2, 28800),
                (p.MainMode[1].Encryption, p.MainMode[1].KeyBits, p.MainMode[1].Hash, p.MainMode[1].DhGroup, p.MainMode[1].LifetimeSeconds));
            var q = Assert.Single(p.QuickMode);
            Assert.Equal((EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha1, 19, 1800, 100000),
                (q.Encryption, q.KeyBits, q.Integrity, q.PfsGroup, q.LifetimeSeconds, q.LifetimeKilobytes));
            Assert.True(p.AllowTransport);
            Assert.False(p.AllowTunnel);
        }

        [Fact]
        public void OptionalFields_TakeTheirDefaults()
        {
            var p = IkeV1PolicyJson.Parse(@"{""mainMode"":[{""encryption"":""aes128"",""hash"":""sha384"",""group"":20}],
                                             ""quickMode"":[{""encryption"":""aes192"",""integrity"":""sha512""}]}");
            Assert.Equal(28800, p.MainMode[0].LifetimeSeconds);
            Assert.Equal((0, 3600, 0), (p.QuickMode[0].PfsGroup, p.QuickMode[0].LifetimeSeconds, p.QuickMode[0].LifetimeKilobytes));
            Assert.True(p.AllowTransport && p.AllowTunnel);
        }

        [Fact]
        public void UnsupportedGroup_IsNamedWithItsPlaceAndTheSupportedGroups()
        {
            string json = Valid.Replace(@"""group"": 2 }", @"""group"": 5 }");
            Assert.Equal("policy.json: mainMode[1].group: 5 is not a supported Diffie-Hellman group (2, 14, 19, 20, 24)", Error(json));
        }

        [Theory]
        [InlineData(@"""encryption"": ""des""", "policy.json: mainMode[0].encryption: des is weak and refused unless the policy sets \"allowWeak\": true")]
        [InlineData(@"""hash"": ""md5""", "policy.json: mainMode[0].hash: md5 is weak and refused unless the policy sets \"allowWeak\": true")]
        [InlineData(@"""group"": 1", "policy.json: mainMode[0].group: 1 is a weak Diffie-Hellman group, refused unless the policy sets \"allowWeak\": true")]
        public void WeakAlgorithms_AreRefusedWithoutAllowWeak(string replacement, string message)
        {
            string field = replacement.Substring(1, replacement.IndexOf('"', 1) - 1);
            string original = field switch { "encryption" => @"""encryption"": ""aes256""", "hash" => @"""hash"": ""sha256""", _ => @"""group"": 14" };
            Assert.Equal(message, Error(Valid.Replace(original, replacement)));
        }

        [Fact]
        public void WeakAlgorithms_AreAcceptedWhenThePolicyNamesThemWithAllowWeak()
        {
            var p = IkeV1PolicyJson.Parse(@"{""allowWeak"":true,
                ""mainMode"":[{""encryption"":""des"",""hash"":""md5"",""group"":1}],
                ""quickMode"":[{""encryption"":""des"",""integrity"":""md5""}]}");
            Assert.Equal((IkeEncryptionAlgorithm.DesCbc, IkeHashAlgorithm.Md5, 1), (p.MainMode[0].Encryption, p.MainMode[0].Hash, p.MainMode[0].DhGroup));
            Assert.True(p.MainMode[0].IsWeak);
            Assert.Equal((EspTransformId.Des, IpsecAuthenticationAlgorithm.HmacMd5), (p.QuickMode[0].Encryption, p.QuickMode[0].Integrity));
        }

        [Fact]
        public void WeakQuickModeIntegrity_IsRefusedWithoutAllowWeak()
        {
            Assert.Equal("policy.json: quickMode[0].integrity: md5 is weak and refused unless the policy sets \"allowWeak\": true",
                Error(Valid.Replace(@"""integrity"": ""sha1""", @"""integrity"": ""md5""")));
        }

        [Theory]
        [InlineData(@"""allowWeak"": false", @"""allowWeak"": false, ""colour"": ""blue""", "policy.json: colour: unknown field (known: mainMode, quickMode, allowTransport, allowTunnel, allowWeak)")]
        [InlineData(@"""lifetimeSeconds"": 28800 }", @"""lifetimeSeconds"": 28800, ""prf"": ""sha1"" }", "policy.json: mainMode[0].prf: unknown field (known: encryption, hash, group, lifetimeSeconds)")]
        [InlineData(@"""lifetimeKilobytes"": 100000 }", @"""lifetimeKilobytes"": 100000, ""mode"": ""tunnel"" }", "policy.json: quickMode[0].mode: unknown field (known: encryption, integrity, pfsGroup, lifetimeSeconds, lifetimeKilobytes)")]
        [InlineData(@"""encryption"": ""aes256""", @"""encryption"": ""aes512""", "policy.json: mainMode[0].encryption: \"aes512\" is not a supported cipher (aes128, aes192, aes256, 3des, des)")]
        [InlineData(@"""hash"": ""sha256""", @"""hash"": ""SHA256""", "policy.json: mainMode[0].hash: \"SHA256\" is not a supported hash (sha1, sha256, sha384, sha512, md5)")]
        [InlineData(@"""group"": 14", @"""group"": ""14""", "policy.json: mainMode[0].group: expected a number, found a string")]
        [InlineData(@"""group"": 14", @"""group"": 14.5", "policy.json: mainMode[0].group: 14.5 is not a whole number in range")]
        [InlineData(@"""encryption"": ""aes256"", ", "", "policy.json: mainMode[0]: missing \"encryption\"")]
        [InlineData(@"""lifetimeSeconds"": 28800", @"""lifetimeSeconds"": 0", "policy.json: mainMode[0].lifetimeSeconds: 0 is out of range (at least 1)")]
        [InlineData(@"""lifetimeKilobytes"": 100000", @"""lifetimeKilobytes"": -1", "policy.json: quickMode[0].lifetimeKilobytes: -1 is out of range (at least 0)")]
        [InlineData(@"""pfsGroup"": 19", @"""pfsGroup"": 3", "policy.json: quickMode[0].pfsGroup: 3 is not a supported Diffie-Hellman group (0 for none, 2, 14, 19, 20, 24)")]
        [InlineData(@"""allowTunnel"": false", @"""allowTunnel"": ""no""", "policy.json: allowTunnel: expected true or false, found a string")]
        [InlineData(@"""allowTransport"": true", @"""allowTransport"": false", "policy.json: allowTransport and allowTunnel are both false: a policy must allow one of them")]
        public void Mistakes_AreNamedWithTheirPlace(string original, string replacement, string message)
        {
            Assert.Contains(original, Valid);
            Assert.Equal(message, Error(Valid.Replace(original, replacement)));
        }

        [Theory]
        [InlineData(@"{""quickMode"":[{""encryption"":""aes128"",""integrity"":""sha1""}]}", "policy.json: missing \"mainMode\" (a list of proposals)")]
        [InlineData(@"{""mainMode"":[],""quickMode"":[]}", "policy.json: mainMode: the list is empty: at least one proposal is needed")]
        [InlineData(@"{""mainMode"":{},""quickMode"":[]}", "policy.json: mainMode: expected a list of proposals, found an object")]
        [InlineData(@"[1,2]", "policy.json: expected a JSON object, found a list")]
        [InlineData(@"{""mainMode"":[""aes""],""quickMode"":[]}", "policy.json: mainMode[0]: expected an object, found a string")]
        [InlineData(@"{""mainMode"":[{""encryption"":""aes128"",""hash"":""sha1"",""group"":14,""group"":19}]}", "policy.json: mainMode[0].group: appears twice")]
        public void StructuralMistakes_AreNamed(string json, string message)
        {
            Assert.Equal(message, Error(json));
        }

        [Fact]
        public void QuickModeProposals_MustShareOnePfsGroup()
        {
            string json = @"{""mainMode"":[{""encryption"":""aes128"",""hash"":""sha1"",""group"":14}],
                ""quickMode"":[{""encryption"":""aes128"",""integrity"":""sha1"",""pfsGroup"":14},{""encryption"":""aes256"",""integrity"":""sha1""}]}";
            Assert.Equal("policy.json: quickMode[1].pfsGroup: 0 differs from quickMode[0]'s 14: all Quick Mode proposals share one PFS group", Error(json));
        }

        [Fact]
        public void InvalidJson_IsNamedWithLineAndColumn()
        {
            Assert.Equal("policy.json: line 2, column 16: not valid JSON", Error("{\n  \"mainMode\": [,\n}"));
        }

        [Fact]
        public void Load_NamesTheFile()
        {
            string path = Path.Combine(Path.GetTempPath(), $"ikex-policy-{System.Guid.NewGuid():N}.json");
            File.WriteAllText(path, "{\"mainMode\":7}");
            try
            {
                var e = Assert.Throws<PolicyFormatException>(() => IkeV1PolicyJson.Load(path));
                Assert.Equal($"{Path.GetFileName(path)}: mainMode: expected a list of proposals, found a number", e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
