using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using IkeExtensions.Management;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex sa list|delete|rekey --control PATH</c>: the SA tables of a running responder, deleting one SA (the peer is
    /// told) or rekeying an IKEv2 SA, over the responder's control socket.
    /// </summary>
    internal static class SaCommand
    {
        public static Command Create()
        {
            var sa = new Command("sa", "Security associations of a running responder (over its --control socket).");
            sa.Subcommands.Add(CreateList());
            sa.Subcommands.Add(CreateAction("delete", "Delete one SA, telling the peer: an IKE (main mode) SA with its children, or with --child one IPsec SA.",
                (client, id, child, ct) => child ? client.DeleteQuickModeSaAsync(id, ct) : client.DeleteMainModeSaAsync(id, ct),
                r => r.Deleted == true, "deleting", "no such SA (or its delete is already under way)"));
            sa.Subcommands.Add(CreateAction("rekey", "Rekey an IKEv2 SA (RFC 7296 §1.3.2), or with --child an IKEv2 child SA (§1.3.3); the new SA shows up in 'sa list'.",
                (client, id, child, ct) => client.RekeyAsync(id, child, ct),
                r => r.Rekeying == true, "rekeying", "no such established SA (or a rekey of it is already under way)"));
            return sa;
        }

        /// <summary>A subcommand that sends one request about one SA id and reports whether it was taken (exit 0) or not (exit 1).</summary>
        private static Command CreateAction(string name, string description,
            Func<ControlClient, long, bool, System.Threading.CancellationToken, System.Threading.Tasks.Task<ControlResponse>> send,
            Func<ControlResponse, bool> taken, string doing, string notTaken)
        {
            var control = new Option<string>("--control") { Description = "The responder's control socket (ikex responder --control PATH).", Required = true };
            var id = new Option<long>("--id") { Description = "The SA's Id, as 'ikex sa list' shows it.", Required = true };
            var child = new Option<bool>("--child") { Description = "The Id is an IPsec (quick mode / child) SA's." };
            var command = new Command(name, description);
            command.Options.Add(control);
            command.Options.Add(id);
            command.Options.Add(child);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                long which = parseResult.GetValue(id);
                bool isChild = parseResult.GetValue(child);
                ControlResponse response;
                try
                {
                    using var client = ControlClient.Connect(parseResult.GetValue(control) ?? "");
                    response = await send(client, which, isChild, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    error.WriteLine($"ikex sa {name}: " + CliSupport.FirstLine(e.Message));
                    return ExitCodes.BadInput;
                }
                string what = (isChild ? "child SA " : "SA ") + which.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (response.Error != null)
                {
                    error.WriteLine($"ikex sa {name}: {what}: {response.Error}");
                    return ExitCodes.Failure;
                }
                if (!taken(response))
                {
                    error.WriteLine($"ikex sa {name}: {what}: {notTaken}");
                    return ExitCodes.Failure;
                }
                output.WriteLine($"{what}: {doing}");
                return ExitCodes.Success;
            });
            return command;
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
