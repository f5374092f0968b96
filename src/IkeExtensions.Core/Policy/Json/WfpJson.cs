using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;

namespace IkeExtensions.Policy.Json
{
    /// <summary>
    /// `ikex policy compile --target wfp --json`: the ordered objects with kind, key, layer/type by SDK name (and GUID),
    /// conditions (field, match, value), action (type, callout), rawContext, weight, providerContextKey and the policy and
    /// flags inside provider contexts. Pre-shared keys appear only as "hidden" with their length.
    /// </summary>
    public static class WfpJson
    {
        public static string Serialize(WfpCompilation compilation, bool indented = true) =>
            IpsecPolicyJsonWriter.ToText(ToJson(compilation), indented);

        public static JsonObject ToJson(WfpCompilation compilation)
        {
            var p = compilation.Policy;
            return new JsonObject
            {
                ["target"] = "wfp",
                ["policy"] = p.Name,
                ["kind"] = p.Kind.KindName(),
                ["addressFamily"] = p.AddressFamilies.FamilyName(),
                ["keyingModules"] = Arr(p.KeyingModules.Select(m => (JsonNode?)m.ToString())),
                ["objects"] = Arr(compilation.Objects.Select(o => (JsonNode?)Object(o))),
            };
        }

        private static JsonObject Object(WfpObject o)
        {
            var j = new JsonObject
            {
                ["kind"] = o.Kind switch { WfpObjectKind.Provider => "provider", WfpObjectKind.Sublayer => "sublayer", WfpObjectKind.ProviderContext => "providerContext", _ => "filter" },
                ["key"] = G(o.Key),
                ["role"] = o.Role,
                ["name"] = o.Name,
                ["description"] = o.Description,
                ["flags"] = Names(o.Flags),
                ["flagsValue"] = o.Flags.Aggregate(0UL, (a, f) => a | f.Value),
            };
            switch (o)
            {
                case WfpSublayer s:
                    j["providerKey"] = G(s.ProviderKey);
                    j["weight"] = s.Weight;
                    break;
                case WfpProviderContext c:
                    j["providerKey"] = G(c.ProviderKey);
                    j["type"] = c.Type.Name;
                    j["typeValue"] = c.Type.Value;
                    j["keyingModule"] = c.KeyingModule.ToString();
                    j["policy"] = c.MainModePolicy != null ? MainMode(c.MainModePolicy) : QuickMode(c.QuickModePolicy!);
                    break;
                case WfpFilter f:
                    j["providerKey"] = G(f.ProviderKey);
                    j["subLayerKey"] = G(f.SublayerKey);
                    j["layer"] = f.Layer.Name;
                    j["layerKey"] = G(f.Layer.Key);
                    j["weight"] = f.Weight.Range == null ? new JsonObject { ["type"] = f.Weight.Type }
                        : new JsonObject { ["type"] = f.Weight.Type, ["uint8"] = f.Weight.Range.Value, ["name"] = f.Weight.Range.Name };
                    j["conditions"] = Arr(f.Conditions.Select(c => (JsonNode?)new JsonObject
                    {
                        ["field"] = c.Field.Name,
                        ["fieldKey"] = G(c.Field.Key),
                        ["match"] = c.Match,
                        ["value"] = Value(c.Value),
                    }));
                    j["action"] = new JsonObject
                    {
                        ["type"] = f.Action.Type.Name,
                        ["typeValue"] = f.Action.Type.Value,
                        ["callout"] = f.Action.Callout?.Name,
                        ["calloutKey"] = f.Action.Callout == null ? null : G(f.Action.Callout.Key),
                    };
                    j["rawContext"] = f.RawContext == null ? null : new JsonObject { ["name"] = f.RawContext.Name, ["value"] = f.RawContext.Value };
                    j["providerContextKey"] = f.ProviderContextKey is Guid k ? G(k) : null;
                    break;
            }
            return j;
        }

