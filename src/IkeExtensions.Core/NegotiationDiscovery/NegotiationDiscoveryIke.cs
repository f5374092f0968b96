using System;
using System.Runtime.CompilerServices;
using IkeExtensions.Engine;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>
    /// How the IKE engine learns of negotiation discovery without new constructor parameters: the local SPD is attached
    /// to the engine's options (the engine then sends "MS-Negotiation Discovery Capable" in Main Mode messages 1 and 2 and
    /// answers Quick Mode #1 with EXCHANGE_INFO per 3.7.5.3), and an Acquire's EXCHANGE_INFO flags (3.7.4.1: the rule's
    /// Boundary, the flow's Guaranteed Encryption) are attached to the <see cref="InitiateRequest"/> it starts.
    /// </summary>
    public static class NegotiationDiscoveryIke
    {
        private sealed class FlagsBox
        {
            public FlagsBox(ExchangeInfoFlags flags) => Flags = flags;
            public ExchangeInfoFlags Flags { get; }
        }

        private static readonly ConditionalWeakTable<IkeV1EngineOptions, NdSecurityPolicy> Policies = new ConditionalWeakTable<IkeV1EngineOptions, NdSecurityPolicy>();
        private static readonly ConditionalWeakTable<InitiateRequest, FlagsBox> Acquires = new ConditionalWeakTable<InitiateRequest, FlagsBox>();
        private static readonly object Gate = new object();

        /// <summary>Gives the engine built from <paramref name="options"/> the local SPD (before constructing it or at any time).</summary>
        public static IkeV1EngineOptions WithNegotiationDiscovery(this IkeV1EngineOptions options, NdSecurityPolicy policy)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            lock (Gate)
            {
                Policies.Remove(options);
                Policies.Add(options, policy);
            }
            return options;
        }

        /// <summary>Marks <paramref name="request"/> as the Acquire of a flow: Quick Mode #1 carries <paramref name="flags"/> in EXCHANGE_INFO.</summary>
        public static InitiateRequest ForAcquire(this InitiateRequest request, ExchangeInfoFlags flags)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            lock (Gate)
            {
                Acquires.Remove(request);
                Acquires.Add(request, new FlagsBox(flags));
            }
            return request;
        }

        public static NdSecurityPolicy? PolicyOf(IkeV1EngineOptions options) => Policies.TryGetValue(options, out var p) ? p : null;

        public static ExchangeInfoFlags? AcquireFlagsOf(InitiateRequest request) => Acquires.TryGetValue(request, out var b) ? b.Flags : (ExchangeInfoFlags?)null;
    }
}
