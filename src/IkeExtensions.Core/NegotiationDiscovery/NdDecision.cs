using IkeExtensions.Wire.V1;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>What happens to a packet.</summary>
    public enum NdVerdict : byte
    {
        /// <summary>Outbound: sent in clear.</summary>
        SendClear,
        /// <summary>Outbound: sent encapsulated by the matching QM SA.</summary>
        SendSecured,
        /// <summary>Outbound: held until a QM SA exists (3.7.4.1 "it can queue or silently discard").</summary>
        Queue,
        /// <summary>Outbound: not sent.</summary>
        Drop,
        /// <summary>Inbound: accepted.</summary>
        Accept,
        /// <summary>Inbound: silently discarded.</summary>
        Discard,
    }

    /// <summary>Why: each value names the rule of MS-IKEE 3.7.4.1 / 3.7.4.2 (or RFC 4301 §5) that decided.</summary>
    public enum NdReason : byte
    {
        OutboundBypass,
        OutboundDiscardRule,
        OutboundClearAcquire,
        OutboundClearAcquirePending,
        OutboundSecureFlowNoSa,
        OutboundGuaranteedEncryptionMismatchClear,
        OutboundGuaranteedEncryptionMismatchQueued,
        OutboundClearUdpEspBoundary,
        OutboundSecured,
        OutboundProtectNoSa,
        OutboundProtectSecured,
        InboundBypass,
        InboundDiscardRule,
        InboundSecured,
        InboundNoSa,
        InboundFirstClearNdRule,
        InboundFirstClearNoNdRule,
        InboundClearFlowNotSecure,
        InboundClearFlowSecure,
        InboundProtectClear,
    }

    /// <summary>The decision on one packet: verdict, reason, whether IKE must negotiate (an Acquire) and the flow's state after.</summary>
    public readonly struct NdDecision
    {
        public NdDecision(NdVerdict verdict, NdReason reason, bool acquire, ExchangeInfoFlags acquireFlags, FlowFlags flow, short rule, long saId)
        {
            Verdict = verdict;
            Reason = reason;
            Acquire = acquire;
            AcquireFlags = acquireFlags;
            Flow = flow;
            Rule = rule;
            SaId = saId;
        }

        public NdVerdict Verdict { get; }
        public NdReason Reason { get; }
        /// <summary>IKE must negotiate a QM SA for this packet's flow (an Acquire).</summary>
        public bool Acquire { get; }
        /// <summary>What the Acquire's Quick Mode message #1 carries in EXCHANGE_INFO (3.7.4.1): the rule's Boundary, the flow's Guaranteed Encryption.</summary>
        public ExchangeInfoFlags AcquireFlags { get; }
        /// <summary>The flow's state after the packet (None when no flow is kept, e.g. bypassed traffic).</summary>
        public FlowFlags Flow { get; }
        /// <summary>Index of the matching SPD rule, or -1.</summary>
        public short Rule { get; }
        /// <summary>The QM SA used or matched, or 0.</summary>
        public long SaId { get; }

        public string Section => NdReasons.Section(Reason);
        public string Explanation => NdReasons.Describe(Reason);
        public override string ToString() => $"{Verdict} ({Section}: {Explanation})" + (Acquire ? " +Acquire" : "");
    }

    public static class NdReasons
    {
        /// <summary>The specification section that prescribes the behaviour.</summary>
        public static string Section(NdReason r) => r switch
        {
            NdReason.OutboundBypass or NdReason.OutboundDiscardRule or NdReason.OutboundProtectNoSa or NdReason.OutboundProtectSecured => "RFC 4301 5.1",
            NdReason.InboundBypass or NdReason.InboundDiscardRule or NdReason.InboundNoSa or NdReason.InboundProtectClear => "RFC 4301 5.2",
            NdReason.InboundSecured or NdReason.InboundFirstClearNdRule or NdReason.InboundFirstClearNoNdRule or NdReason.InboundClearFlowNotSecure
                or NdReason.InboundClearFlowSecure => "MS-IKEE 3.7.4.2",
            _ => "MS-IKEE 3.7.4.1",
        };

        public static string Describe(NdReason r) => r switch
        {
            NdReason.OutboundBypass => "no securing rule matches: bypass",
            NdReason.OutboundDiscardRule => "a discard rule matches",
            NdReason.OutboundClearAcquire => "ND rule, no QM SA, flow not Secure: sent in clear and IKE triggered (Acquire set)",
            NdReason.OutboundClearAcquirePending => "ND rule, no QM SA, flow not Secure, Acquire already set: sent in clear, IKE not triggered",
            NdReason.OutboundSecureFlowNoSa => "ND rule, no QM SA, flow is Secure: never sent in clear; queued and IKE triggered",
            NdReason.OutboundGuaranteedEncryptionMismatchClear => "the QM SA's and the flow's Guaranteed Encryption differ: IKE renegotiates; flow not Secure, sent in clear",
            NdReason.OutboundGuaranteedEncryptionMismatchQueued => "the QM SA's and the flow's Guaranteed Encryption differ: IKE renegotiates; flow is Secure, queued",
            NdReason.OutboundClearUdpEspBoundary => "the matching QM SA is UDP-ESP with the Boundary flag: sent in clear",
            NdReason.OutboundSecured => "sent over the matching QM SA; flow set Secure",
            NdReason.OutboundProtectNoSa => "securing rule without negotiation discovery, no QM SA: queued and IKE triggered",
            NdReason.OutboundProtectSecured => "sent over the matching QM SA (securing rule without negotiation discovery)",
            NdReason.InboundBypass => "no securing rule matches: bypass",
            NdReason.InboundDiscardRule => "a discard rule matches",
            NdReason.InboundSecured => "ESP/AH: flow set Secure, packet processed",
            NdReason.InboundNoSa => "ESP/AH for which no QM SA exists: discarded",
            NdReason.InboundFirstClearNdRule => "first clear packet of a new flow matches an inbound ND rule: accepted",
            NdReason.InboundFirstClearNoNdRule => "first clear packet of a new flow, no inbound ND rule: silently discarded",
            NdReason.InboundClearFlowNotSecure => "clear packet of an existing flow that is not Secure: accepted",
            NdReason.InboundClearFlowSecure => "clear packet of a Secure flow: silently discarded",
            NdReason.InboundProtectClear => "clear packet for a securing rule without negotiation discovery: discarded",
            _ => r.ToString(),
        };
    }
}