        private static JsonObject MainMode(IkeExtPolicy m) => new JsonObject
        {
            ["softExpirationTime"] = m.SoftExpirationTime,
            ["authenticationMethods"] = Auth(m.AuthenticationMethods),
            ["initiatorImpersonationType"] = m.InitiatorImpersonationType,
            ["ikeProposals"] = Arr(m.IkeProposals.Select(p => (JsonNode?)new JsonObject
            {
                ["cipherAlgorithm"] = p.CipherAlgorithm.Name,
                ["integrityAlgorithm"] = p.IntegrityAlgorithm.Name,
                ["maxLifetimeSeconds"] = p.MaxLifetimeSeconds,
                ["dhGroup"] = p.DhGroup.Name,
                ["quickModeLimit"] = p.QuickModeLimit,
            })),
            ["flags"] = Names(m.Flags),
            ["maxDynamicFilters"] = m.MaxDynamicFilters,
        };

        private static JsonObject QuickMode(IpsecTransportPolicy q) => new JsonObject
        {
            ["ipsecProposals"] = Arr(q.IpsecProposals.Select(p => (JsonNode?)new JsonObject
            {
                ["lifetime"] = new JsonObject { ["lifetimeSeconds"] = p.LifetimeSeconds, ["lifetimeKilobytes"] = p.LifetimeKilobytes, ["lifetimePackets"] = p.LifetimePackets },
                ["saTransforms"] = Arr(p.SaTransforms.Select(t => (JsonNode?)new JsonObject
                {
                    ["ipsecTransformType"] = t.Type.Name,
                    ["authTransformId"] = t.AuthTransform,
                    ["cipherTransformId"] = t.CipherTransform,
                })),
                ["pfsGroup"] = p.PfsGroup.Name,
            })),
            ["flags"] = Names(q.Flags),
            ["flagsValue"] = q.FlagsValue,
            ["ndAllowClearTimeoutSeconds"] = q.NdAllowClearTimeoutSeconds,
            ["saIdleTimeout"] = new JsonObject { ["idleTimeoutSeconds"] = q.IdleTimeoutSeconds, ["idleTimeoutSecondsFailOver"] = q.IdleTimeoutSecondsFailOver },
            ["emPolicy"] = q.EmPolicy == null ? null : new JsonObject
            {
                ["authenticationMethods"] = Auth(q.EmPolicy.AuthenticationMethods),
                ["initiatorImpersonationType"] = q.EmPolicy.InitiatorImpersonationType,
            },
        };

        private static JsonArray Auth(IReadOnlyList<IkeExtAuthMethod> methods) => Arr(methods.Select(a =>
        {
            var o = new JsonObject { ["authenticationMethodType"] = a.Type.Name };
            switch (a.Source)
            {
                case PreSharedKeyAuthProposal psk:
                    o["presharedKey"] = psk.Key != null ? new JsonObject { ["secret"] = "hidden", ["length"] = psk.Key.Length }
                        : new JsonObject { ["secret"] = psk.ProtectedKey != null ? "protected" : "not in policy" };
                    break;
                case CertificateAuthProposal c:
                    o["certificate"] = new JsonObject
                    {
                        ["inboundConfigType"] = "IKEEXT_CERT_CONFIG_EXPLICIT_TRUST_LIST",
                        ["outboundConfigType"] = "IKEEXT_CERT_CONFIG_EXPLICIT_TRUST_LIST",
                        ["authority"] = c.Authority,
                        ["authorityType"] = c.AuthorityType.ToString(),
                        ["thumbprint"] = c.Thumbprint,
                    };
                    break;
                case KerberosAuthProposal k:
                    o["kerberos"] = new JsonObject { ["principal"] = k.Principal.ToString(), ["proxy"] = k.Proxy };
                    break;
            }
            return (JsonNode?)o;
        }));

        private static JsonObject Value(WfpValue v)
        {
            var o = new JsonObject { ["type"] = v.Type };
            if (v.Type == "FWP_UINT8") o["uint8"] = v.Number;
            else if (v.Type == "FWP_UINT16") o["uint16"] = v.Number;
            if (v.Name != null) o["name"] = v.Name;
            if (v.Address != null) o["address"] = v.Address.ToString();
            if (v.PrefixLength is int prefix) o["prefixLength"] = prefix;
            if (v.Low != null) o["low"] = Value(v.Low);
            if (v.High != null) o["high"] = Value(v.High);
            return o;
        }

        private static string G(Guid g) => g.ToString("D");
        private static JsonArray Names(IEnumerable<WfpConstant> flags) => Arr(flags.Select(f => (JsonNode?)f.Name));
        private static JsonArray Arr(IEnumerable<JsonNode?> items) => new JsonArray(items.ToArray());
    }
}
