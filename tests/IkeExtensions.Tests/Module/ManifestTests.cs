using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>IkeExtensions.psd1, the edition loader and the format file agree with the compiled cmdlets.</summary>
    public sealed class ManifestTests
    {
        private static readonly string Manifest = File.ReadAllText(ModuleArtifacts.ManifestPath);

        public static IEnumerable<object[]> Frameworks => ModuleArtifacts.Frameworks.Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void CmdletsToExport_ListsExactlyTheCmdletsInTheAssembly(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            var compiled = CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework)))
                .Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var exported = ListValue("CmdletsToExport").OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(compiled, exported);
        }

        [Theory]
        [InlineData("FunctionsToExport")]
        [InlineData("VariablesToExport")]
        [InlineData("AliasesToExport")]
        public void OtherExports_AreExplicitlyEmpty(string key) => Assert.Empty(ListValue(key));

        [Fact]
        public void ModuleVersion_IsTheSingleVersionFromDirectoryBuildProps()
        {
            string version = XDocument.Load(Path.Combine(ModuleArtifacts.RepoRoot, "Directory.Build.props"))
                .Descendants("Version").Single().Value.Trim();
            Assert.Equal(version, ScalarValue("ModuleVersion"));
        }

        [Fact]
        public void Manifest_TargetsDesktopAndCoreFrom51()
        {
            Assert.Equal(new[] { "Desktop", "Core" }, ListValue("CompatiblePSEditions"));
            Assert.Equal("5.1", ScalarValue("PowerShellVersion"));
            Assert.True(Guid.TryParse(ScalarValue("GUID"), out Guid guid) && guid != Guid.Empty);
            Assert.DoesNotMatch(@"(?m)^\s*(RequiredAssemblies|NestedModules|TypesToProcess)\s*=", Manifest);
            Assert.DoesNotMatch(@"(?m)^\s*(ProjectUri|LicenseUri)\s*=", Manifest);
        }

        [Fact]
        public void RootModule_IsTheEditionLoader_ThatImportsDesktopOrCoreDll()
        {
            Assert.Equal(ModuleArtifacts.ModuleName + ".psm1", ScalarValue("RootModule"));
            string loader = File.ReadAllText(ModuleArtifacts.LoaderPath);
            Assert.Contains("$PSEdition", loader, StringComparison.Ordinal);
            Assert.Contains("'Desktop'", loader, StringComparison.Ordinal);
            Assert.Contains("'Core'", loader, StringComparison.Ordinal);
            Assert.Contains("'IkeExtensions.dll'", loader, StringComparison.Ordinal);
            Assert.DoesNotContain("function ", loader, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void FormatsToProcess_IsTheFormatFile_WhoseViewsNameRealProperties()
        {
            Assert.Equal(new[] { ModuleArtifacts.ModuleName + ".format.ps1xml" }, ListValue("FormatsToProcess"));
            XDocument format = XDocument.Load(ModuleArtifacts.FormatPath);

            using var context = ModuleArtifacts.OpenContext(ModuleArtifacts.Core);
            Assembly core = context.LoadFromAssemblyPath(Path.Combine(ModuleArtifacts.BinDir(ModuleArtifacts.Core), "IkeExtensions.Core.dll"));
            foreach (XElement view in format.Descendants("View"))
            {
                string typeName = view.Descendants("TypeName").Single().Value;
                Type? type = core.GetType(typeName);
                Assert.True(type != null, "format view for unknown type " + typeName);
                foreach (string property in view.Descendants("PropertyName").Select(p => p.Value))
                    Assert.True(type!.GetProperty(property) != null, $"{typeName} has no property {property}");
                Assert.Equal(view.Descendants("TableColumnHeader").Count(), view.Descendants("TableColumnItem").Count());
            }
        }

        [Fact]
        public void EditionLayout_IsDocumentedInTheManifest()
        {
            Assert.Contains("Desktop/IkeExtensions.dll", Manifest, StringComparison.Ordinal);
            Assert.Contains("Core/IkeExtensions.dll", Manifest, StringComparison.Ordinal);
        }

        /// <summary>The value of <c>Key = 'value'</c>.</summary>
        private static string ScalarValue(string key)
        {
            Match m = Regex.Match(Manifest, @"(?m)^\s*" + key + @"\s*=\s*'([^']*)'");
            Assert.True(m.Success, key + " not found in the psd1");
            return m.Groups[1].Value;
        }

        /// <summary>The quoted items of <c>Key = @('a', 'b')</c> (possibly over several lines).</summary>
        private static IReadOnlyList<string> ListValue(string key)
        {
            Match m = Regex.Match(Manifest, @"(?m)^\s*" + key + @"\s*=\s*@\(([^)]*)\)");
            Assert.True(m.Success, key + " = @(...) not found in the psd1");
            return Regex.Matches(m.Groups[1].Value, "'([^']*)'").Select(x => x.Groups[1].Value).ToList();
        }
    }
}
