using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Engine;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

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

        /// <summary>"none" (any case): an optional port switched off.</summary>
        public static bool IsNone(string text) => string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase);

        /// <summary>A port 0-65535 given as text, or "none" (null).</summary>
        public static int? ParseOptionalPort(string text, string option)
        {
            if (IsNone(text)) return null;
            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 65535)
                throw new CliInputException($"{option}: '{text}' is not a UDP port (0-65535) or 'none'");
            return value;
        }

        /// <summary>The pre-shared key: the file's text without its trailing line break. Never echoed.</summary>
        public static PreSharedKey ReadPsk(string? path)
        {
            if (string.IsNullOrEmpty(path)) throw new CliInputException("--psk-file is required");
            string text = ReadText(path, "--psk-file");
            text = text.TrimEnd('\r', '\n');
            if (text.Length == 0) throw new CliInputException($"--psk-file: '{path}' holds an empty pre-shared key");
            return PreSharedKey.FromText(text);
        }

        /// <summary>How this service authenticates: a pre-shared key, our certificate with trust anchors, or both.</summary>
        public sealed record Authentication(PreSharedKey? Psk, CertificateCredential? Certificate, IReadOnlyList<X509Certificate>? TrustAnchors)
        {
            public void ApplyTo(IkeServiceOptions options)
            {
                options.PresharedKey = Psk;
                options.LocalCertificate = Certificate;
                options.TrustAnchors = TrustAnchors;
            }

            /// <summary>One line for the log: methods, our subject and the anchors' subjects (never key material).</summary>
            public string Describe() => string.Join("; ", new[]
            {
                Certificate != null ? $"certificate '{Certificate.Subject}'" + (Certificate.Intermediates.Count > 0 ? $" (+{Certificate.Intermediates.Count} intermediate(s))" : "")
                    + ", trusting " + string.Join(", ", TrustAnchors!.Select(a => $"'{a.SubjectDN}'")) : null,
                Psk != null ? "pre-shared key" : null,
            }.Where(x => x != null));
        }

        /// <summary>
        /// --psk-file and/or --cert, --key and --ca: at least one complete method. Certificates are checked here (files,
        /// PEM contents, the key belongs to the certificate, validity now) so a bad setup fails before any packet.
        /// </summary>
        public static Authentication ReadAuthentication(string? pskFile, string? certFile, string? keyFile, string? caFile)
        {
            bool anyCert = !string.IsNullOrEmpty(certFile) || !string.IsNullOrEmpty(keyFile) || !string.IsNullOrEmpty(caFile);
            if (string.IsNullOrEmpty(pskFile) && !anyCert)
                throw new CliInputException("give --psk-file, or --cert, --key and --ca (or both)");
            var psk = string.IsNullOrEmpty(pskFile) ? null : ReadPsk(pskFile);
            if (!anyCert) return new Authentication(psk, null, null);
            if (string.IsNullOrEmpty(certFile))
                throw new CliInputException(!string.IsNullOrEmpty(keyFile)
                    ? "--key needs --cert (the certificate it belongs to)"
                    : "--ca needs --cert and --key (our own certificate and its private key)");
            if (string.IsNullOrEmpty(keyFile)) throw new CliInputException("--cert needs --key (the certificate's private key)");
            if (string.IsNullOrEmpty(caFile)) throw new CliInputException("--cert needs --ca (trust anchors for the peer's certificate)");

            var certs = ReadCertificates(certFile!, "--cert");
            var key = ReadPrivateKey(keyFile!);
            CertificateCredential credential;
            try
            {
                credential = new CertificateCredential(certs[0], key, certs.Skip(1).ToList());
            }
            catch (ArgumentException e) when (e.Message.Contains("RFC 4754"))
            {
                throw new CliInputException($"--key: the EC key in '{keyFile}' is not on P-256, P-384 or P-521 (RFC 4754)");
            }
            catch (ArgumentException)
            {
                throw new CliInputException($"--key: the private key in '{keyFile}' does not belong to the certificate '{certs[0].SubjectDN}' in '{certFile}'");
            }
            var now = DateTime.UtcNow;
            if (!certs[0].IsValid(now))
                throw new CliInputException($"--cert: certificate '{certs[0].SubjectDN}' is not valid now (valid {certs[0].NotBefore.ToUniversalTime():u} to {certs[0].NotAfter.ToUniversalTime():u})");
            var anchors = ReadCertificates(caFile!, "--ca");
            return new Authentication(psk, credential, anchors);
        }

        private static string ReadText(string path, string option)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (FileNotFoundException) { throw new CliInputException($"{option}: file not found: '{path}'"); }
            catch (DirectoryNotFoundException) { throw new CliInputException($"{option}: file not found: '{path}'"); }
            catch (UnauthorizedAccessException) { throw new CliInputException($"{option}: cannot read '{path}': permission denied"); }
            catch (IOException e) { throw new CliInputException($"{option}: cannot read '{path}': {FirstLine(e.Message)}"); }
        }

        /// <summary>Every PEM certificate in the file, in order; at least one.</summary>
        private static IReadOnlyList<X509Certificate> ReadCertificates(string path, string option)
        {
            string text = ReadText(path, option);
            IReadOnlyList<X509Certificate> certs;
            try
            {
                certs = CertificatePem.ReadCertificates(text);
            }
            catch (Exception) // whatever the PEM/DER parser throws on a damaged file; its message is not shown
            {
                throw new CliInputException($"{option}: '{path}' holds a malformed PEM block");
            }
            if (certs.Count == 0) throw new CliInputException($"{option}: no PEM certificate (BEGIN CERTIFICATE) in '{path}'");
            return certs;
        }

        /// <summary>
        /// The first RSA private key in a PEM file (RSA PRIVATE KEY = PKCS#1, PRIVATE KEY = PKCS#8; other blocks such as
        /// certificates are skipped). Messages name the file and the problem only, never the contents.
        /// </summary>
        private static AsymmetricKeyParameter ReadPrivateKey(string path)
        {
            string text = ReadText(path, "--key");
            if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) || text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
                throw new CliInputException($"--key: the private key in '{path}' is encrypted (give an unencrypted PEM key)");
            bool sawOtherKey = false;
            try
            {
                using var reader = new StringReader(text);
                var pem = new PemReader(reader);
                object? o;
                while ((o = pem.ReadObject()) != null)
                {
                    var key = o switch
                    {
                        AsymmetricCipherKeyPair pair => pair.Private,
                        AsymmetricKeyParameter p when p.IsPrivate => p,
                        _ => null,
                    };
                    if (key is RsaKeyParameters || key is ECPrivateKeyParameters) return key; // EC: IKEv2 only (RFC 4754, RFC 7427)
                    if (key != null) sawOtherKey = true;
                }
            }
            catch (Exception) // a damaged block; the parser's message is not shown (it could quote key bytes)
            {
                throw new CliInputException($"--key: '{path}' holds a malformed PEM block");
            }
            throw new CliInputException(sawOtherKey
                ? $"--key: the private key in '{path}' is neither an RSA nor an EC key"
                : $"--key: no PEM private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY) in '{path}'");
        }

        public static IkeV1Policy LoadPolicy(string? path)
        {
            if (string.IsNullOrEmpty(path)) return IkeV1Policy.Default;
            if (!File.Exists(path)) throw new CliInputException($"--policy: file not found: '{path}'");
            try
            {
                // Either format: the engine's proposal file, or a versioned policy file ('ikex policy new').
                return IkeExtensions.Policy.Json.PolicyFiles.LoadEngineV1Policy(path);
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
                s.KeyModule, // IKEv2 (issue 7): IKEv1 and IKEv2 SAs share the table
            }).ToList();
            WriteTable(output, title, new[] { "Id", "Role", "LocalEndpoint", "RemoteEndpoint", "RemoteFirstId", "State", "Cipher", "Hash", "Group", "Lifetime", "QMs", "Cookies (I:R)", "Weak", "KeyModule" }, rows);
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
