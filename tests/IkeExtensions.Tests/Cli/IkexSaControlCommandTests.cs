using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IkeExtensions.Tables;
using IkeExtensions.Management;
using IkeExtensions.Tests.Platform;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>`ikex sa rekey` and `ikex sa delete` against a running responder's control socket (IKEv2, RFC 7296 §1.3, §1.4.1).</summary>
    public sealed class IkexSaControlCommandTests
    {
        private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

        [Fact]
        public async Task SaRekey_IkeAndChild_ThenSaDelete_OverTheControlSocket_Rfc7296_1_3()
        {
            var psk = PreSharedKey.FromText("control-test-psk");
            await using var responder = IkeService.StartResponder(new ResponderOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true });
            await using var initiator = IkeService.StartInitiator(new InitiatorOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true });
            var result = await initiator.NegotiateV2Async(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(10));
            Assert.True(result.Succeeded, result.FailureReason);
            string path = Path.Combine(Path.GetTempPath(), $"ikex-test-{Guid.NewGuid():N}.sock");
            using var server = ControlServer.Start(responder, path);
            long ike = responder.List().MainModeSas.Single().Id;
            long child = responder.List().QuickModeSas.Single().Id;

            var rekey = IkexProcess.Run("sa", "rekey", "--control", path, "--id", Id(ike));
            Assert.True(rekey.ExitCode == 0, rekey.StdErr);
            Assert.Equal($"SA {ike}: rekeying", rekey.StdOut.Trim());
            UdpIkeHostTests.SpinUntil(() => responder.List().MainModeSas.Any(r => r.ReplacesIkeSaId == ike && r.State == "Established")
                                           && responder.List().MainModeSas.All(r => r.Id != ike));
            long newIke = responder.List().MainModeSas.Single().Id;

            var childRekey = IkexProcess.Run("sa", "rekey", "--control", path, "--id", Id(child), "--child");
            Assert.True(childRekey.ExitCode == 0, childRekey.StdErr);
            UdpIkeHostTests.SpinUntil(() => responder.List().QuickModeSas.Count == 1 && responder.List().QuickModeSas[0].ReplacesChildSaId == child);

            var unknown = IkexProcess.Run("sa", "rekey", "--control", path, "--id", Id(ike)); // the old SA is gone
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains($"SA {ike}: no such established SA", unknown.StdErr);

            var delete = IkexProcess.Run("sa", "delete", "--control", path, "--id", Id(newIke));
            Assert.True(delete.ExitCode == 0, delete.StdErr);
            UdpIkeHostTests.SpinUntil(() => responder.List().MainModeSas.Count == 0 && initiator.List().MainModeSas.Count == 0);
        }

        [Fact]
        public async Task SaRekey_OfAnIkeV1Sa_IsRefusedWithTheReason_AndBadSocketIsExit2()
        {
            await using var responder = IkeService.StartResponder(new ResponderOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = PreSharedKey.FromText("x"), IkeV2 = true });
            string path = Path.Combine(Path.GetTempPath(), $"ikex-test-{Guid.NewGuid():N}.sock");
            using var server = ControlServer.Start(responder, path);
            var v1 = IkexProcess.Run("sa", "rekey", "--control", path, "--id", "5");
            Assert.Equal(1, v1.ExitCode);
            Assert.Contains("SA 5: SA 5 is not an IKEv2 SA", v1.StdErr);
            var nosocket = IkexProcess.Run("sa", "delete", "--control", path + ".missing", "--id", "5");
            Assert.Equal(2, nosocket.ExitCode);
            Assert.StartsWith("ikex sa delete: control socket", nosocket.StdErr);
        }
    }
}
