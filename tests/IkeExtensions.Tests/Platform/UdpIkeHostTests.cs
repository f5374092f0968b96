using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Capture;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Platform;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Xunit;

namespace IkeExtensions.Tests.Platform
{
    /// <summary>Two <see cref="UdpIkeHost"/>s on loopback with ephemeral ports negotiate over real UDP sockets.</summary>
    public class UdpIkeHostTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

        internal sealed class Peer : IDisposable
        {
            public Peer(IPAddress address, string psk = "udp-host-test-psk", int? natPort = 0, bool respond = true)
            {
                var pad = new PeerAuthorizationDatabase();
                pad.Add(new PeerAuthorizationEntry(null, PreSharedKey.FromText(psk)));
                var options = new IkeV1EngineOptions(SystemClock.Instance, SystemRandomSource.Instance, IkeV1Policy.Default, pad) { AcceptAsResponder = respond };
                Host = new UdpIkeHost(options, address, 0, natPort);
                Host.LogLine += (level, line) => Log.Enqueue($"{level}: {line}");
                Host.EventRaised += e => { if (e.Kind == EngineEventKind.QuickModeEstablished) QuickModes.Add((QuickModeSa)e.Sa!); };
                Host.Start();
            }

            public UdpIkeHost Host { get; }
            public ConcurrentQueue<string> Log { get; } = new ConcurrentQueue<string>();
            public BlockingCollection<QuickModeSa> QuickModes { get; } = new BlockingCollection<QuickModeSa>();

            public QuickModeSa NextQuickMode()
            {
                Assert.True(QuickModes.TryTake(out var q, Patience), "no Quick Mode SA established; log:\n" + string.Join("\n", Log));
                return q!;
            }

            public void Dispose() => Host.Dispose();
        }

        private static void AssertPaired(QuickModeSa a, QuickModeSa b)
        {
            Assert.Equal(QuickModeSaState.Established, a.State);
            Assert.Equal(a.InboundSpi, b.OutboundSpi);
            Assert.Equal(a.OutboundSpi, b.InboundSpi);
        }

        [Fact]
        public async Task TwoHostsOnLoopback_NegotiateMainModeAndTransportQuickMode_OverRealUdp()
        {
            using var a = new Peer(IPAddress.Loopback);
            using var b = new Peer(IPAddress.Loopback);
            var mm = await a.Host.InitiateAsync(new InitiateRequest(a.Host.LocalEndpoint, b.Host.LocalEndpoint));
            var qa = a.NextQuickMode();
            var qb = b.NextQuickMode();
            AssertPaired(qa, qb);
            Assert.Equal("Transport", qa.EncapsulationMode);
            Assert.Equal(mm.Id, qa.MainModeSaId);
            var mb = Assert.Single(b.Host.MainModeSas.Snapshot());
            Assert.Equal((mm.InitiatorCookie, mm.ResponderCookie), (mb.InitiatorCookie, mb.ResponderCookie));
            Assert.Equal(a.Host.LocalEndpoint, mb.RemoteEndpoint);
            Assert.Equal(b.Host.LocalEndpoint, mb.LocalEndpoint);
        }

        [Fact]
        public async Task TwoHostsOnLoopback_NegotiateTunnelModeWithTrafficSelectors()
        {
            using var a = new Peer(IPAddress.Loopback);
            using var b = new Peer(IPAddress.Loopback);
            var local = new TrafficSelector(IPAddress.Parse("198.51.100.0"), IPAddress.Parse("198.51.100.255"));
            var remote = new TrafficSelector(IPAddress.Parse("203.0.113.0"), IPAddress.Parse("203.0.113.255"));
            await a.Host.InitiateAsync(new InitiateRequest(a.Host.LocalEndpoint, b.Host.LocalEndpoint, EncapsulationModeChoice.Tunnel, local, remote));
            var qa = a.NextQuickMode();
            var qb = b.NextQuickMode();
            AssertPaired(qa, qb);
            Assert.Equal("Tunnel", qb.EncapsulationMode);
            Assert.Equal("203.0.113.0-203.0.113.255", qb.LocalTrafficSelector!.ToString());
            Assert.Equal("198.51.100.0-198.51.100.255", qb.RemoteTrafficSelector!.ToString());
        }

