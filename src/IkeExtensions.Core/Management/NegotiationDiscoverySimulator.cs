using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.NegotiationDiscovery;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Management
{
    /// <summary>The peer of a simulation (MS-IKEE 3.7 figures 7, 8, 19, 20).</summary>
    public enum NdPeerKind
    {
        /// <summary>IPsec-capable with negotiation discovery in both directions, Boundary (figure 7).</summary>
        Capable,
        /// <summary>Not IPsec-capable: no IKE, every packet in clear, ESP discarded (figure 8).</summary>
        Incapable,
        /// <summary>A server with negotiation discovery in boundary mode (figure 19): the same rule as Capable.</summary>
        Boundary,
        /// <summary>A server that requires all inbound traffic to be protected (figure 20): securing rule without ND.</summary>
        Require,
    }

    public enum NdTraceSide { Host, Peer }

    public enum NdTraceAction
    {
        Packet,
        /// <summary>The side deletes its established Quick Mode SAs (and tells the peer).</summary>
        DeleteQuickModeSas,
        /// <summary>The side deletes its Main Mode SAs with their Quick Mode SAs.</summary>
        DeleteMainModeSas,
    }

    /// <summary>What a trace asserts of one packet (verdict and reason names as in <see cref="NdVerdict"/> / <see cref="NdReason"/>).</summary>
    public sealed class NdExpectation
    {
        public string? Host { get; set; }
        public string? HostReason { get; set; }
        public string? Peer { get; set; }
        public string? PeerReason { get; set; }
        /// <summary>For a queued packet: its fate by the end of the run ("SendSecured", or "Queue" when still held).</summary>
        public string? Later { get; set; }
    }

    /// <summary>One line of a trace: a packet one side sends (at <see cref="Time"/> seconds) or an administrative action.</summary>
    public sealed class NdTraceEvent
    {
        public double Time { get; set; }
        public NdTraceAction Action { get; set; } = NdTraceAction.Packet;
        /// <summary>The sender of a packet; the side an action applies to.</summary>
        public NdTraceSide From { get; set; } = NdTraceSide.Host;
        public byte Protocol { get; set; } = IpProtocols.Tcp;
        /// <summary>The host's TCP/UDP port, or the ICMP type.</summary>
        public ushort HostPort { get; set; }
        /// <summary>The peer's TCP/UDP port, or the ICMP code.</summary>
        public ushort PeerPort { get; set; }
        /// <summary>Set: the packet arrives in this form without the sender's decision (an injected or spoofed packet).</summary>
        public NdEncapsulation? Encapsulation { get; set; }
        public string? Note { get; set; }
        public NdExpectation? Expect { get; set; }
    }

    /// <summary>A simulation: a host with a policy, a peer, the IKE latency and the trace.</summary>
    public sealed class NdScenario
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public IPAddress HostAddress { get; set; } = IPAddress.Parse("192.0.2.10");
        public IPAddress PeerAddress { get; set; } = IPAddress.Parse("192.0.2.20");
        public NdSecurityPolicy HostPolicy { get; set; } = NdSecurityPolicy.Empty;
        public NdPeerKind PeerKind { get; set; } = NdPeerKind.Capable;
        /// <summary>The peer's SPD; null = the preset of <see cref="PeerKind"/>.</summary>
        public NdSecurityPolicy? PeerPolicy { get; set; }
        /// <summary>One-way delay of each IKE datagram. Data packets cross at their trace time.</summary>
        public TimeSpan IkeLatency { get; set; } = TimeSpan.FromMilliseconds(10);
        public int QuickModeLifetimeSeconds { get; set; } = 3600;
        /// <summary>Re-key Quick Mode SAs before they expire (off: an SA simply expires).</summary>
        public bool Rekey { get; set; } = true;
        /// <summary>Where the run ends (seconds); null = one second after the last event.</summary>
        public double? RunUntil { get; set; }
        public List<NdTraceEvent> Events { get; } = new List<NdTraceEvent>();

        /// <summary>The SPD a peer of <paramref name="kind"/> runs when the trace gives none.</summary>
        public static NdSecurityPolicy PresetPolicy(NdPeerKind kind) => kind switch
        {
            NdPeerKind.Incapable => NdSecurityPolicy.Empty,
            NdPeerKind.Require => new NdSecurityPolicy(new[] { new NdRule { Name = "require", Action = NdRuleAction.Secure } }),
            _ => new NdSecurityPolicy(new[] { new NdRule { Name = "nd-boundary", Action = NdRuleAction.Secure, NegotiationDiscovery = NdDirections.Both, Boundary = true } }),
        };
    }

    /// <summary>One side's decision on a packet.</summary>
    public sealed class NdSideDecision
    {
        public string Side { get; internal set; } = "";
        public NdVerdict Verdict { get; internal set; }
        public NdReason Reason { get; internal set; }
        public string Section { get; internal set; } = "";
        public string Explanation { get; internal set; } = "";
        public bool Acquire { get; internal set; }
        public string? AcquireFlags { get; internal set; }
        public string Flow { get; internal set; } = "";
        public long? SaId { get; internal set; }
        public string? Rule { get; internal set; }

        public override string ToString() => $"{Side} {Verdict} [{Section}] {Explanation}" + (Acquire ? $" (Acquire{(AcquireFlags == null ? "" : " " + AcquireFlags)})" : "");
    }

    /// <summary>What happened to one packet of the trace.</summary>
    public sealed class NdPacketOutcome
    {
        public int Index { get; internal set; }
        public double Time { get; internal set; }
        public string Direction { get; internal set; } = "";
        public string Flow { get; internal set; } = "";
        public string? Note { get; internal set; }
        public bool Injected { get; internal set; }
        /// <summary>Our host's decision (as sender or receiver); null when it did not see the packet.</summary>
        public NdSideDecision? Host { get; internal set; }
        public NdSideDecision? Peer { get; internal set; }
        /// <summary>One phrase: sent clear / secured / queued / dropped, then accepted / discarded.</summary>
        public string Outcome { get; internal set; } = "";
        /// <summary>For a queued packet: what became of it (null while held, or when never queued).</summary>
        public string? Later { get; internal set; }
        public NdVerdict? LaterVerdict { get; internal set; }
        public List<string> ExpectationFailures { get; } = new List<string>();
    }

    public sealed class NdSaSummary
    {
        public long Id { get; internal set; }
        public string Side { get; internal set; } = "";
        public bool IsInitiator { get; internal set; }
        public string State { get; internal set; } = "";
        public string EncapsulationMode { get; internal set; } = "";
        public bool Boundary { get; internal set; }
        public bool GuaranteedEncryption { get; internal set; }
        public override string ToString() => $"{Side} QM#{Id} {State} {EncapsulationMode}{(IsInitiator ? " initiator" : " responder")} Boundary={Boundary} GuaranteedEncryption={GuaranteedEncryption}";
    }

    public sealed class NdSimulationResult
    {
        public string Name { get; internal set; } = "";
        public string? Description { get; internal set; }
        public string PeerKind { get; internal set; } = "";
        public List<NdPacketOutcome> Packets { get; } = new List<NdPacketOutcome>();
        /// <summary>IKE and administrative events, one line each, with their time.</summary>
        public List<string> Timeline { get; } = new List<string>();
        public IReadOnlyList<NdFlowEntry> HostFlows { get; internal set; } = Array.Empty<NdFlowEntry>();
        public IReadOnlyList<NdFlowEntry> PeerFlows { get; internal set; } = Array.Empty<NdFlowEntry>();
        public IReadOnlyList<NdSaSummary> QuickModeSas { get; internal set; } = Array.Empty<NdSaSummary>();
        public bool PeerNegotiationDiscoverySupported { get; internal set; }
        public IEnumerable<string> ExpectationFailures => Packets.SelectMany(p => p.ExpectationFailures.Select(f => $"packet {p.Index}: {f}"));
        public bool Passed => !ExpectationFailures.Any();
    }

    /// <summary>
    /// Runs a trace of packets between a host and a peer through the real decision engine
    /// (<see cref="NegotiationDiscoveryEngine"/>, MS-IKEE 3.7.4) on each side and the real IKEv1 engines in memory (with
    /// the ND extension: vendor ID, EXCHANGE_INFO, QM SA flags), under a simulated clock. Each IKE datagram takes
    /// <see cref="NdScenario.IkeLatency"/>; data packets cross at their trace time. Acquires go to the sender's IKE
    /// engine, coalesced per peer and flags: an Acquire waits while a negotiation with the peer is in progress (or the
    /// peer has just established a Main Mode SA with us and is about to start Quick Mode), and is satisfied by any QM SA
    /// of matching Guaranteed Encryption, whichever side started it. Queued packets are retried when an SA appears.
    /// </summary>
    public static class NegotiationDiscoverySimulator
    {
        private static readonly DateTime Epoch = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private const int MaxQueuedPerSide = 256;

        public static NdSimulationResult Run(NdScenario scenario)
        {
            if (scenario == null) throw new ArgumentNullException(nameof(scenario));
            return new Simulation(scenario).Execute();
        }

        private sealed class SimClock : IClock
        {
            public DateTime UtcNow { get; set; } = Epoch;
        }

        private sealed class Pending
        {
            public ExchangeInfoFlags Flags;
            public bool Started;
        }

        private sealed class Queued
        {
            public NdTraceEvent Event = null!;
            public NdPacketOutcome Outcome = null!;
        }

        private sealed class Side : IEngineOutput
        {
            private readonly Simulation _run;

            public Side(Simulation run, string name, IPAddress address, NdSecurityPolicy policy, bool ike, NdScenario scenario, int seed)
            {
                _run = run;
                Name = name;
                Address = address;
                NdAddress = NdAddress.From(address);
                IkeEndpoint = new IPEndPoint(address, 500);
                Nd = new NegotiationDiscoveryEngine(policy, 64);
                if (!ike) return;
                var pad = new PeerAuthorizationDatabase();
                pad.Add(new PeerAuthorizationEntry(null, PreSharedKey.FromText("nd-simulator")));
                var qm = IkeV1Policy.Default.QuickMode.Select(p => new QuickModeProposal(p.Encryption, p.KeyBits, p.Integrity, p.PfsGroup, scenario.QuickModeLifetimeSeconds, p.LifetimeKilobytes)).ToArray();
                var options = new IkeV1EngineOptions(run.Clock, new DeterministicRandomSource("nd-simulator-" + seed.ToString(CultureInfo.InvariantCulture)),
                    new IkeV1Policy(IkeV1Policy.Default.MainMode, qm), pad);
                if (!scenario.Rekey) options.RekeyFraction = 2.0; // soft expiry after the hard one: never re-keys
                Ike = new IkeV1Engine(options.WithNegotiationDiscovery(policy), this);
            }

            public string Name { get; }
            public IPAddress Address { get; }
            public NdAddress NdAddress { get; }
            public IPEndPoint IkeEndpoint { get; }
            public NegotiationDiscoveryEngine Nd { get; }
            public IkeV1Engine? Ike { get; }
            public Side Other = null!;
            public readonly List<Pending> Pending = new List<Pending>();
            public readonly List<Queued> Queue = new List<Queued>();
            public bool SasChanged;
            public bool ReportedNoIke;

            public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram) => _run.Transmit(this, datagram.ToArray());

            public void OnEvent(EngineEvent e)
            {
                switch (e.Kind)
                {
                    case EngineEventKind.MainModeEstablished when e.Sa is MainModeSa m:
                        _run.Log($"{Name}: MM#{m.Id} established ({(m.IsInitiator ? "initiator" : "responder")}); peer sent \"MS-Negotiation Discovery Capable\": {m.NegotiationDiscoverySupported}");
                        break;
                    case EngineEventKind.MainModeFailed:
                        _run.Log($"{Name}: Main Mode failed: {e.Reason}");
                        Pending.RemoveAll(p => p.Started);
                        break;
                    case EngineEventKind.QuickModeEstablished when e.Sa is QuickModeSa q:
                        Nd.SecurityAssociations.Add(new NdSaEntry(q.Id, NdAddress, Other.NdAddress, q.Boundary, q.GuaranteedEncryption,
                            q.EncapsulationMode.StartsWith("Udp", StringComparison.Ordinal)));
                        SasChanged = true;
                        Other.SasChanged = true;
                        _run.Log($"{Name}: QM#{q.Id} established ({(q.IsInitiator ? "initiator" : "responder")}, {q.EncapsulationMode}) Boundary={q.Boundary} GuaranteedEncryption={q.GuaranteedEncryption}");
                        break;
                    case EngineEventKind.QuickModeFailed:
                        _run.Log($"{Name}: Quick Mode failed: {e.Reason}");
                        Pending.RemoveAll(p => p.Started);
                        break;
                    case EngineEventKind.QuickModeDeleted when e.Sa is QuickModeSa q:
                        Nd.SecurityAssociations.Remove(q.Id);
                        _run.Log($"{Name}: QM#{q.Id} deleted ({e.Reason})");
                        break;
                    case EngineEventKind.MainModeDeleted when e.Sa is MainModeSa m:
                        _run.Log($"{Name}: MM#{m.Id} deleted ({e.Reason})");
                        break;
                }
            }

            public void Log(LogLevel level, string message)
            {
                if (level >= LogLevel.Warning) _run.Log($"{Name} IKE {level}: {message}");
            }
        }

        private sealed class Simulation
        {
            private readonly NdScenario _s;
            private readonly Side _host;
            private readonly Side _peer;
            private readonly List<(DateTime At, long Seq, Side To, byte[] Data)> _inFlight = new List<(DateTime, long, Side, byte[])>();
            private readonly NdSimulationResult _result = new NdSimulationResult();
            private long _seq;

            public Simulation(NdScenario s)
            {
                _s = s;
                if (s.HostAddress.AddressFamily != s.PeerAddress.AddressFamily) throw new ArgumentException("Host and peer addresses must be of one family.");
                _host = new Side(this, "host", s.HostAddress, s.HostPolicy, ike: true, s, 1);
                _peer = new Side(this, "peer", s.PeerAddress, s.PeerPolicy ?? NdScenario.PresetPolicy(s.PeerKind), ike: s.PeerKind != NdPeerKind.Incapable, s, 2);
                _host.Other = _peer;
                _peer.Other = _host;
            }

            public SimClock Clock { get; } = new SimClock();
            private double Seconds => (Clock.UtcNow - Epoch).TotalSeconds;

            public void Log(string line) => _result.Timeline.Add($"{Seconds.ToString("0.000", CultureInfo.InvariantCulture)} {line}");

            public void Transmit(Side from, byte[] data)
            {
                if (data.Length == 1 && data[0] == 0xFF) return; // NAT keep-alive
                _inFlight.Add((Clock.UtcNow + _s.IkeLatency, _seq++, from.Other, data));
            }

            public NdSimulationResult Execute()
            {
                _result.Name = _s.Name;
                _result.Description = _s.Description;
                _result.PeerKind = _s.PeerKind.ToString();
                var events = _s.Events.Select((e, i) => (e, i)).OrderBy(x => x.e.Time).ThenBy(x => x.i).Select(x => x.e).ToList();
                int index = 0;
                foreach (var e in events)
                {
                    if (e.Time < 0 || double.IsNaN(e.Time) || double.IsInfinity(e.Time)) throw new ArgumentException($"event {index + 1}: time {e.Time} is not a time");
                    AdvanceTo(Epoch + TimeSpan.FromSeconds(e.Time));
                    if (e.Action == NdTraceAction.Packet) Packet(e, ++index);
                    else Administer(e);
                    Step();
                }
                double end = _s.RunUntil ?? (events.Count == 0 ? 0 : events.Max(e => e.Time) + 1);
                AdvanceTo(Epoch + TimeSpan.FromSeconds(Math.Max(end, Seconds)));

                foreach (var side in new[] { _host, _peer })
                    foreach (var q in side.Queue)
                        q.Outcome.Later = $"still queued at the end ({side.Name} never sends it in clear)";
                foreach (var p in _result.Packets) Check(p, _s.Events.Where(e => e.Action == NdTraceAction.Packet).ElementAt(p.Index - 1));

                _result.HostFlows = _host.Nd.Flows.Snapshot(_host.Nd.Policy);
                _result.PeerFlows = _peer.Nd.Flows.Snapshot(_peer.Nd.Policy);
                _result.QuickModeSas = Sas(_host).Concat(Sas(_peer)).ToList();
                _result.PeerNegotiationDiscoverySupported = _host.Ike!.MainModeSas.Snapshot().Any(m => m.NegotiationDiscoverySupported);
                return _result;
            }

            private static IEnumerable<NdSaSummary> Sas(Side side) =>
                side.Ike == null ? Enumerable.Empty<NdSaSummary>() : side.Ike.QuickModeSas.Snapshot().Select(q => new NdSaSummary
                {
                    Id = q.Id, Side = side.Name, IsInitiator = q.IsInitiator, State = q.State.ToString(), EncapsulationMode = q.EncapsulationMode,
                    Boundary = q.Boundary, GuaranteedEncryption = q.GuaranteedEncryption,
                });

            private void Administer(NdTraceEvent e)
            {
                var side = e.From == NdTraceSide.Host ? _host : _peer;
                if (side.Ike == null) { Log($"{side.Name}: {e.Action} ignored (no IKE)"); return; }
                Log($"{side.Name}: {e.Action} (trace){(e.Note == null ? "" : " — " + e.Note)}");
                if (e.Action == NdTraceAction.DeleteQuickModeSas)
                    foreach (var q in side.Ike.QuickModeSas.Snapshot().Where(q => q.State == QuickModeSaState.Established)) side.Ike.DeleteQuickModeSa(q.Id);
                else
                    foreach (var m in side.Ike.MainModeSas.Snapshot()) side.Ike.DeleteMainModeSa(m.Id);
            }

            private void Packet(NdTraceEvent e, int index)
            {
                var sender = e.From == NdTraceSide.Host ? _host : _peer;
                var receiver = sender.Other;
                var o = new NdPacketOutcome
                {
                    Index = index, Time = e.Time, Note = e.Note, Injected = e.Encapsulation.HasValue,
                    Direction = sender == _host ? "host -> peer" : "peer -> host",
                    Flow = HostView(e).ToString(),
                };
                _result.Packets.Add(o);
                NdEncapsulation? sent;
                if (e.Encapsulation is NdEncapsulation forced)
                {
                    sent = forced;
                    Set(o, sender, null);
                }
                else
                {
                    var d = sender.Nd.Outbound(View(sender, e));
                    Set(o, sender, Describe(sender, d));
                    if (d.Acquire) AddAcquire(sender, d.AcquireFlags);
                    sent = d.Verdict == NdVerdict.SendClear ? NdEncapsulation.Clear : d.Verdict == NdVerdict.SendSecured ? NdEncapsulation.Esp : (NdEncapsulation?)null;
                    if (d.Verdict == NdVerdict.Queue)
                    {
                        if (sender.Queue.Count < MaxQueuedPerSide) sender.Queue.Add(new Queued { Event = e, Outcome = o });
                        else o.Later = "dropped: queue full";
                    }
                }
                string first = e.Encapsulation is NdEncapsulation f ? $"injected {(f == NdEncapsulation.Clear ? "in clear" : f.ToString().ToUpperInvariant())}" :
                    sent == NdEncapsulation.Clear ? "sent clear" : sent == NdEncapsulation.Esp ? "secured" : GetSender(o, sender)!.Verdict == NdVerdict.Queue ? "queued" : "dropped";
                if (sent is NdEncapsulation how)
                {
                    var r = receiver.Nd.Inbound(View(receiver, e).With(how));
                    Set(o, receiver, Describe(receiver, r));
                    o.Outcome = first + " -> " + (r.Verdict == NdVerdict.Accept ? "accepted" : "discarded");
                }
                else o.Outcome = first;
            }

            private NdSideDecision? GetSender(NdPacketOutcome o, Side sender) => sender == _host ? o.Host : o.Peer;

            private void Set(NdPacketOutcome o, Side side, NdSideDecision? d)
            {
                if (side == _host) o.Host = d;
                else o.Peer = d;
            }

            private static NdSideDecision Describe(Side side, NdDecision d) => new NdSideDecision
            {
                Side = side.Name, Verdict = d.Verdict, Reason = d.Reason, Section = d.Section, Explanation = d.Explanation, Acquire = d.Acquire,
                AcquireFlags = d.Acquire && d.AcquireFlags != ExchangeInfoFlags.None ? d.AcquireFlags.ToString() : null,
                Flow = d.Flow.ToString(), SaId = d.SaId == 0 ? (long?)null : d.SaId,
                Rule = d.Rule >= 0 && d.Rule < side.Nd.Policy.Rules.Count ? side.Nd.Policy.Rules[d.Rule].Name : null,
            };

            private NdPacket View(Side side, NdTraceEvent e)
            {
                bool host = side == _host;
                return new NdPacket(side.NdAddress, side.Other.NdAddress, e.Protocol, host ? e.HostPort : e.PeerPort, host ? e.PeerPort : e.HostPort);
            }

            private NdPacket HostView(NdTraceEvent e)
            {
                bool icmp = IpProtocols.KindOf(e.Protocol, !_host.NdAddress.IsV4) == FlowKind.Icmp;
                // ICMP: type and code are the packet's, whichever side sends it.
                return icmp ? new NdPacket(_host.NdAddress, _peer.NdAddress, e.Protocol, e.HostPort, e.PeerPort) : View(_host, e);
            }

            private void AddAcquire(Side side, ExchangeInfoFlags flags)
            {
                if (side.Pending.Any(p => p.Flags == flags)) return;
                side.Pending.Add(new Pending { Flags = flags });
            }

            /// <summary>Runs the network and the engines' timers up to <paramref name="until"/>.</summary>
            private void AdvanceTo(DateTime until)
            {
                int spins = 0;
                while (true)
                {
                    DateTime? next = null;
                    void Consider(DateTime? t) { if (t.HasValue && (!next.HasValue || t < next)) next = t; }
                    if (_inFlight.Count > 0) Consider(_inFlight.Min(d => d.At));
                    Consider(_host.Ike?.NextDeadline());
                    Consider(_peer.Ike?.NextDeadline());
                    if (!next.HasValue || next.Value > until) break;
                    if (next.Value <= Clock.UtcNow)
                    {
                        if (++spins > 8) { next = Clock.UtcNow + TimeSpan.FromMilliseconds(1); spins = 0; if (next > until) break; }
                        else next = Clock.UtcNow;
                    }
                    else spins = 0;
                    Clock.UtcNow = next.Value;
                    Step();
                }
                if (until > Clock.UtcNow) Clock.UtcNow = until;
                Step();
            }

            /// <summary>Delivers due datagrams, runs timers, starts Acquires and retries queued packets.</summary>
            private void Step()
            {
                var due = _inFlight.Where(d => d.At <= Clock.UtcNow).OrderBy(d => d.At).ThenBy(d => d.Seq).ToList();
                foreach (var d in due)
                {
                    _inFlight.Remove(d);
                    if (d.To.Ike == null)
                    {
                        if (!d.To.ReportedNoIke) Log($"{d.To.Name}: not IPsec-capable, IKE datagrams go unanswered");
                        d.To.ReportedNoIke = true;
                        continue;
                    }
                    d.To.Ike.Receive(d.To.IkeEndpoint, d.To.Other.IkeEndpoint, d.Data);
                }
                _host.Ike?.Poll();
                _peer.Ike?.Poll();
                foreach (var side in new[] { _host, _peer })
                {
                    Acquires(side);
                    // Queued packets go once the receiver holds its SA too: the engine reports a responder's SA at Quick
                    // Mode message 3, where a real responder installs its inbound SA when it sends message 2.
                    if (side.SasChanged && side.Other.Nd.SecurityAssociations.Count > 0) Flush(side);
                }
            }

            private void Acquires(Side side)
            {
                foreach (var p in side.Pending.ToList())
                {
                    var probe = new NdPacket(side.NdAddress, side.Other.NdAddress, 0);
                    bool ge = (p.Flags & ExchangeInfoFlags.GuaranteeEncryption) != 0;
                    if (side.Nd.SecurityAssociations.TryFind(probe, ge, out var sa) && sa.GuaranteedEncryption == ge)
                    {
                        side.Pending.Remove(p);
                        continue;
                    }
                    if (side.Ike == null) { side.Pending.Remove(p); continue; }
                    if (p.Started || Busy(side)) continue;
                    p.Started = true;
                    Log($"{side.Name}: Acquire -> IKE negotiates a QM SA with {side.Other.Address}" + (p.Flags != ExchangeInfoFlags.None ? $" (EXCHANGE_INFO {p.Flags})" : ""));
                    side.Ike.Initiate(new InitiateRequest(side.IkeEndpoint, side.Other.IkeEndpoint).ForAcquire(p.Flags));
                }
            }

            /// <summary>A negotiation with the peer is under way, or the peer just keyed a Main Mode SA with us and will start its Quick Mode.</summary>
            private bool Busy(Side side)
            {
                var now = Clock.UtcNow;
                var mms = side.Ike!.MainModeSas.Snapshot();
                if (mms.Any(m => m.State == MainModeSaState.SaNegotiation || m.State == MainModeSaState.KeyExchange || m.State == MainModeSaState.Authentication))
                    return true;
                var qms = side.Ike.QuickModeSas.Snapshot();
                if (qms.Any(q => q.State == QuickModeSaState.Negotiating)) return true;
                return mms.Any(m => m.State == MainModeSaState.Established && !m.IsInitiator && m.EstablishedAt > now - TimeSpan.FromSeconds(1) &&
                                    !qms.Any(q => q.MainModeSaId == m.Id));
            }

            private void Flush(Side side)
            {
                side.SasChanged = false;
                foreach (var q in side.Queue.ToList())
                {
                    var d = side.Nd.Outbound(View(side, q.Event));
                    if (d.Verdict != NdVerdict.SendSecured && d.Verdict != NdVerdict.SendClear) continue;
                    side.Queue.Remove(q);
                    var how = d.Verdict == NdVerdict.SendSecured ? NdEncapsulation.Esp : NdEncapsulation.Clear;
                    var r = side.Other.Nd.Inbound(View(side.Other, q.Event).With(how));
                    q.Outcome.LaterVerdict = d.Verdict;
                    q.Outcome.Later = $"{(how == NdEncapsulation.Esp ? "secured" : "sent clear")} at {Seconds.ToString("0.000", CultureInfo.InvariantCulture)} [{d.Section}] -> " +
                                      $"{(r.Verdict == NdVerdict.Accept ? "accepted" : "discarded")} [{r.Section}: {r.Explanation}]";
                }
            }

            private void Check(NdPacketOutcome o, NdTraceEvent e)
            {
                var x = e.Expect;
                if (x == null) return;
                void Verdict(string who, string? expected, NdSideDecision? actual)
                {
                    if (expected == null) return;
                    string got = actual == null ? "none" : actual.Verdict.ToString();
                    if (!string.Equals(expected, got, StringComparison.OrdinalIgnoreCase)) o.ExpectationFailures.Add($"{who}: expected {expected}, got {got}");
                }
                void Reason(string who, string? expected, NdSideDecision? actual)
                {
                    if (expected == null) return;
                    string got = actual == null ? "none" : actual.Reason.ToString();
                    if (!string.Equals(expected, got, StringComparison.OrdinalIgnoreCase)) o.ExpectationFailures.Add($"{who} reason: expected {expected}, got {got}");
                }
                Verdict("host", x.Host, o.Host);
                Reason("host", x.HostReason, o.Host);
                Verdict("peer", x.Peer, o.Peer);
                Reason("peer", x.PeerReason, o.Peer);
                if (x.Later != null)
                {
                    string got = o.LaterVerdict?.ToString() ?? "Queue";
                    if (!string.Equals(x.Later, got, StringComparison.OrdinalIgnoreCase)) o.ExpectationFailures.Add($"later: expected {x.Later}, got {got}");
                }
            }
        }
    }
}
