using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using IkeExtensions.Management;

namespace IkeExtensions.Cli.Commands
{
    /// <summary><c>ikex sa list --control PATH [--json]</c>: the SA tables of a running responder, over its control socket.</summary>
    internal static class SaCommand
    {
        public static Command Create()
        {
            var sa = new Command("sa", "Security associations of a running responder (over its --control socket).");
            sa.Subcommands.Add(CreateList());
            return sa;
        }

        private static Command CreateList()
        {
            var control = new Option<string>("--control") { Description = "The responder's control socket (ikex responder --control PATH).", Required = true };
            var json = new Option<bool>("--json") { Description = "Print the listing as JSON." };
            var command = new Command("list", "List main mode and quick mode SAs and the counters.");
            command.Options.Add(control);
            command.Options.Add(json);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                string path = parseResult.GetValue(control) ?? "";
                ControlResponse response;
                try
                {
                    using var client = ControlClient.Connect(path);
                    response = await client.ListAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    error.WriteLine("ikex sa list: " + CliSupport.FirstLine(e.Message));
                    return ExitCodes.BadInput;
                }
                if (response.Error != null)
                {
                    error.WriteLine("ikex sa list: " + response.Error);
                    return ExitCodes.Failure;
                }
                if (parseResult.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(new SaListing
                    {
                        MainModeSas = response.MainModeSas ?? Array.Empty<MainModeSaInfo>(),
                        QuickModeSas = response.QuickModeSas ?? Array.Empty<QuickModeSaInfo>(),
                        Statistics = response.Statistics ?? new IkeStatisticsInfo(),
                    }, ManagementJson.Indented));
                    return ExitCodes.Success;
                }
                CliSupport.WriteMainModeTable(output, "Main mode SAs", response.MainModeSas ?? Array.Empty<MainModeSaInfo>());
                output.WriteLine();
                CliSupport.WriteQuickModeTable(output, "Quick mode SAs", response.QuickModeSas ?? Array.Empty<QuickModeSaInfo>());
                if (response.Statistics is IkeStatisticsInfo s)
                {
                    output.WriteLine();
                    output.WriteLine($"statistics: received {s.DatagramsReceived}, sent {s.DatagramsSent}, retransmitted {s.Retransmissions}, " +
                                     $"malformed {s.MalformedDropped}, dropped {s.OtherDropped}, MM ok {s.MainModeEstablished} failed {s.MainModeFailed}, " +
                                     $"QM ok {s.QuickModeEstablished} failed {s.QuickModeFailed}, IKEv2 SA ok {s.IkeV2SaEstablished} failed {s.IkeV2SaFailed}, " +
                                     $"child SA ok {s.ChildSaEstablished} failed {s.ChildSaFailed}");
                }
                return ExitCodes.Success;
            });
            return command;
        }
    }
}
