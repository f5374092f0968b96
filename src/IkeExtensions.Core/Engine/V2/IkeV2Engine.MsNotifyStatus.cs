using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ MS-IKEE 2.2.7: NOTIFY_STATUS 0x3039 with an MS-ERREF code

        /// <summary>
        /// The MS-ERREF code that tells the peer our private failure reason (2.2.7) for an error notify we send, or null
        /// for notifies that are no failure of the negotiation (INVALID_KE_PAYLOAD asks for a retry, §1.2).
        /// </summary>
        private static uint? MsErrorFor(NotifyTypeV2 type) => type switch
        {
            NotifyTypeV2.NoProposalChosen => MsNotifyStatus.ErrorIpsecIkeNoPolicy,
            NotifyTypeV2.TsUnacceptable => MsNotifyStatus.ErrorIpsecIkeNoPolicy,
            NotifyTypeV2.AuthenticationFailed => MsNotifyStatus.ErrorIpsecIkeAuthFail,
            _ => null,
        };

        /// <summary>
        /// An error response: the RFC 7296 notify first (what any peer acts on), then, with
        /// <see cref="IkeV2EngineOptions.SendMsNotifyStatus"/>, the 0x3039 NOTIFY_STATUS with the MS-ERREF reason.
        /// </summary>
        private IkePayload[] ErrorPayloads(NotifyTypeV2 type, ReadOnlyMemory<byte> data = default)
        {
            var notify = new NotifyPayload(type, data);
            return _options.SendMsNotifyStatus && MsErrorFor(type) is uint code
                ? new IkePayload[] { notify, MsNotifyStatus.Create(code) }
                : new IkePayload[] { notify };
        }

        /// <summary>
        /// Receipt (2.2.7, 3.10.5.3 "SHOULD process the extended error information"): records the peer's NOTIFY_STATUS code
        /// and its MS-ERREF name on the IKE SA row and logs it. A 0x3039 notify whose data is not 4 bytes is logged and ignored.
        /// </summary>
        private void RecordMsNotifyStatus(IkeV2Session s, IEnumerable<IkePayload> payloads)
        {
            foreach (var n in payloads.OfType<NotifyPayload>().Where(n => n.MessageType == NotifyTypeV2.MsNotifyStatus))
            {
                if (!MsNotifyStatus.TryRead(n, out uint code))
                {
                    Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} NOTIFY_STATUS (0x3039) with {n.Data.Length} bytes of data, not 4: ignored");
                    continue;
                }
                s.Row.PeerNotifyStatus = code;
                s.Row.PeerNotifyStatusName = MsNotifyStatus.Describe(code);
                Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} peer's failure reason (MS-IKEE NOTIFY_STATUS): {s.Row.PeerNotifyStatusName}");
            }
        }
    }
}
