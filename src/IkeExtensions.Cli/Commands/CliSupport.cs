using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using IkeExtensions.Engine;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>Bad command-line input: the message is the one line printed after "ikex &lt;command&gt;: " (exit code 2).</summary>
    internal sealed class CliInputException : Exception
    {
        public CliInputException(string message) : base(message) { }
    }

    /// <summary>What the service commands share: input checks, logging to stderr, signals and SA tables.</summary>
    internal static class CliSupport
    {
        public static IPAddress ParseAddress(string? text, string option)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new CliInputException($"{option} is required");
            if (!IPAddress.TryParse(text, out var address) || (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
                throw new CliInputException($"{option}: '{text}' is not an IPv4 or IPv6 address");
            return address;
        }

        public static int ParsePort(int value, string option, bool allowZero = true)
        {
            if (value < (allowZero ? 0 : 1) || value > 65535) throw new CliInputException($"{option}: {value} is not a UDP port ({(allowZero ? 0 : 1)}-65535)");
            return value;
        }

        /// <summary>The pre-shared key: the file's text without its trailing line break. Never echoed.</summary>
        public static PreSharedKey ReadPsk(string? path)
        {
            if (string.IsNullOrEmpty(path)) throw new CliInputException("--psk-file is required");
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (FileNotFoundException) { throw new CliInputException($"--psk-file: file not found: '{path}'"); }
            catch (DirectoryNotFoundException) { throw new CliInputException($"--psk-file: file not found: '{path}'"); }
            catch (UnauthorizedAccessException) { throw new CliInputException($"--psk-file: cannot read '{path}': permission denied"); }
            catch (IOException e) { throw new CliInputException($"--psk-file: cannot read '{path}': {e.Message}"); }
            text = text.TrimEnd('\r', '\n');
            if (text.Length == 0) throw new CliInputException($"--psk-file: '{path}' holds an empty pre-shared key");
            return PreSharedKey.FromText(text);
        }

        public static IkeV1Policy LoadPolicy(string? path)
        {
            if (string.IsNullOrEmpty(path)) return IkeV1Policy.Default;
            if (!File.Exists(path)) throw new CliInputException($"--policy: file not found: '{path}'");
            try
            {
                return IkeV1PolicyJson.Load(path);
            }
            catch (PolicyFormatException e)
            {
                throw new CliInputException(e.Message);
            }
        }

        /// <summary>"198.51.100.0/24", "2001:db8::/32" or a single address → an address-range traffic selector.</summary>
        public static TrafficSelector ParseCidr(string text, string option)
        {
            string addressPart = text;
            int? prefix = null;
            int slash = text.IndexOf('/');
            if (slash >= 0)
            {
                addressPart = text.Substring(0, slash);
                if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p))
                    throw new CliInputException($"{option}: '{text}' is not CIDR notation (address/prefix)");
                prefix = p;
            }
            if (!IPAddress.TryParse(addressPart, out var address))
                throw new CliInputException($"{option}: '{text}' is not CIDR notation (address/prefix)");
            int bits = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            int length = prefix ?? bits;
            if (length < 0 || length > bits) throw new CliInputException($"{option}: prefix /{length} is out of range (0-{bits})");
            byte[] start = address.GetAddressBytes(), end = address.GetAddressBytes();
            for (int i = 0; i < start.Length * 8; i++)
            {
                if (i < length) continue;
                int mask = 0x80 >> (i % 8);
                start[i / 8] = (byte)(start[i / 8] & ~mask);
                end[i / 8] = (byte)(end[i / 8] | mask);
            }
            return new TrafficSelector(new IPAddress(start), new IPAddress(end));
        }

        /// <summary>A thread-safe log sink writing "HH:mm:ss.fff level: message" lines (engine lines never hold keys).</summary>
        public static Action<string> LogTo(TextWriter error, string? prefix = null)
        {
            var gate = new object();
            return line =>
            {
                lock (gate)
                {
                    error.WriteLine($"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {(prefix == null ? "" : prefix + " ")}{line}");
                    error.Flush();
                }
            };
        }

        /// <summary>Cancels on SIGINT and SIGTERM (and Ctrl+C on Windows) until disposed.</summary>
        public static IDisposable CancelOnSignals(CancellationTokenSource cts)
        {
            var registrations = new List<IDisposable>();
            void Handler(PosixSignalContext context)
            {
                context.Cancel = true; // we stop gracefully ourselves
                try { cts.Cancel(); } catch (ObjectDisposedException) { }
            }
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler));
            return new Disposables(registrations);
        }

        private sealed class Disposables : IDisposable
        {
            private readonly List<IDisposable> _items;
            public Disposables(List<IDisposable> items) => _items = items;
            public void Dispose() { foreach (var d in _items) d.Dispose(); }
        }

        // ---- tables ----

        public static void WriteMainModeTable(TextWriter output, string title, IEnumerable<MainModeSa> sas) =>
            WriteMainModeTable(output, title, sas.Select(MainModeSaInfo.From));

        public static void WriteQuickModeTable(TextWriter output, string title, IEnumerable<QuickModeSa> sas) =>
            WriteQuickModeTable(output, title, sas.Select(QuickModeSaInfo.From));

        public static void WriteMainModeTable(TextWriter output, string title, IEnumerable<MainModeSaInfo> sas)
        {
            var rows = sas.Select(s => new[]
            {
                s.Id.ToString(CultureInfo.InvariantCulture), s.IsInitiator ? "initiator" : "responder", s.LocalEndpoint, s.RemoteEndpoint,
                s.RemoteFirstId ?? "-", s.State, s.CipherAlgorithm ?? "-", s.HashAlgorithm ?? "-", s.GroupId.ToString(CultureInfo.InvariantCulture),
                s.LifetimeSeconds.ToString(CultureInfo.InvariantCulture), s.QuickModeSaCount.ToString(CultureInfo.InvariantCulture),
                s.InitiatorCookie + ":" + s.ResponderCookie, s.IsWeak ? "yes" : "no",
            }).ToList();
            WriteTable(output, title, new[] { "Id", "Role", "LocalEndpoint", "RemoteEndpoint", "RemoteFirstId", "State", "Cipher", "Hash", "Group", "Lifetime", "QMs", "Cookies (I:R)", "Weak" }, rows);
        }

        public static void WriteQuickModeTable(TextWriter output, string title, IEnumerable<QuickModeSaInfo> sas)
        {
            var rows = sas.Select(s => new[]
            {
                s.Id.ToString(CultureInfo.InvariantCulture), s.MainModeSaId.ToString(CultureInfo.InvariantCulture), s.EncapsulationMode, s.State,
                s.InboundSpi, s.OutboundSpi, s.EncryptionAlgorithm ?? "-", s.IntegrityAlgorithm ?? "-", s.PfsGroup.ToString(CultureInfo.InvariantCulture),
                s.LocalTrafficSelector ?? "-", s.RemoteTrafficSelector ?? "-", s.LifetimeSeconds.ToString(CultureInfo.InvariantCulture), s.IsWeak ? "yes" : "no",
            }).ToList();
            WriteTable(output, title, new[] { "Id", "MM", "Mode", "State", "InboundSpi", "OutboundSpi", "Encryption", "Integrity", "PFS", "LocalTrafficSelector", "RemoteTrafficSelector", "Lifetime", "Weak" }, rows);
        }

        private static void WriteTable(TextWriter output, string title, string[] headers, List<string[]> rows)
        {
            output.WriteLine($"{title} ({rows.Count})");
            if (rows.Count == 0)
            {
                output.WriteLine("  (none)");
                return;
            }
            var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
            string Line(string[] cells) => "  " + string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
            output.WriteLine(Line(headers));
            output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray()));
            foreach (var r in rows) output.WriteLine(Line(r));
        }

        public static string FirstLine(string message)
        {
            int nl = message.IndexOfAny(new[] { '\r', '\n' });
            return nl < 0 ? message : message.Substring(0, nl);
        }

        /// <summary>A socket error when binding, as one line ("address already in use", "cannot assign requested address").</summary>
        public static string Describe(SocketException e) => e.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => "address already in use",
            SocketError.AddressNotAvailable => "the address is not on this host",
            SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
            _ => e.SocketErrorCode.ToString(),
        };

        public static LogLevel Level(bool verbose, LogLevel normal) => verbose ? LogLevel.Debug : normal;
    }
}
