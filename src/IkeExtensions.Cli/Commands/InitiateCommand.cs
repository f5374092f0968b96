using System;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Engine;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex initiate --address IP --peer IP (--psk-file FILE | --cert FILE --key FILE --ca FILE) [--nat-port N|none] [--peer-nat-port N] [--no-nat-t] [...]</c>: negotiates Main Mode and Quick Mode with a peer and
    /// prints the SAs (exit 0), or the reason it failed (stderr, exit 1). With <c>--count N --concurrency C</c> it is a load
    /// generator: N whole handshakes (fresh Main Mode each), at most C in flight, ending with
    /// <c>handshakes: N ok, M failed, R per second</c>.
    /// </summary>
    internal static class InitiateCommand
    {
        public static Command Create()
        {
            var address = new Option<string>("--address") { Description = "Local IPv4 or IPv6 address.", Required = true };
            var port = new Option<int>("--port") { Description = "Local IKE UDP port (0 = ephemeral; strongSwan expects 500).", DefaultValueFactory = _ => 500 };
            var peer = new Option<string>("--peer") { Description = "The responder's address.", Required = true };
            var peerPort = new Option<int>("--peer-port") { Description = "The responder's IKE port.", DefaultValueFactory = _ => 500 };
            var natPort = new Option<string>("--nat-port") { Description = "Local NAT-T UDP port, RFC 3948 framing (0 = ephemeral, none = no NAT traversal; default: 4500 when --port is 500, else ephemeral)." };
            var peerNatPort = new Option<int>("--peer-nat-port") { Description = "The responder's NAT-T port, where Main Mode moves when a NAT is detected (RFC 3947 §4).", DefaultValueFactory = _ => 4500 };
            var noNatT = new Option<bool>("--no-nat-t") { Description = "Disable NAT traversal (no NAT-T socket, no NAT-T vendor IDs); same as --nat-port none." };
            var pskFile = new Option<string>("--psk-file") { Description = "File holding the pre-shared key (one line). Needed unless --cert, --key and --ca are given." };
            var cert = new Option<string>("--cert") { Description = "PEM file: our certificate, then any intermediates to send (RSA signatures; with IKEv2 also ECDSA)." };
            var key = new Option<string>("--key") { Description = "PEM file: the certificate's private key, RSA (PKCS#1 or PKCS#8) or, for IKEv2, EC P-256/P-384/P-521 (SEC 1 or PKCS#8); unencrypted." };
            var ca = new Option<string>("--ca") { Description = "PEM file: trust anchors (one or more CA certificates) for the peer's certificate." };
            var mode = new Option<string>("--mode") { Description = "ESP encapsulation mode.", DefaultValueFactory = _ => "transport" };
            mode.AcceptOnlyFromAmong("transport", "tunnel");
            var localTs = new Option<string>("--local-ts") { Description = "Local traffic selector (CIDR), e.g. 198.51.100.0/24; required for tunnel mode." };
            var remoteTs = new Option<string>("--remote-ts") { Description = "Remote traffic selector (CIDR), e.g. 203.0.113.0/24; required for tunnel mode." };
            var policy = new Option<string>("--policy") { Description = "JSON policy file (default: the built-in policy)." };
            var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each negotiation.", DefaultValueFactory = _ => 30 };
            var count = new Option<int>("--count") { Description = "Load generator: run this many handshakes (each a fresh IKE SA with its first IPsec SA: Main Mode + Quick Mode, or IKE_SA_INIT + IKE_AUTH)." };
            var concurrency = new Option<int>("--concurrency") { Description = "Load generator: handshakes in flight at most.", DefaultValueFactory = _ => 1 };
            var json = new Option<bool>("--json") { Description = "Print the SAs as JSON." };
            var hold = new Option<double>("--hold") { Description = "After a successful negotiation (with --json also one where only the Quick Mode or child SA failed), keep the SAs (and NAT-T keep-alives) for this many seconds before deleting them and exiting." };
            var verbose = new Option<bool>("--verbose") { Description = "Log every negotiation event on stderr (default: warnings and errors)." };
            // IKEv2 (issue 7)
            var ikeVersion = new Option<string>("--ike-version") { Description = "IKE version: 1 (Main Mode + Quick Mode) or 2 (IKE_SA_INIT + IKE_AUTH, RFC 7296, pre-shared key or RSA/ECDSA certificates).", DefaultValueFactory = _ => "1" };
            ikeVersion.AcceptOnlyFromAmong("1", "2");

            var command = new Command("initiate", "Negotiate IKEv1 Main Mode + Quick Mode with a peer and print the SAs.");
            var encap = new Option<bool>("--encap") { Description = "IKEv2: use the NAT-T port and UDP-encapsulated ESP even without a NAT (strongSwan's encap = yes, RFC 7296 §2.23)." };
            command.Options.Add(encap);
            foreach (var o in new Option[] { address, port, natPort, peer, peerPort, peerNatPort, noNatT, pskFile, cert, key, ca, mode, localTs, remoteTs, policy, timeout, count, concurrency, json, hold, verbose, ikeVersion })
                command.Options.Add(o);
            var serverAddresses = new ServerAddressOptions.Initiator(); // MS-IKEE 3.11/3.16
            foreach (var o in serverAddresses.All) command.Options.Add(o);
            var fragmentSize = FragmentationCli.FragmentSizeOption();
            command.Options.Add(fragmentSize);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = TextWriter.Synchronized(parseResult.InvocationConfiguration.Error);
                Settings? settings = null;
                IkeService service;
                try
                {
                    settings = Validate(parseResult, address, port, natPort, noNatT, peer, peerPort, peerNatPort, pskFile, cert, key, ca, mode, localTs, remoteTs, policy, timeout, count, concurrency, hold);
                    bool v2 = parseResult.GetValue(ikeVersion) == "2"; // IKEv2 (issue 7)
                    if (!v2 && settings.Authentication.Certificate?.IsEcdsa == true)
                        throw new CliInputException("--key: an EC key needs --ike-version 2 (IKEv1 Main Mode signs with RSA only)");
                    if (!v2 && parseResult.GetValue(encap)) throw new CliInputException("--encap needs --ike-version 2 (IKEv1 floats only when a NAT is detected)");
                    var options = new InitiatorOptions
                    {
                        Address = settings.Local,
                        Port = settings.Port,
                        NatPort = settings.NatPort,
                        Policy = settings.Policy,
                        Log = CliSupport.LogTo(error),
                        LogLevel = parseResult.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning,
                        IkeV2 = parseResult.GetValue(ikeVersion) == "2", // IKEv2 (issue 7)
                        ForceUdpEncapsulation = parseResult.GetValue(encap), // IKEv2 NAT-T
                    };
                    settings.Authentication.ApplyTo(options);
                    serverAddresses.Apply(parseResult, options);
                    options.IkeV2FragmentSize = FragmentationCli.ParseFragmentSize(parseResult.GetValue(fragmentSize));
                    service = IkeService.StartInitiator(options);
                    if (parseResult.GetValue(verbose)) options.Log("debug: authentication: " + settings.Authentication.Describe());
                }
                catch (CliInputException e)
                {
                    error.WriteLine("ikex initiate: " + e.Message);
                    return ExitCodes.BadInput;
                }
                catch (SocketException e)
                {
                    string ports = parseResult.GetValue(port).ToString(CultureInfo.InvariantCulture);
                    if (settings != null && settings.NatPort != null) ports += " or NAT-T port " + settings.NatPort.Value.ToString(CultureInfo.InvariantCulture);
                    error.WriteLine($"ikex initiate: cannot bind {parseResult.GetValue(address)}:{ports}: {CliSupport.Describe(e)}");
                    return ExitCodes.BadInput;
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var signals = CliSupport.CancelOnSignals(stop);
                await using (service.ConfigureAwait(false))
                {
                    bool ikeV2 = parseResult.GetValue(ikeVersion) == "2"; // IKEv2 (issue 7)
                    if (settings.Count > 0) return await LoadAsync(service, settings, ikeV2, output, error, stop.Token).ConfigureAwait(false);
                    return ikeV2
                        ? await OnceV2Async(service, settings, parseResult.GetValue(json), output, error, stop.Token).ConfigureAwait(false)
                        : await OnceAsync(service, settings, parseResult.GetValue(json), output, error, stop.Token).ConfigureAwait(false);
                }
            });
            return command;
        }

        private sealed record Settings(IPAddress Local, int Port, int? NatPort, int PeerNatPort, IPEndPoint Peer, CliSupport.Authentication Authentication, IkeV1Policy Policy, EncapsulationModeChoice Mode,
            TrafficSelector? LocalTs, TrafficSelector? RemoteTs, TimeSpan Timeout, int Count, int Concurrency, TimeSpan Hold);

        private static Settings Validate(ParseResult r, Option<string> address, Option<int> port, Option<string> natPort, Option<bool> noNatT,
            Option<string> peer, Option<int> peerPort, Option<int> peerNatPort,
            Option<string> pskFile, Option<string> cert, Option<string> key, Option<string> ca, Option<string> mode, Option<string> localTs, Option<string> remoteTs, Option<string> policy,
            Option<double> timeout, Option<int> count, Option<int> concurrency, Option<double> hold)
        {
            var local = CliSupport.ParseAddress(r.GetValue(address), "--address");
            var peerAddress = CliSupport.ParseAddress(r.GetValue(peer), "--peer");
            if (local.AddressFamily != peerAddress.AddressFamily) throw new CliInputException("--address and --peer must both be IPv4 or both IPv6");
            var choice = r.GetValue(mode) == "tunnel" ? EncapsulationModeChoice.Tunnel : EncapsulationModeChoice.Transport;
            string? lts = r.GetValue(localTs), rts = r.GetValue(remoteTs);
            if ((lts == null) != (rts == null)) throw new CliInputException("give both --local-ts and --remote-ts, or neither");
            if (choice == EncapsulationModeChoice.Tunnel && lts == null) throw new CliInputException("--mode tunnel needs --local-ts and --remote-ts");
            var localSelector = lts == null ? null : CliSupport.ParseCidr(lts, "--local-ts");
            var remoteSelector = rts == null ? null : CliSupport.ParseCidr(rts, "--remote-ts");
            if (localSelector != null && localSelector.Start.AddressFamily != remoteSelector!.Start.AddressFamily)
                throw new CliInputException("--local-ts and --remote-ts must be of the same address family");
            double seconds = r.GetValue(timeout);
            if (!(seconds > 0) || seconds > 3600) throw new CliInputException($"--timeout: {seconds.ToString(CultureInfo.InvariantCulture)} is out of range (more than 0, at most 3600 seconds)");
            int n = r.GetValue(count);
            if (n < 0) throw new CliInputException($"--count: {n} is negative");
            double holdSeconds = r.GetValue(hold);
            if (!(holdSeconds >= 0) || holdSeconds > 86400) throw new CliInputException($"--hold: {holdSeconds.ToString(CultureInfo.InvariantCulture)} is out of range (0-86400 seconds)");
            if (holdSeconds > 0 && n > 0) throw new CliInputException("--hold applies to a single negotiation, not to --count");
            int c = r.GetValue(concurrency);
            if (c < 1 || c > 10000) throw new CliInputException($"--concurrency: {c} is out of range (1-10000)");
            int localPort = CliSupport.ParsePort(r.GetValue(port), "--port");
            int remotePort = CliSupport.ParsePort(r.GetValue(peerPort), "--peer-port", allowZero: false);
            // NAT traversal needs a second socket (MS-IKEE 3.2, RFC 3948): 4500 beside IKE on 500, ephemeral otherwise.
            string? natText = r.GetValue(natPort);
            bool disabled = r.GetValue(noNatT);
            if (disabled && natText != null && !CliSupport.IsNone(natText))
                throw new CliInputException("--no-nat-t and --nat-port " + natText + " contradict each other");
            int? localNatPort = disabled ? null
                : natText == null ? (localPort == 500 ? 4500 : 0)
                : CliSupport.ParseOptionalPort(natText, "--nat-port");
            if (localNatPort != null && localNatPort != 0 && localNatPort == localPort) throw new CliInputException("--port and --nat-port must differ");
            int remoteNatPort = CliSupport.ParsePort(r.GetValue(peerNatPort), "--peer-nat-port", allowZero: false);
            var authentication = CliSupport.ReadAuthentication(r.GetValue(pskFile), r.GetValue(cert), r.GetValue(key), r.GetValue(ca));
            var p = CliSupport.LoadPolicy(r.GetValue(policy));
            return new Settings(local, localPort, localNatPort, remoteNatPort, new IPEndPoint(peerAddress, remotePort), authentication, p, choice, localSelector, remoteSelector,
                TimeSpan.FromSeconds(seconds), n, c, TimeSpan.FromSeconds(holdSeconds));
        }

        private static InitiateRequest Request(IkeService service, Settings s, bool forceNewMainMode)
        {
            var request = service.CreateRequest(s.Peer, s.Mode, s.LocalTs, s.RemoteTs, forceNewMainMode);
            request.PeerNatPort = s.PeerNatPort;
            return request;
        }

        private static async Task<int> OnceAsync(IkeService service, Settings s, bool json, TextWriter output, TextWriter error, CancellationToken ct)
        {
            var result = await service.NegotiateAsync(Request(service, s, forceNewMainMode: false), s.Timeout, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                error.WriteLine($"ikex initiate: negotiation with {s.Peer} failed: {result.FailureReason}");
                // Main Mode can be up while Quick Mode failed (e.g. the peer could not install its SAs): show it, still exit 1.
                if (json && result.MainModeSa?.EstablishedAt != null)
                    return await PrintPartialAndHoldAsync(s, output, MainModeSaInfo.From(result.MainModeSa), ct).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            return await PrintAndHoldAsync(s, json, output, MainModeSaInfo.From(result.MainModeSa!), "Main mode SA",
                QuickModeSaInfo.From(result.QuickModeSa!), "Quick mode SA", result.Elapsed, ct).ConfigureAwait(false);
        }

        // Both versions print the same rows (the IKE SA in the main-mode table, the child in the quick-mode one) and
        // keep the SAs up for --hold (keep-alives go out when we are behind a NAT) until it ends or a signal comes.
        private static async Task<int> PrintAndHoldAsync(Settings s, bool json, TextWriter output, MainModeSaInfo ike, string ikeTitle,
            QuickModeSaInfo child, string childTitle, TimeSpan elapsed, CancellationToken ct)
        {
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new { mainModeSa = ike, quickModeSa = child, elapsedMilliseconds = Math.Round(elapsed.TotalMilliseconds, 1) },
                    ManagementJson.Indented));
            }
            else
            {
                CliSupport.WriteMainModeTable(output, ikeTitle, new[] { ike });
                output.WriteLine();
                CliSupport.WriteQuickModeTable(output, childTitle, new[] { child });
                output.WriteLine();
                output.WriteLine($"negotiated in {elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms");
            }
            if (s.Hold > TimeSpan.Zero)
            {
                output.Flush();
                try { await Task.Delay(s.Hold, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            return ExitCodes.Success;
        }

        // The IKE SA is established but its first child/Quick Mode SA is not: print the IKE SA (JSON), keep it for --hold
        // so the peer's view can be read meanwhile, and exit 1 all the same.
        private static async Task<int> PrintPartialAndHoldAsync(Settings s, TextWriter output, MainModeSaInfo ike, CancellationToken ct)
        {
            output.WriteLine(JsonSerializer.Serialize(new { mainModeSa = ike, quickModeSa = (object?)null }, ManagementJson.Indented));
            if (s.Hold > TimeSpan.Zero)
            {
                output.Flush();
                try { await Task.Delay(s.Hold, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            return ExitCodes.Failure;
        }

        private static async Task<int> OnceV2Async(IkeService service, Settings s, bool json, TextWriter output, TextWriter error, CancellationToken ct)
        {
            var result = await service.NegotiateV2Async(Request(service, s, forceNewMainMode: false), s.Timeout, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                error.WriteLine($"ikex initiate: IKEv2 negotiation with {s.Peer} failed: {result.FailureReason}");
                // The IKE SA can be up while the child was refused (RFC 7296 §1.2): show it, still exit 1.
                if (json && result.IkeSa?.EstablishedAt != null)
                    return await PrintPartialAndHoldAsync(s, output, MainModeSaInfo.From(result.IkeSa), ct).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            return await PrintAndHoldAsync(s, json, output, MainModeSaInfo.From(result.IkeSa!), "IKE SA",
                QuickModeSaInfo.From(result.ChildSa!), "Child SA", result.Elapsed, ct).ConfigureAwait(false);
        }

        /// <summary>The load generator: --count handshakes, --concurrency at a time, each on a fresh IKE SA (Main Mode + Quick
        /// Mode, or IKE_SA_INIT + IKE_AUTH with its child for IKEv2).</summary>
        private static async Task<int> LoadAsync(IkeService service, Settings s, bool v2, TextWriter output, TextWriter error, CancellationToken ct)
        {
            async Task<(bool Succeeded, string? FailureReason)> NegotiateOnceAsync(InitiateRequest request)
            {
                if (!v2)
                {
                    var r1 = await service.NegotiateAsync(request, s.Timeout, ct).ConfigureAwait(false);
                    return (r1.Succeeded, r1.FailureReason);
                }
                var r2 = await service.NegotiateV2Async(request, s.Timeout, ct).ConfigureAwait(false);
                return (r2.Succeeded, r2.FailureReason);
            }

            int ok = 0, failed = 0;
            var reasons = new ConcurrentDictionary<string, int>();
            using var slots = new SemaphoreSlim(s.Concurrency);
            var clock = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, s.Count).Select(async _ =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var (succeeded, reason) = await NegotiateOnceAsync(Request(service, s, forceNewMainMode: true)).ConfigureAwait(false);
                    if (succeeded) Interlocked.Increment(ref ok);
                    else
                    {
                        Interlocked.Increment(ref failed);
                        reasons.AddOrUpdate(reason ?? "unknown", 1, (_, n) => n + 1);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Interrupted: report what finished.
            }
            clock.Stop();
            int notRun = s.Count - ok - failed;
            if (notRun > 0) reasons.AddOrUpdate("not run (interrupted)", notRun, (_, n) => n + notRun);
            failed += notRun;
            foreach (var (reason, n) in reasons.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value)))
                error.WriteLine($"ikex initiate: {n} failed: {reason}");
            double perSecond = clock.Elapsed.TotalSeconds > 0 ? ok / clock.Elapsed.TotalSeconds : 0;
            output.WriteLine($"handshakes: {ok} ok, {failed} failed, {perSecond.ToString("F1", CultureInfo.InvariantCulture)} per second");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
    }
}
