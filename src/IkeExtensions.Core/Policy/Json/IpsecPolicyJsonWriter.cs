using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Json
{
    /// <summary>Writes the versioned policy file (schemaVersion 1). Secrets: see <see cref="PolicyJsonWriteOptions"/>.</summary>
    internal static class IpsecPolicyJsonWriter
    {
        public static JsonObject Write(IpsecPolicy p, PolicyJsonWriteOptions options)
        {
            var root = new JsonObject
            {
                ["schemaVersion"] = IpsecPolicyJson.SchemaVersion,
                ["name"] = p.Name,
                ["description"] = p.Description,
                ["kind"] = p.Kind.KindName(),
                ["inboundSecurity"] = p.InboundSecurity.ToString(),
                ["outboundSecurity"] = p.OutboundSecurity.ToString(),
                ["addressFamily"] = p.AddressFamilies.FamilyName(),
                ["exemptIcmp"] = p.ExemptIcmp,
                ["guaranteeEncryption"] = p.GuaranteeEncryption,
                ["keyingModules"] = new JsonArray(p.KeyingModules.Select(m => (JsonNode?)m.ToString()).ToArray()),
                ["mainModeCryptoSet"] = new JsonObject
                {
                    ["name"] = p.MainModeCrypto.Name,
                    ["lifetimeSeconds"] = p.MainModeCrypto.LifetimeSeconds,
                    ["maxQuickModeSas"] = p.MainModeCrypto.MaxQuickModeSas,
                    ["proposals"] = Array(p.MainModeCrypto.Proposals.Select(m => new JsonObject
                    {
                        ["encryption"] = m.Encryption.ToString(),
                        ["hash"] = m.Hash.ToString(),
                        ["keyExchange"] = m.KeyExchange.ToString(),
                    })),
                },
                ["quickModeCryptoSet"] = new JsonObject
                {
                    ["name"] = p.QuickModeCrypto.Name,
                    ["pfsGroup"] = p.QuickModeCrypto.PfsGroup.ToString(),
                    ["proposals"] = Array(p.QuickModeCrypto.Proposals.Select(q => new JsonObject
                    {
                        ["encapsulation"] = q.Encapsulation == (Encapsulation.AH | Encapsulation.ESP) ? "AH,ESP" : q.Encapsulation.ToString(),
                        ["encryption"] = q.Encryption.ToString(),
                        ["espHash"] = q.EspHash.ToString(),
                        ["ahHash"] = q.AhHash.ToString(),
                        ["lifetimeSeconds"] = q.LifetimeSeconds,
                        ["lifetimeKilobytes"] = q.LifetimeKilobytes,
                    })),
                },
                ["phase1AuthSet"] = AuthSet(p.Phase1Auth, options),
            };
            if (p.Phase2Auth != null) root["phase2AuthSet"] = AuthSet(p.Phase2Auth, options);
            var t = p.Traffic;
            root["traffic"] = new JsonObject
            {
                ["localAddresses"] = Strings(t.LocalAddresses.Select(a => a.ToString())),
                ["remoteAddresses"] = Strings(t.RemoteAddresses.Select(a => a.ToString())),
                ["protocol"] = PolicyTrafficSelector.ProtocolName(t.Protocol),
                ["localPorts"] = Strings(t.LocalPorts.Select(r => r.ToString())),
                ["remotePorts"] = Strings(t.RemotePorts.Select(r => r.ToString())),
            };
            root["ndAllowClearTimeoutSeconds"] = p.NdAllowClearTimeoutSeconds;
            root["saIdleTimeoutSeconds"] = p.SaIdleTimeoutSeconds;
            root["saIdleTimeoutFailOverSeconds"] = p.SaIdleTimeoutFailOverSeconds;
            return root;
        }

        private static JsonObject AuthSet(AuthSet set, PolicyJsonWriteOptions options) => new JsonObject
        {
            ["name"] = set.Name,
            ["proposals"] = Array(set.Proposals.Select(a => Auth(a, options))),
        };

        private static JsonObject Auth(AuthProposal a, PolicyJsonWriteOptions options)
        {
            var o = new JsonObject { ["method"] = a.Method };
            switch (a)
            {
                case PreSharedKeyAuthProposal psk:
                    var secret = PresharedKey(psk, options);
                    if (secret != null) o["presharedKey"] = secret;
                    break;
                case CertificateAuthProposal c:
                    o["authority"] = c.Authority;
                    o["authorityType"] = c.AuthorityType.ToString();
                    o["thumbprint"] = c.Thumbprint;
                    o["signing"] = c.Signing.ToString();
                    break;
                case KerberosAuthProposal k:
                    o["principal"] = k.Principal.ToString();
                    if (k.Proxy != null) o["proxy"] = k.Proxy;
                    break;
            }
            return o;
        }

        /// <summary>Clear only when asked; protected when a protector is given (or kept as read); otherwise left out.</summary>
        private static JsonObject? PresharedKey(PreSharedKeyAuthProposal p, PolicyJsonWriteOptions options)
        {
            if (p.Key != null)
            {
                byte[] key = p.Key.Reveal().ToArray();
                try
                {
                    if (options.IncludeSecrets)
                        return SecretText.AsText(key) is string text ? new JsonObject { ["clear"] = text } : new JsonObject { ["clearHex"] = IkeExtensions.Wire.HexFormat.ToHex(key).ToUpperInvariant() };
                    if (options.Protector != null)
                        return new JsonObject { ["protected"] = options.Protector.Protect(key), ["scheme"] = options.Protector.Scheme };
                }
                finally
                {
                    System.Array.Clear(key, 0, key.Length);
                }
            }
            return SecretText.Preserved(p) is ProtectedSecret kept ? new JsonObject { ["protected"] = kept.Data, ["scheme"] = kept.Scheme } : null;
        }

        private static JsonArray Array(System.Collections.Generic.IEnumerable<JsonObject> items) => new JsonArray(items.Select(i => (JsonNode?)i).ToArray());
        private static JsonArray Strings(System.Collections.Generic.IEnumerable<string> items) => new JsonArray(items.Select(i => (JsonNode?)i).ToArray());

        public static string ToText(JsonObject root, bool indented) =>
            root.ToJsonString(new JsonSerializerOptions { WriteIndented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
