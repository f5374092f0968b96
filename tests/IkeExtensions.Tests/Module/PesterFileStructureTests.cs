using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>
    /// No PowerShell runs here, so the Pester files are at least checked for the structure Pester 5 needs: braces balance
    /// (outside strings and comments), every It sits inside a Describe, and each file imports the built module.
    /// </summary>
    public sealed class PesterFileStructureTests
    {
        public static IEnumerable<object[]> Files() =>
            Directory.GetFiles(Path.Combine(ModuleArtifacts.RepoRoot, "tests", "Pester"), "*.Tests.ps1").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) });

        [Theory]
        [MemberData(nameof(Files))]
        public void PesterFile_BracesBalance_AndEveryItIsInsideADescribe(string file)
        {
            string[] lines = File.ReadAllLines(Path.Combine(ModuleArtifacts.RepoRoot, "tests", "Pester", file));
            Assert.Contains(lines, l => l.Contains("Import-Module", System.StringComparison.Ordinal));
            int depth = 0, describeDepth = -1;
            for (int i = 0; i < lines.Length; i++)
            {
                string code = Code(lines[i]);
                if (Regex.IsMatch(code, @"^\s*Describe\b")) describeDepth = depth;
                if (Regex.IsMatch(code, @"^\s*It\b"))
                    Assert.True(describeDepth >= 0 && depth > describeDepth, $"{file}:{i + 1}: It outside a Describe block");
                depth += code.Count(c => c == '{') - code.Count(c => c == '}');
                Assert.True(depth >= 0, $"{file}:{i + 1}: a closing brace with no block open");
                if (describeDepth >= 0 && depth <= describeDepth) describeDepth = -1;
            }
            Assert.True(depth == 0, $"{file}: {depth} block(s) left open");
        }

        /// <summary>The line without its comment and with string contents blanked (single-line strings; enough for these files).</summary>
        private static string Code(string line)
        {
            string noStrings = Regex.Replace(line, @"'[^']*'|""(?:`.|[^""`])*""", "''");
            int hash = noStrings.IndexOf('#');
            return hash >= 0 ? noStrings.Substring(0, hash) : noStrings;
        }
    }
}
