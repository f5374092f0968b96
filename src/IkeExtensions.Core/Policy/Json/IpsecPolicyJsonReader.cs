using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tables;

namespace IkeExtensions.Policy.Json
{
    /// <summary>Reads schemaVersion 1 strictly: unknown fields, wrong types and unknown names are errors naming the path.</summary>
    internal sealed class IpsecPolicyJsonReader
    {
        private static readonly string[] TopFields = { "schemaVersion", "name", "description", "kind", "inboundSecurity", "outboundSecurity", "addressFamily",
            "exemptIcmp", "guaranteeEncryption", "keyingModules", "mainModeCryptoSet", "quickModeCryptoSet", "phase1AuthSet", "phase2AuthSet", "traffic",
            "ndAllowClearTimeoutSeconds", "saIdleTimeoutSeconds", "saIdleTimeoutFailOverSeconds" };
        private static readonly string[] MmSetFields = { "name", "lifetimeSeconds", "maxQuickModeSas", "proposals" };
        private static readonly string[] MmFields = { "encryption", "hash", "keyExchange" };
        private static readonly string[] QmSetFields = { "name", "pfsGroup", "proposals" };
        private static readonly string[] QmFields = { "encapsulation", "encryption", "espHash", "ahHash", "lifetimeSeconds", "lifetimeKilobytes" };
        private static readonly string[] AuthSetFields = { "name", "proposals" };
        private static readonly string[] TrafficFields = { "localAddresses", "remoteAddresses", "protocol", "localPorts", "remotePorts" };

        private readonly string _source;
        private readonly PolicyJsonReadOptions _options;

        public IpsecPolicyJsonReader(string source, PolicyJsonReadOptions options)
        {
            _source = source;
            _options = options;
        }

        private PolicyFormatException Error(string path, string problem) => new PolicyFormatException($"{_source}: {(path.Length == 0 ? "" : path + ": ")}{problem}");

        public IpsecPolicy Policy(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("", "expected a JSON object");
            Fields(root, "", TopFields);
            int version = Int(Required(root, "", "schemaVersion"), "schemaVersion");
            if (version != IpsecPolicyJson.SchemaVersion)
                throw Error("schemaVersion", $"{version} is not supported (this version reads schemaVersion {IpsecPolicyJson.SchemaVersion})");
            string kindText = String(Required(root, "", "kind"), "kind");
            if (!PolicyEnumText.TryParseKind(kindText, out var kind)) throw Error("kind", $"\"{kindText}\" is not a policy kind (transport, nd, nd-boundary)");
            var policy = new IpsecPolicy(String(Required(root, "", "name"), "name"), kind, MainModeSet(Required(root, "", "mainModeCryptoSet")),
                QuickModeSet(Required(root, "", "quickModeCryptoSet")), AuthSet(Required(root, "", "phase1AuthSet"), "phase1AuthSet"));
            if (root.TryGetProperty("description", out var d)) policy.Description = String(d, "description");
            if (root.TryGetProperty("addressFamily", out var f))
                policy.AddressFamilies = PolicyEnumText.TryParseFamily(String(f, "addressFamily"), out var fam) ? fam : throw Error("addressFamily", "expected ipv4, ipv6 or both");
            policy.ExemptIcmp = Bool(root, "exemptIcmp", false);
            policy.GuaranteeEncryption = Bool(root, "guaranteeEncryption", false);
            if (root.TryGetProperty("keyingModules", out var km))
                policy.KeyingModules = Array(km, "keyingModules").Select((e, i) => Enum<KeyingModule>(e, $"keyingModules[{i}]")).ToList();
            if (root.TryGetProperty("phase2AuthSet", out var p2)) policy.Phase2Auth = AuthSet(p2, "phase2AuthSet");
            if (root.TryGetProperty("traffic", out var t)) policy.Traffic = Traffic(t);
            if (root.TryGetProperty("ndAllowClearTimeoutSeconds", out var nd)) policy.NdAllowClearTimeoutSeconds = Int(nd, "ndAllowClearTimeoutSeconds");
            if (root.TryGetProperty("saIdleTimeoutSeconds", out var idle)) policy.SaIdleTimeoutSeconds = Int(idle, "saIdleTimeoutSeconds");
            if (root.TryGetProperty("saIdleTimeoutFailOverSeconds", out var fo)) policy.SaIdleTimeoutFailOverSeconds = Int(fo, "saIdleTimeoutFailOverSeconds");
            // inboundSecurity/outboundSecurity are written for readers (NetSecurity terms); they must agree with the kind.
            foreach (var (field, expected) in new[] { ("inboundSecurity", policy.InboundSecurity), ("outboundSecurity", policy.OutboundSecurity) })
                if (root.TryGetProperty(field, out var s) && Enum<SecurityRequirement>(s, field) != expected)
                    throw Error(field, $"{s.GetString()} contradicts kind {kind.KindName()} (which means {expected})");
            return policy;
        }

