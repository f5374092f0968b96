using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IkeExtensions.Engine;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Tables;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex demo</c>: a responder and an initiator in this process on 127.0.0.1 (ephemeral ports, a random pre-shared
    /// key that exists only in memory) negotiate Main Mode and Quick Mode over real UDP, transport then tunnel
    /// (198.51.100.0/24 ⇔ 203.0.113.0/24), and both sides' SA tables are printed.
    /// </summary>
    internal static class DemoCommand
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

        public static Command Create()
        {
            var verbose = new Option<bool>("--verbose") { Description = "Also log debug lines." };
            var quiet = new Option<bool>("--quiet") { Description = "No negotiation log on stderr." };
            var command = new Command("demo", "Run a responder and an initiator on loopback and show the SAs they negotiate.");
            command.Options.Add(verbose);
            command.Options.Add(quiet);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = TextWriter.Synchronized(parseResult.InvocationConfiguration.Error);
                var level = parseResult.GetValue(verbose) ? LogLevel.Debug : LogLevel.Info;
                bool logging = !parseResult.GetValue(quiet);
                var psk = new PreSharedKey(RandomNumberGenerator.GetBytes(32));

                await using var responder = IkeService.StartResponder(new ResponderOptions
                {
                    Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = psk, LogLevel = level,
                    Log = logging ? CliSupport.LogTo(error, "responder") : null,
                });
                await using var initiator = IkeService.StartInitiator(new InitiatorOptions
                {
                    Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = psk, LogLevel = level,
                    Log = logging ? CliSupport.LogTo(error, "initiator") : null,
                });
                output.WriteLine($"responder {responder.LocalEndpoint} (NAT-T {responder.NatEndpoint}), initiator {initiator.LocalEndpoint}; " +
                                 "pre-shared key: 32 random bytes, in memory only");

                var transport = await initiator.NegotiateAsync(initiator.CreateRequest(responder.LocalEndpoint), Timeout, cancellationToken).ConfigureAwait(false);
                if (!Report(output, error, "transport", transport)) return ExitCodes.Failure;
                var tunnel = await initiator.NegotiateAsync(initiator.CreateRequest(responder.LocalEndpoint, EncapsulationModeChoice.Tunnel,
                    CliSupport.ParseCidr("198.51.100.0/24", "local"), CliSupport.ParseCidr("203.0.113.0/24", "remote")), Timeout, cancellationToken).ConfigureAwait(false);
                if (!Report(output, error, "tunnel", tunnel)) return ExitCodes.Failure;

                // The responder learns of the last Quick Mode when the initiator's third message arrives.
                await responder.WaitForQuickModeAsync(q => q.OutboundSpi == tunnel.QuickModeSa!.InboundSpi, Timeout, cancellationToken).ConfigureAwait(false);

                output.WriteLine();
                CliSupport.WriteMainModeTable(output, "Initiator main mode SAs", initiator.GetMainModeSas());
                output.WriteLine();
                CliSupport.WriteQuickModeTable(output, "Initiator quick mode SAs", initiator.GetQuickModeSas());
                output.WriteLine();
                CliSupport.WriteMainModeTable(output, "Responder main mode SAs", responder.GetMainModeSas());
                output.WriteLine();
                CliSupport.WriteQuickModeTable(output, "Responder quick mode SAs", responder.GetQuickModeSas());

                // Graceful stop: the initiator's deletes empty the responder's tables.
                await initiator.StopAsync().ConfigureAwait(false);
                for (int i = 0; i < 100 && responder.GetMainModeSas().Count > 0; i++) await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                output.WriteLine();
                output.WriteLine($"initiator stopped: responder now holds {responder.GetMainModeSas().Count} main mode and {responder.GetQuickModeSas().Count} quick mode SAs");
                return ExitCodes.Success;
            });
            return command;
        }

        private static bool Report(TextWriter output, TextWriter error, string what, NegotiationResult result)
        {
            if (!result.Succeeded)
            {
                error.WriteLine($"ikex demo: {what} negotiation failed: {result.FailureReason}");
                return false;
            }
            output.WriteLine($"{what}: QM#{result.QuickModeSa!.Id} on MM#{result.MainModeSa!.Id} established in {result.Elapsed.TotalMilliseconds:F1} ms");
            return true;
        }
    }
}
