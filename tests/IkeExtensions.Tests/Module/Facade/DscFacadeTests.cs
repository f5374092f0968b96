using System;
using System.IO;
using System.Text.Json;
using IkeExtensions.Management;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tests.Cli;
using Xunit;

namespace IkeExtensions.Tests.Module.Facade
{
    /// <summary>
    /// The IkeExtensions/IpsecPolicy DSC resource (examples/dsc): <see cref="IkePolicyDsc"/> get/test/set against a JSON
    /// state file (storePath), and `ikex dsc` as the DSC v3 manifest calls it (JSON in, JSON out, exit codes).
    /// </summary>
    public sealed class DscFacadeTests : IDisposable
    {
        private readonly string dir = Directory.CreateTempSubdirectory("ikex-dsc").FullName;

        public void Dispose() => Directory.Delete(dir, true);

        private IkePolicyDscInstance Instance(string ensure = "Present", string name = "DSC policy")
        {
            string policy = Path.Combine(dir, name + ".json");
            if (!File.Exists(policy))
                IkePolicyFiles.Export(IkePolicyComposer.Compose(new PolicyComposition { Name = name, Kind = PolicyKind.NegotiationDiscoveryBoundary, ExemptIcmp = true }), policy, false, false);
            return new IkePolicyDscInstance { PolicyPath = policy, Ensure = ensure, StorePath = Path.Combine(dir, "state.json") };
        }

        [Fact]
        public void TestSetTest_ConvergesAndSetIsIdempotent()
        {
            Assert.False(IkePolicyDsc.Test(Instance()).InDesiredState);
            Assert.Equal("Absent", IkePolicyDsc.Get(Instance()).Ensure);

            var first = IkePolicyDsc.Set(Instance());
            Assert.Equal("Present", first.Ensure);
            Assert.NotEmpty(first.Changes!);
            Assert.True(File.Exists(Instance().StorePath));

            Assert.True(IkePolicyDsc.Test(Instance()).InDesiredState);
            Assert.Empty(IkePolicyDsc.Set(Instance()).Changes!);

            var removed = IkePolicyDsc.Set(Instance("Absent"));
            Assert.Equal("Absent", removed.Ensure);
            Assert.True(IkePolicyDsc.Test(Instance("Absent")).InDesiredState);
        }

        [Fact]
        public void AChangedPolicyFile_IsOutOfDesiredState_AndSetReplacesOnlyWhatChanged()
        {
            IkePolicyDsc.Set(Instance());
            var changed = IkePolicyComposer.Compose(new PolicyComposition { Name = "DSC policy", Kind = PolicyKind.NegotiationDiscoveryBoundary, ExemptIcmp = false });
            IkePolicyFiles.Export(changed, Instance().PolicyPath, false, overwrite: true);
            var test = IkePolicyDsc.Test(Instance());
            Assert.False(test.InDesiredState);
            Assert.Equal("Absent", test.Ensure); // applied, but not as the file says
            Assert.Contains(IkePolicyDsc.Set(Instance()).Changes!, c => c.StartsWith("Remove", StringComparison.Ordinal));
            Assert.True(IkePolicyDsc.Test(Instance()).InDesiredState);
        }

        [Fact]
        public void OtherPolicies_InTheStore_AreLeftAlone()
        {
            IkePolicyDsc.Set(Instance(name: "Other"));
            IkePolicyDsc.Set(Instance());
            IkePolicyDsc.Set(Instance("Absent"));
            Assert.True(IkePolicyDsc.Test(Instance(name: "Other")).InDesiredState);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"ensure\":\"Present\"}")]
        [InlineData("{\"policyPath\":\"x\",\"ensure\":\"Maybe\"}")]
        [InlineData("{\"policyPath\":\"x\",\"surprise\":1}")]
        public void BadInput_IsRejected(string json) => Assert.Throws<IkeManagementException>(() => IkePolicyDscInstance.Parse(json));

        [Fact]
        public void DscMetaProperties_AreIgnoredOnInput() =>
            Assert.Equal("x", IkePolicyDscInstance.Parse("{\"policyPath\":\"x\",\"_inDesiredState\":true,\"policyName\":\"n\"}").PolicyPath);

        [Fact]
        public void IkexDsc_SpeaksJsonInAndOut_WithTheManifestsExitCodes()
        {
            var i = Instance();
            string input = JsonSerializer.Serialize(new { policyPath = i.PolicyPath, ensure = "Present", storePath = i.StorePath });
            var test = IkexProcess.Run("dsc", "test", "--input", input);
            Assert.Equal(0, test.ExitCode);
            Assert.False(JsonDocument.Parse(test.StdOut).RootElement.GetProperty("_inDesiredState").GetBoolean());
            Assert.Equal(0, IkexProcess.Run("dsc", "set", "--input", input).ExitCode);
            Assert.True(JsonDocument.Parse(IkexProcess.Run("dsc", "test", "--input", input).StdOut).RootElement.GetProperty("_inDesiredState").GetBoolean());

            var bad = IkexProcess.Run("dsc", "get", "--input", "{\"policyPath\":\"" + Path.Combine(dir, "missing.json").Replace("\\", "\\\\") + "\"}");
            Assert.Equal(2, bad.ExitCode);
            Assert.StartsWith("ikex dsc get: ", bad.StdErr);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(1, IkexProcess.Run("dsc", "get", "--input", JsonSerializer.Serialize(new { policyPath = i.PolicyPath })).ExitCode);
        }
    }
}
