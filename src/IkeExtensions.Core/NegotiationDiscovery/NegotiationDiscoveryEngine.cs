using System;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>
    /// The per-packet decisions of negotiation discovery, MS-IKEE 3.7.4.1 (outbound) and 3.7.4.2 (inbound), taken
    /// literally over the SPD (<see cref="NdSecurityPolicy"/>), the SAD view (<see cref="NdSecurityAssociationTable"/>)
    /// and the flow state table (<see cref="ConnectionStateTable"/>). It decides and updates flow state; sending,
    /// queueing and running IKE for an <see cref="NdDecision.Acquire"/> are the caller's. A decision on a known flow
    /// costs one flow-table probe and one SA lookup and allocates nothing. Not thread-safe (one packet path).
    /// </summary>
    public sealed class NegotiationDiscoveryEngine
    {
        private const uint Secure = (uint)FlowFlags.Secure;
        private const uint Guaranteed = (uint)FlowFlags.GuaranteedEncryption;
        private const uint AcquireBit = (uint)FlowFlags.Acquire;
        private const uint RenegotiateBit = (uint)FlowFlags.Renegotiate;

        private readonly NdRuleFlags[] _rules;

        public NegotiationDiscoveryEngine(NdSecurityPolicy policy, int flowCapacity = 1024, NdSecurityAssociationTable? securityAssociations = null)
        {
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            _rules = policy.Flags;
            Flows = new ConnectionStateTable(flowCapacity);
            SecurityAssociations = securityAssociations ?? new NdSecurityAssociationTable();
        }

        public NdSecurityPolicy Policy { get; }
        public ConnectionStateTable Flows { get; }
        public NdSecurityAssociationTable SecurityAssociations { get; }

        public NdDecision Decide(NdDirection direction, in NdPacket p) => direction == NdDirection.Outbound ? Outbound(p) : Inbound(p);

        /// <summary>MS-IKEE 3.7.4.1: an outbound packet (its <see cref="NdPacket.Encapsulation"/> is ignored: the decision chooses it).</summary>
        public NdDecision Outbound(in NdPacket p) => p.IsV6 ? OutboundCore(Flows.V6, p.KeyV6(), p) : OutboundCore(Flows.V4, p.KeyV4(), p);

        /// <summary>MS-IKEE 3.7.4.2: an inbound packet, after IPsec decapsulation when it came over ESP or AH.</summary>
        public NdDecision Inbound(in NdPacket p) => p.IsV6 ? InboundCore(Flows.V6, p.KeyV6(), p) : InboundCore(Flows.V4, p.KeyV4(), p);

        /// <summary>
        /// Decides a burst of packets (as a NIC or filter delivers them) in groups of 16: the flow-table slots of a group
        /// are touched first, so their cache misses overlap instead of following one another, then each packet is decided
        /// as by <see cref="Decide"/>, in order. Same results as one call per packet; nothing allocated.
        /// </summary>
        public void Decide(NdDirection direction, ReadOnlySpan<NdPacket> packets, Span<NdDecision> decisions)
        {
            if (decisions.Length < packets.Length) throw new ArgumentException("One decision per packet.", nameof(decisions));
            uint touched = 0;
            for (int start = 0; start < packets.Length; start += 16)
            {
                int end = Math.Min(start + 16, packets.Length);
                for (int i = start; i < end; i++)
                    touched ^= packets[i].IsV6 ? Flows.V6.Touch(packets[i].KeyV6()) : Flows.V4.Touch(packets[i].KeyV4());
                for (int i = start; i < end; i++)
                    decisions[i] = direction == NdDirection.Outbound ? Outbound(packets[i]) : Inbound(packets[i]);
            }
            _touched ^= touched;
        }

        private uint _touched;

        private static NdDecision Result(NdVerdict v, NdReason r, uint state, int rule, long sa = 0, bool acquire = false, ExchangeInfoFlags flags = ExchangeInfoFlags.None) =>
            new NdDecision(v, r, acquire, flags, ConnectionStateTable.FlagsOf(state), (short)rule, sa);

        private NdDecision OutboundCore<TKey>(FlowTable<TKey> table, in TKey key, in NdPacket p) where TKey : struct, IFlowKey<TKey>
        {
            int slot = table.IndexOf(key);
            int rule = slot >= 0 ? ConnectionStateTable.RuleOf(table.StateAt(slot)) : MatchRule(p);
            if (rule < 0 || _rules[rule].Action == NdRuleAction.Bypass)
                return Result(NdVerdict.SendClear, NdReason.OutboundBypass, slot >= 0 ? table.StateAt(slot) : 0, rule);
            ref readonly NdRuleFlags r = ref _rules[rule];
            if (r.Action == NdRuleAction.Discard) return Result(NdVerdict.Drop, NdReason.OutboundDiscardRule, 0, rule);
            if (slot < 0) slot = table.Insert(key, ConnectionStateTable.Encode(rule, FlowFlags.None));

            ref uint state = ref table.StateAt(slot);
            uint s = state;
            // 3.7.4.1, last paragraph: a Guarantee Encryption rule sets the flow's flag whether or not a QM SA matches. It
            // is applied first so that the Acquire this packet may trigger already carries it in message #5.
            if (r.GuaranteeEncryption) s |= Guaranteed;
            bool ge = (s & Guaranteed) != 0;
            var flags = (r.Boundary ? ExchangeInfoFlags.NdBoundary : 0) | (ge ? ExchangeInfoFlags.GuaranteeEncryption : 0);
            bool hasSa = SecurityAssociations.TryFind(p, ge, out var sa);
            NdDecision d;

            if (!r.NdOutbound)
            {
                // Not a negotiation discovery rule: RFC 4301 §5.1 PROTECT.
                if (hasSa) { s |= Secure; d = Result(NdVerdict.SendSecured, NdReason.OutboundProtectSecured, s, rule, sa.Id); }
                else d = Result(NdVerdict.Queue, NdReason.OutboundProtectNoSa, s, rule, 0, true, flags);
            }
            else if (!hasSa || sa.GuaranteedEncryption != ge)
            {
                bool mismatch = hasSa;
                if ((s & Secure) == 0)
                {
                    // Send in clear; trigger IKE once per flow (the Acquire flag), once more if the SA found has the wrong
                    // Guaranteed Encryption (the renegotiation, deduplicated the same way).
                    uint once = mismatch ? RenegotiateBit : AcquireBit;
                    bool trigger = (s & once) == 0;
                    s |= once | AcquireBit;
                    d = Result(NdVerdict.SendClear, mismatch ? NdReason.OutboundGuaranteedEncryptionMismatchClear
                        : trigger ? NdReason.OutboundClearAcquire : NdReason.OutboundClearAcquirePending, s, rule, mismatch ? sa.Id : 0, trigger, flags);
                }
                else
                {
                    // A Secure flow never goes back to clear: hold the packet and trigger IKE (every time; IKE coalesces).
                    s |= AcquireBit;
                    d = Result(NdVerdict.Queue, mismatch ? NdReason.OutboundGuaranteedEncryptionMismatchQueued : NdReason.OutboundSecureFlowNoSa, s, rule,
                        mismatch ? sa.Id : 0, true, flags);
                }
            }
            else if (sa.UdpEncapsulated && sa.Boundary) d = Result(NdVerdict.SendClear, NdReason.OutboundClearUdpEspBoundary, s, rule, sa.Id);
            else
            {
                s |= Secure;
                d = Result(NdVerdict.SendSecured, NdReason.OutboundSecured, s, rule, sa.Id);
            }
            state = s;
            return d;
        }

        private NdDecision InboundCore<TKey>(FlowTable<TKey> table, in TKey key, in NdPacket p) where TKey : struct, IFlowKey<TKey>
        {
            int slot = table.IndexOf(key);
            if (p.Encapsulation != NdEncapsulation.Clear)
            {
                // ESP/AH: the SA that protected it (RFC 4301 §5.2 would have dropped it had none existed).
                if (!SecurityAssociations.TryFind(p, true, out var esa))
                    return Result(NdVerdict.Discard, NdReason.InboundNoSa, slot >= 0 ? table.StateAt(slot) : 0, -1);
                if (slot < 0) slot = table.Insert(key, ConnectionStateTable.Encode(MatchRule(p), FlowFlags.None));
                ref uint es = ref table.StateAt(slot);
                es |= Secure;
                if (esa.GuaranteedEncryption) es |= Guaranteed;
                return Result(NdVerdict.Accept, NdReason.InboundSecured, es, ConnectionStateTable.RuleOf(es), esa.Id);
            }

            int rule;
            NdDecision d;
            if (slot < 0)
            {
                rule = MatchRule(p);
                if (rule < 0 || _rules[rule].Action == NdRuleAction.Bypass) return Result(NdVerdict.Accept, NdReason.InboundBypass, 0, rule);
                if (_rules[rule].Action == NdRuleAction.Discard) return Result(NdVerdict.Discard, NdReason.InboundDiscardRule, 0, rule);
                // First packet of a new flow: accepted only under an inbound negotiation discovery rule; a discarded packet
                // leaves no flow behind (else its retransmission would be "an existing flow").
                if (!_rules[rule].NdInbound) return Result(NdVerdict.Discard, NdReason.InboundFirstClearNoNdRule, 0, rule);
                slot = table.Insert(key, ConnectionStateTable.Encode(rule, FlowFlags.None));
                d = Result(NdVerdict.Accept, NdReason.InboundFirstClearNdRule, 0, rule);
            }
            else
            {
                uint s0 = table.StateAt(slot);
                rule = ConnectionStateTable.RuleOf(s0);
                if (rule < 0 || _rules[rule].Action == NdRuleAction.Bypass) return Result(NdVerdict.Accept, NdReason.InboundBypass, s0, rule);
                if (_rules[rule].Action == NdRuleAction.Discard) return Result(NdVerdict.Discard, NdReason.InboundDiscardRule, s0, rule);
                if ((s0 & Secure) != 0) return Result(NdVerdict.Discard, NdReason.InboundClearFlowSecure, s0, rule);
                if (!_rules[rule].AnyNd) return Result(NdVerdict.Discard, NdReason.InboundProtectClear, s0, rule);
                d = Result(NdVerdict.Accept, NdReason.InboundClearFlowNotSecure, s0, rule);
            }

            // 3.7.4.2, last paragraph: whether or not in plaintext, an SA matching the packet with Guaranteed Encryption
            // sets the flow's flag.
            ref uint state = ref table.StateAt(slot);
            if (SecurityAssociations.Count != 0 && SecurityAssociations.TryFind(p, true, out var sa) && sa.GuaranteedEncryption) state |= Guaranteed;
            return Result(d.Verdict, d.Reason, state, rule, d.SaId);
        }

        private int MatchRule(in NdPacket p) => Policy.Match(p);
    }
}
