using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Platform;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>`ikex demo`, `initiate`, `responder` and `sa list` as processes, against responders in this process or another.</summary>
    public class IkexServiceCommandTests
    {
        private const string Psk = "cli-test-pre-shared-key";
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

        private static IkeService InProcessResponder(IkeV1Policy? policy = null) => IkeService.StartResponder(new ResponderOptions
        {
            Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk), Policy = policy ?? IkeV1Policy.Default,
        });

        private static string[] Initiate(IkeService responder, string pskFile, params string[] more) =>
            new[] { "initiate", "--address", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1", "--peer-port",
                responder.LocalEndpoint.Port.ToString(CultureInfo.InvariantCulture), "--psk-file", pskFile }.Concat(more).ToArray();

        [Fact]
        public void Demo_NegotiatesTransportThenTunnelOnLoopback_AndPrintsBothSidesTables()
        {
            var r = IkexProcess.Run("demo");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Contains("Initiator main mode SAs (1)", r.StdOut);
            Assert.Contains("Initiator quick mode SAs (2)", r.StdOut);
            Assert.Contains("Responder main mode SAs (1)", r.StdOut);
            Assert.Contains("Responder quick mode SAs (2)", r.StdOut);
            Assert.Contains("Transport", r.StdOut);
            Assert.Matches(@"Tunnel\s+Established.*198\.51\.100\.0-198\.51\.100\.255\s+203\.0\.113\.0-203\.0\.113\.255", r.StdOut);   // initiator's view
            Assert.Matches(@"Tunnel\s+Established.*203\.0\.113\.0-203\.0\.113\.255\s+198\.51\.100\.0-198\.51\.100\.255", r.StdOut);   // responder's view
            Assert.Contains("responder now holds 0 main mode and 0 quick mode SAs", r.StdOut);
            Assert.Contains("info: MM#1 established", r.StdErr);
        }

        [Fact]
        public async Task Initiate_Json_AgainstAnInProcessResponder_PrintsTheSas_AndDeletesThemOnExit()
        {
            using var files = new TempFiles();
            await using var responder = InProcessResponder();
            var r = IkexProcess.Run(Initiate(responder, files.Write("psk", Psk + "\n"), "--json"));
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            var mm = doc.RootElement.GetProperty("mainModeSa");
            var qm = doc.RootElement.GetProperty("quickModeSa");
            Assert.Equal("Established", mm.GetProperty("state").GetString());
            Assert.Equal(responder.LocalEndpoint.ToString(), mm.GetProperty("remoteEndpoint").GetString());
            Assert.Equal(14, mm.GetProperty("groupId").GetInt32());
            Assert.Equal(16, mm.GetProperty("responderCookie").GetString()!.Length);
            Assert.Equal("Transport", qm.GetProperty("encapsulationMode").GetString());
            Assert.Equal(8, qm.GetProperty("inboundSpi").GetString()!.Length);
            Assert.Equal(mm.GetProperty("id").GetInt64(), qm.GetProperty("mainModeSaId").GetInt64());
            // The initiator stopped gracefully: its deletes emptied the responder's tables.
            UdpIkeHostTests.SpinUntil(() => responder.GetMainModeSas().Count == 0 && responder.GetQuickModeSas().Count == 0);
            Assert.Equal(1, responder.Statistics.QuickModeEstablished);
        }

        [Fact]
        public async Task Initiate_TunnelWithSelectorsAndPolicy_PrintsTables()
        {
            using var files = new TempFiles();
            string policy = files.Write("group19.json", @"{""mainMode"":[{""encryption"":""aes128"",""hash"":""sha256"",""group"":19}],
                ""quickMode"":[{""encryption"":""aes128"",""integrity"":""sha256"",""pfsGroup"":19}]}");
            await using var responder = InProcessResponder(IkeV1PolicyJson.Load(policy));
            var r = IkexProcess.Run(Initiate(responder, files.Write("psk", Psk), "--mode", "tunnel", "--local-ts", "198.51.100.0/24",
                "--remote-ts", "203.0.113.0/24", "--policy", policy));
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Contains("Main mode SA (1)", r.StdOut);
            Assert.Contains("Quick mode SA (1)", r.StdOut);
            Assert.Matches(@"Established\s+AES-CBC-128\s+Sha2_256\s+19\s", r.StdOut);
            Assert.Matches(@"Tunnel\s+Established\s+[0-9a-f]{8}\s+[0-9a-f]{8}\s+Aes-128\s+HmacSha2_256\s+19\s+198\.51\.100\.0-198\.51\.100\.255\s+203\.0\.113\.0-203\.0\.113\.255", r.StdOut);
            Assert.Equal("", r.StdErr);
        }

        [Fact]
        public async Task Initiate_Count20Concurrency4_RunsTwentyFreshHandshakes_AndPrintsTheHandshakesLine()
        {
            using var files = new TempFiles();
            await using var responder = InProcessResponder();
            var r = IkexProcess.Run(Initiate(responder, files.Write("psk", Psk), "--count", "20", "--concurrency", "4"));
            Assert.True(r.ExitCode == 0, r.StdErr);
            string last = r.StdOut.TrimEnd().Split('\n').Last().TrimEnd('\r');
            Assert.Matches(new Regex(@"^handshakes: 20 ok, 0 failed, \d+\.\d per second$"), last);
            Assert.Equal(20, responder.Statistics.MainModeEstablished);  // a fresh Main Mode each time
            Assert.Equal(20, responder.Statistics.QuickModeEstablished);
        }

        [Fact]
        public async Task Initiate_IkeVersion2_Count12Concurrency3_RunsTwelveFreshIkeSas_Rfc7296()
        {
            using var files = new TempFiles();
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk), IkeV1 = false, IkeV2 = true,
            });
            var r = IkexProcess.Run(Initiate(responder, files.Write("psk", Psk), "--ike-version", "2", "--count", "12", "--concurrency", "3"));
            Assert.True(r.ExitCode == 0, r.StdErr);
            string last = r.StdOut.TrimEnd().Split('\n').Last().TrimEnd('\r');
            Assert.Matches(new Regex(@"^handshakes: 12 ok, 0 failed, \d+\.\d per second$"), last);
            Assert.Equal(12, responder.StatisticsV2!.MainModeEstablished);   // a fresh IKE SA each time (IKE_SA_INIT + IKE_AUTH)
            Assert.Equal(12, responder.StatisticsV2.QuickModeEstablished);   // each with its child
            Assert.Equal(0, responder.Statistics.MainModeEstablished);
        }

        [Fact]
        public async Task Initiate_NoCommonProposal_Exits1_WithTheReasonOnStderr()
        {
            using var files = new TempFiles();
            var only19 = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 19) }, IkeV1Policy.Default.QuickMode);
            await using var responder = InProcessResponder(only19);
            string policy = files.Write("group14.json", @"{""mainMode"":[{""encryption"":""aes256"",""hash"":""sha256"",""group"":14}],""quickMode"":[{""encryption"":""aes256"",""integrity"":""sha256""}]}");
            var r = IkexProcess.Run(Initiate(responder, files.Write("psk", Psk), "--policy", policy, "--timeout", "10"));
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Contains($"ikex initiate: negotiation with {responder.LocalEndpoint} failed: ", r.StdErr);
        }

        [Fact]
        public async Task Responder_ServesUntilSigterm_ListsSasOverItsControlSocket_AndDeletesThemOnStop()
        {
            if (OperatingSystem.IsWindows()) return; // SIGTERM and Unix sockets: Linux/macOS
            using var files = new TempFiles();
            string control = files.PathOf("ikex.sock");
            var stderr = new BlockingCollection<string>();
            using var responder = IkexProcess.Start(stderr, "responder", "--address", "127.0.0.1", "--port", "0", "--nat-port", "0",
                "--psk-file", files.Write("psk", Psk), "--control", control);
            try
            {
                string? listening = null;
                while (listening == null && stderr.TryTake(out var line, Patience))
                    if (line.Contains("info: listening on ", StringComparison.Ordinal)) listening = line;
                Assert.NotNull(listening);
                var port = int.Parse(Regex.Match(listening!, @"listening on 127\.0\.0\.1:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
                UdpIkeHostTests.SpinUntil(() => System.IO.File.Exists(control));

                await using var initiator = IkeService.StartInitiator(new InitiatorOptions
                {
                    Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = PreSharedKey.FromText(Psk),
                });
                var result = await initiator.NegotiateAsync(initiator.CreateRequest(new IPEndPoint(IPAddress.Loopback, port)), Patience);
                Assert.True(result.Succeeded, result.FailureReason);

                var list = IkexProcess.Run("sa", "list", "--control", control, "--json");
                Assert.True(list.ExitCode == 0, list.StdErr);
                using (var doc = JsonDocument.Parse(list.StdOut))
                {
                    var mm = Assert.Single(doc.RootElement.GetProperty("mainModeSas").EnumerateArray());
                    Assert.Equal(result.MainModeSa!.InitiatorCookie.ToString("x16"), mm.GetProperty("initiatorCookie").GetString());
                    Assert.Single(doc.RootElement.GetProperty("quickModeSas").EnumerateArray());
                }
                var text = IkexProcess.Run("sa", "list", "--control", control);
                Assert.Contains("Main mode SAs (1)", text.StdOut);
                Assert.Contains("Quick mode SAs (1)", text.StdOut);

                using (var kill = Process.Start("kill", new[] { "-TERM", responder.Id.ToString(CultureInfo.InvariantCulture) })) kill.WaitForExit();
                Assert.True(responder.WaitForExit(30_000), "responder did not stop on SIGTERM");
                Assert.Equal(0, responder.ExitCode);
                UdpIkeHostTests.SpinUntil(() => initiator.GetMainModeSas().Count == 0);   // the responder's deletes arrived
                Assert.False(System.IO.File.Exists(control));
            }
            finally
            {
                if (!responder.HasExited) responder.Kill();
            }
        }

        // ---- bad input: one line on stderr naming the problem, exit 2 ----

        [Theory]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {dir}/missing", "ikex initiate: --psk-file: file not found: '{dir}/missing'")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {empty}", "ikex initiate: --psk-file: '{empty}' holds an empty pre-shared key")]
        [InlineData("initiate --address 127.0.0.300 --peer 127.0.0.1 --psk-file {psk}", "ikex initiate: --address: '127.0.0.300' is not an IPv4 or IPv6 address")]
        [InlineData("initiate --address 127.0.0.1 --peer ::1 --psk-file {psk}", "ikex initiate: --address and --peer must both be IPv4 or both IPv6")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {psk} --mode tunnel", "ikex initiate: --mode tunnel needs --local-ts and --remote-ts")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {psk} --mode tunnel --local-ts 10.0.0.0/33 --remote-ts 10.1.0.0/16", "ikex initiate: --local-ts: prefix /33 is out of range (0-32)")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {psk} --policy {badjson}", "ikex initiate: badjson.json: line 1, column 14: not valid JSON")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {psk} --policy {group5}", "ikex initiate: group5.json: mainMode[0].group: 5 is not a supported Diffie-Hellman group (2, 14, 19, 20, 24)")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {psk} --policy {dir}/nope.json", "ikex initiate: --policy: file not found: '{dir}/nope.json'")]
        [InlineData("initiate --address 127.0.0.1 --peer 127.0.0.1 --psk-file {psk} --concurrency 0", "ikex initiate: --concurrency: 0 is out of range (1-10000)")]
        [InlineData("responder --address not-an-ip --psk-file {psk}", "ikex responder: --address: 'not-an-ip' is not an IPv4 or IPv6 address")]
        [InlineData("responder --address 127.0.0.1 --psk-file {dir}/missing", "ikex responder: --psk-file: file not found: '{dir}/missing'")]
        [InlineData("responder --address 127.0.0.1 --port 0 --nat-port 0 --psk-file {psk} --policy {weak}", "ikex responder: weak.json: mainMode[0].hash: md5 is weak and refused unless the policy sets \"allowWeak\": true")]
        [InlineData("responder --address 192.0.2.77 --port 0 --nat-port 0 --psk-file {psk}", "ikex responder: cannot bind 192.0.2.77: the address is not on this host")]
        [InlineData("sa list --control {dir}/no.sock", "ikex sa list: control socket {dir}/no.sock does not exist (is `ikex responder --control {dir}/no.sock` running?)")]
        public void BadInput_Exits2_WithOneLineNamingTheProblem(string commandLine, string expected)
        {
            using var files = new TempFiles();
            var map = new (string Key, string Value)[]
            {
                ("{psk}", files.Write("psk", Psk)),
                ("{empty}", files.Write("empty", "\n")),
                ("{badjson}", files.Write("badjson.json", "{\"mainMode\": }")),
                ("{group5}", files.Write("group5.json", @"{""mainMode"":[{""encryption"":""aes256"",""hash"":""sha256"",""group"":5}],""quickMode"":[{""encryption"":""aes256"",""integrity"":""sha256""}]}")),
                ("{weak}", files.Write("weak.json", @"{""mainMode"":[{""encryption"":""aes256"",""hash"":""md5"",""group"":14}],""quickMode"":[{""encryption"":""aes256"",""integrity"":""sha256""}]}")),
                ("{dir}", files.Root),
            };
            string Expand(string s) => map.Aggregate(s, (acc, kv) => acc.Replace(kv.Key, kv.Value, StringComparison.Ordinal));

            var r = IkexProcess.Run(Expand(commandLine).Split(' '));
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Equal(Expand(expected), r.StdErr.TrimEnd('\r', '\n'));
        }

        [Fact]
        public void MissingRequiredOption_Exits2()
        {
            var r = IkexProcess.Run("initiate", "--address", "127.0.0.1");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("--peer", r.StdErr);
        }
    }
}