        [Fact]
        public async Task TwoHostsOnIpv6Loopback_Negotiate()
        {
            using var a = new Peer(IPAddress.IPv6Loopback);
            using var b = new Peer(IPAddress.IPv6Loopback);
            await a.Host.InitiateAsync(new InitiateRequest(a.Host.LocalEndpoint, b.Host.LocalEndpoint));
            AssertPaired(a.NextQuickMode(), b.NextQuickMode());
            Assert.Equal("::1", Assert.Single(b.Host.MainModeSas.Snapshot()).RemoteFirstId);
        }

        [Fact]
        public async Task Rfc3948_NatPortToNatPort_NegotiatesWithNonEspMarkers()
        {
            using var a = new Peer(IPAddress.Loopback);
            using var b = new Peer(IPAddress.Loopback);
            // From A's NAT-T socket to B's: every IKE message carries the 4-octet zero marker both ways.
            await a.Host.InitiateAsync(new InitiateRequest(a.Host.NatEndpoint!, b.Host.NatEndpoint!));
            AssertPaired(a.NextQuickMode(), b.NextQuickMode());
            var mb = Assert.Single(b.Host.MainModeSas.Snapshot());
            Assert.Equal(b.Host.NatEndpoint, mb.LocalEndpoint);
            Assert.Equal(a.Host.NatEndpoint, mb.RemoteEndpoint);
            Assert.Equal(0, b.Host.Statistics.MalformedDropped);
            Assert.Equal(0, b.Host.HostStatistics.EspDropped);
        }

        [Fact]
        public async Task Rfc3948_IkeWithoutMarkerOnTheNatPort_IsTakenForEspAndDropped()
        {
            using var b = new Peer(IPAddress.Loopback);
            using var raw = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var mm1 = SampleMessages.MainMode1().Encode();
            await raw.SendAsync(mm1, mm1.Length, b.Host.NatEndpoint!);                                   // no marker: cookie bytes read as an SPI
            await raw.SendAsync(new byte[] { 0xFF }, 1, b.Host.NatEndpoint!);                             // NAT-keepalive
            await raw.SendAsync(new byte[] { 1, 2 }, 2, b.Host.NatEndpoint!);                             // too short for anything
            SpinUntil(() => b.Host.HostStatistics.EspDropped == 1 && b.Host.HostStatistics.NatKeepalivesDropped == 1 && b.Host.HostStatistics.InvalidDropped == 1);
            Assert.Equal(0, b.Host.Statistics.DatagramsReceived);
        }

        [Fact]
        public async Task GracefulStop_SendsDeletes_AndEmptiesThePeersTables()
        {
            using var a = new Peer(IPAddress.Loopback);
            using var b = new Peer(IPAddress.Loopback);
            await a.Host.InitiateAsync(new InitiateRequest(a.Host.LocalEndpoint, b.Host.LocalEndpoint));
            a.NextQuickMode();
            b.NextQuickMode();
            Assert.Equal(1, b.Host.QuickModeSas.Count);

            await a.Host.StopAsync();

            SpinUntil(() => b.Host.MainModeSas.Count == 0 && b.Host.QuickModeSas.Count == 0);
            Assert.Contains(b.Log, l => l.Contains("deleted by peer", StringComparison.Ordinal));
            Assert.False(a.Host.IsRunning);
            await Assert.ThrowsAsync<InvalidOperationException>(() => a.Host.InitiateAsync(new InitiateRequest(a.Host.LocalEndpoint, b.Host.LocalEndpoint)));
        }

