using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>`ikex initiate --nat-port / --peer-nat-port / --no-nat-t / --hold`: bad values exit 2, good ones reach the engine.</summary>
    public class IkexInitiateNatOptionsTests
    {
        private const string Psk = "cli-nat-test-pre-shared-key";

        [Theory]
        [InlineData("--nat-port abc", "ikex initiate: --nat-port: 'abc' is not a UDP port (0-65535) or 'none'")]
        [InlineData("--nat-port 65536", "ikex initiate: --nat-port: '65536' is not a UDP port (0-65535) or 'none'")]
        [InlineData("--nat-port 45.00", "ikex initiate: --nat-port: '45.00' is not a UDP port (0-65535) or 'none'")]
        [InlineData("--port 4600 --nat-port 4600", "ikex initiate: --port and --nat-port must differ")]
        [InlineData("--no-nat-t --nat-port 4500", "ikex initiate: --no-nat-t and --nat-port 4500 contradict each other")]
        [InlineData("--peer-nat-port 0", "ikex initiate: --peer-nat-port: 0 is not a UDP port (1-65535)")]
        [InlineData("--peer-nat-port 70000", "ikex initiate: --peer-nat-port: 70000 is not a UDP port (1-65535)")]
        [InlineData("--hold 86401", "ikex initiate: --hold: 86401 is out of range (0-86400 seconds)")]
        [InlineData("--hold 5 --count 2", "ikex initiate: --hold applies to a single negotiation, not to --count")]
        public void BadNatOption_Exits2_WithOneLineNamingTheProblem(string options, string expected)
        {
            using var files = new TempFiles();
            string psk = files.Write("psk", Psk);
            var args = new[] { "initiate", "--address", "127.0.0.1", "--peer", "127.0.0.1", "--psk-file", psk }.Concat(options.Split(' ')).ToArray();
            var r = IkexProcess.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Equal(expected, r.StdErr.TrimEnd('\r', '\n'));
        }

        [Fact]
        public void PeerNatPortThatIsNotANumber_Exits2_NamingTheOption()
        {
            using var files = new TempFiles();
            var r = IkexProcess.Run("initiate", "--address", "127.0.0.1", "--peer", "127.0.0.1", "--psk-file", files.Write("psk", Psk), "--peer-nat-port", "x");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("--peer-nat-port", r.StdErr);
        }

        [Fact]
        public void Help_ListsTheNatOptions()
        {
            var r = IkexProcess.Run("initiate", "--help");
            Assert.Equal(0, r.ExitCode);
            foreach (var o in new[] { "--nat-port", "--peer-nat-port", "--no-nat-t", "--hold" }) Assert.Contains(o, r.StdOut);
        }

        private static IkeService InProcessResponder() => IkeService.StartResponder(new ResponderOptions
        {
            Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk), Policy = IkeV1Policy.Default,
        });

        private static JsonElement NegotiateJson(IkeService responder, TempFiles files, params string[] more)
        {
            var args = new[] { "initiate", "--address", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1", "--peer-port",
                responder.LocalEndpoint.Port.ToString(CultureInfo.InvariantCulture), "--psk-file", files.Write("psk", Psk + "\n"), "--json" }.Concat(more).ToArray();
            var r = IkexProcess.Run(args);
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            return doc.RootElement.GetProperty("mainModeSa").Clone();
        }

        /// <summary>--port 0 gives an ephemeral NAT-T socket: NAT-T is offered (RFC 3947 selected), no NAT on loopback, no float.</summary>
        [Fact]
        public async Task DefaultNatPort_WithEphemeralPort_OffersNatT_NoNatOnLoopback()
        {
            using var files = new TempFiles();
            await using var responder = InProcessResponder();
            var mm = NegotiateJson(responder, files, "--peer-nat-port", responder.NatEndpoint!.Port.ToString(CultureInfo.InvariantCulture));
            Assert.Equal("Rfc3947", mm.GetProperty("natTraversalRevision").GetString());
            Assert.False(mm.GetProperty("natDetectedLocal").GetBoolean());
            Assert.False(mm.GetProperty("natDetectedRemote").GetBoolean());
            Assert.Equal(0, mm.GetProperty("localUdpEncapsulationPort").GetInt32());
            Assert.Equal(0, mm.GetProperty("remoteUdpEncapsulationPort").GetInt32());
        }

        [Theory]
        [InlineData("--nat-port", "none")]
        [InlineData("--nat-port", "NONE")]
        [InlineData("--no-nat-t", null)]
        public async Task NatTDisabled_NoNatTVendorIds_RevisionNone(string option, string? value)
        {
            using var files = new TempFiles();
            await using var responder = InProcessResponder();
            var mm = NegotiateJson(responder, files, value == null ? new[] { option } : new[] { option, value });
            Assert.Equal("None", mm.GetProperty("natTraversalRevision").GetString());
            Assert.False(mm.GetProperty("natDetectedLocal").GetBoolean());
        }
    }
}
