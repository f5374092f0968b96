using System;
using System.IO;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Tests.Policy
{
    /// <summary>The 3 seed scenarios × {IPv4, IPv6, both} and where their golden WFP object lists live.</summary>
    internal static class PolicyTestData
    {
        public static readonly (string Kind, PolicyKind Value)[] Kinds =
        {
            ("transport", PolicyKind.Transport), ("nd", PolicyKind.NegotiationDiscovery), ("nd-boundary", PolicyKind.NegotiationDiscoveryBoundary),
        };

        public static readonly (string Family, AddressFamilies Value)[] Families =
        {
            ("ipv4", AddressFamilies.IPv4), ("ipv6", AddressFamilies.IPv6), ("both", AddressFamilies.Both),
        };

        public static TheoryDataRows Scenarios()
        {
            var rows = new TheoryDataRows();
            foreach (var k in Kinds)
                foreach (var f in Families)
                    rows.Add(k.Kind, f.Family);
            return rows;
        }

        public static PolicyKind Kind(string kind) => Array.Find(Kinds, k => k.Kind == kind).Value;
        public static AddressFamilies Family(string family) => Array.Find(Families, f => f.Family == family).Value;

        /// <summary>The seed example: "Secure all unicast data traffic, except ICMP, ..." (ICMP exempt, IKEv1, default name).</summary>
        public static IpsecPolicy Seed(string kind, string family) => IpsecPolicy.CreateSeed(Kind(kind), Family(family), exemptIcmp: true);

        public static string GoldenName(string kind, string family) => $"{kind}-{family}.json";

        public static string GoldenPath(string kind, string family) => Path.Combine(AppContext.BaseDirectory, "Vectors", "wfp", GoldenName(kind, family));

        /// <summary>tests/IkeExtensions.Tests/Vectors/wfp in the source tree (for IKEX_UPDATE_WFP_GOLDEN=1).</summary>
        public static string SourceGoldenPath(string kind, string family)
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "IkeExtensions.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("repository root not found");
            return Path.Combine(dir.FullName, "tests", "IkeExtensions.Tests", "Vectors", "wfp", GoldenName(kind, family));
        }
    }

    public sealed class TheoryDataRows : Xunit.TheoryData<string, string> { }
}
