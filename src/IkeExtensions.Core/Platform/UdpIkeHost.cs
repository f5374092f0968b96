using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Capture;
using IkeExtensions.Engine;
using IkeExtensions.Tables;

namespace IkeExtensions.Platform
{
    /// <summary>
    /// Runs an <see cref="IkeV1Engine"/> on real UDP sockets: one bound to the IKE port (500 by default) and one to the
    /// NAT-T port (4500 by default, RFC 3948 framing), on one address (IPv4 or IPv6). One receive thread per socket feeds a
    /// bounded queue; a single engine thread takes datagrams and requests from it and runs the engine's timers, so the
    /// engine (not thread-safe) only ever sees that thread. Socket errors and exceptions from callbacks are logged, never
    /// fatal. <see cref="StopAsync"/> (or Dispose) deletes every SA, telling peers, then closes the sockets.
    /// </summary>
    public sealed class UdpIkeHost : IEngineOutput, IDisposable
    {
        /// <summary>Datagrams and requests waiting for the engine thread at most; beyond it datagrams are dropped (counted).</summary>
        public const int QueueCapacity = 8192;

        private readonly IkeV1EngineOptions _options;
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>(), QueueCapacity);
        private readonly Socket _ike;
        private readonly Socket? _nat;
        private readonly object _logGate = new object();
        private readonly TaskCompletionSource<bool> _stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private Thread? _engineThread;
        private Thread? _ikeReceiver;
        private Thread? _natReceiver;
        private int _state; // 0 created, 1 running, 2 stopping/stopped
        private volatile bool _closing;

