using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Wfp
{
    /// <summary>A compiled policy as the Windows layer applies it: the descriptions in add order and the plan's provider.</summary>
    public sealed class WfpPlan
    {
        internal WfpPlan(string policyName, Guid providerKey, IReadOnlyList<WfpObjectDescription> objects)
        {
            PolicyName = policyName;
            ProviderKey = providerKey;
            Objects = objects;
        }

        public string PolicyName { get; }
        /// <summary>The provider owning every object of the plan (<see cref="WfpObjectMapper.ProviderKeyFor"/>).</summary>
        public Guid ProviderKey { get; }
        public IReadOnlyList<WfpObjectDescription> Objects { get; }
    }

    /// <summary>A compiled policy cannot become WFP objects (e.g. its pre-shared key is not in the policy). Never holds key material.</summary>
    public sealed class WfpMappingException : InvalidOperationException
    {
        public WfpMappingException(string message) : base(message) { }
    }

    /// <summary>
    /// The compiler's objects (<see cref="WfpCompilation"/>) → the applier's neutral descriptions
    /// (<see cref="WfpObjectDescription"/>): every key, name, description, layer, sublayer, sublayer weight and provider
    /// context reference is taken as compiled; the kind-specific part travels as <see cref="WfpObjectDescription.Body"/>
    /// (the compiled <see cref="WfpFilter"/>/<see cref="WfpProviderContext"/>, which the native encoder writes) and as a
    /// canonical text <see cref="WfpObjectDescription.Payload"/> the applier fingerprints, so any change of conditions,
    /// action, weight, rawContext, type, proposals, flags or authentication (including the pre-shared key, by digest)
    /// replaces the object.
    /// <para>One deliberate difference: the compiler's provider is shared by all IkeExtensions policies, but the applier
    /// owns (diffs, syncs, removes) everything under a plan's provider. So each policy gets its own provider,
    /// <see cref="ProviderKeyFor"/> = name-based UUID of "policy name/provider", named <see cref="ProviderNamePrefix"/> +
    /// the policy name: applying one policy never touches another, and removing a policy is removing its provider.</para>
    /// </summary>
    public static class WfpObjectMapper
    {
        /// <summary>displayData.name of a policy's provider is this prefix followed by the policy name.</summary>
        public const string ProviderNamePrefix = "IkeExtensions: ";

        public static Guid ProviderKeyFor(string policyName) =>
            DeterministicGuid.ForPolicyObject(policyName ?? throw new ArgumentNullException(nameof(policyName)), "provider");

        /// <summary>The policy name of one of our providers, or null when the provider is not one <see cref="Map"/> made.</summary>
        public static string? PolicyNameOf(Guid providerKey, string providerName)
        {
            if (providerName == null || !providerName.StartsWith(ProviderNamePrefix, StringComparison.Ordinal)) return null;
            string name = providerName.Substring(ProviderNamePrefix.Length);
            return ProviderKeyFor(name) == providerKey ? name : null;
        }

        public static WfpPlan Map(WfpCompilation compilation)
        {
            if (compilation == null) throw new ArgumentNullException(nameof(compilation));
            var policy = compilation.Policy;
            Guid providerKey = ProviderKeyFor(policy.Name);
            var list = new List<WfpObjectDescription>(compilation.Objects.Count);
            foreach (var o in compilation.Objects)
            {
                switch (o)
                {
                    case WfpProvider p:
                        list.Add(WfpObjectDescription.Provider(providerKey, ProviderNamePrefix + policy.Name, p.Description));
                        break;
                    case WfpSublayer s:
                        list.Add(WfpObjectDescription.Sublayer(s.Key, s.Name, s.Weight, s.Description));
                        break;
                    case WfpProviderContext c:
                        list.Add(WfpObjectDescription.ProviderContext(c.Key, c.Name, Payload(policy.Name, c), c, c.Description));
                        break;
                    case WfpFilter f:
                        list.Add(WfpObjectDescription.Filter(f.Key, f.Name, f.Layer.Key, f.SublayerKey, f.ProviderContextKey, Payload(f), f, f.Description));
                        break;
                    default:
                        throw new ArgumentException($"unknown compiled object {o}", nameof(compilation));
                }
            }
            return new WfpPlan(policy.Name, providerKey, list);
        }

        /// <summary>Filter payload: layer, weight, conditions in order, action (and callout), rawContext.</summary>
        internal static byte[] Payload(WfpFilter f)
        {
            var b = new StringBuilder();
            b.Append("ikex-wfp-filter-1\n");
            b.Append("layer=").Append(f.Layer.Name).Append(' ').Append(G(f.Layer.Key)).Append('\n');
            b.Append("weight=").Append(f.Weight.Type).Append(f.Weight.Range != null ? ":" + N(f.Weight.Range.Value) : "").Append('\n');
            foreach (var c in f.Conditions)
                b.Append("condition=").Append(G(c.Field.Key)).Append(' ').Append(c.Match).Append(' ').Append(Value(c.Value)).Append('\n');
            b.Append("action=").Append(N(f.Action.Type.Value)).Append(f.Action.Callout != null ? " " + G(f.Action.Callout.Key) : "").Append('\n');
            b.Append("rawContext=").Append(f.RawContext != null ? N(f.RawContext.Value) : "-").Append('\n');
            return Encoding.UTF8.GetBytes(b.ToString());
        }

        /// <summary>Provider context payload: type, keying module and the whole IKE or IPsec policy. A pre-shared key enters
        /// only as a salted SHA-256 digest (reading providerData needs the rights that already reveal the context's key).</summary>
        internal static byte[] Payload(string policyName, WfpProviderContext c)
        {
            var b = new StringBuilder();
            b.Append("ikex-wfp-context-1\n");
            b.Append("type=").Append(N(c.Type.Value)).Append(" module=").Append(c.KeyingModule).Append('\n');
            if (c.MainModePolicy is IkeExtPolicy mm)
            {
                b.Append("mm softExpiration=").Append(N(mm.SoftExpirationTime)).Append(" impersonation=").Append(mm.InitiatorImpersonationType)
                    .Append(" flags=").Append(N(Flags(mm.Flags))).Append(" maxDynamicFilters=").Append(N(mm.MaxDynamicFilters)).Append('\n');
                foreach (var p in mm.IkeProposals)
                    b.Append("proposal=").Append(N(p.CipherAlgorithm.Value)).Append(' ').Append(N(p.IntegrityAlgorithm.Value)).Append(' ')
                        .Append(N(p.MaxLifetimeSeconds)).Append(' ').Append(N(p.DhGroup.Value)).Append(' ').Append(N(p.QuickModeLimit)).Append('\n');
                Auth(b, "auth", policyName, c, mm.AuthenticationMethods);
            }
            if (c.QuickModePolicy is IpsecTransportPolicy qm)
            {
                b.Append("qm flags=").Append(N(qm.FlagsValue)).Append(" ndAllowClear=").Append(N(qm.NdAllowClearTimeoutSeconds))
                    .Append(" idle=").Append(N(qm.IdleTimeoutSeconds)).Append('/').Append(N(qm.IdleTimeoutSecondsFailOver)).Append('\n');
                foreach (var p in qm.IpsecProposals)
                {
                    b.Append("proposal=").Append(N(p.LifetimeSeconds)).Append(' ').Append(N(p.LifetimeKilobytes)).Append(' ').Append(N(p.LifetimePackets))
                        .Append(" pfs=").Append(N(p.PfsGroup.Value));
                    foreach (var t in p.SaTransforms)
                        b.Append(" transform=").Append(N(t.Type.Value)).Append('/').Append(t.AuthTransform ?? "-").Append('/').Append(t.CipherTransform ?? "-");
                    b.Append('\n');
                }
                if (qm.EmPolicy is IkeExtEmPolicy em)
                {
                    b.Append("em impersonation=").Append(em.InitiatorImpersonationType).Append('\n');
                    Auth(b, "em-auth", policyName, c, em.AuthenticationMethods);
                }
            }
            return Encoding.UTF8.GetBytes(b.ToString());
        }

        private static void Auth(StringBuilder b, string label, string policyName, WfpProviderContext c, IReadOnlyList<IkeExtAuthMethod> methods)
        {
            foreach (var m in methods)
            {
                b.Append(label).Append('=').Append(N(m.Type.Value));
                switch (m.Source)
                {
                    case PreSharedKeyAuthProposal psk:
                        b.Append(" psk-sha256=").Append(PskDigest(policyName, RequireKey(policyName, c, psk)));
                        break;
                    case CertificateAuthProposal cert:
                        b.Append(" authority=").Append(cert.Authority ?? "-").Append(" authorityType=").Append(cert.AuthorityType)
                            .Append(" thumbprint=").Append(cert.Thumbprint ?? "-").Append(" signing=").Append(cert.Signing);
                        break;
                    case KerberosAuthProposal k:
                        b.Append(" principal=").Append(k.Principal).Append(" proxy=").Append(k.Proxy ?? "-");
                        break;
                }
                b.Append('\n');
            }
        }

        /// <summary>The pre-shared key a context needs, or a <see cref="WfpMappingException"/> naming the policy and what to do.</summary>
        internal static IkeExtensions.Tables.PreSharedKey RequireKey(string policyName, WfpProviderContext c, PreSharedKeyAuthProposal psk)
        {
            if (psk.Key != null) return psk.Key;
            string why = psk.ProtectedKey != null
                ? $"the policy holds it protected ({psk.ProtectedKey.Scheme}) and it could not be unprotected on this system"
                : "the policy file does not hold it (it was written without --include-secrets or a secret protector)";
            throw new WfpMappingException(
                $"policy '{policyName}': {c.Name} authenticates with a pre-shared key, but {why}; WFP needs the key itself");
        }

        private static string PskDigest(string policyName, IkeExtensions.Tables.PreSharedKey key)
        {
            byte[] prefix = Encoding.UTF8.GetBytes("ikex-wfp-psk-1\0" + policyName + "\0");
            var secret = key.Reveal();
            byte[] input = new byte[prefix.Length + secret.Length];
            Buffer.BlockCopy(prefix, 0, input, 0, prefix.Length);
            secret.CopyTo(input.AsSpan(prefix.Length));
            try
            {
                using var sha = SHA256.Create();
                return string.Concat(sha.ComputeHash(input).Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));
            }
            finally
            {
                Array.Clear(input, 0, input.Length);
            }
        }

        private static string Value(WfpValue v)
        {
            var s = v.Type;
            if (v.Number is ulong n) s += ":" + N(n);
            if (v.Address != null) s += ":" + v.Address;
            if (v.PrefixLength is int prefix) s += "/" + N((ulong)prefix);
            if (v.Low != null) s += "[" + Value(v.Low) + ".." + Value(v.High!) + "]";
            return s;
        }

        private static ulong Flags(IEnumerable<WfpConstant> flags) => flags.Aggregate(0UL, (a, f) => a | f.Value);
        private static string N(ulong v) => v.ToString(CultureInfo.InvariantCulture);
        private static string G(Guid g) => g.ToString("D");
    }
}
