using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>What an SPD rule does with matching traffic (RFC 4301 §4.4.1: PROTECT, BYPASS, DISCARD).</summary>
    public enum NdRuleAction : byte
    {
        Secure = 0,
        Bypass = 1,
        Discard = 2,
    }

    /// <summary>Directions the negotiation discovery policy flag applies to (MS-IKEE 3.7.1).</summary>
    [Flags]
    public enum NdDirections : byte
    {
        None = 0,
        Inbound = 1,
        Outbound = 2,
        Both = Inbound | Outbound,
    }

    /// <summary>
    /// One SPD rule with the MS-IKEE 3.7.1 state: the negotiation discovery flag (inbound and/or outbound), the Boundary
    /// flag (inbound ND rules that accept plaintext) and the Guarantee Encryption flag. In NetSecurity terms (see
    /// Vectors/nd/README.md): OutboundSecurity Request = outbound ND; InboundSecurity Request = inbound ND with Boundary;
    /// Require = <see cref="NdRuleAction.Secure"/> without ND in that direction.
    /// </summary>
    public sealed class NdRule
    {
        public string Name { get; set; } = "";
        public NdRuleAction Action { get; set; } = NdRuleAction.Secure;
        public NdDirections NegotiationDiscovery { get; set; }
        public bool Boundary { get; set; }
        public bool GuaranteeEncryption { get; set; }
        public NdAddressRange LocalAddress { get; set; } = NdAddressRange.Any;
        public NdAddressRange RemoteAddress { get; set; } = NdAddressRange.Any;
        /// <summary>IP protocol; 0 = any.</summary>
        public byte Protocol { get; set; }
        /// <summary>TCP/UDP ports; 0 = any (ignored for other protocols).</summary>
        public ushort LocalPort { get; set; }
        public ushort RemotePort { get; set; }

        public override string ToString() =>
            $"{Name}: {Action}" + (NegotiationDiscovery != NdDirections.None ? $" ND {NegotiationDiscovery}" : "") + (Boundary ? " Boundary" : "") +
            (GuaranteeEncryption ? " GuaranteeEncryption" : "");
    }

    /// <summary>A rule's flags as the packet path reads them (one small struct per rule, indexed by the flow's cached rule).</summary>
    internal readonly struct NdRuleFlags
    {
        public NdRuleFlags(NdRule r)
        {
            Action = r.Action;
            NdInbound = (r.NegotiationDiscovery & NdDirections.Inbound) != 0;
            NdOutbound = (r.NegotiationDiscovery & NdDirections.Outbound) != 0;
            Boundary = r.Boundary;
            GuaranteeEncryption = r.GuaranteeEncryption;
        }

        public readonly NdRuleAction Action;
        public readonly bool NdInbound;
        public readonly bool NdOutbound;
        public readonly bool Boundary;
        public readonly bool GuaranteeEncryption;
        public bool AnyNd => NdInbound || NdOutbound;
    }

    /// <summary>
    /// The SPD (MS-IKEE 3.1.1, RFC 4301 §4.4.1) as an ordered rule list, first match wins; traffic no rule matches is
    /// bypassed. Immutable: a policy change builds a new decision engine. The packet path matches a flow's rule once, on
    /// the flow's first packet, and keeps the rule's index in the flow entry.
    /// </summary>
    public sealed class NdSecurityPolicy
    {
        internal readonly NdRuleFlags[] Flags;

        public NdSecurityPolicy(IEnumerable<NdRule> rules)
        {
            Rules = (rules ?? throw new ArgumentNullException(nameof(rules))).ToArray();
            if (Rules.Count > 0xFFFE) throw new ArgumentException("At most 65534 rules.", nameof(rules));
            foreach (var r in Rules)
            {
                if (r.Boundary && (r.NegotiationDiscovery & NdDirections.Inbound) == 0)
                    throw new ArgumentException($"Rule '{r.Name}': the Boundary flag belongs to inbound negotiation discovery rules (MS-IKEE 3.7.1).");
                if (r.Action != NdRuleAction.Secure && (r.NegotiationDiscovery != NdDirections.None || r.Boundary || r.GuaranteeEncryption))
                    throw new ArgumentException($"Rule '{r.Name}': negotiation discovery, Boundary and Guarantee Encryption apply to rules that secure traffic.");
            }
            Flags = Rules.Select(r => new NdRuleFlags(r)).ToArray();
        }

        public static NdSecurityPolicy Empty { get; } = new NdSecurityPolicy(Array.Empty<NdRule>());

        public IReadOnlyList<NdRule> Rules { get; }

        /// <summary>Some rule applies negotiation discovery: the host advertises "MS-Negotiation Discovery Capable" (3.7.4.1, 3.7.5.1).</summary>
        public bool HasNegotiationDiscovery => Rules.Any(r => r.NegotiationDiscovery != NdDirections.None);

        /// <summary>Index of the first rule matching the packet, or -1 (RFC 4301 §5: SPD lookup on the packet's selectors).</summary>
        public int Match(in NdPacket p)
        {
            var rules = Rules;
            bool ports = p.Protocol == IpProtocols.Tcp || p.Protocol == IpProtocols.Udp;
            for (int i = 0; i < rules.Count; i++)
            {
                var r = rules[i];
                if (r.Protocol != 0 && r.Protocol != p.Protocol) continue;
                if (!r.LocalAddress.Contains(p.Local) || !r.RemoteAddress.Contains(p.Remote)) continue;
                if (ports && ((r.LocalPort != 0 && r.LocalPort != p.LocalPort) || (r.RemotePort != 0 && r.RemotePort != p.RemotePort))) continue;
                return i;
            }
            return -1;
        }

        /// <summary>
        /// The securing rule covering the traffic a Quick Mode SA is negotiated for (its traffic selectors as address
        /// ranges, protocol 0 = any): the "SPD rule matching the traffic for which the QM SA is negotiated" of 3.7.5.3.
        /// </summary>
        public NdRule? MatchSelectors(NdAddress localStart, NdAddress localEnd, NdAddress remoteStart, NdAddress remoteEnd, byte protocol = 0,
            ushort localPort = 0, ushort remotePort = 0)
        {
            foreach (var r in Rules)
            {
                if (r.Action != NdRuleAction.Secure) continue;
                if (r.Protocol != 0 && protocol != 0 && r.Protocol != protocol) continue;
                if (!r.LocalAddress.Covers(localStart, localEnd) && !r.LocalAddress.Contains(localStart)) continue;
                if (!r.RemoteAddress.Covers(remoteStart, remoteEnd) && !r.RemoteAddress.Contains(remoteStart)) continue;
                if ((r.LocalPort != 0 && localPort != 0 && r.LocalPort != localPort) || (r.RemotePort != 0 && remotePort != 0 && r.RemotePort != remotePort)) continue;
                return r;
            }
            return null;
        }
    }
}
