using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>
    /// `ikex initiate --json` when Main Mode is established but Quick Mode is refused (RFC 2409 §5.5; the responder
    /// answers NO-PROPOSAL-CHOSEN, RFC 2408 §3.14.1): the command still exits 1, and prints the established Main Mode SA
    /// with quickModeSa null, so a script can compare it with the peer's view (tests/interop/libreswan.sh does, since
    /// pluto cannot install Quick Mode SAs in a kernel without ESP).
    /// </summary>
    public class IkexInitiatePartialFailureTests
    {
        private const string Psk = "cli-partial-failure-test-psk";

        [Fact]
        public async Task Initiate_Json_PrintsTheEstablishedMainModeSa_AndExits1_WhenQuickModeIsRefused_Rfc2409_5_5()
        {
            using var files = new TempFiles();
            string psk = files.Write("psk", Psk);
            // Same Main Mode on both sides; Quick Mode proposals that cannot match (AES-256/SHA-256 vs AES-128/SHA-1).
            string ours = files.Write("policy.json",
                "{\"mainMode\":[{\"encryption\":\"aes256\",\"hash\":\"sha256\",\"group\":14}]," +
                "\"quickMode\":[{\"encryption\":\"aes256\",\"integrity\":\"sha256\",\"pfsGroup\":0}]}");
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk),
                Policy = IkeV1PolicyJson.Parse(
                    "{\"mainMode\":[{\"encryption\":\"aes256\",\"hash\":\"sha256\",\"group\":14}]," +
                    "\"quickMode\":[{\"encryption\":\"aes128\",\"integrity\":\"sha1\",\"pfsGroup\":0}]}"),
            });
            var r = IkexProcess.Run("initiate", "--address", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1",
                "--peer-port", responder.LocalEndpoint.Port.ToString(CultureInfo.InvariantCulture),
                "--psk-file", psk, "--policy", ours, "--timeout", "10", "--json");

            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"ikex initiate: negotiation with {responder.LocalEndpoint} failed: ", r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            var mm = doc.RootElement.GetProperty("mainModeSa");
            Assert.Equal("Established", mm.GetProperty("state").GetString());
            Assert.Equal("PreSharedKey", mm.GetProperty("authenticationMethod").GetString());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("quickModeSa").ValueKind);
            Assert.Matches("^[0-9a-f]{16}$", mm.GetProperty("responderCookie").GetString());
            Assert.Equal(1, responder.Statistics.MainModeEstablished);
        }
    }
}
