using System;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>
        /// Half-open IKE SAs at which the responder starts asking for a COOKIE before keeping any state (RFC 7296 §2.6);
        /// 0 asks every initiator. Below it, IKE_SA_INIT is answered at once.
        /// </summary>
        public int CookieThreshold { get; set; } = 1000;

        /// <summary>How long one cookie secret is used; the previous one is still accepted for one more period (§2.6).</summary>
        public TimeSpan CookieSecretLifetime { get; set; } = TimeSpan.FromMinutes(5);
    }
}