        /// <param name="options">The engine's options (clock, randomness, policy, PAD).</param>
        /// <param name="address">The local address to bind; its family (IPv4 or IPv6) is the family of both sockets.</param>
        /// <param name="port">IKE port; 0 binds an ephemeral port (see <see cref="LocalEndpoint"/>).</param>
        /// <param name="natPort">NAT-T port; 0 binds an ephemeral port, null binds none.</param>
        public UdpIkeHost(IkeV1EngineOptions options, IPAddress address, int port = IkeDatagramClassifier.IkePort,
            int? natPort = IkeDatagramClassifier.NatTraversalPort)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (address == null) throw new ArgumentNullException(nameof(address));
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), "A UDP port is 0–65535.");
            if (natPort < 0 || natPort > 65535) throw new ArgumentOutOfRangeException(nameof(natPort), "A UDP port is 0–65535.");
            if (natPort != null && natPort != 0 && natPort == port) throw new ArgumentException("The IKE and NAT-T ports must differ.", nameof(natPort));

            Engine = new IkeV1Engine(options, this);
            _ike = Bind(address, port);
            try
            {
                if (natPort != null) _nat = Bind(address, natPort.Value);
            }
            catch
            {
                _ike.Dispose();
                throw;
            }
            LocalEndpoint = (IPEndPoint)_ike.LocalEndPoint!;
            NatEndpoint = (IPEndPoint?)_nat?.LocalEndPoint;
            // The engine floats to the port actually bound (RFC 3947 §4); without a NAT-T socket it does not offer NAT-T.
            if (NatEndpoint != null) options.LocalNatPort = NatEndpoint.Port;
            else options.NatTraversal = false;
        }

        /// <summary>The engine. Call it only through <see cref="InvokeAsync{T}"/>; its tables and statistics are safe to read anywhere.</summary>
        internal IkeV1Engine Engine { get; }

        // ---- IKEv2 (issue 7): an optional second engine on the same sockets; datagrams with major version 2 go to it ----

        /// <summary>The IKEv2 engine, when <see cref="EnableIkeV2"/> was called; call it only through <see cref="InvokeV2Async{T}"/>.</summary>
        internal IkeExtensions.Engine.V2.IkeV2Engine? EngineV2 { get; private set; }

        /// <summary>Serves IKEv2 (RFC 7296) next to IKEv1 on the same sockets. Call before <see cref="Start"/>.</summary>
        public void EnableIkeV2(IkeExtensions.Engine.V2.IkeV2EngineOptions options)
        {
            if (Volatile.Read(ref _state) != 0) throw new InvalidOperationException("Enable IKEv2 before starting the host.");
            if (options == null) throw new ArgumentNullException(nameof(options));
            // NAT-T (RFC 7296 §2.23): float to the NAT-T port actually bound; without a NAT-T socket, no NAT traversal.
            if (NatEndpoint != null) options.LocalNatPort = NatEndpoint.Port;
            else options.NatTraversal = false;
            EngineV2 = new IkeExtensions.Engine.V2.IkeV2Engine(options, this);
        }

        public IkeExtensions.Engine.V2.IkeV2SaDatabase? IkeV2Sas => EngineV2?.IkeSas;
        /// <summary>The IKEv2 engine's counters (thread-safe reads), or null when IKEv2 is off.</summary>
        public EngineStatistics? StatisticsV2 => EngineV2?.Statistics;
        public IkeExtensions.Engine.V2.ChildSaV2Database? ChildSasV2 => EngineV2?.ChildSas;

        /// <summary>Runs <paramref name="work"/> on the engine thread with the IKEv2 engine (which must be enabled).</summary>
        public Task<T> InvokeV2Async<T>(Func<IkeExtensions.Engine.V2.IkeV2Engine, T> work)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            var v2 = EngineV2;
            if (v2 == null) return Task.FromException<T>(new InvalidOperationException("IKEv2 is not enabled on this host."));
            return InvokeAsync(_ => work(v2));
        }

        private static bool IsIkeV2(byte[] datagram) => datagram.Length > 17 && (datagram[17] >> 4) == 2;
        // ---- end IKEv2 ----

        /// <summary>Where the IKE socket is bound (the actual port when 0 was asked for).</summary>
        public IPEndPoint LocalEndpoint { get; }
        /// <summary>Where the NAT-T socket is bound; null when none was asked for.</summary>
        public IPEndPoint? NatEndpoint { get; }
        public MainModeSaDatabase MainModeSas => Engine.MainModeSas;
        public SecurityAssociationDatabase QuickModeSas => Engine.QuickModeSas;
        public EngineStatistics Statistics => Engine.Statistics;
        public UdpHostStatistics HostStatistics { get; } = new UdpHostStatistics();
        public bool IsRunning => Volatile.Read(ref _state) == 1;

        /// <summary>Log lines of the engine and the host (engine lines on the engine thread, socket lines on receive threads; serialised).</summary>
        public event Action<LogLevel, string>? LogLine;
        /// <summary>SA events, raised on the engine thread; handlers must be quick and must not wait for the engine thread.</summary>
        public event Action<EngineEvent>? EventRaised;

        /// <summary>Starts the receive threads and the engine thread.</summary>
        public void Start()
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("The host was already started.");
            _engineThread = new Thread(EngineLoop) { IsBackground = true, Name = "ike-engine " + LocalEndpoint };
            _ikeReceiver = new Thread(() => ReceiveLoop(_ike, onNatSocket: false)) { IsBackground = true, Name = "ike-recv " + LocalEndpoint };
            _engineThread.Start();
            _ikeReceiver.Start();
            if (_nat != null)
            {
                _natReceiver = new Thread(() => ReceiveLoop(_nat, onNatSocket: true)) { IsBackground = true, Name = "ike-recv " + NatEndpoint };
                _natReceiver.Start();
            }
            Log(LogLevel.Info, $"listening on {LocalEndpoint}" + (NatEndpoint == null ? "" : $" and {NatEndpoint} (NAT-T)"));
        }

        /// <summary>Runs <paramref name="work"/> on the engine thread and returns its result.</summary>
        public Task<T> InvokeAsync<T>(Func<IkeV1Engine, T> work)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Run()
            {
                try { tcs.TrySetResult(work(Engine)); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            }
            if (!IsRunning || !TryEnqueue(Run, block: true))
                tcs.TrySetException(new InvalidOperationException("The IKE host is not running."));
            return tcs.Task;
        }

        /// <summary>Starts Main Mode (or Quick Mode on an established Main Mode SA) on the engine thread.</summary>
        public Task<MainModeSa> InitiateAsync(InitiateRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            return InvokeAsync(e => e.Initiate(request));
        }

        /// <summary>Deletes a Main Mode SA and its Quick Mode SAs, telling the peer; false when there is no such SA.</summary>
        public Task<bool> DeleteMainModeSaAsync(long id) => InvokeAsync(e => e.DeleteMainModeSa(id));

        /// <summary>Deletes a Quick Mode SA, telling the peer; false when there is no such SA.</summary>
        public Task<bool> DeleteQuickModeSaAsync(long id) => InvokeAsync(e => e.DeleteQuickModeSa(id));

        /// <summary>Graceful stop: deletes every SA (delete notifications go out), stops the engine thread, closes the sockets.</summary>
        public Task StopAsync()
        {
            int previous = Interlocked.Exchange(ref _state, 2);
            if (previous == 2) return _stopped.Task;
            if (previous == 0)
            {
                CloseSockets();
                _stopped.TrySetResult(true);
                return _stopped.Task;
            }
            // The shutdown item goes in even when the queue is full (Add blocks until the engine thread makes room).
            try { _queue.Add(ShutdownEngine); } catch (InvalidOperationException) { }
            _queue.CompleteAdding();
            return _stopped.Task;
        }

        public void Dispose() => StopAsync().GetAwaiter().GetResult();

        private void ShutdownEngine()
        {
            try { Engine.Shutdown(); }
            catch (Exception ex) { Log(LogLevel.Error, $"shutdown failed: {ex.GetType().Name}: {ex.Message}"); }
            try { EngineV2?.Shutdown(); } // IKEv2 (issue 7)
            catch (Exception ex) { Log(LogLevel.Error, $"IKEv2 shutdown failed: {ex.GetType().Name}: {ex.Message}"); }
        }

        // ---- engine thread ----

        private void EngineLoop()
        {
            bool polledLast = false;
            try
            {
                while (true)
                {
                    int waitMs = Timeout.Infinite;
                    DateTime? next = SafeNextDeadline();
                    if (next.HasValue)
                    {
                        double ms = (next.Value - _options.Clock.UtcNow).TotalMilliseconds;
                        if (ms <= 0 && !polledLast)
                        {
                            SafePoll();
                            polledLast = true;
                            continue;
                        }
                        // After a poll that left a deadline in the past, back off a little instead of spinning.
                        waitMs = ms <= 0 ? 10 : (int)Math.Min(Math.Ceiling(ms), 60_000);
                    }
                    polledLast = false;
                    if (_queue.TryTake(out var item, waitMs))
                    {
                        RunItem(item);
                        // Drain what is already queued before looking at timers again (batches under load).
                        for (int i = 0; i < 256 && _queue.TryTake(out item); i++) RunItem(item);
                    }
                    else if (_queue.IsCompleted)
                    {
                        break;
                    }
                }
            }
            finally
            {
                CloseSockets();
                Log(LogLevel.Info, "stopped");
                _stopped.TrySetResult(true);
            }
        }

        private void RunItem(Action item)
        {
            try { item(); }
            catch (Exception ex) { Log(LogLevel.Error, $"engine work item failed: {ex.GetType().Name}: {ex.Message}"); }
        }

        private DateTime? SafeNextDeadline()
        {
            try
            {
                // IKEv2 (issue 7): the earlier of both engines' deadlines.
                DateTime? v1 = Engine.NextDeadline(), v2 = EngineV2?.NextDeadline();
                return v1 == null ? v2 : v2 == null ? v1 : (v1 < v2 ? v1 : v2);
            }
            catch (Exception ex)
            {
                Log(LogLevel.Error, $"NextDeadline failed: {ex.GetType().Name}");
                return null;
            }
        }

        private void SafePoll()
        {
            try { Engine.Poll(); }
            catch (Exception ex) { Log(LogLevel.Error, $"Poll failed: {ex.GetType().Name} at {ex.TargetSite?.Name}"); }
            try { EngineV2?.Poll(); } // IKEv2 (issue 7)
            catch (Exception ex) { Log(LogLevel.Error, $"IKEv2 Poll failed: {ex.GetType().Name} at {ex.TargetSite?.Name}"); }
        }

        private bool TryEnqueue(Action item, bool block)
        {
            try
            {
                if (block)
                {
                    _queue.Add(item);
                    return true;
                }
                return _queue.TryAdd(item);
            }
            catch (InvalidOperationException) { return false; } // adding completed: the host is stopping
        }

        // ---- receive threads ----

        private void ReceiveLoop(Socket socket, bool onNatSocket)
        {
            var buffer = new byte[65535];
            var local = (IPEndPoint)socket.LocalEndPoint!;
            EndPoint from = new IPEndPoint(local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (!_closing)
            {
                int n;
                try
                {
                    n = socket.ReceiveFrom(buffer, ref from);
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    if (_closing) break;
                    if (ex.SocketErrorCode == SocketError.TimedOut || ex.SocketErrorCode == SocketError.WouldBlock) continue;
                    HostStatistics.SocketError();
                    Log(LogLevel.Warning, $"receive on {local} failed: {ex.SocketErrorCode}");
                    // ICMP errors surface here on some platforms; a persistent error must not spin a core.
                    Thread.Sleep(10);
                    continue;
                }
                var remote = (IPEndPoint)from;
                var classification = UdpFraming.Unwrap(new ReadOnlyMemory<byte>(buffer, 0, n), onNatSocket, local.Port, remote.Port);
                switch (classification.Kind)
                {
                    case IkeDatagramKind.Ike:
                        var copy = classification.Ike.ToArray();
                        var remoteCopy = new IPEndPoint(remote.Address, remote.Port);
                        var v2 = IsIkeV2(copy) ? EngineV2 : null; // IKEv2 (issue 7): major version 2 to the IKEv2 engine when enabled
                        if (!TryEnqueue(v2 != null ? () => v2.Receive(local, remoteCopy, copy) : (Action)(() => Engine.Receive(local, remoteCopy, copy)), block: false))
                        {
                            if (_closing || !IsRunning) break;
                            HostStatistics.QueueFull();
                            Log(LogLevel.Debug, $"datagram from {remote} dropped: engine queue full");
                        }
                        break;
                    case IkeDatagramKind.NatKeepalive:
                        HostStatistics.Keepalive();
                        break;
                    case IkeDatagramKind.Esp:
                        HostStatistics.Esp();
                        Log(LogLevel.Debug, $"ESP datagram from {remote} on {local} dropped: no ESP in this host");
                        break;
                    default:
                        HostStatistics.Invalid();
                        Log(LogLevel.Debug, $"invalid datagram ({n} bytes) from {remote} on {local} dropped");
                        break;
                }
            }
        }

        // ---- IEngineOutput (engine thread) ----

        void IEngineOutput.Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram)
        {
            bool onNat = _nat != null && NatEndpoint != null && local.Port == NatEndpoint.Port && local.Port != LocalEndpoint.Port;
            var socket = onNat ? _nat! : _ike;
            try
            {
                var wire = UdpFraming.Wrap(datagram, onNat, local.Port, remote.Port);
                socket.SendTo(wire.Array!, wire.Offset, wire.Count, SocketFlags.None, remote);
            }
            catch (ObjectDisposedException)
            {
                HostStatistics.SocketError();
            }
            catch (SocketException ex)
            {
                HostStatistics.SocketError();
                Log(LogLevel.Warning, $"send to {remote} failed: {ex.SocketErrorCode}");
            }
        }

        void IEngineOutput.OnEvent(EngineEvent engineEvent)
        {
            var handler = EventRaised;
            if (handler == null) return;
            try { handler(engineEvent); }
            catch (Exception ex) { Log(LogLevel.Error, $"event handler failed: {ex.GetType().Name}: {ex.Message}"); }
        }

        void IEngineOutput.Log(LogLevel level, string message) => Log(level, message);

        private void Log(LogLevel level, string message)
        {
            var handler = LogLine;
            if (handler == null) return;
            lock (_logGate)
            {
                try { handler(level, message); }
                catch (Exception) { /* a broken log sink must not take the host down */ }
            }
        }

        // ---- sockets ----

        private static Socket Bind(IPAddress address, int port)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    // SIO_UDP_CONNRESET off: an ICMP port unreachable must not fail the next ReceiveFrom.
                    const int SioUdpConnReset = -1744830452;
                    socket.IOControl(SioUdpConnReset, new byte[] { 0, 0, 0, 0 }, null);
                }
                socket.ReceiveBufferSize = 1 << 20;
                // Receive threads wake up now and then so a stop never depends on Close interrupting a blocking call.
                socket.ReceiveTimeout = 500;
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private void CloseSockets()
        {
            _closing = true;
            _ike.Dispose();
            _nat?.Dispose();
        }
    }

    /// <summary>What the UDP host itself drops before the engine sees it.</summary>
    public sealed class UdpHostStatistics
    {
        private long _keepalives, _esp, _invalid, _queueFull, _socketErrors;

        public long NatKeepalivesDropped => Interlocked.Read(ref _keepalives);
        public long EspDropped => Interlocked.Read(ref _esp);
        public long InvalidDropped => Interlocked.Read(ref _invalid);
        public long QueueFullDropped => Interlocked.Read(ref _queueFull);
        public long SocketErrors => Interlocked.Read(ref _socketErrors);

        internal void Keepalive() => Interlocked.Increment(ref _keepalives);
        internal void Esp() => Interlocked.Increment(ref _esp);
        internal void Invalid() => Interlocked.Increment(ref _invalid);
        internal void QueueFull() => Interlocked.Increment(ref _queueFull);
        internal void SocketError() => Interlocked.Increment(ref _socketErrors);

        public override string ToString() =>
            $"keepalives {NatKeepalivesDropped}, ESP {EspDropped}, invalid {InvalidDropped}, queue full {QueueFullDropped}, socket errors {SocketErrors}";
    }
}
