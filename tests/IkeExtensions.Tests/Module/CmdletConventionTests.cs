using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>
    /// Issue 8's conventions over every compiled cmdlet, on both builds: the Ike noun prefix, ShouldProcess on every state
    /// change, identities bound by property name, secrets as SecureString, no nullable value-type parameters (PlatyPS and
    /// the help shape test show them as Nullable`1), and the pipeline chains the help pages promise.
    /// </summary>
    public sealed class CmdletConventionTests
    {
        private static readonly string[] StateChangingVerbs = { "Start", "Stop", "Set", "Remove", "Export", "Clear", "Reset", "Register", "Unregister", "Enable", "Disable" };

        public static IEnumerable<object[]> Frameworks => ModuleArtifacts.Frameworks.Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void EveryNoun_StartsWithIke(string framework)
        {
            foreach (CmdletMetadata cmdlet in ModuleArtifacts.SharedCmdlets(framework))
                Assert.True(cmdlet.Noun.StartsWith("Ike", StringComparison.Ordinal) && cmdlet.Noun.Length > 3, cmdlet.Name + ": noun must start with Ike");
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void StateChangingCmdlets_SupportShouldProcess_WithAConfirmImpact(string framework)
        {
            foreach (CmdletMetadata cmdlet in ModuleArtifacts.SharedCmdlets(framework))
            {
                bool changesState = StateChangingVerbs.Contains(cmdlet.Verb);
                Assert.True(cmdlet.SupportsShouldProcess == changesState, $"{cmdlet.Name}: SupportsShouldProcess must be {changesState}");
                if (changesState) Assert.True(cmdlet.ConfirmImpact != null, cmdlet.Name + ": set ConfirmImpact explicitly");
            }
        }

        [Theory]
        [InlineData("Set-IkePolicy", 3)]
        [InlineData("Remove-IkeMainModeSA", 2)]
        [InlineData("Remove-IkeQuickModeSA", 2)]
        [InlineData("Remove-IkePolicy", 2)]
        [InlineData("Stop-IkeResponder", 2)]
        [InlineData("Start-IkeNegotiation", 1)]
        public void ConfirmImpact_FitsTheRisk(string name, int impact) =>
            Assert.Equal(impact, ModuleArtifacts.SharedCmdlets(ModuleArtifacts.Core).Single(c => c.Name == name).ConfirmImpact);

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void Secrets_AreSecureStrings(string framework)
        {
            foreach (CmdletMetadata cmdlet in ModuleArtifacts.SharedCmdlets(framework))
                foreach (CmdletParameter p in cmdlet.Parameters.Where(p => p.Name.Contains("Key", StringComparison.Ordinal) && !p.Name.Contains("KeyModule", StringComparison.Ordinal)
                             && !p.Name.Contains("KeyExchange", StringComparison.Ordinal) || p.Name.Contains("Password", StringComparison.Ordinal)))
                    Assert.True(p.Property.PropertyType.FullName == "System.Security.SecureString", $"{cmdlet.Name} -{p.Name} must be a SecureString");
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void NoParameter_IsANullableValueType(string framework)
        {
            foreach (CmdletMetadata cmdlet in ModuleArtifacts.SharedCmdlets(framework))
                foreach (CmdletParameter p in cmdlet.Parameters)
                    Assert.False(p.Property.PropertyType.IsGenericType && p.Property.PropertyType.GetGenericTypeDefinition().FullName == "System.Nullable`1",
                        $"{cmdlet.Name} -{p.Name} is Nullable<T>; use a default value");
        }

        [Theory]
        [InlineData("Stop-IkeResponder", "Id")]
        [InlineData("Get-IkeResponder", "Id")]
        [InlineData("Remove-IkeMainModeSA", "Id")]
        [InlineData("Remove-IkeMainModeSA", "ResponderId")]
        [InlineData("Remove-IkeQuickModeSA", "Id")]
        [InlineData("Remove-IkeQuickModeSA", "ResponderId")]
        [InlineData("Get-IkeMainModeSA", "ResponderId")]
        [InlineData("Get-IkeQuickModeSA", "ResponderId")]
        [InlineData("Get-IkeStatistics", "ResponderId")]
        [InlineData("Start-IkeNegotiation", "RemoteAddress")]
        [InlineData("Remove-IkePolicy", "Name")]
        [InlineData("Get-IkePolicy", "Name")]
        [InlineData("Import-IkePolicy", "Path")]
        public void Identities_BindByPropertyName(string name, string parameter)
        {
            CmdletParameter p = Parameter(name, parameter);
            Assert.All(p.Declarations, d => Assert.True(d.ValueFromPipelineByPropertyName, $"{name} -{parameter} must bind by property name"));
        }

        /// <summary>Objects flow along these chains by value (the help examples rely on them).</summary>
        [Theory]
        [InlineData("Start-IkeResponder", "Get-IkeMainModeSA", "Responder")]
        [InlineData("Get-IkeResponder", "Get-IkeQuickModeSA", "Responder")]
        [InlineData("Get-IkeResponder", "Stop-IkeResponder", "InputObject")]
        [InlineData("Get-IkeResponder", "Get-IkeStatistics", "Responder")]
        [InlineData("Get-IkeResponder", "Start-IkeNegotiation", "Responder")]
        [InlineData("New-IkeNegotiationDiscoveryPolicy", "Export-IkePolicy", "Policy")]
        [InlineData("Import-IkePolicy", "Set-IkePolicy", "Policy")]
        [InlineData("Import-IkePolicy", "ConvertTo-IkeWfpFilter", "Policy")]
        [InlineData("New-IkeTransportPolicy", "Test-IkeFlow", "Policy")]
        [InlineData("New-IkeTransportPolicy", "Start-IkeResponder", "Policy")]
        [InlineData("Test-IkeFlow", "Get-IkeFlow", "InputObject")]
        public void PipelineChain_BindsByValue(string producer, string consumer, string parameter)
        {
            string output = ModuleArtifacts.SharedCmdlets(ModuleArtifacts.Core).Single(c => c.Name == producer).OutputTypeNames.Single();
            CmdletParameter p = Parameter(consumer, parameter);
            Assert.Contains(p.Declarations, d => d.ValueFromPipeline);
            Type type = p.Property.PropertyType.IsArray ? p.Property.PropertyType.GetElementType()! : p.Property.PropertyType;
            Assert.Equal(output, type.FullName);
        }

        /// <summary>SA rows piped from Get-Ike*SA bind Id (and the ResponderId note property) of Remove-Ike*SA.</summary>
        [Theory]
        [InlineData("Get-IkeMainModeSA", "Remove-IkeMainModeSA")]
        [InlineData("Get-IkeQuickModeSA", "Remove-IkeQuickModeSA")]
        public void SaRows_BindToRemoveByPropertyName(string producer, string consumer)
        {
            using var context = ModuleArtifacts.OpenContext(ModuleArtifacts.Core);
            Assembly core = context.LoadFromAssemblyPath(System.IO.Path.Combine(ModuleArtifacts.BinDir(ModuleArtifacts.Core), "IkeExtensions.Core.dll"));
            string output = ModuleArtifacts.SharedCmdlets(ModuleArtifacts.Core).Single(c => c.Name == producer).OutputTypeNames.Single();
            Assert.NotNull(core.GetType(output)!.GetProperty("Id"));
            Assert.True(Parameter(consumer, "Id").Declarations.All(d => d.ValueFromPipelineByPropertyName));
            Assert.True(Parameter(consumer, "ResponderId").Declarations.All(d => d.ValueFromPipelineByPropertyName));
        }

        private static CmdletParameter Parameter(string cmdlet, string parameter) =>
            ModuleArtifacts.SharedCmdlets(ModuleArtifacts.Core).Single(c => c.Name == cmdlet).Parameters.Single(p => p.Name == parameter);
    }
}
