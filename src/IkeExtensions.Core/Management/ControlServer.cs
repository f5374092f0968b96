#if NET8_0_OR_GREATER
// The control socket exists on net8.0 only: Unix domain sockets (UnixDomainSocketEndPoint) are not in netstandard2.0, and Windows PowerShell 5.1 talks to the engine in-process through IkeService anyway.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace IkeExtensions.Management
{
    /// <summary>A request on the control socket: one JSON object per line.</summary>
    public sealed class ControlRequest
    {
        /// <summary>"list", "delete-mm", "delete-qm", "rekey-ike" or "rekey-child".</summary>
        public string Command { get; set; } = "";
        /// <summary>The SA Id for the delete and rekey commands.</summary>
        public long? Id { get; set; }
    }

    /// <summary>The answer: <see cref="Error"/> when the request failed, otherwise the listing or the delete outcome.</summary>
    public sealed class ControlResponse
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<MainModeSaInfo>? MainModeSas { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<QuickModeSaInfo>? QuickModeSas { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IkeStatisticsInfo? Statistics { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Deleted { get; set; }
        /// <summary>A rekey was started (RFC 7296 §1.3.2 / §1.3.3); false when there is no such SA or one is already under way.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Rekeying { get; set; }
    }

    /// <summary>
    /// Serves <see cref="IkeService"/> on a Unix domain socket (`ikex responder --control PATH`), newline-delimited JSON:
    /// <c>{"command":"list"}</c> → <c>{"mainModeSas":[…],"quickModeSas":[…],"statistics":{…}}</c>;
    /// <c>{"command":"delete-mm","id":3}</c> / <c>{"command":"delete-qm","id":4}</c> → <c>{"deleted":true}</c>; errors →
    /// <c>{"error":"…"}</c>. The socket file is created owner-only (0600) because it can delete SAs; a stale file from a
    /// crashed run is replaced, a live one is an error. No key material is ever serialised (the DTOs have none).
    /// </summary>
    public sealed class ControlServer : IDisposable
    {
        private const int MaxLineLength = 4096;
        private readonly IkeService _service;
        private readonly Socket _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _acceptLoop;

        private ControlServer(IkeService service, string path, Socket listener)
        {
            _service = service;
            Path = path;
            _listener = listener;
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        public string Path { get; }

        /// <summary>Binds <paramref name="path"/> and starts serving; <see cref="IOException"/> when it is in use or cannot be created.</summary>
        public static ControlServer Start(IkeService service, string path)
        {
            if (service == null) throw new ArgumentNullException(nameof(service));
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A control socket path is required.", nameof(path));
            if (File.Exists(path))
            {
                if (IsLive(path)) throw new IOException($"control socket {path} is in use by a running responder");
                File.Delete(path);
            }
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(path));
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                listener.Listen(16);
            }
            catch (SocketException ex)
            {
                listener.Dispose();
                throw new IOException($"cannot create control socket {path}: {ex.SocketErrorCode}", ex);
            }
            return new ControlServer(service, path, listener);
        }

        private static bool IsLive(string path)
        {
            try
            {
                using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                probe.Connect(new UnixDomainSocketEndPoint(path));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(10).ConfigureAwait(false);
                    continue;
                }
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(Socket client)
        {
            using (client)
            using (var stream = new NetworkStream(client, ownsSocket: false))
            using (var reader = new StreamReader(stream, new UTF8Encoding(false), false, MaxLineLength))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true })
            {
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        string? line = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                        if (line == null) break;
                        if (line.Trim().Length == 0) continue;
                        var response = line.Length > MaxLineLength ? new ControlResponse { Error = "request too long" } : await HandleAsync(line).ConfigureAwait(false);
                        await writer.WriteLineAsync(JsonSerializer.Serialize(response, ManagementJson.Compact)).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
                {
                    // The client went away or the server is stopping.
                }
            }
        }

        /// <summary>Answers one request line (public for tests and other transports).</summary>
        public async Task<ControlResponse> HandleAsync(string line)
        {
            ControlRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<ControlRequest>(line, ManagementJson.Compact);
            }
            catch (JsonException)
            {
                return new ControlResponse { Error = "request is not a JSON object like {\"command\":\"list\"}" };
            }
            if (request == null) return new ControlResponse { Error = "empty request" };
            try
            {
                switch (request.Command)
                {
                    case "list":
                        var listing = _service.List();
                        return new ControlResponse { MainModeSas = listing.MainModeSas, QuickModeSas = listing.QuickModeSas, Statistics = listing.Statistics };
                    case "delete-mm":
                        if (request.Id == null) return new ControlResponse { Error = "delete-mm needs an \"id\"" };
                        return new ControlResponse { Deleted = await _service.RemoveMainModeSaAsync(request.Id.Value).ConfigureAwait(false) };
                    case "delete-qm":
                        if (request.Id == null) return new ControlResponse { Error = "delete-qm needs an \"id\"" };
                        return new ControlResponse { Deleted = await _service.RemoveQuickModeSaAsync(request.Id.Value).ConfigureAwait(false) };
                    case "rekey-ike":
                    case "rekey-child":
                        if (request.Id == null) return new ControlResponse { Error = request.Command + " needs an \"id\"" };
                        return new ControlResponse { Rekeying = await _service.RekeyV2Async(request.Id.Value, child: request.Command == "rekey-child").ConfigureAwait(false) };
                    default:
                        return new ControlResponse { Error = $"unknown command \"{request.Command}\" (list, delete-mm, delete-qm, rekey-ike, rekey-child)" };
                }
            }
            catch (InvalidOperationException ex)
            {
                return new ControlResponse { Error = ex.Message };
            }
        }

        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _listener.Dispose();
            try { _acceptLoop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
            try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _stop.Dispose();
        }
    }
}
#endif
