#if NET8_0_OR_GREATER
using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace IkeExtensions.Management
{
    /// <summary>Talks to a <see cref="ControlServer"/> (`ikex sa list --control PATH`). Failures are <see cref="IOException"/>s naming the problem.</summary>
    public sealed class ControlClient : IDisposable
    {
        private readonly Socket _socket;
        private readonly StreamReader _reader;
        private readonly StreamWriter _writer;

        private ControlClient(Socket socket)
        {
            _socket = socket;
            var stream = new NetworkStream(socket, ownsSocket: true);
            _reader = new StreamReader(stream, new UTF8Encoding(false));
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        }

        public static ControlClient Connect(string path)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A control socket path is required.", nameof(path));
            if (!File.Exists(path)) throw new IOException($"control socket {path} does not exist (is `ikex responder --control {path}` running?)");
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new IOException($"cannot connect to control socket {path}: {ex.SocketErrorCode}", ex);
            }
            return new ControlClient(socket);
        }

        public Task<ControlResponse> ListAsync(CancellationToken cancellationToken = default) =>
            SendAsync(new ControlRequest { Command = "list" }, cancellationToken);

        public Task<ControlResponse> DeleteMainModeSaAsync(long id, CancellationToken cancellationToken = default) =>
            SendAsync(new ControlRequest { Command = "delete-mm", Id = id }, cancellationToken);

        public Task<ControlResponse> DeleteQuickModeSaAsync(long id, CancellationToken cancellationToken = default) =>
            SendAsync(new ControlRequest { Command = "delete-qm", Id = id }, cancellationToken);

        public Task<ControlResponse> RekeyAsync(long id, bool child, CancellationToken cancellationToken = default) =>
            SendAsync(new ControlRequest { Command = child ? "rekey-child" : "rekey-ike", Id = id }, cancellationToken);

        public async Task<ControlResponse> SendAsync(ControlRequest request, CancellationToken cancellationToken = default)
        {
            try
            {
                await _writer.WriteLineAsync(JsonSerializer.Serialize(request, ManagementJson.Compact).AsMemory(), cancellationToken).ConfigureAwait(false);
                string? line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line == null) throw new IOException("the control socket closed without an answer");
                return JsonSerializer.Deserialize<ControlResponse>(line, ManagementJson.Compact) ?? throw new IOException("empty answer on the control socket");
            }
            catch (JsonException)
            {
                throw new IOException("the control socket answered something that is not a control response");
            }
            catch (SocketException ex)
            {
                throw new IOException($"control socket error: {ex.SocketErrorCode}", ex);
            }
        }

        public void Dispose()
        {
            _writer.Dispose();
            _reader.Dispose();
            _socket.Dispose();
        }
    }
}
#endif
