using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using IkeExtensions.Wire;
using Xunit;
using static IkeExtensions.Tests.Management.ManagementVectors;

namespace IkeExtensions.Tests.Management
{
    /// <summary>
    /// Runs the built <c>ikex.dll</c> with <c>dotnet</c>. The test project does not reference the CLI, so the DLL is looked
    /// up next to the tests, then in src/IkeExtensions.Cli/bin/&lt;configuration&gt;/net10.0, and built once if absent.
    /// </summary>
    public class IkexCliTests
    {
        [Fact]
        public void Decode_CapturePrintsTheDissection()
        {
            var r = Ikex("decode", Path(MainModePsk));
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.StdErr);
            Assert.StartsWith("Frame 1: 192.0.2.1:500 -> 192.0.2.2:500  IKEv1.0 Main Mode (2)", r.StdOut);
            Assert.Contains("        Encryption = AES-CBC (7)", r.StdOut);
            Assert.Contains("  VID: RFC 3947 [", r.StdOut);
            Assert.Contains("\n\nFrame 2: ", r.StdOut.Replace("\r\n", "\n"));
            Assert.Equal(10, r.StdOut.Split('\n').Count(l => l.StartsWith("Frame ", StringComparison.Ordinal)));
        }

        [Fact]
        public void Decode_Json()
        {
            var r = Ikex("decode", Path(V1NatT), "--json");
            Assert.Equal(0, r.ExitCode);
            using var doc = JsonDocument.Parse(r.StdOut);
            var rows = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(11, rows.Count);
            var mm1 = rows[0];
            Assert.Equal(1, mm1.GetProperty("frame").GetInt32());
            Assert.Equal("192.0.2.1:500", mm1.GetProperty("source").GetString());
            Assert.Equal("192.0.2.2:500", mm1.GetProperty("destination").GetString());
            Assert.Equal(200, mm1.GetProperty("length").GetInt32());
            Assert.Equal(1, mm1.GetProperty("version").GetInt32());
            Assert.Equal("Main Mode", mm1.GetProperty("exchange").GetString());
            Assert.Equal(16, mm1.GetProperty("ispi").GetString()!.Length);
            Assert.Equal("0000000000000000", mm1.GetProperty("rspi").GetString());
            Assert.Equal(0u, mm1.GetProperty("messageId").GetUInt32());
            Assert.Equal("SA VID VID VID VID VID VID", mm1.GetProperty("payloads").GetString());
            Assert.Contains("RFC 3947", mm1.GetProperty("vendorIds").EnumerateArray().Select(v => v.GetString()));
            Assert.Equal(JsonValueKind.Null, mm1.GetProperty("error").ValueKind);
            Assert.Equal(JsonValueKind.Null, mm1.GetProperty("ruleViolation").ValueKind);
            Assert.Equal("192.0.2.1:4500", rows[4].GetProperty("source").GetString());
        }

        [Fact]
        public void Decode_MessageThatFailsToDecodeExitsWith1()
        {
            string truncated = HexFormat.ToHex(Bytes(MainModePsk, 1).Take(100).ToArray());
            var r = Ikex("decode", truncated);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("! decode error: HeaderLengthMismatch", r.StdOut);
        }

        [Fact]
        public void Decode_MissingFileExitsWith2()
        {
            var r = Ikex("decode", "no-such-file.pcap");
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Equal("ikex decode: File not found: 'no-such-file.pcap'.", r.StdErr.Trim());
        }

        [Fact]
        public void Decode_OddHexExitsWith2()
        {
            var r = Ikex("decode", "abcde");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("odd number of hex digits", r.StdErr);
            Assert.Single(r.StdErr.Trim().Split('\n'));
        }

        [Fact]
        public void MissingArgumentExitsWith2()
        {
            var r = Ikex("decode");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("ikex:", r.StdErr);
        }

        // ---- runner (shared with the other CLI tests) ----

        private static IkeExtensions.Tests.Cli.IkexProcess.Result Ikex(params string[] args) => IkeExtensions.Tests.Cli.IkexProcess.Run(args);
    }
}
