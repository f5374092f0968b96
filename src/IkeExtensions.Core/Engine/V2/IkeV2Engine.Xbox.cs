using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ MS-IKEE 3.13: Xbox multiplayer gaming vendor IDs (IKEv2)

        /// <summary>IKE SAs of one Xbox negotiation type still negotiating (IKE_SA_INIT or IKE_AUTH in progress), other than <paramref name="except"/>.</summary>
        private int OngoingXboxNegotiations(uint type, IkeV2Session? except) =>
            _bySpi.Values.Count(s => s != except && !s.Gone && s.Row.XboxNegotiationType == type &&
                                     (s.Row.State == IkeV2SaState.SaInit || s.Row.State == IkeV2SaState.Authenticating));

        /// <summary>
        /// 3.13.5.2: "For the associated negotiation type, the host MUST increment the number of ongoing IKE negotiations. If
        /// the number of such IKE negotiations exceeds the configured limit for the given Xbox secure connection, the
        /// negotiation is failed." 3.13.3: no configured limit, no limit. Null: within the limit; otherwise why not.
        /// </summary>
        private string? XboxLimitExceeded(uint type, IkeV2Session? except)
        {
            if (!_options.XboxNegotiationLimits.TryGetValue(type, out int limit)) return null;
            int ongoing = OngoingXboxNegotiations(type, except) + 1;
            return ongoing > limit ? $"{ongoing} simultaneous negotiations of Xbox negotiation type {type} exceed its limit of {limit} (MS-IKEE 3.13.5.2)" : null;
        }

        /// <summary>
        /// Initiator (3.13.5): "IKE initiators that are participating in Xbox multiplayer gaming scenarios ... can send the
        /// 'Microsoft XBox One 2013' vendor ID and the 'Xbox IKEv2 Negotiation' vendor ID payloads in the IKE_SA_INIT
        /// message." The first IKE_SA_INIT of such an SA counts against the type's limit; false: the SA failed.
        /// </summary>
        private bool XboxMayNegotiate(IkeV2Session s)
        {
            if (!s.IsOriginalInitiator || !(_options.XboxNegotiationType is uint type)) return true;
            if (s.Row.XboxNegotiationType == null)
            {
                s.Row.IsXbox = true;
                s.Row.XboxNegotiationType = type;
                if (XboxLimitExceeded(type, s) is string why)
                {
                    Fail(s, why);
                    return false;
                }
            }
            return true;
        }

        private void AddXboxVendorIds(IkeV2Session s, List<IkePayload> payloads)
        {
            if (!s.IsOriginalInitiator || !(s.Row.XboxNegotiationType is uint type)) return;
            payloads.Add(VendorIdPayload.For(VendorIdKind.XboxOne2013, null, 2));
            payloads.Add(VendorIdPayload.For(VendorIdKind.XboxIkev2Negotiation, type, 2));
        }

        /// <summary>
        /// Responder, before any state is kept: reads the Xbox vendor IDs of an IKE_SA_INIT request (3.13.5.1, 3.13.5.2) and
        /// applies the type's limit. A negotiation over the limit "is failed": the request is dropped (logged), like any
        /// IKE_SA_INIT we will not serve, so a flood costs no response. False: dropped.
        /// </summary>
        private bool AdmitXbox(IkeMessage m, IPEndPoint remote, out bool isXbox, out uint? type)
        {
            isXbox = false;
            type = null;
            foreach (var v in m.Payloads.OfType<VendorIdPayload>())
            {
                var known = v.Known;
                if (known?.Kind == VendorIdKind.XboxOne2013) isXbox = true;
                else if (known?.Kind == VendorIdKind.XboxIkev2Negotiation && known.Value.Number is uint n) type = n;
            }
            if (type is uint t && XboxLimitExceeded(t, null) is string why)
            {
                Drop(remote, "IKE_SA_INIT refused: " + why);
                Log(LogLevel.Warning, $"IKE_SA_INIT from {remote} dropped: {why}");
                return false;
            }
            return true;
        }

        private static void RecordXbox(IkeV2Session s, bool isXbox, uint? type)
        {
            s.Row.IsXbox = isXbox;
            s.Row.XboxNegotiationType = type;
        }

        /// <summary>
        /// 3.13.6: "If an IKE SA is associated with an Xbox negotiation type, then IKE_SA_INIT messages for those SAs are not
        /// retransmitted if no response is received from the peer after the first timeout period." True: the SA failed.
        /// </summary>
        private bool XboxInitTimedOut(IkeV2Session s, OutstandingRequest p)
        {
            if (p.Kind != RequestKind.Init || s.Row.XboxNegotiationType == null) return false;
            Fail(s, $"no IKE_SA_INIT response within the first timeout; IKE_SA_INIT of Xbox negotiation type {s.Row.XboxNegotiationType} is not retransmitted (MS-IKEE 3.13.6)");
            return true;
        }
    }
}
