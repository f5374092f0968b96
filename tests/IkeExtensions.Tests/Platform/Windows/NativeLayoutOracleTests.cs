using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using IkeExtensions.Platform.Windows.Native;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>
    /// The layout oracle: every struct in <see cref="NativeStructs.All"/>, every field at every nesting level (union
    /// members included), sizeof/alignof/offsetof/member size, x64 and x86, managed declaration against what MinGW-w64's
    /// compilers make of the Windows headers (SDK corrections in <see cref="MingwLayoutOracle.SdkCorrections"/>).
    /// The managed x86 side comes from <see cref="NativeLayout"/> applied to the same declarations the P/Invoke code
    /// marshals; <see cref="Layout_model_equals_the_runtime_marshaller"/> holds that model to the real runtime.
    /// Never skipped: without the compilers the tests fail and name the Debian packages.
    /// </summary>
    public sealed class NativeLayoutOracleTests
    {
        private readonly ITestOutputHelper output;

        public NativeLayoutOracleTests(ITestOutputHelper output) => this.output = output;

        internal sealed class Fact
        {
            public Fact(string structName, string what, string expression, long x64, long x86)
            {
                Struct = structName; What = what; Expression = expression; ManagedX64 = x64; ManagedX86 = x86;
            }

            public string Struct { get; }
            public string What { get; }
            public string Expression { get; }
            public long ManagedX64 { get; }
            public long ManagedX86 { get; }
        }

        internal static List<Fact> BuildFacts()
        {
            var facts = new List<Fact>();
            foreach (var type in NativeStructs.All)
            {
                string c = MingwLayoutOracle.CTypeName(type.Name);
                facts.Add(new Fact(type.Name, "sizeof", $"sizeof({c})", NativeLayout.SizeOf(type, 8), NativeLayout.SizeOf(type, 4)));
                facts.Add(new Fact(type.Name, "alignof", $"__alignof__({c})", NativeLayout.AlignmentOf(type, 8), NativeLayout.AlignmentOf(type, 4)));
                var f64 = NativeLayout.Fields(type, 8);
                var f32 = NativeLayout.Fields(type, 4);
                for (int i = 0; i < f64.Count; i++)
                {
                    if (f64[i].IsAnonymous) continue;   // no C name: its members are checked one by one
                    string path = f64[i].CPath;
                    facts.Add(new Fact(type.Name, "offsetof " + path, $"offsetof({c}, {path})", f64[i].Offset, f32[i].Offset));
                    facts.Add(new Fact(type.Name, "sizeof " + path, $"sizeof((({c}*)0)->{path})", f64[i].Size, f32[i].Size));
                }
            }
            return facts;
        }

        private static readonly Lazy<(List<Fact> Facts, ulong[] X64, ulong[] X86)> Oracle = new Lazy<(List<Fact>, ulong[], ulong[])>(() =>
        {
            var facts = BuildFacts();
            var expressions = facts.Select(f => f.Expression).ToList();
            string dir = Path.Combine(Path.GetTempPath(), "ikex-wfp-layout-" + Environment.ProcessId);
            var x64 = MingwLayoutOracle.Evaluate(MingwLayoutOracle.X64Compiler, expressions, Path.Combine(dir, "x64"));
            var x86 = MingwLayoutOracle.Evaluate(MingwLayoutOracle.X86Compiler, expressions, Path.Combine(dir, "x86"));
            Directory.Delete(dir, recursive: true);   // kept only when a compiler failed, for the message's path
            return (facts, x64, x86);
        });

        [Fact]
        public void X64_layouts_match_the_mingw_headers() => Compare(x64: true);

        [Fact]
        public void X86_layouts_match_the_mingw_headers() => Compare(x64: false);

        private void Compare(bool x64)
        {
            var (facts, v64, v86) = Oracle.Value;
            var values = x64 ? v64 : v86;
            var mismatches = new List<string>();
            for (int i = 0; i < facts.Count; i++)
            {
                long managed = x64 ? facts[i].ManagedX64 : facts[i].ManagedX86;
                if ((ulong)managed != values[i])
                    mismatches.Add($"{facts[i].Struct} {facts[i].What}: managed {managed}, headers {values[i]}");
            }
            output.WriteLine($"{(x64 ? "x64" : "x86")}: {facts.Count} facts over {NativeStructs.All.Count} structs compared");
            foreach (var type in NativeStructs.All)
            {
                int i = facts.FindIndex(f => f.Struct == type.Name && f.What == "sizeof");
                output.WriteLine($"  {type.Name,-40} {values[i],4}");
            }
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
            Assert.True(facts.Count > 500, "the oracle should cover every field of every struct");
        }

        [Fact]
        public void Known_sizes_from_the_headers_and_the_reference()
        {
            // Values from the brief (x64 FWPM_FILTER0 200 bytes, action at 128) and the [calc] x64 sizes of
            // shared/reference/netsecurity-wfp-details.md: anchors that the listing parser reads the right numbers.
            var (facts, v64, v86) = Oracle.Value;
            ulong X64(string structName, string what) => v64[facts.FindIndex(f => f.Struct == structName && f.What == what)];
            ulong X86(string structName, string what) => v86[facts.FindIndex(f => f.Struct == structName && f.What == what)];
            Assert.Equal(200UL, X64("FWPM_FILTER0", "sizeof"));
            Assert.Equal(128UL, X64("FWPM_FILTER0", "offsetof action"));
            Assert.Equal(152UL, X64("FWPM_FILTER0", "offsetof providerContextKey"));
            Assert.Equal(16UL, X64("FWP_VALUE0", "sizeof"));
            Assert.Equal(8UL, X86("FWP_VALUE0", "sizeof"));
            Assert.Equal(40UL, X64("FWPM_FILTER_CONDITION0", "sizeof"));
            Assert.Equal(20UL, X64("FWPM_ACTION0", "sizeof"));
            Assert.Equal(88UL, X64("FWPM_PROVIDER_CONTEXT1", "sizeof"));
            Assert.Equal(28UL, X64("IKEEXT_PROPOSAL0", "sizeof"));
            Assert.Equal(28UL, X86("IKEEXT_PROPOSAL0", "sizeof"));
            Assert.Equal(40UL, X64("IKEEXT_POLICY0", "sizeof"));
            Assert.Equal(48UL, X64("IKEEXT_POLICY1", "sizeof"));
            Assert.Equal(80UL, X64("IKEEXT_AUTHENTICATION_METHOD1", "sizeof"));
            Assert.Equal(32UL, X64("IPSEC_PROPOSAL0", "sizeof"));
            Assert.Equal(40UL, X64("IPSEC_TRANSPORT_POLICY1", "sizeof"));
        }

        [Fact]
        public void Layout_model_equals_the_runtime_marshaller()
        {
            // The model must give what this runtime gives for this process's pointer size, for every struct and union.
            int ptr = IntPtr.Size;
            var types = typeof(NativeStructs).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(NativeStructs).Namespace && t.IsValueType && !t.IsEnum).ToList();
            Assert.True(types.Count >= NativeStructs.All.Count);
            var mismatches = new List<string>();
            foreach (var t in types)
            {
                if (Marshal.SizeOf(t) != NativeLayout.SizeOf(t, ptr))
                    mismatches.Add($"{t.Name}: Marshal.SizeOf {Marshal.SizeOf(t)}, model {NativeLayout.SizeOf(t, ptr)}");
                foreach (var field in NativeLayout.Fields(t, ptr).Where(f => !f.ManagedPath.Contains('.')))
                {
                    long actual = Marshal.OffsetOf(t, field.ManagedPath).ToInt64();
                    if (actual != field.Offset) mismatches.Add($"{t.Name}.{field.ManagedPath}: Marshal.OffsetOf {actual}, model {field.Offset}");
                }
            }
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        }

        [Fact]
        public void Every_interop_struct_is_measured_by_the_oracle()
        {
            // A struct added to Native/ must either be in NativeStructs.All or be a union/anonymous/array helper that
            // appears (and is therefore measured member by member) inside one of them.
            var reachable = new HashSet<Type>();
            foreach (var root in NativeStructs.All)
            {
                reachable.Add(root);
                foreach (var f in NativeLayout.Fields(root, 8)) reachable.Add(f.Type);
            }
            var missed = typeof(NativeStructs).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(NativeStructs).Namespace && t.IsValueType && !t.IsEnum && !reachable.Contains(t))
                .Select(t => t.Name).ToList();
            Assert.True(missed.Count == 0, "not covered by the oracle: " + string.Join(", ", missed));
            Assert.All(NativeStructs.All, t => Assert.True(t.IsLayoutSequential || t.IsExplicitLayout, t.Name));
        }

        [Fact]
        public void Listing_parser_reads_x64_and_i686_forms()
        {
            string asm = "v_0:\n\t.quad\t200\n\t.globl v_1\nv_1:\n\t.space\t8\n_v_2:\n\t.long\t152\n\t.long\t0\n_v_3:\n\t.zero\t8\n";
            Assert.Equal(new ulong[] { 200, 0, 152, 0 }, MingwLayoutOracle.ParseAssembly(asm, 4));
            Assert.Throws<FormatException>(() => MingwLayoutOracle.ParseAssembly("v_0:\n\t.quad 1\n", 2));
        }
    }
}
