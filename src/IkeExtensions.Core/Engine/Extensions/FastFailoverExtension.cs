using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// Fast failover (MS-IKEE 3.5 client, 3.6 server). Client: "Vid-Initial-Contact" in messages 1/2 when no Main Mode SA
    /// to the peer's address is active (3.5.4.1, 3.5.5.1); "NLBS_PRESENT" from the peer sets the Fast Failover flag
    /// (3.5.5.1–2), which shortens the Quick Mode SA idle timer to 1 minute instead of 5 (3.5.2, note 21). Server (a
    /// cluster node, <see cref="IkeV1EngineOptions.NlbClusterMember"/>): "NLBS_PRESENT" in messages 1/2 (3.6.4.1); a
    /// peer's "Vid-Initial-Contact" sets the Initial Contact flag (3.6.5.1).
    /// </summary>
    internal sealed class FastFailoverExtension : IMainModeExtension, IQuickModeExtension
    {
        public static readonly TimeSpan IdleTimeoutFastFailover = TimeSpan.FromMinutes(1);
        public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

        private readonly EngineContext _ctx;
        public FastFailoverExtension(EngineContext ctx) => _ctx = ctx;

        public void Build(Phase1Session s, int message, List<IkePayload> payloads)
        {
            if (message > 2) return;
            if (!HasActiveMainMode(s)) payloads.Add(VendorIdPayload.For(VendorIdKind.VidInitialContact));
            if (_ctx.Options.NlbClusterMember) payloads.Add(VendorIdPayload.For(VendorIdKind.NlbsPresent));
        }

        public string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote)
        {
            if (message > 2) return null;
            // VendorIdExtension has already turned the vendor IDs into flags.
            s.Row.FastFailover = (s.Extensions & SaExtensions.NlbsPresent) != 0;
            s.Row.InitialContact = (s.Extensions & SaExtensions.InitialContact) != 0;
            return null;
        }

        /// <summary>3.5.4.1: "active MM SAs to the peer", looked up in the MMSAD by the peer's IP address.</summary>
        private bool HasActiveMainMode(Phase1Session s) =>
            _ctx.Sessions.Values.Any(o => !ReferenceEquals(o, s) && o.Row.State == MainModeSaState.Established &&
                                          o.Row.RemoteEndpoint.Address.Equals(s.Row.RemoteEndpoint.Address));

        public void Build(QuickModeSession q, int message, List<IkePayload> payloads) { }

        public string? Process(QuickModeSession q, int message, IReadOnlyList<IkePayload> payloads) => null;

        /// <summary>3.5.2 / 3.5.7.1 note 21: the idle timer of a new Quick Mode SA.</summary>
        public void OnEstablished(QuickModeSession q)
        {
            var idle = q.Parent.Row.FastFailover ? IdleTimeoutFastFailover : IdleTimeout;
            q.Row.IdleTimeoutSeconds = (int)idle.TotalSeconds;
            q.IdleSince = _ctx.Now;
        }

        /// <summary>
        /// 3.5.6.1: an idle Quick Mode SA is deleted. Idleness needs a data path to report traffic
        /// (<see cref="IkeV1Engine.ReportTraffic"/>); without one the timer is not enforced unless the options ask for it.
        /// </summary>
        public bool IsIdle(QuickModeSession q, DateTime now) =>
            _ctx.Options.EnforceQuickModeIdleTimer && q.IdleSince is DateTime since && now - since >= TimeSpan.FromSeconds(q.Row.IdleTimeoutSeconds);
    }
}
