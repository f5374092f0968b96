using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using IkeExtensions.Management;
using IkeExtensions.PowerShell;
using IkeExtensions.Tests.Policy;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>
    /// The netstandard2.0 build that Windows PowerShell 5.1 loads: its dependency closure ships in the module folder, the
    /// module answers .NET Framework's exact-version binding from that folder, and its policy-file code (System.Text.Json
    /// package) really runs — executed here in an isolated load context over the Desktop folder.
    /// </summary>
    public sealed class DesktopBuildTests
    {
        private static string DesktopBin => ModuleArtifacts.BinDir(ModuleArtifacts.Desktop);

        [Fact]
        public void DesktopFolder_ShipsEveryAssemblyItsDllsReference_ExceptTheHosts()
        {
            using var context = ModuleArtifacts.OpenContext(ModuleArtifacts.Desktop);
            var shipped = Directory.GetFiles(DesktopBin, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.Contains("System.Text.Json", shipped);
            foreach (string dll in Directory.GetFiles(DesktopBin, "*.dll"))
                foreach (AssemblyName reference in context.LoadFromAssemblyPath(dll).GetReferencedAssemblies())
                {
                    string name = reference.Name!;
                    // .NET Framework 4.7.2+ itself: netstandard.dll facade, mscorlib and the System.* assemblies of the GAC.
                    bool host = name is "netstandard" or "mscorlib" or "System" or "System.Core" or "System.Numerics" or "System.Management.Automation";
                    Assert.True(host || shipped.Contains(name), $"{Path.GetFileName(dll)} references {reference.FullName}, which the module folder does not ship");
                }
        }

        [Fact]
        public void ModuleFolderProbe_AnswersAnyVersionOfAShippedAssembly_FromTheModuleFolder()
        {
            string? path = ModuleFolderProbe.Find(DesktopBin, "System.Text.Json, Version=1.2.3.4, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");
            Assert.Equal(Path.Combine(DesktopBin, "System.Text.Json.dll"), path);
            Assert.NotNull(ModuleFolderProbe.Find(DesktopBin, "System.Memory, Version=4.0.1.1"));
        }

        [Theory]
        [InlineData("Not.Shipped.Anywhere, Version=1.0.0.0")]
        [InlineData("System.Text.Json.resources, Version=10.0.0.0, Culture=de")]
        [InlineData("..\\..\\evil")]
        [InlineData("")]
        public void ModuleFolderProbe_LeavesOtherNamesToTheHost(string requested) => Assert.Null(ModuleFolderProbe.Find(DesktopBin, requested));

        [Fact]
        public void DesktopBuild_ReadsAndWritesThePolicyFilesOfTheCoreBuild()
        {
            var policy = PolicyTestData.Seed("transport", "both");
            string json = IkePolicyFiles.Serialize(policy, includeSecrets: false);

            var context = new DesktopFolderContext(DesktopBin);
            try
            {
                Assembly core = context.LoadFromAssemblyPath(Path.Combine(DesktopBin, "IkeExtensions.Core.dll"));
                Assert.Equal(".NETStandard,Version=v2.0", core.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()!.FrameworkName);
                Type files = core.GetType("IkeExtensions.Management.IkePolicyFiles", throwOnError: true)!;
                object parsed = files.GetMethod("Parse")!.Invoke(null, new object?[] { json, "core.json", null })!;
                string again = (string)files.GetMethod("Serialize")!.Invoke(null, new object[] { parsed, false })!;
                Assert.Equal(json, again);
                Assert.Same(context, AssemblyLoadContext.GetLoadContext(parsed.GetType().Assembly));

                var bad = Assert.Throws<TargetInvocationException>(() => files.GetMethod("Parse")!.Invoke(null, new object?[] { "{\"schemaVersion\": 1, \"rules\": 5}", "bad.json", null }));
                Assert.Equal("IkeManagementException", bad.InnerException!.GetType().Name);
                Assert.Contains("bad.json", bad.InnerException.Message, StringComparison.Ordinal);
            }
            finally
            {
                context.Unload();
            }
        }

        /// <summary>Loads our assemblies and the JSON packages from the Desktop folder; the rest comes from the running runtime.</summary>
        private sealed class DesktopFolderContext : AssemblyLoadContext
        {
            private readonly string _folder;

            public DesktopFolderContext(string folder) : base("desktop-build", isCollectible: true) => _folder = folder;

            protected override Assembly? Load(AssemblyName name)
            {
                bool ours = name.Name!.StartsWith("IkeExtensions", StringComparison.Ordinal) || name.Name.StartsWith("System.Text.Json", StringComparison.Ordinal) ||
                            name.Name.StartsWith("System.Text.Encodings.Web", StringComparison.Ordinal) || name.Name.StartsWith("Microsoft.Bcl.", StringComparison.Ordinal);
                string path = Path.Combine(_folder, name.Name + ".dll");
                return ours && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}
