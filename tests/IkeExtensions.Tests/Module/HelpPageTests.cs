using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>
    /// Every cmdlet has a PlatyPS 0.14.2 page en-US/&lt;Verb&gt;-&lt;Noun&gt;.md whose parameter metadata matches the compiled
    /// attributes (the CheckHelp idea, without PowerShell). New-ExternalHelp turns these pages into the MAML.
    /// </summary>
    public sealed class HelpPageTests
    {
        public static IEnumerable<object[]> Cmdlets()
        {
            return ModuleArtifacts.SharedCmdlets(ModuleArtifacts.Core).Select(c => new object[] { c.Name }).ToList();
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Page_HasPlatyPSHeader_AndRequiredSections(string name)
        {
            string page = ReadPage(name);
            Assert.Matches(@"(?m)^external help file: IkeExtensions\.dll-Help\.xml\s*$", page);
            Assert.Matches(@"(?m)^Module Name: IkeExtensions\s*$", page);
            Assert.Matches(@"(?m)^online version:", page);
            Assert.Matches(@"(?m)^schema: 2\.0\.0\s*$", page);
            Assert.Matches("(?m)^# " + Regex.Escape(name) + @"\s*$", page);
            foreach (string section in new[] { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES" })
                Assert.Matches("(?m)^## " + section + @"\s*$", page);
            Assert.False(string.IsNullOrWhiteSpace(Section(page, "SYNOPSIS")), "empty SYNOPSIS");
            Assert.False(string.IsNullOrWhiteSpace(Section(page, "DESCRIPTION")), "empty DESCRIPTION");
            Assert.DoesNotContain("{{", page, StringComparison.Ordinal); // PlatyPS placeholders left in
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Page_HasAtLeastTwoExamples_WithCode(string name)
        {
            string[] examples = Regex.Split(Section(ReadPage(name), "EXAMPLES"), @"(?m)^### ").Skip(1).ToArray();
            Assert.True(examples.Length >= 2, name + ": fewer than 2 examples");
            foreach (string example in examples)
                Assert.Matches(@"```powershell\r?\n\S", example);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Syntax_HasOneBlockPerParameterSet_DefaultMarked(string name)
        {
            CmdletMetadata cmdlet = Find(name);
            string syntax = Section(ReadPage(name), "SYNTAX");
            var sets = cmdlet.Parameters.SelectMany(p => p.Declarations).Select(d => d.SetName).Where(s => s != "__AllParameterSets").Distinct().ToList();
            foreach (string set in sets)
            {
                string heading = set == cmdlet.DefaultParameterSetName ? set + " (Default)" : set;
                Assert.Matches("(?m)^### " + Regex.Escape(heading) + @"\s*$", syntax);
            }
            Assert.Equal(Math.Max(sets.Count, 1), Regex.Matches(syntax, "(?m)^### ").Count);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void EveryParameter_IsDocumented_WithMatchingMetadata(string name)
        {
            CmdletMetadata cmdlet = Find(name);
            Dictionary<string, string> documented = ParameterSections(Section(ReadPage(name), "PARAMETERS"));
            // PlatyPS documents -Confirm and -WhatIf (not common parameters) for cmdlets that support ShouldProcess.
            var expected = cmdlet.Parameters.Select(p => p.Name).ToList();
            if (cmdlet.SupportsShouldProcess) expected.AddRange(new[] { "Confirm", "WhatIf" });
            Assert.Equal(
                expected.OrderBy(n => n, StringComparer.Ordinal),
                documented.Keys.Where(k => k != "CommonParameters").OrderBy(n => n, StringComparer.Ordinal));
            if (cmdlet.SupportsShouldProcess)
            {
                Assert.Contains("Aliases: cf", documented["Confirm"], StringComparison.Ordinal);
                Assert.Contains("Aliases: wi", documented["WhatIf"], StringComparison.Ordinal);
            }
            Assert.Contains("CommonParameters", documented.Keys);

            foreach (CmdletParameter parameter in cmdlet.Parameters)
            {
                string text = documented[parameter.Name];
                string description = text.Split("```yaml")[0];
                Assert.False(string.IsNullOrWhiteSpace(description), $"{name} -{parameter.Name}: no description");

                List<Dictionary<string, string>> blocks = YamlBlocks(text);
                Assert.NotEmpty(blocks);
                foreach (Dictionary<string, string> block in blocks)
                {
                    Assert.Equal(parameter.Property.PropertyType.Name, block["Type"]);
                    Assert.Equal(string.Join(", ", parameter.Aliases), block["Aliases"]);
                    Assert.Equal(parameter.SupportsWildcards ? "True" : "False", block["Accept wildcard characters"]);
                }
                foreach (ParameterDeclaration declaration in parameter.Declarations)
                {
                    string set = declaration.SetName == "__AllParameterSets" ? "(All)" : declaration.SetName;
                    Dictionary<string, string>? block = blocks.SingleOrDefault(b => b["Parameter Sets"].Split(", ").Contains(set));
                    Assert.True(block != null, $"{name} -{parameter.Name}: no yaml block for parameter set {set}");
                    string where = $"{name} -{parameter.Name} ({set})";
                    Assert.True(Expected(declaration.Mandatory) == block!["Required"], where + ": Required");
                    Assert.True((declaration.Position == int.MinValue ? "Named" : declaration.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)) == block["Position"], where + ": Position");
                    Assert.True(PipelineInput(declaration) == block["Accept pipeline input"], where + ": Accept pipeline input");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Outputs_NameTheOutputTypes(string name)
        {
            string outputs = Section(ReadPage(name), "OUTPUTS");
            foreach (string type in Find(name).OutputTypeNames)
                Assert.Matches("(?m)^### " + Regex.Escape(type) + @"\s*$", outputs);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Syntax_ShowsShouldProcessParameters(string name)
        {
            string syntax = Section(ReadPage(name), "SYNTAX");
            if (Find(name).SupportsShouldProcess)
                Assert.Contains("[-WhatIf] [-Confirm] [<CommonParameters>]", syntax, StringComparison.Ordinal);
            else
                Assert.DoesNotContain("-WhatIf", syntax, StringComparison.Ordinal);
        }

        /// <summary>
        /// PlatyPS 0.14.2 treats a page as an about topic when its second heading starts with "about", and writes
        /// &lt;file name without .md&gt;.help.txt: so the page is about_IkeExtensions.md (a ".help.md" name would give
        /// about_IkeExtensions.help.help.txt, which Get-Help never finds).
        /// </summary>
        [Fact]
        public void AboutTopic_IsAPlatyPSAboutPage()
        {
            string path = Path.Combine(ModuleArtifacts.HelpDir, "about_IkeExtensions.md");
            Assert.True(File.Exists(path), "no about topic " + path);
            string[] headings = File.ReadAllLines(path).Where(l => l.StartsWith("#", StringComparison.Ordinal)).ToArray();
            Assert.Equal("# about_IkeExtensions", headings[0].Trim());
            Assert.Equal("## about_IkeExtensions", headings[1].Trim());
            Assert.Contains("# SHORT DESCRIPTION", headings);
            Assert.Contains("# LONG DESCRIPTION", headings);
            Assert.Empty(Directory.GetFiles(ModuleArtifacts.HelpDir, "*.help.md"));
        }

        [Fact]
        public void EveryPage_IsACmdletOrTheAboutTopic()
        {
            var cmdlets = Cmdlets().Select(c => (string)c[0] + ".md").ToList();
            foreach (string page in Directory.GetFiles(ModuleArtifacts.HelpDir, "*.md").Select(f => Path.GetFileName(f)))
                Assert.True(cmdlets.Contains(page) || page.StartsWith("about_", StringComparison.Ordinal), "stray help page " + page);
        }

        private static string Expected(bool value) => value ? "True" : "False";

        private static string PipelineInput(ParameterDeclaration d)
        {
            var kinds = new List<string>();
            if (d.ValueFromPipelineByPropertyName) kinds.Add("ByPropertyName");
            if (d.ValueFromPipeline) kinds.Add("ByValue");
            return kinds.Count == 0 ? "False" : "True (" + string.Join(", ", kinds) + ")";
        }

        private static CmdletMetadata Find(string name)
        {
            return ModuleArtifacts.SharedCmdlets(ModuleArtifacts.Core).Single(c => c.Name == name);
        }

        private static string ReadPage(string name)
        {
            string path = Path.Combine(ModuleArtifacts.HelpDir, name + ".md");
            Assert.True(File.Exists(path), "no help page " + path);
            return File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        }

        /// <summary>The text under <c>## TITLE</c> up to the next level-2 heading.</summary>
        private static string Section(string page, string title)
        {
            Match m = Regex.Match(page, "(?ms)^## " + title + @"\s*\n(.*?)(?=^## |\z)");
            Assert.True(m.Success, "no section " + title);
            return m.Groups[1].Value;
        }

        /// <summary>Parameter name (without '-') to the text of its <c>### -Name</c> subsection.</summary>
        private static Dictionary<string, string> ParameterSections(string parameters) =>
            Regex.Matches(parameters, @"(?ms)^### -?(\w+)\s*\n(.*?)(?=^### |\z)")
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

        private static List<Dictionary<string, string>> YamlBlocks(string text) =>
            Regex.Matches(text, @"(?s)```yaml\n(.*?)```")
                .Select(m => m.Groups[1].Value.Split('\n')
                    .Where(l => l.Contains(':', StringComparison.Ordinal))
                    .Select(l => l.Split(':', 2))
                    .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim(), StringComparer.Ordinal))
                .ToList();
    }
}
