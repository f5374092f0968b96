using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Management
{
    /// <summary>
    /// The parameters of New-IkeTransportPolicy / New-IkeNegotiationDiscoveryPolicy. Anything left null keeps the seed
    /// scenario's value (<see cref="IpsecPolicy.CreateSeed"/>: modern crypto, Kerberos, IKEv1, all unicast traffic).
    /// </summary>
    public sealed class PolicyComposition
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public PolicyKind Kind { get; set; } = PolicyKind.Transport;
        /// <summary>Null: the family of the explicit addresses when they have one, else Both.</summary>
        public AddressFamilies? AddressFamilies { get; set; }
        public bool ExemptIcmp { get; set; }
        public bool GuaranteeEncryption { get; set; }
        public IReadOnlyList<KeyingModule>? KeyModules { get; set; }
        public IReadOnlyList<MainModeCryptoProposal>? MainModeProposals { get; set; }
        /// <summary>Main Mode SA lifetime (-MainModeMaxMinutes); null = 480 minutes.</summary>
        public int? MainModeLifetimeMinutes { get; set; }
        public IReadOnlyList<QuickModeCryptoProposal>? QuickModeProposals { get; set; }
        public DhGroup PfsGroup { get; set; } = DhGroup.None;
        public IReadOnlyList<AuthProposal>? AuthProposals { get; set; }
        public IReadOnlyList<string>? LocalAddress { get; set; }
        public IReadOnlyList<string>? RemoteAddress { get; set; }
        /// <summary>"TCP", "UDP", "ICMPv4", "ICMPv6", "Any" or 0-255; null = Any.</summary>
        public string? Protocol { get; set; }
        public IReadOnlyList<string>? LocalPort { get; set; }
        public IReadOnlyList<string>? RemotePort { get; set; }
    }

    /// <summary>Builds and validates policies for the composition cmdlets; every problem is an <see cref="IkeManagementException"/> (PolicyInvalid).</summary>
    public static class IkePolicyComposer
    {
        public static IpsecPolicy Compose(PolicyComposition c)
        {
            if (c == null) throw new ArgumentNullException(nameof(c));
            var traffic = Traffic(c);
            var families = c.AddressFamilies ?? (traffic.ExplicitFamilies == AddressFamilies.IPv4 || traffic.ExplicitFamilies == AddressFamilies.IPv6
                ? traffic.ExplicitFamilies : AddressFamilies.Both);
            var p = IpsecPolicy.CreateSeed(c.Kind, families, c.ExemptIcmp, string.IsNullOrWhiteSpace(c.Name) ? null : c.Name.Trim());
            if (c.Description != null) p.Description = c.Description;
            p.GuaranteeEncryption = c.GuaranteeEncryption;
            if (c.KeyModules != null && c.KeyModules.Count > 0) p.KeyingModules = c.KeyModules.ToList();
            if ((c.MainModeProposals != null && c.MainModeProposals.Count > 0) || c.MainModeLifetimeMinutes != null)
                p.MainModeCrypto = new MainModeCryptoSet("Main mode crypto",
                    c.MainModeProposals != null && c.MainModeProposals.Count > 0 ? c.MainModeProposals : p.MainModeCrypto.Proposals,
                    c.MainModeLifetimeMinutes is int minutes ? checked(minutes * 60) : MainModeCryptoSet.DefaultLifetimeSeconds);
            if ((c.QuickModeProposals != null && c.QuickModeProposals.Count > 0) || c.PfsGroup != DhGroup.None)
                p.QuickModeCrypto = new QuickModeCryptoSet("Quick mode crypto",
                    c.QuickModeProposals != null && c.QuickModeProposals.Count > 0 ? c.QuickModeProposals : p.QuickModeCrypto.Proposals, c.PfsGroup);
            if (c.AuthProposals != null && c.AuthProposals.Count > 0) p.Phase1Auth = new AuthSet("Phase 1 auth", c.AuthProposals);
            p.Traffic = traffic;
            return Validated(p);
        }

        /// <summary>A main mode proposal, checked by the policy rules that apply to one proposal (no GCM/GMAC, no None, no SameAsMainMode).</summary>
        public static MainModeCryptoProposal MainModeProposal(Encryption encryption, Hash hash, DhGroup keyExchange)
        {
            var proposal = new MainModeCryptoProposal(encryption, hash, keyExchange);
            var probe = IpsecPolicy.CreateSeed(PolicyKind.Transport);
            probe.MainModeCrypto = new MainModeCryptoSet("probe", new[] { proposal });
            ThrowFirst(probe, "mainModeCryptoSet", proposal);
            return proposal;
        }

        /// <summary>A quick mode proposal, checked by the policy rules that apply to one proposal (encapsulation, GCM/GMAC pairing, lifetimes).</summary>
        public static QuickModeCryptoProposal QuickModeProposal(Encapsulation encapsulation, Encryption encryption, Hash espHash, Hash ahHash,
            int lifetimeMinutes, int lifetimeKilobytes)
        {
            var proposal = new QuickModeCryptoProposal(encapsulation, encryption, espHash, ahHash, checked(lifetimeMinutes * 60), lifetimeKilobytes);
            var probe = IpsecPolicy.CreateSeed(PolicyKind.Transport);
            probe.QuickModeCrypto = new QuickModeCryptoSet("probe", new[] { proposal });
            ThrowFirst(probe, "quickModeCryptoSet", proposal);
            return proposal;
        }

        private static void ThrowFirst(IpsecPolicy probe, string path, object proposal)
        {
            var problem = probe.Validate().FirstOrDefault(e => e.Path.StartsWith(path, StringComparison.Ordinal));
            if (problem != null)
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, $"{proposal}: {problem.Message}", proposal);
        }

        /// <summary>Throws PolicyInvalid naming the first problem (and how many more) when the policy is not usable.</summary>
        public static IpsecPolicy Validated(IpsecPolicy policy)
        {
            var errors = policy.Validate();
            if (errors.Count > 0)
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, $"Policy '{policy.Name}' is not valid: {new PolicyValidationException(errors).Message}",
                    policy, new PolicyValidationException(errors));
            return policy;
        }

        private static PolicyTrafficSelector Traffic(PolicyComposition c)
        {
            byte? protocol = null;
            if (!string.IsNullOrWhiteSpace(c.Protocol) && !PolicyTrafficSelector.TryParseProtocol(c.Protocol!, out protocol))
                throw Invalid($"-Protocol: '{c.Protocol}' is not TCP, UDP, ICMPv4, ICMPv6, Any or a number 0-255.", c.Protocol);
            return new PolicyTrafficSelector(Addresses(c.LocalAddress, "-LocalAddress"), Addresses(c.RemoteAddress, "-RemoteAddress"), protocol,
                Ports(c.LocalPort, "-LocalPort"), Ports(c.RemotePort, "-RemotePort"));
        }

        private static IEnumerable<PolicyAddress> Addresses(IReadOnlyList<string>? texts, string parameter) =>
            (texts ?? Array.Empty<string>()).Select(t => PolicyAddress.TryParse(t, out var a, out string problem) ? a : throw Invalid($"{parameter}: {problem}.", t)).ToList();

        private static IEnumerable<PortRange> Ports(IReadOnlyList<string>? texts, string parameter) =>
            (texts ?? Array.Empty<string>()).Where(t => !string.Equals(t?.Trim(), "Any", StringComparison.OrdinalIgnoreCase))
                .Select(t => PortRange.TryParse(t, out var r) ? r : throw Invalid($"{parameter}: '{t}' is not a port (0-65535), a range (low-high) or Any.", t)).ToList();

        private static IkeManagementException Invalid(string message, object? target) => new IkeManagementException(IkeManagementError.PolicyInvalid, message, target);
    }
}
