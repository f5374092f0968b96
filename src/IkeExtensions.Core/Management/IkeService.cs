using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Engine;
using IkeExtensions.Platform;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Org.BouncyCastle.X509;

namespace IkeExtensions.Management
{
    /// <summary>What every running service needs: where to listen, how peers authenticate (pre-shared key and/or certificates), the policy and a log sink.</summary>
    public abstract partial class IkeServiceOptions
    {
        /// <summary>The local address (IPv4 or IPv6); both sockets are bound to it and it is the Main Mode identity.</summary>
        public IPAddress Address { get; set; } = IPAddress.Loopback;
        /// <summary>IKE port; 0 = ephemeral.</summary>
        public int Port { get; set; } = 500;
        /// <summary>NAT-T port (RFC 3948 framing); 0 = ephemeral, null = none.</summary>
        public int? NatPort { get; set; } = 4500;
        /// <summary>The key for every peer (a wildcard PAD entry). A pre-shared key, certificates, or both are required.</summary>
        public PreSharedKey? PresharedKey { get; set; }
        /// <summary>Our certificate (with intermediates) and RSA key for RSA signature authentication (RFC 2409 §5.1); needs <see cref="TrustAnchors"/>.</summary>
        public CertificateCredential? LocalCertificate { get; set; }
        /// <summary>Trust anchors every peer's certificate must chain to (the wildcard PAD entry's validator); needs <see cref="LocalCertificate"/>.</summary>
        public IReadOnlyList<X509Certificate>? TrustAnchors { get; set; }
        public IkeV1Policy Policy { get; set; } = IkeV1Policy.Default;
        /// <summary>One line per log event at or above <see cref="LogLevel"/> ("info: MM#1 established …"); never key material.</summary>
        public Action<string>? Log { get; set; }
        public LogLevel LogLevel { get; set; } = LogLevel.Info;
        /// <summary>Injected for tests; the system clock and CSPRNG otherwise.</summary>
        public IClock? Clock { get; set; }
        public IRandomSource? Random { get; set; }
        /// <summary>How long a negotiation may make no progress (the engine's NegotiationTimeout); null keeps the engine default.</summary>
        public TimeSpan? NegotiationTimeout { get; set; }

        // ---- IKEv2 (RFC 7296) ----
        /// <summary>Answer IKEv1 Main Mode (responders); false leaves only IKEv2.</summary>
        public bool IkeV1 { get; set; } = true;
        /// <summary>Run the IKEv2 engine (RFC 7296) on the same sockets: datagrams of major version 2 go to it.</summary>
        public bool IkeV2 { get; set; }
        /// <summary>The IKEv2 proposals; null: derived from <see cref="Policy"/> when one was given, else the built-in IKEv2 policy.</summary>
        public IkeExtensions.Engine.V2.IkeV2Policy? PolicyV2 { get; set; }
        /// <summary>IKEv2 fragments' largest IP datagram (RFC 7383 §2.5.1); null: 576 bytes IPv4 / 1280 IPv6 (MS-IKEE 3.15.1).</summary>
        public int? IkeV2FragmentSize { get; set; }
        /// <summary>IKEv2: NAT-T port and UDP-encapsulated ESP even without a NAT (strongSwan's encap = yes; RFC 7296 §2.23).</summary>
        public bool ForceUdpEncapsulation { get; set; }

        internal abstract bool AcceptAsResponder { get; }
    }

    /// <summary>A responder: answers Main Mode from any peer that knows the pre-shared key or has a trusted certificate; it can initiate too.</summary>
    public sealed class ResponderOptions : IkeServiceOptions
    {
        internal override bool AcceptAsResponder => true;
    }

    /// <summary>An initiator: starts negotiations and does not answer Main Mode #1 from others unless <see cref="AlsoRespond"/>.</summary>
    public sealed class InitiatorOptions : IkeServiceOptions
    {
        public bool AlsoRespond { get; set; }
        internal override bool AcceptAsResponder => AlsoRespond;
    }

