using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>MS-IKEE 3.10 correlation through the management façade, over loopback UDP sockets.</summary>
    public sealed class IkeServiceV2CorrelationTests
    {
        [Fact]
        public async Task MsIkee_3_10_CorrelateV2Async_OverUdp_BothListingsShowTheCorrelation_OriginalStays()
        {
            var psk = PreSharedKey.FromText("service-correlation-test-psk");
            await using var responder = IkeService.StartResponder(new ResponderOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true });
            await using var initiator = IkeService.StartInitiator(new InitiatorOptions { Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true });
            var result = await initiator.NegotiateV2Async(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(10));
            Assert.True(result.Succeeded, result.FailureReason);
            long original = result.IkeSa!.Id;

            var current = await initiator.CorrelateV2Async(original);
            Assert.Equal(original, current.CorrelationTarget);
            for (int i = 0; i < 200 && (initiator.List().MainModeSas.Single(s => s.Id == original).CorrelatedWith == null ||
                                        responder.List().MainModeSas.Count != 1); i++)
                await Task.Delay(50);

            var mine = initiator.List().MainModeSas;
            Assert.Equal(current.Id, Assert.Single(mine).CorrelatedWith);
            Assert.NotNull(mine[0].CorrelatedAt);
            var theirs = Assert.Single(responder.List().MainModeSas);
            Assert.NotNull(theirs.CorrelatedWith);
            Assert.Equal("Established", theirs.State);
            Assert.Single(responder.List().QuickModeSas);
            await Assert.ThrowsAsync<InvalidOperationException>(() => initiator.CorrelateV2Async(original + 1000));
        }
    }
}
