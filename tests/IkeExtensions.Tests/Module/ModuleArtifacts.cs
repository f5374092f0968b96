using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace IkeExtensions.Tests.Module
{
    /// <summary>
    /// Locates the built module (src/IkeExtensions/bin/&lt;cfg&gt;/&lt;tfm&gt;/IkeExtensions.dll), the repo files that describe it
    /// (psd1, psm1, format.ps1xml, en-US help) and opens the DLLs in a <see cref="MetadataLoadContext"/>, since no
    /// PowerShell runtime can be loaded here. The test project references src/IkeExtensions with
    /// ReferenceOutputAssembly=false, so both target frameworks are built before these tests run.
    /// </summary>
    internal static class ModuleArtifacts
    {
        public const string ModuleName = "IkeExtensions";
        public const string Desktop = "netstandard2.0";
        public const string Core = "net8.0";
        public static readonly string[] Frameworks = { Desktop, Core };

        public static string RepoRoot { get; } = FindRepoRoot();

        public static string ProjectDir => Path.Combine(RepoRoot, "src", ModuleName);

        public static string ManifestPath => Path.Combine(RepoRoot, ModuleName + ".psd1");

        public static string LoaderPath => Path.Combine(RepoRoot, ModuleName + ".psm1");

        public static string FormatPath => Path.Combine(ProjectDir, ModuleName + ".format.ps1xml");

        public static string HelpDir => Path.Combine(RepoRoot, "en-US");

        /// <summary>Debug or Release: the configuration this test assembly was built with (bin/&lt;cfg&gt;/&lt;tfm&gt;/).</summary>
        public static string Configuration
        {
            get
            {
                var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
                return tfmDir.Parent?.Name ?? "Debug";
            }
        }

        public static string BinDir(string framework) => Path.Combine(ProjectDir, "bin", Configuration, framework);

        public static string ModuleDll(string framework) => Path.Combine(BinDir(framework), ModuleName + ".dll");

        /// <summary>System.Management.Automation.dll of PowerShellStandard.Library, found through the module's assets file.</summary>
        public static string PowerShellStandardSma { get; } = FindPowerShellStandardSma();

        /// <summary>
        /// A load context over the module DLL's folder, the PowerShellStandard reference assembly and the running
        /// runtime's framework assemblies (which stand in for netstandard/System.Runtime of either build).
        /// </summary>
        public static MetadataLoadContext OpenContext(string framework)
        {
            string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string dll in Directory.GetFiles(runtimeDir, "*.dll")) paths[Path.GetFileName(dll)] = dll;
            paths["System.Management.Automation.dll"] = PowerShellStandardSma;
            foreach (string dll in Directory.GetFiles(BinDir(framework), "*.dll")) paths[Path.GetFileName(dll)] = dll;
            return new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Private.CoreLib");
        }

        /// <summary>
        /// The cmdlets of one build, read through a context that stays open for the test run (metadata objects are
        /// only valid while their context lives), for tests and theory data that hand them around.
        /// </summary>
        public static IReadOnlyList<CmdletMetadata> SharedCmdlets(string framework)
        {
            lock (SharedContexts)
            {
                if (!SharedContexts.TryGetValue(framework, out IReadOnlyList<CmdletMetadata>? cmdlets))
                {
                    MetadataLoadContext context = OpenContext(framework);
                    cmdlets = CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleDll(framework)));
                    SharedContexts[framework] = cmdlets;
                }
                return cmdlets;
            }
        }

        private static readonly Dictionary<string, IReadOnlyList<CmdletMetadata>> SharedContexts = new Dictionary<string, IReadOnlyList<CmdletMetadata>>();

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IkeExtensions.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("IkeExtensions.sln not found above " + AppContext.BaseDirectory);
        }

        private static string FindPowerShellStandardSma()
        {
            string assets = Path.Combine(RepoRoot, "src", ModuleName, "obj", "project.assets.json");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(assets));
            JsonElement root = doc.RootElement;
            string library = root.GetProperty("libraries").EnumerateObject()
                .Single(p => p.Name.StartsWith("PowerShellStandard.Library/", StringComparison.OrdinalIgnoreCase))
                .Value.GetProperty("path").GetString()!;
            foreach (JsonProperty folder in root.GetProperty("packageFolders").EnumerateObject())
            {
                string candidate = Path.Combine(folder.Name, library, "lib", "netstandard2.0", "System.Management.Automation.dll");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("PowerShellStandard.Library's System.Management.Automation.dll not found via " + assets);
        }
    }
}
