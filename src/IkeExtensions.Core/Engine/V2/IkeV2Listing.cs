using System;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// How IKEv2 SAs are numbered in listings. The rows themselves are mapped by Management's
    /// <c>MainModeSaInfo.From</c>/<c>QuickModeSaInfo.From</c> (one mapping for both key modules); the engine does not
    /// reference Management.
    /// </summary>
    public static class IkeV2Listing
    {
        /// <summary>IKEv2 SA ids start here in a service that runs both engines, so one id names one SA in the combined listing.</summary>
        public const long ServiceIdBase = 100000;
    }

    /// <summary>How one IKEv2 negotiation started by <c>IkeService.NegotiateV2Async</c> ended.</summary>
    public sealed class IkeV2NegotiationResult
    {
        public IkeV2NegotiationResult(IkeV2Sa? ikeSa, ChildSaV2? childSa, string? failureReason, TimeSpan elapsed)
        {
            IkeSa = ikeSa;
            ChildSa = childSa;
            FailureReason = failureReason;
            Elapsed = elapsed;
        }

        public bool Succeeded => ChildSa != null && FailureReason == null;
        public IkeV2Sa? IkeSa { get; }
        public ChildSaV2? ChildSa { get; }
        public string? FailureReason { get; }
        public TimeSpan Elapsed { get; }
        public override string ToString() => Succeeded ? $"established {ChildSa} in {Elapsed.TotalMilliseconds:F0} ms" : "failed: " + FailureReason;
    }
}
