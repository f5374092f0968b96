using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Json;

namespace IkeExtensions.Management
{
    /// <summary>
    /// <c>ikex policy show --json</c>: the applied policies and every object they own (kind, key, name, owner, layer,
    /// sublayer, provider context, weight, lifetime and the applier's fingerprint tag). The same document is the
    /// "current state" <c>ikex policy apply --dry-run --current FILE</c> plans against (its "objects" array), so a state
    /// read on Windows can be planned against anywhere. Holds no policy contents, hence no secrets.
    /// </summary>
    public static class PolicyStoreJson
    {
        public static string Serialize(IReadOnlyList<AppliedPolicy> policies, IReadOnlyList<WfpStoredObject> objects) =>
            ToJson(policies, objects).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        public static JsonObject ToJson(IReadOnlyList<AppliedPolicy> policies, IReadOnlyList<WfpStoredObject> objects) => new JsonObject
        {
            ["policies"] = new JsonArray(policies.Select(p => (JsonNode?)new JsonObject
            {
                ["name"] = p.Name,
                ["providerKey"] = p.ProviderKey.ToString("D"),
                ["persistent"] = p.Persistent,
                ["objects"] = p.ObjectCount,
                ["sublayers"] = p.Sublayers,
                ["providerContexts"] = p.ProviderContexts,
                ["filters"] = p.Filters,
                ["filtersByLayer"] = new JsonObject(p.FiltersByLayer.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))),
            }).ToArray()),
            ["objects"] = new JsonArray(objects.Select(o => (JsonNode?)new JsonObject
            {
                ["kind"] = KindName(o.Kind),
                ["key"] = o.Key.ToString("D"),
                ["name"] = o.Name,
                ["providerKey"] = o.ProviderKey?.ToString("D"),
                ["layerKey"] = o.LayerKey.ToString("D"),
                ["subLayerKey"] = o.SublayerKey.ToString("D"),
                ["providerContextKey"] = o.ProviderContextKey?.ToString("D"),
                ["weight"] = o.Weight,
                ["persistent"] = o.Persistent,
                ["tag"] = IkeExtensions.Wire.HexFormat.ToHex(o.Tag),
            }).ToArray()),
        };

        /// <summary>The "objects" of a state document; problems are <see cref="PolicyFormatException"/>s prefixed with <paramref name="source"/>.</summary>
        public static IReadOnlyList<WfpStoredObject> ParseObjects(string json, string source)
        {
            using var document = PolicyFiles.ParseDocument(json, source);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
                throw new PolicyFormatException($"{source}: not a policy file (no schemaVersion) nor a state (no \"objects\" array, as 'ikex policy show --json' writes)");
            var list = new List<WfpStoredObject>();
            int i = 0;
            foreach (var o in objects.EnumerateArray())
            {
                string at = $"{source}: objects[{i++}]";
                if (o.ValueKind != JsonValueKind.Object) throw new PolicyFormatException($"{at}: an object is expected");
                var kind = Kind(at, Text(o, "kind", at));
                list.Add(new WfpStoredObject(kind, Key(o, "key", at) ?? throw new PolicyFormatException($"{at}.key is required"), Text(o, "name", at),
                    Key(o, "providerKey", at), Key(o, "layerKey", at) ?? Guid.Empty, Key(o, "subLayerKey", at) ?? Guid.Empty, Key(o, "providerContextKey", at),
                    Weight(o, at), Bool(o, "persistent", at), Tag(o, at)));
            }
            return list;
        }

        private static string KindName(WfpDescriptionKind k) => k switch
        {
            WfpDescriptionKind.Provider => "provider",
            WfpDescriptionKind.Sublayer => "sublayer",
            WfpDescriptionKind.ProviderContext => "providerContext",
            _ => "filter",
        };

        private static WfpDescriptionKind Kind(string at, string text) => text switch
        {
            "provider" => WfpDescriptionKind.Provider,
            "sublayer" => WfpDescriptionKind.Sublayer,
            "providerContext" => WfpDescriptionKind.ProviderContext,
            "filter" => WfpDescriptionKind.Filter,
            _ => throw new PolicyFormatException($"{at}.kind: '{text}' is not provider, sublayer, providerContext or filter"),
        };

        private static string Text(JsonElement o, string name, string at) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new PolicyFormatException($"{at}.{name}: a string is required");

        private static Guid? Key(JsonElement o, string name, string at)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String || !Guid.TryParse(v.GetString(), out var g)) throw new PolicyFormatException($"{at}.{name}: not a GUID");
            return g;
        }

        private static ushort Weight(JsonElement o, string at)
        {
            if (!o.TryGetProperty("weight", out var v)) return 0;
            return v.ValueKind == JsonValueKind.Number && v.TryGetUInt16(out var w) ? w : throw new PolicyFormatException($"{at}.weight: 0-65535 expected");
        }

        private static bool Bool(JsonElement o, string name, string at)
        {
            if (!o.TryGetProperty(name, out var v)) return true;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new PolicyFormatException($"{at}.{name}: true or false expected"),
            };
        }

        private static byte[] Tag(JsonElement o, string at)
        {
            if (!o.TryGetProperty("tag", out var v) || v.ValueKind == JsonValueKind.Null) return Array.Empty<byte>();
            try
            {
                return v.ValueKind == JsonValueKind.String ? IkeExtensions.Wire.HexFormat.Parse(v.GetString()!) : throw new FormatException();
            }
            catch (FormatException)
            {
                throw new PolicyFormatException($"{at}.tag: hexadecimal bytes expected");
            }
        }
    }
}
