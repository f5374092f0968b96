using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using IkeExtensions.Management;
using IkeExtensions.NegotiationDiscovery;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex nd simulate --policy FILE --trace FILE [--json]</c>: runs a packet trace between a host with the policy and
    /// the trace's peer through the negotiation discovery decision engine and two in-memory IKE engines (MS-IKEE 3.7), and
    /// prints what happened to each packet and why, the IKE timeline and the flow tables. Exit code 1 when a packet's
    /// outcome differs from the trace's "expect".
    /// </summary>
    internal static class NdCommand
    {
        public static Command Create()
        {
            var nd = new Command("nd", "Negotiation discovery (MS-IKEE 3.7).");
            var policy = new Option<string>("--policy") { Description = "The host's SPD as JSON (rules with negotiationDiscovery, boundary, guaranteeEncryption).", Required = true };
            var trace = new Option<string>("--trace") { Description = "The trace as JSON: peer, IKE latency and packets.", Required = true };
            var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
            var simulate = new Command("simulate", "Run a packet trace through the decision engine and in-memory IKE engines.");
            simulate.Options.Add(policy);
            simulate.Options.Add(trace);
            simulate.Options.Add(json);
            simulate.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                NdSimulationResult result;
                try
                {
                    var hostPolicy = NdSimulationJson.ReadPolicyFile(parseResult.GetValue(policy)!);
                    var scenario = NdSimulationJson.ReadTraceFile(parseResult.GetValue(trace)!, hostPolicy);
                    result = NegotiationDiscoverySimulator.Run(scenario);
                }
                catch (Exception e) when (e is NdFormatException || e is ArgumentException)
                {
                    error.WriteLine("ikex nd simulate: " + e.Message);
                    return ExitCodes.BadInput;
                }
                if (parseResult.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(result, ManagementJson.Indented));
                else WriteText(output, result);
                foreach (var f in result.ExpectationFailures) error.WriteLine("ikex nd simulate: expectation not met: " + f);
                return result.Passed ? ExitCodes.Success : ExitCodes.Failure;
            });
            nd.Subcommands.Add(simulate);
            return nd;
        }

        private static string T(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

        private static void WriteText(TextWriter o, NdSimulationResult r)
        {
            o.WriteLine($"{r.Name} (peer: {r.PeerKind})");
            if (!string.IsNullOrEmpty(r.Description)) o.WriteLine(r.Description);
            o.WriteLine();
            o.WriteLine("Packets");
            foreach (var p in r.Packets)
            {
                o.WriteLine($"{p.Index,3} {T(p.Time),8}  {p.Direction}  {p.Flow}{(p.Note == null ? "" : "  " + p.Note)}: {p.Outcome}" +
                            (p.ExpectationFailures.Count > 0 ? "  ** EXPECTATION NOT MET" : ""));
                foreach (var d in (p.Direction.StartsWith("peer", StringComparison.Ordinal) ? new[] { p.Peer, p.Host } : new[] { p.Host, p.Peer }).Where(d => d != null))
                    o.WriteLine($"              {d!.Side}: {d.Verdict} [{d.Section}] {d.Explanation}" + (d.Acquire ? $"; Acquire{(d.AcquireFlags == null ? "" : " " + d.AcquireFlags)}" : "") +
                                $"; flow {d.Flow}" + (d.SaId.HasValue ? $"; QM#{d.SaId}" : ""));
                if (p.Later != null) o.WriteLine($"              later: {p.Later}");
            }
            o.WriteLine();
            o.WriteLine("IKE");
            foreach (var line in r.Timeline) o.WriteLine("  " + line);
            o.WriteLine();
            o.WriteLine("Quick mode SAs");
            if (r.QuickModeSas.Count == 0) o.WriteLine("  (none)");
            foreach (var sa in r.QuickModeSas) o.WriteLine("  " + sa);
            WriteFlows(o, "Host flow table (MS-IKEE 3.7.1)", r.HostFlows);
            WriteFlows(o, "Peer flow table", r.PeerFlows);
            o.WriteLine();
            int failures = r.ExpectationFailures.Count();
            o.WriteLine(failures == 0 ? "All expectations met." : $"{failures} expectation(s) not met.");
        }

        private static void WriteFlows(TextWriter o, string title, System.Collections.Generic.IReadOnlyList<NdFlowEntry> flows)
        {
            o.WriteLine();
            o.WriteLine(title);
            if (flows.Count == 0) { o.WriteLine("  (empty)"); return; }
            o.WriteLine($"  {"Flow",-52} {"Secure",-7} {"GuarEnc",-8} {"Acquire",-8} Rule");
            foreach (var f in flows)
            {
                var p = new NdPacket(NdAddress.Parse(f.Local), NdAddress.Parse(f.Remote), f.Protocol, f.LocalPort, f.RemotePort);
                o.WriteLine($"  {p,-52} {f.Secure,-7} {f.GuaranteedEncryption,-8} {f.Acquire,-8} {f.Rule}");
            }
        }
    }
}
