using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using IkeExtensions.Management;

namespace IkeExtensions.Cli.Commands
{
    /// <summary><c>ikex decode &lt;hex-or-file&gt; [--json]</c>: dissects IKE messages from hex, a hex text file or a pcap/pcapng capture.</summary>
    internal static class DecodeCommand
    {
        public static Command Create()
        {
            var input = new Argument<string>("hex-or-pcap-file")
            {
                Description = "An IKE message as hex, a text file holding hex, or a pcap/pcapng capture (ports 500 and 4500).",
            };
            var json = new Option<bool>("--json") { Description = "Print a JSON array of summaries instead of the dissection." };

            var command = new Command("decode", "Decode IKE messages and print a dissection of every payload.");
            command.Arguments.Add(input);
            command.Options.Add(json);
            command.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                IReadOnlyList<DecodedIkeMessage> messages;
                try
                {
                    messages = IkeMessageInspector.DecodeInput(parseResult.GetValue(input) ?? "");
                }
                catch (ArgumentException e)
                {
                    error.WriteLine("ikex decode: " + FirstLine(e));
                    return ExitCodes.BadInput;
                }

                if (parseResult.GetValue(json)) WriteJson(output, messages);
                else WriteText(output, error, messages);
                return messages.Any(m => !m.IsDecoded) ? ExitCodes.DecodeFailure : ExitCodes.Success;
            });
            return command;
        }

        private static void WriteText(TextWriter output, TextWriter error, IReadOnlyList<DecodedIkeMessage> messages)
        {
            if (messages.Count == 0)
            {
                error.WriteLine("ikex decode: no IKE messages found (UDP ports 500/4500).");
                return;
            }
            for (int i = 0; i < messages.Count; i++)
            {
                if (i > 0) output.WriteLine();
                foreach (string line in messages[i].Render()) output.WriteLine(line);
            }
        }

        private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static void WriteJson(TextWriter output, IReadOnlyList<DecodedIkeMessage> messages)
        {
            var rows = messages.Select(m => new JsonRow
            {
                Frame = m.FrameNumber,
                Source = m.Source?.ToString(),
                Destination = m.Destination?.ToString(),
                Length = m.Length,
                Version = m.MajorVersion,
                Exchange = m.ExchangeType,
                Ispi = m.InitiatorSpi?.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                Rspi = m.ResponderSpi?.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                MessageId = m.MessageId,
                Payloads = m.Payloads,
                VendorIds = m.VendorIds,
                Error = m.Error,
                RuleViolation = m.RuleViolation,
            }).ToList();
            output.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
        }

        private static string FirstLine(ArgumentException e)
        {
            // ArgumentException appends " (Parameter 'x')"; the administrator needs only the problem.
            string message = e.ParamName != null ? e.Message.Replace($" (Parameter '{e.ParamName}')", "") : e.Message;
            int nl = message.IndexOfAny(new[] { '\r', '\n' });
            return nl < 0 ? message : message.Substring(0, nl);
        }

        private sealed class JsonRow
        {
            [System.Text.Json.Serialization.JsonPropertyName("frame")] public int? Frame { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("source")] public string? Source { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("destination")] public string? Destination { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("length")] public int Length { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("version")] public int? Version { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("exchange")] public string? Exchange { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("ispi")] public string? Ispi { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("rspi")] public string? Rspi { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("messageId")] public uint? MessageId { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("payloads")] public string Payloads { get; set; } = "";
            [System.Text.Json.Serialization.JsonPropertyName("vendorIds")] public IReadOnlyList<string> VendorIds { get; set; } = Array.Empty<string>();
            [System.Text.Json.Serialization.JsonPropertyName("error")] public string? Error { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("ruleViolation")] public string? RuleViolation { get; set; }
        }
    }
}
