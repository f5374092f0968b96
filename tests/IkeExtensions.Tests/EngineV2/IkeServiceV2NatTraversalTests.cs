using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>IKEv2 NAT traversal through the UDP host (real loopback sockets, RFC 3948 framing on the NAT-T sockets).</summary>
    public sealed class IkeServiceV2NatTraversalTests
    {
        [Fact]
        public async Task Rfc7296_2_23_ForcedEncapsulation_OverUdp_FloatsToTheNatSockets_WithTheNonEspMarker_ChildUdpEncapsulated()
        {
            var psk = PreSharedKey.FromText("service-nat-test-psk");
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = psk, IkeV2 = true,
            });
            await using var initiator = IkeService.StartInitiator(new InitiatorOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = psk, IkeV2 = true, ForceUdpEncapsulation = true,
            });
            var request = initiator.CreateRequest(responder.LocalEndpoint);
            request.PeerNatPort = responder.NatEndpoint!.Port; // ephemeral NAT-T ports on loopback, not 4500

            var result = await initiator.NegotiateV2Async(request, TimeSpan.FromSeconds(10));
            Assert.True(result.Succeeded, result.FailureReason);
            // IKE_AUTH went between the NAT-T sockets: it only decrypts there when the host framed it (non-ESP marker).
            Assert.Equal(initiator.NatEndpoint, result.IkeSa!.LocalEndpoint);
            Assert.Equal(responder.NatEndpoint, result.IkeSa.RemoteEndpoint);
            Assert.True(result.ChildSa!.UdpEncapsulated);
            var theirs = Assert.Single(responder.GetIkeV2Sas());
            Assert.Equal(initiator.NatEndpoint, theirs.RemoteEndpoint);
            Assert.True(theirs.NatDetectedRemote); // our NAT_DETECTION_SOURCE_IP cannot match
            var listed = Assert.Single(responder.List().MainModeSas);
            Assert.Equal(initiator.NatEndpoint!.Port, listed.RemoteUdpEncapsulationPort);
            Assert.Equal("UdpEncapsulatedTransport", Assert.Single(responder.List().QuickModeSas).EncapsulationMode);
        }

        [Fact]
        public async Task Rfc7296_2_23_HostWithoutNatSocket_SendsNoNatDetection_AndStaysOnTheIkePort()
        {
            var psk = PreSharedKey.FromText("service-nat-test-psk");
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = psk, IkeV2 = true,
            });
            await using var initiator = IkeService.StartInitiator(new InitiatorOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = psk, IkeV2 = true, ForceUdpEncapsulation = true,
            });
            var result = await initiator.NegotiateV2Async(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(10));
            Assert.True(result.Succeeded, result.FailureReason);
            Assert.Equal(initiator.LocalEndpoint, result.IkeSa!.LocalEndpoint);
            Assert.False(result.ChildSa!.UdpEncapsulated);
            Assert.False(Assert.Single(responder.GetIkeV2Sas()).NatDetectedRemote);
        }
    }
}
