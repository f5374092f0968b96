using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ INFORMATIONAL (RFC 7296 §1.4)

        private void OnInformationalRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner)
        {
            var deletes = inner.OfType<Wire.V2.DeletePayload>().ToList();
            if (deletes.Any(d => d.ProtocolId == ProtocolIdV2.Ike))
            {
                SendResponse(s, h, Array.Empty<IkePayload>());
                Remove(s, "deleted by peer");
                return;
            }
            var response = new List<IkePayload>();
            var ours = new List<ReadOnlyMemory<byte>>();
            var gone = new List<ChildSession>();
            foreach (var d in deletes.Where(d => d.ProtocolId == ProtocolIdV2.Esp && d.SpiSize == 4))
            {
                foreach (var spi in d.Spis)
                {
                    uint peerInbound = IkeV2Codec.ReadSpi(spi);
                    var c = s.Children.FirstOrDefault(x => x.Row.OutboundSpi == peerInbound && x.Row.State == QuickModeSaState.Established);
                    if (c == null || gone.Contains(c)) continue;
                    ours.Add(IkeV2Codec.SpiBytes(c.Row.InboundSpi));
                    gone.Add(c);
                }
            }
            if (ours.Count > 0) response.Add(new Wire.V2.DeletePayload(ProtocolIdV2.Esp, 4, ours));
            SendResponse(s, h, response);
            foreach (var c in gone) RemoveChild(c, "deleted by peer", QuickModeSaState.Deleted);
            if (deletes.Count == 0 && inner.Count == 0) Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} liveness check from peer answered");
        }
    }
}