        private MainModeCryptoSet MainModeSet(JsonElement e)
        {
            const string path = "mainModeCryptoSet";
            Object(e, path, MmSetFields);
            var proposals = Array(Required(e, path, "proposals"), path + ".proposals").Select((p, i) =>
            {
                string at = $"{path}.proposals[{i}]";
                Object(p, at, MmFields);
                return new MainModeCryptoProposal(Enum<Encryption>(Required(p, at, "encryption"), at + ".encryption"),
                    Enum<Hash>(Required(p, at, "hash"), at + ".hash"), Enum<DhGroup>(Required(p, at, "keyExchange"), at + ".keyExchange"));
            }).ToList();
            return new MainModeCryptoSet(OptionalString(e, path, "name"), proposals,
                OptionalInt(e, path, "lifetimeSeconds", MainModeCryptoSet.DefaultLifetimeSeconds), OptionalInt(e, path, "maxQuickModeSas", 0));
        }

        private QuickModeCryptoSet QuickModeSet(JsonElement e)
        {
            const string path = "quickModeCryptoSet";
            Object(e, path, QmSetFields);
            var proposals = Array(Required(e, path, "proposals"), path + ".proposals").Select((p, i) =>
            {
                string at = $"{path}.proposals[{i}]";
                Object(p, at, QmFields);
                string enc = p.TryGetProperty("encapsulation", out var en) ? String(en, at + ".encapsulation") : "ESP";
                var encapsulation = enc.Split(',').Select(x => x.Trim()).Aggregate(Encapsulation.None, (acc, x) =>
                    acc | (string.Equals(x, "AH", StringComparison.OrdinalIgnoreCase) ? Encapsulation.AH
                        : string.Equals(x, "ESP", StringComparison.OrdinalIgnoreCase) ? Encapsulation.ESP
                        : string.Equals(x, "None", StringComparison.OrdinalIgnoreCase) ? Encapsulation.None
                        : throw Error(at + ".encapsulation", $"\"{enc}\" is not None, AH, ESP or \"AH,ESP\"")));
                Hash Optional(string field) => p.TryGetProperty(field, out var h) ? Enum<Hash>(h, $"{at}.{field}") : Hash.None;
                var encryption = p.TryGetProperty("encryption", out var c) ? Enum<Encryption>(c, at + ".encryption") : Encryption.None;
                return new QuickModeCryptoProposal(encapsulation, encryption, Optional("espHash"), Optional("ahHash"),
                    OptionalInt(p, at, "lifetimeSeconds", QuickModeCryptoProposal.DefaultLifetimeSeconds),
                    OptionalInt(p, at, "lifetimeKilobytes", QuickModeCryptoProposal.DefaultLifetimeKilobytes));
            }).ToList();
            var pfs = e.TryGetProperty("pfsGroup", out var g) ? Enum<DhGroup>(g, path + ".pfsGroup") : DhGroup.None;
            return new QuickModeCryptoSet(OptionalString(e, path, "name"), proposals, pfs);
        }

        private AuthSet AuthSet(JsonElement e, string path)
        {
            Object(e, path, AuthSetFields);
            var proposals = Array(Required(e, path, "proposals"), path + ".proposals").Select((p, i) => Auth(p, $"{path}.proposals[{i}]")).ToList();
            return new AuthSet(OptionalString(e, path, "name"), proposals);
        }

        private AuthProposal Auth(JsonElement p, string at)
        {
            if (p.ValueKind != JsonValueKind.Object) throw Error(at, "expected an object");
            string method = String(Required(p, at, "method"), at + ".method");
            switch (method.ToLowerInvariant())
            {
                case "presharedkey":
                    Fields(p, at, new[] { "method", "presharedKey" });
                    return p.TryGetProperty("presharedKey", out var k) ? PresharedKey(k, at + ".presharedKey") : new PreSharedKeyAuthProposal(null);
                case "certificate":
                    Fields(p, at, new[] { "method", "authority", "authorityType", "thumbprint", "signing" });
                    return new CertificateAuthProposal(NullableString(p, at, "authority"),
                        p.TryGetProperty("authorityType", out var t) ? Enum<CertificateAuthorityType>(t, at + ".authorityType") : CertificateAuthorityType.Root,
                        NullableString(p, at, "thumbprint"),
                        p.TryGetProperty("signing", out var s) ? Enum<CertificateSigning>(s, at + ".signing") : CertificateSigning.RSA);
                case "cga":
                    Fields(p, at, new[] { "method" });
                    return new CgaAuthProposal();
                case "kerberos":
                    Fields(p, at, new[] { "method", "principal", "proxy" });
                    return new KerberosAuthProposal(p.TryGetProperty("principal", out var pr) ? Enum<KerberosPrincipal>(pr, at + ".principal") : KerberosPrincipal.Machine,
                        NullableString(p, at, "proxy"));
                default:
                    throw Error(at + ".method", $"\"{method}\" is not an authentication method (PreSharedKey, Certificate, Cga, Kerberos)");
            }
        }

