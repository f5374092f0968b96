using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Engine;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>
    /// Two IKEv2 engines joined by an in-memory network under one fake clock (the IKEv1 TwoPeerHarness, for IKEv2).
    /// The network can drop and duplicate from a seed, or drop chosen datagrams.
    /// </summary>
    internal sealed class TwoPeerV2Harness
    {
        public static readonly IPEndPoint AddressA = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500);
        public static readonly IPEndPoint AddressB = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500);

        private readonly Random _net;
        private readonly List<(IPEndPoint From, IPEndPoint To, byte[] Data)> _inFlight = new List<(IPEndPoint, IPEndPoint, byte[])>();

        public TwoPeerV2Harness(IkeV2Policy? policyA = null, IkeV2Policy? policyB = null, string pskA = "interop-test-psk", string pskB = "interop-test-psk",
            int seed = 1, Action<IkeV2EngineOptions>? configureA = null, Action<IkeV2EngineOptions>? configureB = null)
        {
            _net = new Random(seed);
            A = new Peer("A", this, policyA ?? IkeV2Policy.Default, pskA, seed * 2 + 1, configureA);
            B = new Peer("B", this, policyB ?? IkeV2Policy.Default, pskB, seed * 2 + 2, configureB);
        }

        public FakeClock Clock { get; } = new FakeClock();
        public Peer A { get; }
        public Peer B { get; }
        public double DropRate { get; set; }
        public double DuplicateRate { get; set; }
        /// <summary>Every datagram sent, in order (from, bytes).</summary>
        public List<(IPEndPoint From, byte[] Data)> Wire { get; } = new List<(IPEndPoint, byte[])>();
        public int DroppedByNetwork { get; private set; }
        /// <summary>Drops the datagrams it returns true for (from, to, bytes).</summary>
        public Func<IPEndPoint, IPEndPoint, byte[], bool>? Drop { get; set; }
        /// <summary>NATs between the peers (SimulatedNat): they rewrite addresses and ports on the way, as a real one does.</summary>
        public List<SimulatedNat> Nats { get; } = new List<SimulatedNat>();
        /// <summary>Every datagram sent, with the time and both endpoints as the sender named them (before any NAT).</summary>
        public List<(DateTime At, IPEndPoint From, IPEndPoint To, byte[] Data)> Sent { get; } = new List<(DateTime, IPEndPoint, IPEndPoint, byte[])>();
        /// <summary>Every datagram delivered, with both endpoints as the receiver sees them (after any NAT).</summary>
        public List<(IPEndPoint From, IPEndPoint To, byte[] Data)> Delivered { get; } = new List<(IPEndPoint, IPEndPoint, byte[])>();

        internal void Transmit(IPEndPoint from, IPEndPoint to, byte[] data)
        {
            Wire.Add((from, data));
            Sent.Add((Clock.UtcNow, from, to, data));
            if (Drop?.Invoke(from, to, data) == true || _net.NextDouble() < DropRate) { DroppedByNetwork++; return; }
            foreach (var nat in Nats)
            {
                if (nat.Inside.Equals(from.Address)) from = nat.Outbound(from);
                if (nat.Public.Equals(to.Address))
                {
                    var inside = nat.Inbound(to);
                    if (inside == null) { DroppedByNetwork++; return; } // no mapping: the NAT drops it
                    to = inside;
                }
            }
            int copies = _net.NextDouble() < DuplicateRate ? 2 : 1;
            for (int i = 0; i < copies; i++) _inFlight.Add((from, to, data));
        }

        /// <summary>Delivers datagrams in order, polls both engines, and advances the clock when the network is idle.</summary>
        public void Run(TimeSpan duration, TimeSpan? step = null)
        {
            var end = Clock.UtcNow + duration;
            var tick = step ?? TimeSpan.FromMilliseconds(100);
            while (Clock.UtcNow <= end)
            {
                var due = _inFlight.ToList();
                _inFlight.Clear();
                foreach (var d in due)
                {
                    Delivered.Add((d.From, d.To, d.Data));
                    (d.To.Address.Equals(AddressA.Address) ? A : B).Engine.Receive(d.To, d.From, d.Data);
                }
                A.Engine.Poll();
                B.Engine.Poll();
                if (due.Count == 0) Clock.Advance(tick);
            }
        }

        public IkeV2Sa Initiate(IkeExtensions.Policy.EncapsulationModeChoice mode = IkeExtensions.Policy.EncapsulationModeChoice.Transport,
            TrafficSelector? local = null, TrafficSelector? remote = null, IPEndPoint? peer = null)
        {
            var request = new InitiateRequest(AddressA, peer ?? AddressB, mode, local, remote);
            return A.Engine.Initiate(request);
        }

        internal sealed class Peer : IEngineOutput
        {
            private readonly TwoPeerV2Harness _h;

            public Peer(string name, TwoPeerV2Harness h, IkeV2Policy policy, string psk, int seed, Action<IkeV2EngineOptions>? configure)
            {
                Name = name;
                _h = h;
                var pad = new PeerAuthorizationDatabase();
                pad.Add(new PeerAuthorizationEntry(null, PreSharedKey.FromText(psk)));
                var options = new IkeV2EngineOptions(h.Clock, new DeterministicRandomSource(BitConverter.GetBytes(seed)), policy, pad);
                configure?.Invoke(options);
                Engine = new IkeV2Engine(options, this);
            }

            public string Name { get; }
            public IkeV2Engine Engine { get; }
            public List<EngineEvent> Events { get; } = new List<EngineEvent>();
            public List<string> Log { get; } = new List<string>();

            public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram) => _h.Transmit(local, remote, datagram.ToArray());
            public void OnEvent(EngineEvent engineEvent) => Events.Add(engineEvent);
            void IEngineOutput.Log(LogLevel level, string message) => Log.Add($"{Name} {level}: {message}");

            public IReadOnlyList<IkeV2Sa> EstablishedIkeSas => Engine.IkeSas.Snapshot().Where(s => s.State == IkeV2SaState.Established).ToList();
            public IReadOnlyList<ChildSaV2> EstablishedChildren => Engine.ChildSas.Snapshot().Where(s => s.State == QuickModeSaState.Established).ToList();
            public IEnumerable<EngineEventKind> EventKinds => Events.Select(e => e.Kind);
        }
    }


    /// <summary>
    /// A NAT in front of one peer (address <see cref="Inside"/>), seen from the other side as <see cref="Public"/>: outbound
    /// datagrams get a mapping (the same port, or a fresh one as a port-changing NAT such as nftables "masquerade random"
    /// gives), inbound ones go to the mapped inside endpoint or are dropped; with <see cref="PortForwarding"/> unmapped
    /// ports are forwarded to the same port inside (a responder behind a NAT).
    /// </summary>
    internal sealed class SimulatedNat
    {
        private readonly Dictionary<IPEndPoint, IPEndPoint> _out = new Dictionary<IPEndPoint, IPEndPoint>();
        private readonly Dictionary<IPEndPoint, IPEndPoint> _in = new Dictionary<IPEndPoint, IPEndPoint>();
        private int _nextPort;

        public SimulatedNat(IPAddress inside, IPAddress publicAddress, bool randomPorts = false, bool portForwarding = false, int firstPort = 40000)
        {
            Inside = inside;
            Public = publicAddress;
            RandomPorts = randomPorts;
            PortForwarding = portForwarding;
            _nextPort = firstPort;
        }

        public IPAddress Inside { get; }
        public IPAddress Public { get; }
        public bool RandomPorts { get; }
        public bool PortForwarding { get; }

        public IPEndPoint Outbound(IPEndPoint inside)
        {
            if (!_out.TryGetValue(inside, out var mapped))
            {
                mapped = new IPEndPoint(Public, RandomPorts ? _nextPort++ : inside.Port);
                _out[inside] = mapped;
                _in[mapped] = inside;
            }
            return mapped;
        }

        public IPEndPoint? Inbound(IPEndPoint outside) =>
            _in.TryGetValue(outside, out var inside) ? inside : PortForwarding ? new IPEndPoint(Inside, outside.Port) : null;

        /// <summary>The public endpoint an inside endpoint is mapped to now, if any.</summary>
        public IPEndPoint? MappingOf(IPEndPoint inside) => _out.TryGetValue(inside, out var m) ? m : null;

        /// <summary>The NAT forgets its mappings (a reboot, an expired entry); a port-changing NAT then hands out new ports.</summary>
        public void Reset()
        {
            _out.Clear();
            _in.Clear();
        }
    }
}