        [Fact]
        public async Task GarbageDatagrams_AreDroppedAndTheHostKeepsNegotiating()
        {
            using var a = new Peer(IPAddress.Loopback);
            using var b = new Peer(IPAddress.Loopback);
            using var raw = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var random = new Random(7);
            for (int i = 0; i < 50; i++)
            {
                var junk = new byte[random.Next(0, 600)];
                random.NextBytes(junk);
                await raw.SendAsync(junk, junk.Length, b.Host.LocalEndpoint);
            }
            var mm1 = SampleMessages.MainMode1().Encode();
            await raw.SendAsync(mm1.Take(20).ToArray(), 20, b.Host.LocalEndpoint);                      // truncated header
            var framed = IkeDatagramClassifier.AddNonEspMarker(new byte[] { 9, 9, 9 });
            await raw.SendAsync(framed, framed.Length, b.Host.NatEndpoint!);                             // marker, then no IKE

            await a.Host.InitiateAsync(new InitiateRequest(a.Host.LocalEndpoint, b.Host.LocalEndpoint));
            AssertPaired(a.NextQuickMode(), b.NextQuickMode());
            Assert.True(b.Host.Statistics.MalformedDropped + b.Host.Statistics.OtherDropped >= 50);
            Assert.True(b.Host.IsRunning);
        }

        [Fact]
        public void Unstarted_HostStops_AndReleasesItsPorts()
        {
            var pad = new PeerAuthorizationDatabase();
            var options = new IkeV1EngineOptions(SystemClock.Instance, SystemRandomSource.Instance, IkeV1Policy.Default, pad);
            var host = new UdpIkeHost(options, IPAddress.Loopback, 0, null);
            var port = host.LocalEndpoint.Port;
            Assert.Null(host.NatEndpoint);
            host.Dispose();
            using var again = new UdpIkeHost(options, IPAddress.Loopback, port, null);
            Assert.Equal(port, again.LocalEndpoint.Port);
        }

        internal static void SpinUntil(Func<bool> condition)
        {
            Assert.True(SpinWait.SpinUntil(condition, Patience), "condition not reached");
        }
    }

    /// <summary>RFC 3948 §2.2 framing decisions of the host, without sockets.</summary>
    public class UdpFramingTests
    {
        private static readonly byte[] Ike = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 1, 2, 3 };

        [Fact]
        public void Receive_OnTheNatSocket_StripsTheNonEspMarker()
        {
            var c = UdpFraming.Unwrap(IkeDatagramClassifier.AddNonEspMarker(Ike), onNatSocket: true, localPort: 40000, remotePort: 40001);
            Assert.Equal(IkeDatagramKind.Ike, c.Kind);
            Assert.Equal(Ike, c.Ike.ToArray());
        }

        [Fact]
        public void Receive_FromPeerPort4500_StripsTheMarkerEvenOnTheIkeSocket()
        {
            var c = UdpFraming.Unwrap(IkeDatagramClassifier.AddNonEspMarker(Ike), onNatSocket: false, localPort: 500, remotePort: 4500);
            Assert.Equal(Ike, c.Ike.ToArray());
        }

        [Fact]
        public void Receive_OnPort500_TakesTheDatagramAsIs()
        {
            var c = UdpFraming.Unwrap(Ike, onNatSocket: false, localPort: 500, remotePort: 500);
            Assert.Equal(IkeDatagramKind.Ike, c.Kind);
            Assert.Equal(Ike, c.Ike.ToArray());
        }

        [Theory]
        [InlineData(new byte[] { 0xFF }, IkeDatagramKind.NatKeepalive)]
        [InlineData(new byte[] { 0, 0, 1, 0, 0, 0, 0, 1 }, IkeDatagramKind.Esp)]
        [InlineData(new byte[] { 0, 1 }, IkeDatagramKind.Invalid)]
        public void Receive_OnTheNatSocket_KeepalivesAndEspAreNotIke(byte[] datagram, IkeDatagramKind kind)
        {
            Assert.Equal(kind, UdpFraming.Unwrap(datagram, onNatSocket: true, localPort: 4500, remotePort: 4500).Kind);
        }

        [Theory]
        [InlineData(true, 40000, 40001, true)]
        [InlineData(false, 4500, 40001, true)]
        [InlineData(false, 500, 4500, true)]
        [InlineData(false, 500, 500, false)]
        [InlineData(false, 40000, 40001, false)]
        public void Send_PrependsTheMarker_OnlyOnTheNatSocketOrPort4500(bool onNat, int localPort, int remotePort, bool framed)
        {
            var wire = UdpFraming.Wrap(Ike, onNat, localPort, remotePort).ToArray();
            Assert.Equal(framed ? IkeDatagramClassifier.AddNonEspMarker(Ike) : Ike, wire);
        }
    }
}
