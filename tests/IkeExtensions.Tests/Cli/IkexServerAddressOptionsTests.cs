using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>
    /// `ikex responder --server-address / --pcscf-address` and `ikex initiate --request-server-addresses /
    /// --request-pcscf-addresses` (MS-IKEE 3.11, 3.16): bad values exit 2; good ones reach the IKEv2 engines.
    /// </summary>
    public class IkexServerAddressOptionsTests
    {
        private const string Psk = "cli-server-address-test-pre-shared-key";

        [Theory]
        [InlineData("--server-address nope", "ikex responder: --server-address: 'nope' is not an IPv4 or IPv6 address")]
        [InlineData("--ike-version 2 --pcscf-address 203.0.113.999", "ikex responder: --pcscf-address: '203.0.113.999' is not an IPv4 or IPv6 address")]
        [InlineData("--ike-version 1 --server-address 198.51.100.10", "ikex responder: --server-address and --pcscf-address are IKEv2 attributes: use --ike-version 2 or both")]
        public void MsIkee_3_11_Responder_BadServerAddressOption_Exits2(string options, string expected)
        {
            using var files = new TempFiles();
            var args = new[] { "responder", "--address", "127.0.0.1", "--port", "0", "--nat-port", "0", "--psk-file", files.Write("psk", Psk) }
                .Concat(options.Split(' ')).ToArray();
            var r = IkexProcess.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(expected, r.StdErr.TrimEnd('\r', '\n'));
        }

        [Fact]
        public void MsIkee_3_11_Initiate_RequestServerAddressesWithIkeV1_Exits2()
        {
            using var files = new TempFiles();
            var r = IkexProcess.Run("initiate", "--address", "127.0.0.1", "--peer", "127.0.0.1", "--psk-file", files.Write("psk", Psk), "--request-server-addresses");
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("ikex initiate: --request-server-addresses and --request-pcscf-addresses need --ike-version 2", r.StdErr.TrimEnd('\r', '\n'));
        }

        [Fact]
        public async Task MsIkee_3_11_And_3_16_InitiateV2_RequestsBoth_JsonShowsTheResponderAddresses()
        {
            using var files = new TempFiles();
            var options = new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = PreSharedKey.FromText(Psk), IkeV2 = true,
            };
            options.InternalServerAddresses.Add(IPAddress.Parse("198.51.100.10"));
            options.InternalServerAddresses.Add(IPAddress.Parse("2001:db8:10::1"));
            options.PcscfAddresses.Add(IPAddress.Parse("203.0.113.53"));
            await using var responder = IkeService.StartResponder(options);
            var r = IkexProcess.Run("initiate", "--ike-version", "2", "--address", "127.0.0.1", "--port", "0", "--nat-port", "none", "--peer", "127.0.0.1",
                "--peer-port", responder.LocalEndpoint.Port.ToString(CultureInfo.InvariantCulture), "--psk-file", files.Write("psk", Psk + "\n"),
                "--request-server-addresses", "--request-pcscf-addresses", "--json");
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            var mm = doc.RootElement.GetProperty("mainModeSa");
            Assert.Equal(new[] { "198.51.100.10", "2001:db8:10::1" }, mm.GetProperty("internalServerAddresses").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(new[] { "203.0.113.53" }, mm.GetProperty("pcscfAddresses").EnumerateArray().Select(e => e.GetString()));
        }
    }
}
