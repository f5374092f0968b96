using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IkeExtensions.Engine;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Platform;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Management
{
    /// <summary>The management façade over real UDP on loopback, and its control socket.</summary>
    public class IkeServiceTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
        private const string Psk = "ike-service-test-psk";

        internal static IkeService Responder(IkeV1Policy? policy = null, string psk = Psk) => IkeService.StartResponder(new ResponderOptions
        {
            Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(psk), Policy = policy ?? IkeV1Policy.Default,
        });

        internal static IkeService Initiator(IkeV1Policy? policy = null, Action<string>? log = null) => IkeService.StartInitiator(new InitiatorOptions
        {
            Address = IPAddress.Loopback, Port = 0, NatPort = null, PresharedKey = PreSharedKey.FromText(Psk), Policy = policy ?? IkeV1Policy.Default,
            Log = log, LogLevel = LogLevel.Debug,
        });

        private static async Task<NegotiationResult> Negotiate(IkeService initiator, IkeService responder, bool tunnel = false)
        {
            var request = tunnel
                ? initiator.CreateRequest(responder.LocalEndpoint, EncapsulationModeChoice.Tunnel,
                    new TrafficSelector(IPAddress.Parse("198.51.100.0"), IPAddress.Parse("198.51.100.255")),
                    new TrafficSelector(IPAddress.Parse("203.0.113.0"), IPAddress.Parse("203.0.113.255")))
                : initiator.CreateRequest(responder.LocalEndpoint);
            var result = await initiator.NegotiateAsync(request, Patience);
            Assert.True(result.Succeeded, result.FailureReason);
            var peerSide = await responder.WaitForQuickModeAsync(q => q.InboundSpi == result.QuickModeSa!.OutboundSpi, Patience);
            Assert.NotNull(peerSide);
            return result;
        }

        [Fact]
        public async Task NegotiateAsync_ReturnsTheMainModeAndQuickModeSas_AndBothSidesListThem()
        {
            await using var responder = Responder();
            await using var initiator = Initiator();
            var result = await Negotiate(initiator, responder);

            Assert.Equal(MainModeSaState.Established, result.MainModeSa!.State);
            Assert.Equal(result.MainModeSa.Id, result.QuickModeSa!.MainModeSaId);
            var listing = responder.List();
            var mm = Assert.Single(listing.MainModeSas);
            Assert.Equal(result.MainModeSa.InitiatorCookie.ToString("x16"), mm.InitiatorCookie);
            Assert.Equal(initiator.LocalEndpoint.ToString(), mm.RemoteEndpoint);
            Assert.Equal("IKEv1", mm.KeyModule);
            Assert.False(mm.IsInitiator);
            var qm = Assert.Single(listing.QuickModeSas);
            Assert.Equal(result.QuickModeSa.OutboundSpi.ToString("x8"), qm.InboundSpi);
            Assert.Equal(1, listing.Statistics.ActiveMainModeSas);
            Assert.Equal(1, listing.Statistics.MainModeEstablished);
        }

        [Fact]
        public async Task SecondNegotiation_ReusesTheMainModeSa_UnlessForced()
        {
            await using var responder = Responder();
            await using var initiator = Initiator();
            var first = await Negotiate(initiator, responder);
            var second = await Negotiate(initiator, responder, tunnel: true);
            Assert.Equal(first.MainModeSa!.Id, second.MainModeSa!.Id);
            Assert.Equal("Tunnel", second.QuickModeSa!.EncapsulationMode);

            var forced = await initiator.NegotiateAsync(initiator.CreateRequest(responder.LocalEndpoint, forceNewMainMode: true), Patience);
            Assert.True(forced.Succeeded, forced.FailureReason);
            Assert.NotEqual(first.MainModeSa.Id, forced.MainModeSa!.Id);
            Assert.Equal(2, initiator.GetMainModeSas().Count);
        }

        [Fact]
        public async Task RemoveQuickModeSa_ThenRemoveMainModeSa_DeletesThemOnThePeerToo()
        {
            await using var responder = Responder();
            await using var initiator = Initiator();
            var result = await Negotiate(initiator, responder);

            Assert.True(initiator.RemoveQuickModeSa(result.QuickModeSa!.Id));
            UdpIkeHostTests.SpinUntil(() => responder.GetQuickModeSas().Count == 0);
            Assert.Single(responder.GetMainModeSas());

            Assert.True(initiator.RemoveMainModeSa(result.MainModeSa!.Id));
            // Toward a peer with the Microsoft VID the delete is reliable (MS-IKEE 3.8): both sides keep the SA, as
            // Deleting, until the acknowledgement has been processed.
            UdpIkeHostTests.SpinUntil(() => responder.GetMainModeSas().Count == 0 && initiator.GetMainModeSas().Count == 0);
            Assert.False(initiator.RemoveMainModeSa(result.MainModeSa.Id));
        }

        [Fact]
        public async Task NoCommonProposal_FailsWithAReason_InsteadOfThrowing()
        {
            var onlyGroup19 = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 19) }, IkeV1Policy.Default.QuickMode);
            var onlyGroup14 = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14) }, IkeV1Policy.Default.QuickMode);
            await using var responder = Responder(onlyGroup19);
            await using var initiator = Initiator(onlyGroup14);
            var result = await initiator.NegotiateAsync(initiator.CreateRequest(responder.LocalEndpoint), TimeSpan.FromSeconds(5));
            Assert.False(result.Succeeded);
            Assert.NotNull(result.FailureReason);
            Assert.Null(result.QuickModeSa);
        }

        [Fact]
        public async Task StoppedService_FailsNegotiations_AndStopIsIdempotent()
        {
            var initiator = Initiator();
            await initiator.StopAsync();
            await initiator.StopAsync();
            var result = await initiator.NegotiateAsync(initiator.CreateRequest(new IPEndPoint(IPAddress.Loopback, 9)), Patience);
            Assert.False(result.Succeeded);
            Assert.Contains("not running", result.FailureReason);
        }

        [Fact]
        public async Task LogLines_HaveLevelsAndNeverThePresharedKey()
        {
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            await using var responder = Responder();
            await using (var initiator = Initiator(log: lines.Enqueue))
                await Negotiate(initiator, responder);
            Assert.Contains(lines, l => l.StartsWith("info: MM#1 established", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("info: ", StringComparison.Ordinal) && l.Contains("deleted: shutdown", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(Psk, StringComparison.Ordinal));
        }

        // ---- control socket ----

        private static string SocketPath() => Path.Combine(Path.GetTempPath(), $"ikex-test-{Guid.NewGuid():N}.sock");

        /// <summary>A responder with one negotiated Main Mode + Quick Mode, serving a control socket with a client connected.</summary>
        private sealed class NegotiatedPairWithControlSocket : IAsyncDisposable
        {
            public IkeService Responder { get; private set; } = null!;
            public IkeService Initiator { get; private set; } = null!;
            public NegotiationResult Result { get; private set; } = null!;
            public ControlServer? Server { get; private set; }
            public ControlClient Client { get; private set; } = null!;

            public static async Task<NegotiatedPairWithControlSocket> StartAsync()
            {
                var pair = new NegotiatedPairWithControlSocket { Responder = IkeServiceTests.Responder(), Initiator = IkeServiceTests.Initiator() };
                pair.Result = await Negotiate(pair.Initiator, pair.Responder);
                string path = SocketPath();
                pair.Server = ControlServer.Start(pair.Responder, path);
                pair.Client = ControlClient.Connect(path);
                return pair;
            }

            public async ValueTask DisposeAsync()
            {
                Client?.Dispose();
                Server?.Dispose();
                await Initiator.DisposeAsync();
                await Responder.DisposeAsync();
            }
        }

        [Fact]
        public async Task ControlSocket_List_ReturnsBothTablesAndStatistics()
        {
            await using var pair = await NegotiatedPairWithControlSocket.StartAsync();
            var (responder, initiator, result, client) = (pair.Responder, pair.Initiator, pair.Result, pair.Client);

            var listing = await client.ListAsync();
            Assert.Null(listing.Error);
            var mm = Assert.Single(listing.MainModeSas!);
            Assert.Equal(result.MainModeSa!.ResponderCookie.ToString("x16"), mm.ResponderCookie);
            Assert.Equal("AES-CBC-256", mm.CipherAlgorithm);
            Assert.Equal(14, mm.GroupId);
            Assert.Contains("MS NT5 ISAKMPOAKLEY (Windows 8 and later)", mm.PeerVendorIds);
            var qm = Assert.Single(listing.QuickModeSas!);
            Assert.Equal("Transport", qm.EncapsulationMode);
            Assert.Equal(result.QuickModeSa!.InboundSpi.ToString("x8"), qm.OutboundSpi);
            Assert.Equal(1, listing.Statistics!.QuickModeEstablished);
        }

        [Fact]
        public async Task ControlSocket_SpeaksNewlineDelimitedJson_WithCamelCaseNames()
        {
            await using var responder = Responder();
            await using var initiator = Initiator();
            await Negotiate(initiator, responder);
            string path = SocketPath();
            using var server = ControlServer.Start(responder, path);
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"command\":\"list\"}\n{\"command\":\"frobnicate\"}\nnot json\n"));

            using (var list = JsonDocument.Parse((await reader.ReadLineAsync())!))
            {
                var mm = list.RootElement.GetProperty("mainModeSas")[0];
                foreach (var name in new[] { "localEndpoint", "remoteEndpoint", "localFirstId", "remoteFirstId", "cipherAlgorithm", "hashAlgorithm", "groupId",
                             "keyModule", "maxQMSAs", "lifetimeSeconds", "initiatorCookie", "responderCookie", "state", "peerVendorIds", "isWeak" })
                    Assert.True(mm.TryGetProperty(name, out _), name);
                var qm = list.RootElement.GetProperty("quickModeSas")[0];
                foreach (var name in new[] { "encapsulationMode", "inboundSpi", "outboundSpi", "encryptionAlgorithm", "integrityAlgorithm", "pfsGroup",
                             "localTrafficSelector", "remoteTrafficSelector", "lifetimeSeconds", "isWeak" })
                    Assert.True(qm.TryGetProperty(name, out _), name);
                Assert.True(list.RootElement.GetProperty("statistics").GetProperty("datagramsReceived").GetInt64() > 0);
            }
            using (var unknown = JsonDocument.Parse((await reader.ReadLineAsync())!))
                Assert.Equal("unknown command \"frobnicate\" (list, delete-mm, delete-qm, rekey-ike, rekey-child)", unknown.RootElement.GetProperty("error").GetString());
            using (var garbage = JsonDocument.Parse((await reader.ReadLineAsync())!))
                Assert.StartsWith("request is not a JSON object", garbage.RootElement.GetProperty("error").GetString());
        }

        [Fact]
        public async Task ControlSocket_DeleteQmThenDeleteMm_RemovesTheSasOnBothSides()
        {
            await using var pair = await NegotiatedPairWithControlSocket.StartAsync();
            var (responder, initiator, result, client) = (pair.Responder, pair.Initiator, pair.Result, pair.Client);
            var responderQm = Assert.Single(responder.GetQuickModeSas());
            var responderMm = Assert.Single(responder.GetMainModeSas());

            Assert.True((await client.DeleteQuickModeSaAsync(responderQm.Id)).Deleted);
            UdpIkeHostTests.SpinUntil(() => initiator.GetQuickModeSas().Count == 0);
            Assert.False((await client.DeleteQuickModeSaAsync(responderQm.Id)).Deleted);

            Assert.True((await client.DeleteMainModeSaAsync(responderMm.Id)).Deleted);
            // Reliable delete (MS-IKEE 3.8): the deleting side keeps the SA until the acknowledgement came back.
            UdpIkeHostTests.SpinUntil(() => initiator.GetMainModeSas().Count == 0 && responder.GetMainModeSas().Count == 0);
            var after = await client.ListAsync();
            Assert.Empty(after.MainModeSas!);
            Assert.Empty(after.QuickModeSas!);
            Assert.Contains("needs an \"id\"", (await client.SendAsync(new ControlRequest { Command = "delete-mm" })).Error);
        }

        [Fact]
        public async Task ControlSocket_IsOwnerOnly_RefusesALiveSocket_AndReplacesAStaleOne()
        {
            await using var responder = Responder();
            string path = SocketPath();
            using (var server = ControlServer.Start(responder, path))
            {
                if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                var e = Assert.Throws<IOException>(() => ControlServer.Start(responder, path));
                Assert.Contains("in use", e.Message);
            }
            Assert.False(File.Exists(path)); // removed on dispose

            // A file left behind by a crashed responder is not live: it is replaced.
            using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
                stale.Bind(new UnixDomainSocketEndPoint(path));
            using var replaced = ControlServer.Start(responder, path);
            using var client = ControlClient.Connect(path);
            Assert.Null((await client.ListAsync()).Error);
        }

        [Fact]
        public void ControlClient_MissingSocket_SaysSo()
        {
            var e = Assert.Throws<IOException>(() => ControlClient.Connect("/nonexistent/ikex.sock"));
            Assert.Contains("does not exist", e.Message);
        }
    }
}