        private PreSharedKeyAuthProposal PresharedKey(JsonElement k, string at)
        {
            if (k.ValueKind != JsonValueKind.Object) throw Error(at, "expected {\"clear\": \"...\"}, {\"clearHex\": \"...\"} or {\"protected\": \"...\", \"scheme\": \"...\"}");
            Fields(k, at, new[] { "clear", "clearHex", "protected", "scheme" });
            if (k.TryGetProperty("clear", out var clear))
            {
                string text = String(clear, at + ".clear");
                if (text.Length == 0) throw Error(at + ".clear", "the pre-shared key is empty");
                return new PreSharedKeyAuthProposal(PreSharedKey.FromText(text));
            }
            if (k.TryGetProperty("clearHex", out var hex))
            {
                byte[] bytes;
                try { bytes = IkeExtensions.Wire.HexFormat.Parse(String(hex, at + ".clearHex")); }
                catch (FormatException) { throw Error(at + ".clearHex", "not hexadecimal"); }
                if (bytes.Length == 0) throw Error(at + ".clearHex", "the pre-shared key is empty");
                return new PreSharedKeyAuthProposal(new PreSharedKey(bytes));
            }
            if (!k.TryGetProperty("protected", out var data)) throw Error(at, "expected \"clear\", \"clearHex\" or \"protected\"");
            var kept = new ProtectedSecret(k.TryGetProperty("scheme", out var sc) ? String(sc, at + ".scheme") : "", String(data, at + ".protected"));
            var protector = _options.Protector;
            byte[]? key = protector != null && protector.Scheme == kept.Scheme ? protector.Unprotect(kept.Data) : null;
            return new PreSharedKeyAuthProposal(key is { Length: > 0 } ? new PreSharedKey(key) : null, kept);
        }

        private PolicyTrafficSelector Traffic(JsonElement e)
        {
            Object(e, "traffic", TrafficFields);
            List<PolicyAddress> Addresses(string field) => e.TryGetProperty(field, out var a)
                ? Array(a, "traffic." + field).Select((x, i) => PolicyAddress.TryParse(String(x, $"traffic.{field}[{i}]"), out var addr, out string problem)
                    ? addr : throw Error($"traffic.{field}[{i}]", problem)).ToList()
                : new List<PolicyAddress>();
            List<PortRange> Ports(string field) => e.TryGetProperty(field, out var a)
                ? Array(a, "traffic." + field).Select((x, i) => PortRange.TryParse(x.ValueKind == JsonValueKind.Number ? x.GetRawText() : String(x, $"traffic.{field}[{i}]"), out var r)
                    ? r : throw Error($"traffic.{field}[{i}]", "expected a port (0-65535) or a range (low-high)")).ToList()
                : new List<PortRange>();
            byte? protocol = null;
            if (e.TryGetProperty("protocol", out var pr) && !PolicyTrafficSelector.TryParseProtocol(pr.ValueKind == JsonValueKind.Number ? pr.GetRawText() : String(pr, "traffic.protocol"), out protocol))
                throw Error("traffic.protocol", "expected Any, TCP, UDP, ICMPv4, ICMPv6 or 0-255");
            return new PolicyTrafficSelector(Addresses("localAddresses"), Addresses("remoteAddresses"), protocol, Ports("localPorts"), Ports("remotePorts"));
        }

        // ---- helpers ----

        private JsonElement Required(JsonElement e, string path, string field) =>
            e.TryGetProperty(field, out var v) ? v : throw Error(path, $"missing \"{field}\"");

        private void Object(JsonElement e, string path, string[] known)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(path, "expected an object");
            Fields(e, path, known);
        }

        private void Fields(JsonElement e, string path, string[] known)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                string where = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                if (!known.Contains(p.Name, StringComparer.Ordinal)) throw Error(where, $"unknown field (known: {string.Join(", ", known)})");
                if (!seen.Add(p.Name)) throw Error(where, "appears twice");
            }
        }

        private List<JsonElement> Array(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : throw Error(path, "expected a list");

        private string String(JsonElement e, string path) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(path, "expected a string");
        private string OptionalString(JsonElement e, string path, string field) => e.TryGetProperty(field, out var v) ? String(v, $"{path}.{field}") : "";
        private string? NullableString(JsonElement e, string path, string field) =>
            e.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null ? String(v, $"{path}.{field}") : null;

        private int Int(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw Error(path, "expected a whole number");

        private int OptionalInt(JsonElement e, string path, string field, int fallback) => e.TryGetProperty(field, out var v) ? Int(v, $"{path}.{field}") : fallback;

        private bool Bool(JsonElement e, string field, bool fallback)
        {
            if (!e.TryGetProperty(field, out var v)) return fallback;
            return v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.False ? false : throw Error(field, "expected true or false"));
        }

        private T Enum<T>(JsonElement e, string path) where T : struct, Enum
        {
            string text = String(e, path);
            var names = System.Enum.GetNames(typeof(T));
            string? match = names.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
            return match != null ? (T)System.Enum.Parse(typeof(T), match) : throw Error(path, $"\"{text}\" is not one of {string.Join(", ", names)}");
        }
    }
}