    /// <summary>
    /// The management façade the CLI and the cmdlets call: a running IKEv1 service (engine on UDP sockets) with
    /// thread-safe initiate, list, remove and wait operations. Dispose stops it gracefully (peers are told).
    /// </summary>
    public sealed partial class IkeService : IDisposable
#if NET8_0_OR_GREATER
        , IAsyncDisposable
#endif
    {
        private readonly UdpIkeHost _host;
        private readonly IkeServiceOptions _options;
        // Touched only on the engine thread (events arrive there, registrations are marshalled there).
        private readonly List<Waiter> _waiters = new List<Waiter>();

        private IkeService(IkeServiceOptions options)
        {
            _options = options;
            if (options.Address == null) throw new ArgumentException("An address is required.", nameof(options));
            bool hasAnchors = options.TrustAnchors != null && options.TrustAnchors.Count > 0;
            if ((options.LocalCertificate != null) != hasAnchors)
                throw new ArgumentException(options.LocalCertificate != null
                    ? "A local certificate needs trust anchors for the peers' certificates."
                    : "Trust anchors need a local certificate (ours, to sign with).", nameof(options));
            if (options.PresharedKey == null && !hasAnchors)
                throw new ArgumentException("A pre-shared key, or a local certificate with trust anchors, is required.", nameof(options));
            var validator = hasAnchors ? new CertificateChainValidator(options.TrustAnchors!.ToArray()) : null;
            string methods = string.Join(", ", new[] { validator != null ? "certificates" : null, options.PresharedKey != null ? "pre-shared key" : null }.Where(m => m != null));
            var pad = new PeerAuthorizationDatabase();
            pad.Add(new PeerAuthorizationEntry(null, options.PresharedKey, $"any peer ({methods})", validator));
            var engineOptions = new IkeV1EngineOptions(options.Clock ?? SystemClock.Instance, options.Random ?? SystemRandomSource.Instance,
                options.Policy ?? IkeV1Policy.Default, pad)
            {
                AcceptAsResponder = options.AcceptAsResponder,
                LocalCertificate = options.LocalCertificate,
            };
            if (options.NegotiationTimeout is TimeSpan t) engineOptions.NegotiationTimeout = t;
            if (!options.IkeV1) engineOptions.AcceptAsResponder = false; // IKEv2 (issue 7): an IKEv2-only responder
            _host = new UdpIkeHost(engineOptions, options.Address, options.Port, options.NatPort);
            if (options.IkeV2) // IKEv2 (issue 7)
            {
                var policyV2 = options.PolicyV2 ?? (options.Policy == null || ReferenceEquals(options.Policy, IkeV1Policy.Default)
                    ? IkeExtensions.Engine.V2.IkeV2Policy.Default : IkeExtensions.Engine.V2.IkeV2Policy.FromV1(options.Policy));
                _host.EnableIkeV2(options.ApplyServerAddressesTo(new IkeExtensions.Engine.V2.IkeV2EngineOptions(engineOptions.Clock, engineOptions.Random, policyV2, pad)
                {
                    AcceptAsResponder = options.AcceptAsResponder,
                    FirstId = IkeExtensions.Engine.V2.IkeV2Listing.ServiceIdBase + 1,
                    LocalCertificate = options.LocalCertificate, // RSA or ECDSA signature AUTH (RFC 7296 §2.15, RFC 7427)
                    FragmentSize = options.IkeV2FragmentSize, // RFC 7383
                    ForceUdpEncapsulation = options.ForceUdpEncapsulation, // NAT-T (RFC 7296 §2.23)
                }));
            }
            _host.LogLine += OnLog;
            _host.EventRaised += OnEvent;
        }

        public static IkeService StartResponder(ResponderOptions options) => Start(options ?? throw new ArgumentNullException(nameof(options)));

        public static IkeService StartInitiator(InitiatorOptions options) => Start(options ?? throw new ArgumentNullException(nameof(options)));

        private static IkeService Start(IkeServiceOptions options)
        {
            var service = new IkeService(options);
            service._host.Start();
            return service;
        }

        public IPEndPoint LocalEndpoint => _host.LocalEndpoint;
        public IPEndPoint? NatEndpoint => _host.NatEndpoint;
        public EngineStatistics Statistics => _host.Statistics;
        /// <summary>The IKEv2 engine's counters; null unless <see cref="IkeServiceOptions.IkeV2"/>.</summary>
        public EngineStatistics? StatisticsV2 => _host.StatisticsV2;
        public UdpHostStatistics HostStatistics => _host.HostStatistics;
        public bool IsRunning => _host.IsRunning;

        /// <summary>SA events, raised on the engine thread (keep handlers short).</summary>
        public event Action<EngineEvent>? EventRaised;

        // ---- tables ----

        public IReadOnlyList<MainModeSa> GetMainModeSas() => _host.MainModeSas.Snapshot();
        public IReadOnlyList<QuickModeSa> GetQuickModeSas() => _host.QuickModeSas.Snapshot();

        /// <summary>Both tables and the counters as plain DTOs (what the control socket's `list` returns).</summary>
        public SaListing List()
        {
            var mm = GetMainModeSas().Select(MainModeSaInfo.From).ToArray();
            var qm = GetQuickModeSas().Select(QuickModeSaInfo.From).ToArray();
            // IKEv2 (issue 7): IKE and child SAs of the IKEv2 engine, KeyModule "IKEv2".
            mm = mm.Concat((_host.IkeV2Sas?.Snapshot() ?? Array.Empty<IkeExtensions.Engine.V2.IkeV2Sa>()).Select(MainModeSaInfo.From)).ToArray();
            qm = qm.Concat((_host.ChildSasV2?.Snapshot() ?? Array.Empty<IkeExtensions.Engine.V2.ChildSaV2>()).Select(QuickModeSaInfo.From)).ToArray();
            return new SaListing
            {
                MainModeSas = mm,
                QuickModeSas = qm,
                Statistics = IkeStatisticsInfo.From(Statistics, HostStatistics, mm.Length, qm.Length, StatisticsV2),
            };
        }

        public bool RemoveMainModeSa(long id) => RemoveMainModeSaAsync(id).GetAwaiter().GetResult();
        public bool RemoveQuickModeSa(long id) => RemoveQuickModeSaAsync(id).GetAwaiter().GetResult();
        public Task<bool> RemoveMainModeSaAsync(long id) => IsV2Id(id) ? _host.InvokeV2Async(e => e.DeleteIkeSa(id)) : _host.DeleteMainModeSaAsync(id);
        /// <summary>
        /// Starts a rekey of an IKEv2 SA (RFC 7296 §1.3.2) or child SA (§1.3.3); false when there is no such established SA or a
        /// rekey of it is under way. IKEv1 SAs are renegotiated when they expire; asking for one is an InvalidOperationException.
        /// </summary>
        public Task<bool> RekeyV2Async(long id, bool child)
        {
            if (!IsV2Id(id)) throw new InvalidOperationException($"SA {id} is not an IKEv2 SA: only IKEv2 IKE and child SAs are rekeyed on request.");
            return _host.InvokeV2Async(e => child ? e.RekeyChildSa(id) : e.RekeyIkeSa(id));
        }

        public Task<bool> RemoveQuickModeSaAsync(long id) => IsV2Id(id) ? _host.InvokeV2Async(e => e.DeleteChildSa(id)) : _host.DeleteQuickModeSaAsync(id);

        // ---- IKEv2 (RFC 7296) ----
        private bool IsV2Id(long id) => _host.EngineV2 != null && id > IkeExtensions.Engine.V2.IkeV2Listing.ServiceIdBase;

        /// <summary>IKEv2 SAs (empty unless <see cref="IkeServiceOptions.IkeV2"/>).</summary>
        public IReadOnlyList<IkeExtensions.Engine.V2.IkeV2Sa> GetIkeV2Sas() => _host.IkeV2Sas?.Snapshot() ?? Array.Empty<IkeExtensions.Engine.V2.IkeV2Sa>();
        public IReadOnlyList<IkeExtensions.Engine.V2.ChildSaV2> GetChildSasV2() => _host.ChildSasV2?.Snapshot() ?? Array.Empty<IkeExtensions.Engine.V2.ChildSaV2>();

        /// <summary>
        /// IKEv2: IKE_SA_INIT + IKE_AUTH (or CREATE_CHILD_SA on an established IKE SA with the peer) and waits for the child
        /// SA. Never throws for a failed negotiation: the result says why.
        /// </summary>
        public async Task<IkeExtensions.Engine.V2.IkeV2NegotiationResult> NegotiateV2Async(InitiateRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var clock = Stopwatch.StartNew();
            var done = new TaskCompletionSource<(IkeExtensions.Engine.V2.ChildSaV2?, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
            IkeExtensions.Engine.V2.IkeV2Sa? ike = null;
            var before = new HashSet<long>();
            // Registered and matched on the engine thread (events are raised there), so no event can slip between the two.
            void Handler(EngineEvent e)
            {
                if (ike == null) return;
                switch (e.Sa)
                {
                    case IkeExtensions.Engine.V2.IkeV2Sa s when s.Id == ike.Id && (e.Kind == EngineEventKind.MainModeFailed || e.Kind == EngineEventKind.MainModeDeleted):
                        done.TrySetResult((null, "IKE SA " + (e.Kind == EngineEventKind.MainModeFailed ? "failed: " : "deleted: ") + e.Reason));
                        break;
                    case IkeExtensions.Engine.V2.ChildSaV2 c when c.IkeSaId == ike.Id && !before.Contains(c.Id) && e.Kind == EngineEventKind.QuickModeEstablished:
                        done.TrySetResult((c, null));
                        break;
                    case IkeExtensions.Engine.V2.ChildSaV2 c when c.IkeSaId == ike.Id && !before.Contains(c.Id) && e.Kind == EngineEventKind.QuickModeFailed:
                        done.TrySetResult((null, "child SA failed: " + e.Reason));
                        break;
                }
            }
            try
            {
                ike = await _host.InvokeV2Async(engine =>
                {
                    foreach (var c in engine.ChildSas.Snapshot()) before.Add(c.Id);
                    EventRaised += Handler;
                    ike = engine.Initiate(request);
                    return ike;
                }).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                EventRaised -= Handler;
                return new IkeExtensions.Engine.V2.IkeV2NegotiationResult(null, null, ex.Message, clock.Elapsed);
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            using (cts.Token.Register(() => done.TrySetResult((null, cancellationToken.IsCancellationRequested ? "cancelled" : $"no child SA within {timeout.TotalSeconds:0.#} s"))))
            {
                var (child, reason) = await done.Task.ConfigureAwait(false);
                EventRaised -= Handler;
                var final = _host.IkeV2Sas?.Find(ike.Id) ?? ike;
                return new IkeExtensions.Engine.V2.IkeV2NegotiationResult(final, child, reason, clock.Elapsed);
            }
        }

        // ---- initiating ----

        /// <summary>An initiate request from this service's IKE endpoint to <paramref name="peer"/>.</summary>
        public InitiateRequest CreateRequest(IPEndPoint peer, EncapsulationModeChoice mode = EncapsulationModeChoice.Transport,
            TrafficSelector? localTrafficSelector = null, TrafficSelector? remoteTrafficSelector = null, bool forceNewMainMode = false) =>
            new InitiateRequest(LocalEndpoint, peer ?? throw new ArgumentNullException(nameof(peer)), mode, localTrafficSelector, remoteTrafficSelector)
            {
                ForceNewMainMode = forceNewMainMode,
            };

        /// <summary>Starts a negotiation and returns the Main Mode SA it runs on, without waiting for it.</summary>
        public MainModeSa Initiate(InitiateRequest request) => InitiateAsync(request).GetAwaiter().GetResult();

        public Task<MainModeSa> InitiateAsync(InitiateRequest request) => _host.InitiateAsync(request);

        /// <summary>
        /// Negotiates Main Mode (unless one is established and not forced) and one Quick Mode, and waits for the Quick
        /// Mode SA. Never throws for a failed negotiation: the result says why (peer's notify, timeout, service stopped).
        /// </summary>
        public async Task<NegotiationResult> NegotiateAsync(InitiateRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var clock = Stopwatch.StartNew();
            Waiter? waiter;
            try
            {
                waiter = await _host.InvokeAsync(engine =>
                {
                    var before = new HashSet<long>(engine.QuickModeSas.Snapshot().Select(q => q.Id));
                    var mm = engine.Initiate(request);
                    // On an established SA the engine starts Quick Mode at once: that new row is ours. A new Main Mode
                    // SA starts its Quick Mode later, and it is the only one on that SA.
                    long? qmId = engine.QuickModeSas.Snapshot().Where(q => q.MainModeSaId == mm.Id && !before.Contains(q.Id))
                        .Select(q => (long?)q.Id).FirstOrDefault();
                    var w = new Waiter(e => MatchNegotiation(e, mm, qmId)) { MainMode = mm };
                    _waiters.Add(w);
                    return w;
                }).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                return new NegotiationResult(null, null, ex.Message, clock.Elapsed);
            }
            var (qm, reason) = await WaitAsync(waiter, timeout, cancellationToken).ConfigureAwait(false);
            return new NegotiationResult(waiter.MainMode, qm, reason, clock.Elapsed);
        }

        private static (bool Done, QuickModeSa? Sa, string? Reason) MatchNegotiation(EngineEvent e, MainModeSa mm, long? qmId)
        {
            switch (e.Kind)
            {
                case EngineEventKind.MainModeFailed when e.Sa == mm:
                    return (true, null, "Main Mode failed: " + e.Reason);
                case EngineEventKind.MainModeDeleted when e.Sa == mm:
                    return (true, null, "Main Mode SA deleted: " + e.Reason);
                case EngineEventKind.QuickModeEstablished when e.Sa is QuickModeSa q && q.MainModeSaId == mm.Id && (qmId == null || q.Id == qmId):
                    return (true, q, null);
                case EngineEventKind.QuickModeFailed when e.Sa is QuickModeSa q && q.MainModeSaId == mm.Id && (qmId == null || q.Id == qmId):
                    return (true, null, "Quick Mode failed: " + e.Reason);
                default:
                    return (false, null, null);
            }
        }

        /// <summary>Waits until an established Quick Mode SA matches <paramref name="predicate"/> (one already there counts).</summary>
        public async Task<QuickModeSa?> WaitForQuickModeAsync(Func<QuickModeSa, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            if (predicate == null) throw new ArgumentNullException(nameof(predicate));
            Waiter waiter;
            try
            {
                waiter = await _host.InvokeAsync(engine =>
                {
                    var w = new Waiter(e => e.Kind == EngineEventKind.QuickModeEstablished && e.Sa is QuickModeSa q && predicate(q)
                        ? (true, q, null) : (false, null, null));
                    var existing = engine.QuickModeSas.Snapshot().FirstOrDefault(q => q.State == QuickModeSaState.Established && predicate(q));
                    if (existing != null) w.Completion.TrySetResult((existing, null));
                    else _waiters.Add(w);
                    return w;
                }).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                return null;
            }
            var (qm, _) = await WaitAsync(waiter, timeout, cancellationToken).ConfigureAwait(false);
            return qm;
        }

        /// <summary>Waits until an established Quick Mode SA exists on Main Mode SA <paramref name="mainModeSaId"/>.</summary>
        public Task<QuickModeSa?> WaitForQuickModeAsync(long mainModeSaId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            WaitForQuickModeAsync(q => q.MainModeSaId == mainModeSaId, timeout, cancellationToken);

        private async Task<(QuickModeSa?, string?)> WaitAsync(Waiter waiter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            using (cts.Token.Register(() => waiter.Completion.TrySetResult((null,
                cancellationToken.IsCancellationRequested ? "cancelled" : $"no Quick Mode SA within {timeout.TotalSeconds:0.#} s"))))
            {
                var result = await waiter.Completion.Task.ConfigureAwait(false);
                if (result.Item1 == null)
                {
                    // Forget the waiter (on the engine thread, where the list lives); a stopped host needs nothing.
                    try { await _host.InvokeAsync(_ => _waiters.Remove(waiter)).ConfigureAwait(false); }
                    catch (InvalidOperationException) { }
                }
                return result;
            }
        }

        // ---- engine-thread callbacks ----

        private void OnEvent(EngineEvent e)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                var w = _waiters[i];
                if (w.Completion.Task.IsCompleted) { _waiters.RemoveAt(i); continue; }
                var (done, sa, reason) = w.Match(e);
                if (!done) continue;
                _waiters.RemoveAt(i);
                w.Completion.TrySetResult((sa, reason));
            }
            EventRaised?.Invoke(e);
        }

        private void OnLog(LogLevel level, string message)
        {
            if (level < _options.LogLevel) return;
            _options.Log?.Invoke(LevelName(level) + ": " + message);
        }

        internal static string LevelName(LogLevel level) => level switch
        {
            LogLevel.Debug => "debug",
            LogLevel.Info => "info",
            LogLevel.Warning => "warning",
            _ => "error",
        };

        // ---- stopping ----

        /// <summary>Deletes every SA (peers are told), stops the engine thread and closes the sockets.</summary>
        public async Task StopAsync()
        {
            await _host.StopAsync().ConfigureAwait(false);
            // The engine thread is gone: nothing else touches the waiter list now.
            foreach (var w in _waiters) w.Completion.TrySetResult((null, "the IKE service stopped"));
            _waiters.Clear();
        }

        public void Dispose() => StopAsync().GetAwaiter().GetResult();

#if NET8_0_OR_GREATER
        public ValueTask DisposeAsync() => new ValueTask(StopAsync());
#endif

        private sealed class Waiter
        {
            public Waiter(Func<EngineEvent, (bool, QuickModeSa?, string?)> match) => Match = match;
            public Func<EngineEvent, (bool Done, QuickModeSa? Sa, string? Reason)> Match { get; }
            public MainModeSa? MainMode { get; set; }
            public TaskCompletionSource<(QuickModeSa?, string?)> Completion { get; } =
                new TaskCompletionSource<(QuickModeSa?, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
