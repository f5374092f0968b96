using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IkeExtensions.Management
{
    /// <summary>The JSON shape of management DTOs (control socket, `ikex … --json`): camelCase names, enums as strings.</summary>
    public static class ManagementJson
    {
        /// <summary>One object per line (the control socket's framing).</summary>
        public static JsonSerializerOptions Compact { get; } = Create(indented: false);

        /// <summary>For people (`--json` output).</summary>
        public static JsonSerializerOptions Indented { get; } = Create(indented: true);

        private static JsonSerializerOptions Create(bool indented)
        {
            var options = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                WriteIndented = indented,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            };
            options.Converters.Add(new JsonStringEnumConverter());
            options.MakeReadOnly(populateMissingResolver: true);
            return options;
        }
    }
}
