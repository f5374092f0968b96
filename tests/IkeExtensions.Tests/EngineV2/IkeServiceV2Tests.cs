using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IkeExtensions.Engine.V2;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>The IKEv2 engine behind the UDP host and the management façade, over loopback sockets, next to IKEv1.</summary>
    public sealed class IkeServiceV2Tests
    {
        [Fact]
        public async Task Rfc7296_IkeV2OverUdp_BesideIkeV1_ListedWithKeyModuleIkeV2_AndRemovable()
        {
            var psk = PreSharedKey.FromText("service-test-psk");
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true,
            });
            await using var initiator = IkeService.StartInitiator(new InitiatorOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true,
            });

            var result = await initiator.NegotiateV2Async(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(10));
            Assert.True(result.Succeeded, result.FailureReason);
            Assert.Equal(IkeV2SaState.Established, result.IkeSa!.State);
            Assert.True(result.IkeSa.Id > IkeV2Listing.ServiceIdBase);

            var listing = responder.List();
            var ike = Assert.Single(listing.MainModeSas);
            Assert.Equal("IKEv2", ike.KeyModule);
            Assert.Equal("Established", ike.State);
            Assert.Equal(result.IkeSa.InitiatorSpi.ToString("x16"), ike.InitiatorCookie);
            Assert.Single(listing.QuickModeSas);

            // IKEv1 still works on the same sockets.
            var v1 = await initiator.NegotiateAsync(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(10));
            Assert.True(v1.Succeeded, v1.FailureReason);
            Assert.Equal(new[] { "IKEv1", "IKEv2" }, responder.List().MainModeSas.Select(s => s.KeyModule).OrderBy(k => k));

            Assert.True(await initiator.RemoveMainModeSaAsync(result.IkeSa.Id));
            for (int i = 0; i < 50 && responder.GetIkeV2Sas().Count > 0; i++) await Task.Delay(50);
            Assert.Empty(responder.GetIkeV2Sas());
            Assert.Single(responder.GetMainModeSas());
        }

        [Fact]
        public async Task IkeV2Disabled_ResponderIgnoresIkeV2()
        {
            var psk = PreSharedKey.FromText("service-test-psk");
            await using var responder = IkeService.StartResponder(new ResponderOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk });
            await using var initiator = IkeService.StartInitiator(new InitiatorOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true });
            var result = await initiator.NegotiateV2Async(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(2));
            Assert.False(result.Succeeded);
            Assert.Empty(responder.List().MainModeSas);
        }
    }
}
