using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using IkeExtensions.Crypto;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Policy
{
    /// <summary>A policy file that cannot be used; the message names the file, the place in it and the problem.</summary>
    public sealed class PolicyFormatException : FormatException
    {
        public PolicyFormatException(string message) : base(message) { }
    }

    /// <summary>
    /// Reads an IKEv1 policy from JSON:
    /// <code>
    /// {"mainMode":[{"encryption":"aes256","hash":"sha256","group":14,"lifetimeSeconds":28800}],
    ///  "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":0,"lifetimeSeconds":3600,"lifetimeKilobytes":0}],
    ///  "allowTransport":true,"allowTunnel":true,"allowWeak":false}
    /// </code>
    /// Names are case-sensitive; unknown fields are errors. DES, MD5 and DH group 1 are refused unless "allowWeak" is true
    /// (the issue: they are accepted only when a policy names them). Lists keep their order (preference order).
    /// </summary>
    public static class IkeV1PolicyJson
    {
        private static readonly string[] TopFields = { "mainMode", "quickMode", "allowTransport", "allowTunnel", "allowWeak" };
        private static readonly string[] MainModeFields = { "encryption", "hash", "group", "lifetimeSeconds" };
        private static readonly string[] QuickModeFields = { "encryption", "integrity", "pfsGroup", "lifetimeSeconds", "lifetimeKilobytes" };

        private static readonly Dictionary<string, (IkeEncryptionAlgorithm Algorithm, int Bits, bool Weak)> MainModeCiphers = new Dictionary<string, (IkeEncryptionAlgorithm, int, bool)>
        {
            ["aes128"] = (IkeEncryptionAlgorithm.AesCbc, 128, false),
            ["aes192"] = (IkeEncryptionAlgorithm.AesCbc, 192, false),
            ["aes256"] = (IkeEncryptionAlgorithm.AesCbc, 256, false),
            ["3des"] = (IkeEncryptionAlgorithm.TripleDesCbc, 0, false),
            ["des"] = (IkeEncryptionAlgorithm.DesCbc, 0, true),
        };

        private static readonly Dictionary<string, (IkeHashAlgorithm Algorithm, bool Weak)> Hashes = new Dictionary<string, (IkeHashAlgorithm, bool)>
        {
            ["sha1"] = (IkeHashAlgorithm.Sha1, false),
            ["sha256"] = (IkeHashAlgorithm.Sha2_256, false),
            ["sha384"] = (IkeHashAlgorithm.Sha2_384, false),
            ["sha512"] = (IkeHashAlgorithm.Sha2_512, false),
            ["md5"] = (IkeHashAlgorithm.Md5, true),
        };

        private static readonly Dictionary<string, (EspTransformId Algorithm, int Bits, bool Weak)> EspCiphers = new Dictionary<string, (EspTransformId, int, bool)>
        {
            ["aes128"] = (EspTransformId.Aes, 128, false),
            ["aes192"] = (EspTransformId.Aes, 192, false),
            ["aes256"] = (EspTransformId.Aes, 256, false),
            ["3des"] = (EspTransformId.TripleDes, 0, false),
            ["des"] = (EspTransformId.Des, 0, true),
        };

        private static readonly Dictionary<string, (IpsecAuthenticationAlgorithm Algorithm, bool Weak)> Integrities = new Dictionary<string, (IpsecAuthenticationAlgorithm, bool)>
        {
            ["sha1"] = (IpsecAuthenticationAlgorithm.HmacSha1, false),
            ["sha256"] = (IpsecAuthenticationAlgorithm.HmacSha2_256, false),
            ["sha384"] = (IpsecAuthenticationAlgorithm.HmacSha2_384, false),
            ["sha512"] = (IpsecAuthenticationAlgorithm.HmacSha2_512, false),
            ["md5"] = (IpsecAuthenticationAlgorithm.HmacMd5, true),
        };

        /// <summary>Reads and parses a policy file; errors are prefixed with the file's name.</summary>
        public static IkeV1Policy Load(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string name = Path.GetFileName(path);
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new PolicyFormatException($"{name}: cannot read the policy file: {ex.Message}");
            }
            return Parse(text, name);
        }

        /// <summary>Parses policy JSON; <paramref name="source"/> names it in error messages.</summary>
        public static IkeV1Policy Parse(string json, string source = "policy")
        {
            if (json == null) throw new ArgumentNullException(nameof(json));
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                string where = ex.LineNumber is long line ? $"line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: " : "";
                throw new PolicyFormatException($"{source}: {where}not valid JSON");
            }
            using (document)
                return new Reader(source).Policy(document.RootElement);
        }

        private sealed class Reader
        {
            private readonly string _source;
            private bool _allowWeak;

            public Reader(string source) => _source = source;

            private PolicyFormatException Error(string path, string problem) =>
                new PolicyFormatException($"{_source}: {(path.Length == 0 ? "" : path + ": ")}{problem}");

            public IkeV1Policy Policy(JsonElement root)
            {
                if (root.ValueKind != JsonValueKind.Object) throw Error("", $"expected a JSON object, found {Kind(root)}");
                CheckFields(root, "", TopFields);
                _allowWeak = OptionalBool(root, "", "allowWeak", false);
                bool transport = OptionalBool(root, "", "allowTransport", true);
                bool tunnel = OptionalBool(root, "", "allowTunnel", true);
                if (!transport && !tunnel) throw Error("", "allowTransport and allowTunnel are both false: a policy must allow one of them");
                var mainMode = List(root, "mainMode").Select((e, i) => MainMode(e, $"mainMode[{i}]")).ToList();
                var quickMode = List(root, "quickMode").Select((e, i) => QuickMode(e, $"quickMode[{i}]")).ToList();
                if (mainMode.Count > 64) throw Error("mainMode", "at most 64 proposals");
                if (quickMode.Count > 64) throw Error("quickMode", "at most 64 proposals");
                int pfs = quickMode[0].PfsGroup;
                // One KE payload serves a whole Quick Mode offer (RFC 2409 §5.5), so proposals with another PFS group would never be offered.
                for (int i = 1; i < quickMode.Count; i++)
                    if (quickMode[i].PfsGroup != pfs)
                        throw Error($"quickMode[{i}].pfsGroup", $"{quickMode[i].PfsGroup} differs from quickMode[0]'s {pfs}: all Quick Mode proposals share one PFS group");
                return new IkeV1Policy(mainMode, quickMode, transport, tunnel);
            }

            private MainModeProposal MainMode(JsonElement e, string path)
            {
                if (e.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Kind(e)}");
                CheckFields(e, path, MainModeFields);
                var cipher = Lookup(e, path, "encryption", MainModeCiphers, "cipher", c => c.Weak);
                var hash = Lookup(e, path, "hash", Hashes, "hash", h => h.Weak);
                int group = Group(e, path, "group", required: true, allowNone: false);
                int lifetime = OptionalInt(e, path, "lifetimeSeconds", 28800, minimum: 1);
                return new MainModeProposal(cipher.Algorithm, cipher.Bits, hash.Algorithm, group, lifetimeSeconds: lifetime);
            }

            private QuickModeProposal QuickMode(JsonElement e, string path)
            {
                if (e.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Kind(e)}");
                CheckFields(e, path, QuickModeFields);
                var cipher = Lookup(e, path, "encryption", EspCiphers, "cipher", c => c.Weak);
                var integrity = Lookup(e, path, "integrity", Integrities, "integrity algorithm", i => i.Weak);
                int pfs = Group(e, path, "pfsGroup", required: false, allowNone: true);
                int seconds = OptionalInt(e, path, "lifetimeSeconds", 3600, minimum: 1);
                int kilobytes = OptionalInt(e, path, "lifetimeKilobytes", 0, minimum: 0);
                return new QuickModeProposal(cipher.Algorithm, cipher.Bits, integrity.Algorithm, pfs, seconds, kilobytes);
            }

            private IEnumerable<JsonElement> List(JsonElement root, string name)
            {
                if (!root.TryGetProperty(name, out var list)) throw Error("", $"missing \"{name}\" (a list of proposals)");
                if (list.ValueKind != JsonValueKind.Array) throw Error(name, $"expected a list of proposals, found {Kind(list)}");
                if (list.GetArrayLength() == 0) throw Error(name, "the list is empty: at least one proposal is needed");
                return list.EnumerateArray().ToList();
            }

            private T Lookup<T>(JsonElement e, string path, string field, Dictionary<string, T> table, string what, Func<T, bool> isWeak)
            {
                if (!e.TryGetProperty(field, out var v)) throw Error(path, $"missing \"{field}\"");
                if (v.ValueKind != JsonValueKind.String) throw Error($"{path}.{field}", $"expected a string, found {Kind(v)}");
                string name = v.GetString()!;
                if (!table.TryGetValue(name, out var value))
                    throw Error($"{path}.{field}", $"\"{name}\" is not a supported {what} ({string.Join(", ", table.Keys)})");
                if (isWeak(value) && !_allowWeak)
                    throw Error($"{path}.{field}", $"{name} is weak and refused unless the policy sets \"allowWeak\": true");
                return value;
            }

            private int Group(JsonElement e, string path, string field, bool required, bool allowNone)
            {
                if (!e.TryGetProperty(field, out var v))
                {
                    if (required) throw Error(path, $"missing \"{field}\"");
                    return 0;
                }
                int group = Int(v, $"{path}.{field}");
                if (group == 0 && allowNone) return 0;
                var supported = DhGroups.Supported.Concat(_allowWeak ? DhGroups.Weak : Array.Empty<int>()).OrderBy(g => g)
                    .Select(g => g.ToString(CultureInfo.InvariantCulture));
                if (DhGroups.Weak.Contains(group) && !_allowWeak)
                    throw Error($"{path}.{field}", $"{group} is a weak Diffie-Hellman group, refused unless the policy sets \"allowWeak\": true");
                if (!DhGroups.TryGet(group, _allowWeak, out _))
                    throw Error($"{path}.{field}", $"{group} is not a supported Diffie-Hellman group ({(allowNone ? "0 for none, " : "")}{string.Join(", ", supported)})");
                return group;
            }

            private int OptionalInt(JsonElement e, string path, string field, int fallback, int minimum)
            {
                if (!e.TryGetProperty(field, out var v)) return fallback;
                int value = Int(v, $"{path}.{field}");
                if (value < minimum) throw Error($"{path}.{field}", $"{value} is out of range (at least {minimum})");
                return value;
            }

            private int Int(JsonElement v, string path)
            {
                if (v.ValueKind != JsonValueKind.Number) throw Error(path, $"expected a number, found {Kind(v)}");
                if (!v.TryGetInt32(out int value)) throw Error(path, $"{v.GetRawText()} is not a whole number in range");
                return value;
            }

            private bool OptionalBool(JsonElement e, string path, string field, bool fallback)
            {
                if (!e.TryGetProperty(field, out var v)) return fallback;
                if (v.ValueKind == JsonValueKind.True) return true;
                if (v.ValueKind == JsonValueKind.False) return false;
                throw Error(path.Length == 0 ? field : $"{path}.{field}", $"expected true or false, found {Kind(v)}");
            }

            private void CheckFields(JsonElement e, string path, string[] known)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    string where = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                    if (!known.Contains(p.Name, StringComparer.Ordinal))
                        throw Error(where, $"unknown field (known: {string.Join(", ", known)})");
                    if (!seen.Add(p.Name)) throw Error(where, "appears twice");
                }
            }

            private static string Kind(JsonElement e) => e.ValueKind switch
            {
                JsonValueKind.Object => "an object",
                JsonValueKind.Array => "a list",
                JsonValueKind.String => "a string",
                JsonValueKind.Number => "a number",
                JsonValueKind.True or JsonValueKind.False => "true/false",
                JsonValueKind.Null => "null",
                _ => e.ValueKind.ToString(),
            };
        }
    }
}
