using System;
using System.Linq;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ timers

        /// <summary>Runs due timers: retransmissions, half-open timeouts and lifetimes.</summary>
        public void Poll()
        {
            var now = Now;
            ExpireFragmentAssemblies(now);
            foreach (var s in _bySpi.Values.ToList())
            {
                if (s.Gone) continue;
                if ((s.Row.State == IkeV2SaState.SaInit || s.Row.State == IkeV2SaState.Authenticating) && now >= s.Deadline)
                {
                    Fail(s, s.IsOriginalInitiator ? s.InitRefusal ?? "negotiation timed out" : "half-open IKE SA timed out (no IKE_AUTH)");
                    continue;
                }
                var p = s.Pending;
                if (p != null && now >= p.NextAt)
                {
                    if (XboxInitTimedOut(s, p)) continue;
                    if (p.Count >= (p.RetransmitLimit ?? _options.RetransmitLimit))
                    {
                        string why = $"no response from peer to {p.Exchange} mid={p.MessageId} after {p.Count} retransmissions";
                        why = DeadPeerReason(s, p, why);
                        if (s.Row.State == IkeV2SaState.Established || s.Row.State == IkeV2SaState.Deleting) Remove(s, why);
                        else Fail(s, why);
                        continue;
                    }
                    p.Count++;
                    p.NextAt = now + TimeSpan.FromTicks(_options.RetransmitInitial.Ticks << Math.Min(p.Count, 10));
                    Statistics.Retransmitted();
                    Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} retransmitting {p.Exchange} mid={p.MessageId} ({p.Count})");
                    SendRaw(s, p.Datagram);
                }
                PollNatKeepAlive(s, now); // NAT-T (RFC 3948 §2.3)
                PollLifetimes(s, now); // soft lifetime: rekey, hard: delete (IkeV2Engine.Lifetimes.cs)
                if (!s.Gone && s.Row.State == IkeV2SaState.Established) PollDeadPeerDetection(s, now); // MS-IKEE 3.12
            }
        }

        /// <summary>The earliest time <see cref="Poll"/> has work to do.</summary>
        public DateTime? NextDeadline()
        {
            DateTime? next = null;
            void Consider(DateTime? t) { if (t.HasValue && (!next.HasValue || t < next)) next = t; }
            Consider(NextFragmentDeadline());
            foreach (var s in _bySpi.Values)
            {
                if (s.Row.State == IkeV2SaState.SaInit || s.Row.State == IkeV2SaState.Authenticating) Consider(s.Deadline);
                Consider(s.Pending?.NextAt);
                Consider(s.NextNatKeepAlive); // NAT-T (RFC 3948 §2.3)
                foreach (var t in LifetimeDeadlines(s)) Consider(t); // IkeV2Engine.Lifetimes.cs
                if (s.Row.State == IkeV2SaState.Established) Consider(NextDeadPeerDeadline(s)); // MS-IKEE 3.12
            }
            return next;
        }
    }
}
