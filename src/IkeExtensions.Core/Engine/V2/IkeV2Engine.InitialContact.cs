using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// INITIAL_CONTACT (RFC 7296 §2.4): the first IKE SA towards a peer says so in IKE_AUTH; a peer that rebooted thereby
    /// tells us every other IKE SA we hold with its authenticated identity is dead on its side. Those are removed at once,
    /// without a Delete (the peer has no keys left to read it), instead of lingering until liveness checks give up.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        /// <summary>Adds N(INITIAL_CONTACT) when no other IKE SA with this peer's address exists or is being set up.</summary>
        private void AddInitialContact(IkeV2Session s, List<IkePayload> payloads)
        {
            if (s.CorrelateWith != null) return; // MS-IKEE 3.10: the correlating SA sits beside the original on purpose
            bool others = _bySpi.Values.Any(o => o != s && !o.Gone && o.Row.RemoteEndpoint.Address.Equals(s.Row.RemoteEndpoint.Address));
            if (!others) payloads.Add(new NotifyPayload(NotifyTypeV2.InitialContact));
        }

        /// <summary>After the peer authenticated <paramref name="s"/>: when it sent INITIAL_CONTACT, drop our other IKE SAs with the same identity.</summary>
        private void HonourInitialContact(IkeV2Session s, IReadOnlyList<IkePayload> inner)
        {
            if (!inner.OfType<NotifyPayload>().Any(n => n.MessageType == NotifyTypeV2.InitialContact)) return;
            var stale = _bySpi.Values.Where(o => o != s && !o.Gone && o.Row.EstablishedAt != null &&
                                                 o.Row.RemoteFirstId == s.Row.RemoteFirstId && o.Row.LocalFirstId == s.Row.LocalFirstId).ToList();
            foreach (var o in stale)
            {
                Log(LogLevel.Info, $"IKEv2#{o.Row.Id} replaced by IKEv2#{s.Row.Id}: {s.Row.RemoteFirstId} sent INITIAL_CONTACT (RFC 7296 §2.4)");
                Remove(o, $"the peer sent INITIAL_CONTACT on IKEv2#{s.Row.Id} (RFC 7296 §2.4)");
            }
        }
    }
}
