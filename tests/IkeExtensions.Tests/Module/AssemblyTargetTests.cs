using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>
    /// Windows PowerShell 5.1 can only load the netstandard2.0 build, and only if it was compiled against the
    /// 5.1-compatible System.Management.Automation of PowerShellStandard.Library rather than a PowerShell 7 SDK.
    /// </summary>
    public sealed class AssemblyTargetTests
    {
        [Theory]
        [InlineData(ModuleArtifacts.Desktop, ".NETStandard,Version=v2.0")]
        [InlineData(ModuleArtifacts.Core, ".NETCoreApp,Version=v8.0")]
        public void EachEditionBuild_Exists_WithItsTargetFramework(string framework, string targetFramework)
        {
            Assert.True(File.Exists(ModuleArtifacts.ModuleDll(framework)), "missing " + ModuleArtifacts.ModuleDll(framework));
            using var context = ModuleArtifacts.OpenContext(framework);
            Assembly module = context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework));
            string? declared = module.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == "System.Runtime.Versioning.TargetFrameworkAttribute")
                .Select(a => (string?)a.ConstructorArguments[0].Value).SingleOrDefault();
            Assert.Equal(targetFramework, declared);
        }

        [Theory]
        [InlineData(ModuleArtifacts.Desktop)]
        [InlineData(ModuleArtifacts.Core)]
        public void SystemManagementAutomation_IsThePowerShellStandardReference(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            AssemblyName referenced = context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))
                .GetReferencedAssemblies().Single(r => r.Name == "System.Management.Automation");
            AssemblyName standard = AssemblyName.GetAssemblyName(ModuleArtifacts.PowerShellStandardSma);

            Assert.Equal(standard.Version, referenced.Version);
            // Windows PowerShell 5.1 ships System.Management.Automation 3.0.0.0; PowerShell 7 SDKs reference 7.x.
            Assert.True(referenced.Version!.Major <= 5, "references System.Management.Automation " + referenced.Version);
        }

        [Theory]
        [InlineData(ModuleArtifacts.Desktop)]
        [InlineData(ModuleArtifacts.Core)]
        public void NoPowerShell7OnlyAssemblies_AreReferenced(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            string[] references = context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))
                .GetReferencedAssemblies().Select(r => r.Name!).ToArray();
            Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.PowerShell.", StringComparison.Ordinal));
            Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Management.Infrastructure", StringComparison.Ordinal));
        }

        [Fact]
        public void DesktopBuild_IsPureNetStandard()
        {
            using var context = ModuleArtifacts.OpenContext(ModuleArtifacts.Desktop);
            string[] references = context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(ModuleArtifacts.Desktop))
                .GetReferencedAssemblies().Select(r => r.Name!).ToArray();
            Assert.Contains("netstandard", references);
            Assert.DoesNotContain("System.Runtime", references);
            Assert.DoesNotContain("System.Private.CoreLib", references);
        }

        [Theory]
        [InlineData(ModuleArtifacts.Desktop)]
        [InlineData(ModuleArtifacts.Core)]
        public void BuildFolder_IsALoadableModuleFolder_WithoutTheHostsAssembly(string framework)
        {
            string bin = ModuleArtifacts.BinDir(framework);
            Assert.True(File.Exists(Path.Combine(bin, "IkeExtensions.Core.dll")), "the engine must sit beside the cmdlet DLL");
            Assert.False(File.Exists(Path.Combine(bin, "System.Management.Automation.dll")),
                "System.Management.Automation.dll must come from the host, never from the module folder");
            Assert.True(File.Exists(Path.Combine(bin, "IkeExtensions.format.ps1xml")));

            using var context = ModuleArtifacts.OpenContext(framework);
            foreach (string dll in new[] { "IkeExtensions.dll", "IkeExtensions.Core.dll" })
                foreach (AssemblyName reference in context.LoadFromAssemblyPath(Path.Combine(bin, dll)).GetReferencedAssemblies())
                {
                    if (IsProvidedByHost(reference.Name!, framework)) continue;
                    Assert.True(File.Exists(Path.Combine(bin, reference.Name + ".dll")), $"{dll} references {reference.Name}, which is not in {bin}");
                }
        }

        [Fact]
        public void DesktopEngineBuild_IsTheNetStandardCore()
        {
            using var context = ModuleArtifacts.OpenContext(ModuleArtifacts.Desktop);
            Assembly core = context.LoadFromAssemblyPath(Path.Combine(ModuleArtifacts.BinDir(ModuleArtifacts.Desktop), "IkeExtensions.Core.dll"));
            Assert.Contains("netstandard", core.GetReferencedAssemblies().Select(r => r.Name));
            Assert.DoesNotContain("System.Management.Automation", core.GetReferencedAssemblies().Select(r => r.Name));
        }

        private static bool IsProvidedByHost(string name, string framework) =>
            name == "System.Management.Automation"
            || (framework == ModuleArtifacts.Desktop
                ? name == "netstandard" || name == "mscorlib"
                : name == "System.Runtime" || name == "netstandard" || name.StartsWith("System.", StringComparison.Ordinal) || name == "Microsoft.Win32.Primitives");
    }
}
