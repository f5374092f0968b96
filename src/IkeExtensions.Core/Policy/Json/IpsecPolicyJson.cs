using System;
using System.IO;
using System.Text.Json;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Json
{
    /// <summary>
    /// The versioned policy file (schemaVersion 1) for SYSVOL, GPO startup scripts and DSC: the whole <see cref="IpsecPolicy"/>
    /// with NetSecurity's names (AES256, SHA256, DH14, ...). Pre-shared keys are never written in clear unless
    /// <see cref="PolicyJsonWriteOptions.IncludeSecrets"/>: they are protected (when a protector is given) or left out.
    /// Files without "schemaVersion" are the engine's older format (<see cref="IkeV1PolicyJson"/>); see <see cref="PolicyFiles"/>.
    /// </summary>
    public static class IpsecPolicyJson
    {
        public const int SchemaVersion = 1;

        public static string Serialize(IpsecPolicy policy, PolicyJsonWriteOptions? options = null)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            options ??= new PolicyJsonWriteOptions();
            return IpsecPolicyJsonWriter.ToText(IpsecPolicyJsonWriter.Write(policy, options), options.Indented);
        }

        /// <summary>Parses and validates; format problems throw <see cref="PolicyFormatException"/>, rule violations <see cref="PolicyValidationException"/>.</summary>
        public static IpsecPolicy Parse(string json, string source = "policy", PolicyJsonReadOptions? options = null)
        {
            if (json == null) throw new ArgumentNullException(nameof(json));
            using var document = PolicyFiles.ParseDocument(json, source);
            return new IpsecPolicyJsonReader(source, options ?? new PolicyJsonReadOptions()).Policy(document.RootElement).EnsureValid();
        }

        public static IpsecPolicy Load(string path, PolicyJsonReadOptions? options = null) =>
            Parse(PolicyFiles.ReadText(path), Path.GetFileName(path), options);

        public static void Save(IpsecPolicy policy, string path, PolicyJsonWriteOptions? options = null) =>
            File.WriteAllText(path, Serialize(policy, options) + Environment.NewLine);
    }

    /// <summary>Tells the two policy file formats apart by "schemaVersion" and loads either for the engine.</summary>
    public static class PolicyFiles
    {
        /// <summary>True when the JSON is a versioned policy file (its root object has "schemaVersion").</summary>
        public static bool IsVersionedPolicy(string json, string source = "policy")
        {
            using var document = ParseDocument(json, source);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("schemaVersion", out _);
        }

        /// <summary>
        /// The engine's IKEv1 policy from either format (what <c>ikex responder --policy</c> can call): a versioned file goes
        /// through <see cref="IpsecPolicyEngineAdapter.ToEngineV1Policy"/>, an older one through <see cref="IkeV1PolicyJson"/>.
        /// All problems are <see cref="PolicyFormatException"/>s prefixed with the file name.
        /// </summary>
        public static IkeV1Policy LoadEngineV1Policy(string path)
        {
            string name = Path.GetFileName(path);
            string text = ReadText(path);
            if (!IsVersionedPolicy(text, name)) return IkeV1PolicyJson.Parse(text, name);
            try
            {
                return IpsecPolicyJson.Parse(text, name).ToEngineV1Policy();
            }
            catch (Exception e) when (e is PolicyValidationException || e is PolicyConversionException)
            {
                throw new PolicyFormatException(e.Message.StartsWith(name + ":", StringComparison.Ordinal) ? e.Message : $"{name}: {e.Message}");
            }
        }

        internal static string ReadText(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new PolicyFormatException($"{Path.GetFileName(path)}: cannot read the policy file: {ex.Message}");
            }
        }

        internal static JsonDocument ParseDocument(string json, string source)
        {
            try
            {
                return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                string where = ex.LineNumber is long line ? $"line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: " : "";
                throw new PolicyFormatException($"{source}: {where}not valid JSON");
            }
        }
    }
}
