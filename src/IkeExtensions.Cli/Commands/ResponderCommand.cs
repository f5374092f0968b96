using System;
using System.CommandLine;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Management;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex responder --address IP [--port 500] [--nat-port 4500] [--psk-file FILE] [--cert FILE --key FILE --ca FILE]
    /// [--policy FILE] [--control PATH] [--verbose]</c>: answers IKEv1 Main Mode and Quick Mode from any peer that has the
    /// pre-shared key or a certificate chaining to the --ca anchors (RSA signatures), until SIGINT/SIGTERM, then deletes
    /// its SAs (peers are told). One log line per negotiation event on stderr.
    /// </summary>
    internal static class ResponderCommand
    {
        public static Command Create()
        {
            var address = new Option<string>("--address") { Description = "Local IPv4 or IPv6 address to listen on.", Required = true };
            var port = new Option<int>("--port") { Description = "IKE UDP port (0 = ephemeral).", DefaultValueFactory = _ => 500 };
            var natPort = new Option<int>("--nat-port") { Description = "NAT-T UDP port, RFC 3948 framing (0 = ephemeral).", DefaultValueFactory = _ => 4500 };
            var pskFile = new Option<string>("--psk-file") { Description = "File holding the pre-shared key (one line). Needed unless --cert, --key and --ca are given." };
            var cert = new Option<string>("--cert") { Description = "PEM file: our certificate, then any intermediates to send (RSA signatures; with IKEv2 also ECDSA)." };
            var key = new Option<string>("--key") { Description = "PEM file: the certificate's private key, RSA (PKCS#1 or PKCS#8) or, for IKEv2, EC P-256/P-384/P-521 (SEC 1 or PKCS#8); unencrypted." };
            var ca = new Option<string>("--ca") { Description = "PEM file: trust anchors (one or more CA certificates) for peers' certificates." };
            var policy = new Option<string>("--policy") { Description = "JSON policy file (default: the built-in policy: modern suites and Windows' defaults)." };
            var control = new Option<string>("--control") { Description = "Unix domain socket for `ikex sa list --control PATH`." };
            var verbose = new Option<bool>("--verbose") { Description = "Also log debug lines (dropped datagrams and the like)." };
            // IKEv2 (issue 7): which key modules answer; both share the sockets.
            var ikeVersion = new Option<string>("--ike-version") { Description = "IKE versions to answer: 1, 2 (RFC 7296, pre-shared key or RSA/ECDSA certificates) or both.", DefaultValueFactory = _ => "both" };
            ikeVersion.AcceptOnlyFromAmong("1", "2", "both");

            var command = new Command("responder", "Answer IKEv1 negotiations (Main Mode with pre-shared key and/or RSA certificates, Quick Mode ESP transport or tunnel) until stopped.");
            foreach (var o in new Option[] { address, port, natPort, pskFile, cert, key, ca, policy, control, verbose, ikeVersion }) command.Options.Add(o);
            var serverAddresses = new ServerAddressOptions.Responder(); // MS-IKEE 3.11/3.16
            foreach (var o in serverAddresses.All) command.Options.Add(o);
            var fragmentSize = FragmentationCli.FragmentSizeOption();
            command.Options.Add(fragmentSize);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                TextWriter error = TextWriter.Synchronized(parseResult.InvocationConfiguration.Error);
                IkeService service;
                ControlServer? controlServer = null;
                try
                {
                    var options = new ResponderOptions
                    {
                        Address = CliSupport.ParseAddress(parseResult.GetValue(address), "--address"),
                        Port = CliSupport.ParsePort(parseResult.GetValue(port), "--port"),
                        NatPort = CliSupport.ParsePort(parseResult.GetValue(natPort), "--nat-port"),
                        Log = CliSupport.LogTo(error),
                        LogLevel = CliSupport.Level(parseResult.GetValue(verbose), Engine.LogLevel.Info),
                        IkeV1 = parseResult.GetValue(ikeVersion) != "2", // IKEv2 (issue 7)
                        IkeV2 = parseResult.GetValue(ikeVersion) != "1",
                    };
                    var authentication = CliSupport.ReadAuthentication(parseResult.GetValue(pskFile), parseResult.GetValue(cert),
                        parseResult.GetValue(key), parseResult.GetValue(ca));
                    authentication.ApplyTo(options);
                    serverAddresses.Apply(parseResult, options);
                    options.IkeV2FragmentSize = FragmentationCli.ParseFragmentSize(parseResult.GetValue(fragmentSize));
                    options.Policy = CliSupport.LoadPolicy(parseResult.GetValue(policy));
                    if (options.Port != 0 && options.Port == options.NatPort) throw new CliInputException("--port and --nat-port must differ");
                    service = IkeService.StartResponder(options);
                    options.Log("info: authentication: " + authentication.Describe());
                }
                catch (CliInputException e)
                {
                    error.WriteLine("ikex responder: " + e.Message);
                    return ExitCodes.BadInput;
                }
                catch (SocketException e)
                {
                    error.WriteLine($"ikex responder: cannot bind {parseResult.GetValue(address)}: {CliSupport.Describe(e)}");
                    return ExitCodes.BadInput;
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var signals = CliSupport.CancelOnSignals(stop);
                try
                {
                    string? controlPath = parseResult.GetValue(control);
                    if (!string.IsNullOrEmpty(controlPath))
                    {
                        try
                        {
                            controlServer = ControlServer.Start(service, controlPath);
                        }
                        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                        {
                            error.WriteLine("ikex responder: --control: " + CliSupport.FirstLine(e.Message));
                            return ExitCodes.BadInput;
                        }
                    }
                    try { await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                    error.WriteLine("ikex responder: stopping (deleting SAs)");
                    return ExitCodes.Success;
                }
                finally
                {
                    controlServer?.Dispose();
                    await service.StopAsync().ConfigureAwait(false);
                    error.WriteLine($"ikex responder: stopped; {service.Statistics}" + (service.StatisticsV2 is { } v2 ? $"; IKEv2: {v2}" : ""));
                }
            });
            return command;
        }
    }
}
