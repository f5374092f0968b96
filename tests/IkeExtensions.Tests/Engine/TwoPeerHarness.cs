using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using IkeExtensions.Tables;

namespace IkeExtensions.Tests.Engine
{
    internal sealed class FakeClock : IClock
    {
        public DateTime UtcNow { get; set; } = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        public void Advance(TimeSpan by) => UtcNow += by;
    }

    /// <summary>
    /// Two engines joined by an in-memory network under one fake clock (strongSwan's exchange_test_helper and the QUIC
    /// prototype's manual transmission, in spirit). The network can drop, duplicate, delay and reorder, from a seed.
    /// </summary>
    internal sealed class TwoPeerHarness
    {
        public static readonly IPEndPoint AddressA = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500);
        public static readonly IPEndPoint AddressB = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500);

        private readonly Random _net;
        private readonly List<(IPEndPoint From, IPEndPoint To, byte[] Data, DateTime At)> _inFlight = new List<(IPEndPoint, IPEndPoint, byte[], DateTime)>();

        public TwoPeerHarness(IkeV1Policy? policyA = null, IkeV1Policy? policyB = null, string? pskA = "interop-test-psk", string? pskB = "interop-test-psk", int seed = 1,
            PeerCertificates? certificatesA = null, PeerCertificates? certificatesB = null,
            Action<IkeV1EngineOptions>? configureA = null, Action<IkeV1EngineOptions>? configureB = null)
        {
            _net = new Random(seed);
            A = new Peer("A", this, AddressA, policyA ?? IkeV1Policy.Default, AddressB, pskA, seed * 2 + 1, certificatesA, configureA);
            B = new Peer("B", this, AddressB, policyB ?? IkeV1Policy.Default, AddressA, pskB, seed * 2 + 2, certificatesB, configureB);
        }

        /// <summary>A peer's own certificate and the trust anchors it accepts the other peer's certificate under.</summary>
        internal sealed class PeerCertificates
        {
            public PeerCertificates(IkeExtensions.Crypto.Certificates.CertificateCredential own, IkeExtensions.Crypto.Certificates.CertificateChainValidator trust)
            {
                Own = own;
                Trust = trust;
            }

            public IkeExtensions.Crypto.Certificates.CertificateCredential Own { get; }
            public IkeExtensions.Crypto.Certificates.CertificateChainValidator Trust { get; }
        }

        public FakeClock Clock { get; } = new FakeClock();
        public Peer A { get; }
        public Peer B { get; }
        public double DropRate { get; set; }
        public double DuplicateRate { get; set; }
        public TimeSpan MaxDelay { get; set; }
        public int Delivered { get; private set; }
        public int DroppedByNetwork { get; private set; }
        public List<byte[]> Wire { get; } = new List<byte[]>();

        /// <summary>When set, A sits behind a NAT with this public address: its ports are mapped (500→40500, 4500→44500).</summary>
        public IPAddress? NatPublicAddressOfA { get; set; }
        public int KeepAlives { get; private set; }

        /// <summary>Drops the datagrams it returns true for (from, to, bytes), for tests that lose one particular message.</summary>
        public Func<IPEndPoint, IPEndPoint, byte[], bool>? Drop { get; set; }

        /// <summary>Destinations that are not A or B (spoofed sources in flood tests): their datagrams are counted and dropped.</summary>
        public int SentToNowhere { get; private set; }

        internal void Transmit(IPEndPoint from, IPEndPoint to, byte[] data)
        {
            if (data.Length == 1 && data[0] == 0xFF) { KeepAlives++; return; } // RFC 3948 NAT-keepalive: the host drops it too
            if (!to.Address.Equals(AddressA.Address) && !to.Address.Equals(AddressB.Address) && !to.Address.Equals(NatPublicAddressOfA)) { SentToNowhere++; return; }
            if (NatPublicAddressOfA != null)
            {
                if (from.Address.Equals(AddressA.Address)) from = new IPEndPoint(NatPublicAddressOfA, from.Port + 40000);
                if (to.Address.Equals(NatPublicAddressOfA)) to = new IPEndPoint(AddressA.Address, to.Port - 40000);
            }
            Wire.Add(data);
            if (Drop?.Invoke(from, to, data) == true || _net.NextDouble() < DropRate) { DroppedByNetwork++; return; }
            int copies = _net.NextDouble() < DuplicateRate ? 2 : 1;
            for (int i = 0; i < copies; i++)
                _inFlight.Add((from, to, data, Clock.UtcNow + TimeSpan.FromTicks((long)(MaxDelay.Ticks * _net.NextDouble()))));
        }

        /// <summary>Swaps a datagram still in flight for another (tests that stand in for a different peer implementation).</summary>
        public void ReplaceInFlight(byte[] original, byte[] replacement)
        {
            int i = _inFlight.FindIndex(d => ReferenceEquals(d.Data, original));
            if (i < 0) throw new InvalidOperationException("datagram not in flight");
            _inFlight[i] = (_inFlight[i].From, _inFlight[i].To, replacement, _inFlight[i].At);
        }

        /// <summary>Delivers datagrams in arrival order, polls both engines, and advances the clock when the network is idle.</summary>
        public void Run(TimeSpan duration, TimeSpan? step = null)
        {
            var end = Clock.UtcNow + duration;
            var tick = step ?? TimeSpan.FromMilliseconds(100);
            while (Clock.UtcNow <= end)
            {
                var due = _inFlight.Where(d => d.At <= Clock.UtcNow).OrderBy(d => d.At).ToList();
                foreach (var d in due)
                {
                    _inFlight.Remove(d);
                    Delivered++;
                    (d.To.Address.Equals(AddressA.Address) ? A : B).Engine.Receive(d.To, d.From, d.Data);
                }
                A.Engine.Poll();
                B.Engine.Poll();
                if (due.Count == 0) Clock.Advance(tick);
            }
        }

        internal sealed class Peer : IEngineOutput
        {
            private readonly TwoPeerHarness _h;

            public Peer(string name, TwoPeerHarness h, IPEndPoint address, IkeV1Policy policy, IPEndPoint peer, string? psk, int seed, PeerCertificates? certificates,
                Action<IkeV1EngineOptions>? configure)
            {
                Name = name;
                _h = h;
                Address = address;
                var pad = new PeerAuthorizationDatabase();
                // A wildcard entry: behind a NAT the peer's address is not the one it has.
                pad.Add(new PeerAuthorizationEntry(null, psk == null ? null : PreSharedKey.FromText(psk), certificates: certificates?.Trust));
                var options = new IkeV1EngineOptions(h.Clock, new DeterministicRandomSource(BitConverter.GetBytes(seed)), policy, pad)
                {
                    LocalCertificate = certificates?.Own,
                };
                configure?.Invoke(options);
                Engine = new IkeV1Engine(options, this);
            }

            public string Name { get; }
            public IPEndPoint Address { get; }
            public IkeV1Engine Engine { get; }
            public List<EngineEvent> Events { get; } = new List<EngineEvent>();
            public List<string> Log { get; } = new List<string>();

            public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram) => _h.Transmit(local, remote, datagram.ToArray());
            public void OnEvent(EngineEvent engineEvent) => Events.Add(engineEvent);
            void IEngineOutput.Log(LogLevel level, string message) => Log.Add($"{Name} {level}: {message}");

            public IReadOnlyList<QuickModeSa> EstablishedQuickModes =>
                Engine.QuickModeSas.Snapshot().Where(q => q.State == QuickModeSaState.Established).ToList();
            public IReadOnlyList<MainModeSa> EstablishedMainModes =>
                Engine.MainModeSas.Snapshot().Where(q => q.State == MainModeSaState.Established).ToList();
        }
    }
}
