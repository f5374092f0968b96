using System;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>
        /// How long the initiator keeps waiting for a valid IKE_SA_INIT response after an unprotected error notify (such as
        /// NO_PROPOSAL_CHOSEN) — it may be forged by an attacker on the path (RFC 7296 §2.21.1); the negotiation fails with
        /// that error only when nothing better came.
        /// </summary>
        public TimeSpan UnauthenticatedErrorGrace { get; set; } = TimeSpan.FromSeconds(2);
    }
}
