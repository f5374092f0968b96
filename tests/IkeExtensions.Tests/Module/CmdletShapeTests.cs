using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace IkeExtensions.Tests.Module
{
    /// <summary>The shape every cmdlet must have (house style), checked on both builds of the module.</summary>
    public sealed class CmdletShapeTests
    {
        private static readonly string[] LifecycleOverrides = { "BeginProcessing", "ProcessRecord", "EndProcessing", "StopProcessing" };

        public static IEnumerable<object[]> Frameworks => ModuleArtifacts.Frameworks.Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void Assembly_DefinesAtLeastOneCmdlet(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            Assert.NotEmpty(CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))));
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void EveryCmdlet_IsPublicSealedPSCmdlet_WithCmdletAndOutputType(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            foreach (CmdletMetadata cmdlet in CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))))
            {
                string name = cmdlet.Type.FullName!;
                Assert.True(cmdlet.Type.IsPublic, name + " is not public");
                Assert.True(cmdlet.Type.IsSealed, name + " is not sealed");
                Assert.True(CmdletMetadata.DerivesFrom(cmdlet.Type, "System.Management.Automation.PSCmdlet"), name + " does not derive from PSCmdlet");
                Assert.True(cmdlet.CmdletAttribute != null, name + " has no [Cmdlet]");
                Assert.True(cmdlet.OutputTypeAttributes.Count > 0, name + " has no [OutputType]");
                Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", cmdlet.Type.Name);
                Assert.EndsWith(".Commands", cmdlet.Type.Namespace, StringComparison.Ordinal);
            }
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void EveryCmdlet_UsesAnApprovedVerbConstant(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            Assembly sma = context.LoadFromAssemblyPath(ModuleArtifacts.PowerShellStandardSma);
            var approved = new HashSet<string>(StringComparer.Ordinal);
            foreach (string verbsClass in new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsOther", "VerbsSecurity" })
                foreach (FieldInfo field in sma.GetType("System.Management.Automation." + verbsClass, throwOnError: true)!.GetFields())
                    approved.Add((string)field.GetRawConstantValue()!);

            foreach (CmdletMetadata cmdlet in CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))))
                Assert.Contains(cmdlet.Verb, approved);
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void ParameterSetNames_AreConstsOfTheCmdlet(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            foreach (CmdletMetadata cmdlet in CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))))
            {
                var consts = new HashSet<string>(
                    cmdlet.Type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy)
                        .Where(f => f.IsLiteral && f.FieldType.FullName == "System.String")
                        .Select(f => (string)f.GetRawConstantValue()!),
                    StringComparer.Ordinal);

                var used = cmdlet.Parameters.SelectMany(p => p.Declarations).Select(d => d.SetName)
                    .Where(s => s != "__AllParameterSets").ToList();
                if (cmdlet.DefaultParameterSetName != null) used.Add(cmdlet.DefaultParameterSetName);

                foreach (string set in used)
                    Assert.True(consts.Contains(set), $"{cmdlet.Name}: parameter set '{set}' is a literal, not a const of {cmdlet.Type.Name}");
                if (used.Count > 0)
                    Assert.True(cmdlet.DefaultParameterSetName != null, cmdlet.Name + " has parameter sets but no DefaultParameterSetName");
            }
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void Cmdlets_AreThin_OnlyLifecycleOverridesAndFewPrivateHelpers(string framework)
        {
            using var context = ModuleArtifacts.OpenContext(framework);
            foreach (CmdletMetadata cmdlet in CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))))
            {
                MethodInfo[] methods = cmdlet.Type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                    .Where(m => !m.IsSpecialName && !IsCompilerGenerated(m)).ToArray();
                foreach (MethodInfo method in methods.Where(m => !m.IsPrivate))
                    Assert.True(LifecycleOverrides.Contains(method.Name) && method.IsVirtual,
                        $"{cmdlet.Name}: non-private method {method.Name} (only PSCmdlet overrides may be visible)");
                Assert.True(methods.Count(m => m.IsPrivate) <= 6, $"{cmdlet.Name}: too many private helpers; move logic to IkeExtensions.Management");

                string source = Path.Combine(ModuleArtifacts.ProjectDir, "Commands", cmdlet.Type.Name + ".cs");
                Assert.True(File.Exists(source), "one cmdlet per file: " + source);
                Assert.True(File.ReadAllLines(source).Length <= 200, $"{source} is over 200 lines; the cmdlet should only bind and call the engine");
            }
        }

        [Theory]
        [MemberData(nameof(Frameworks))]
        public void OutputTypes_HaveATableView(string framework)
        {
            string format = File.ReadAllText(ModuleArtifacts.FormatPath);
            using var context = ModuleArtifacts.OpenContext(framework);
            foreach (CmdletMetadata cmdlet in CmdletMetadata.Read(context.LoadFromAssemblyPath(ModuleArtifacts.ModuleDll(framework))))
                foreach (CustomAttributeData output in cmdlet.OutputTypeAttributes)
                    foreach (CustomAttributeTypedArgument type in (IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!)
                        Assert.Contains("<TypeName>" + (type.Value is Type t ? t.FullName : (string)type.Value!) + "</TypeName>", format, StringComparison.Ordinal);
        }

        private static bool IsCompilerGenerated(MethodInfo method) =>
            method.Name.Contains('<', StringComparison.Ordinal)
            || method.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
    }
}
