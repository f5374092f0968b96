using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.NegotiationDiscovery;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// Negotiation discovery on the IKE side (MS-IKEE 3.7): the "MS-Negotiation Discovery Capable" vendor ID in Main Mode
    /// messages 1 and 2 when the local SPD has a negotiation discovery rule (3.7.4.1, 3.7.5.1; the peer's vendor ID sets
    /// the MMSAD flag through <see cref="VendorIdExtension"/>, 3.7.5.1/3.7.5.2), and EXCHANGE_INFO in Quick Mode: message 1
    /// carries the Acquire's ND_BOUNDARY / GUARANTEE_ENCRYPTION (3.7.4.1), message 2 carries ND_BOUNDARY when the
    /// responder's rule has Boundary (3.7.5.3); receiving them sets the QM SA's Boundary and Guaranteed Encryption flags
    /// (3.7.5.3, 3.7.5.4). Toward a peer that sent "MS NT5 ISAKMPOAKLEY" the notify carries the Quick Mode's Message ID
    /// first and an 8-byte SPI (2.2.6: "The EXCHANGE_INFO notify will always have the Message ID appended").
    /// Quick Mode message numbers are the hooks' (1–3; the specification's #5–#7).
    /// </summary>
    internal sealed class NegotiationDiscoveryExtension : IMainModeExtension, IQuickModeExtension
    {
        private readonly EngineContext _ctx;
        public NegotiationDiscoveryExtension(EngineContext ctx) => _ctx = ctx;

        private NdSecurityPolicy? Policy => NegotiationDiscoveryIke.PolicyOf(_ctx.Options);

        // ---- Main Mode ----

        public void Build(Phase1Session s, int message, List<IkePayload> payloads)
        {
            if ((message == 1 || message == 2) && Policy?.HasNegotiationDiscovery == true)
                payloads.Add(VendorIdPayload.For(VendorIdKind.NegotiationDiscoveryCapable));
        }

        public string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote)
        {
            if ((message == 1 || message == 2) && (s.Extensions & SaExtensions.NegotiationDiscovery) != 0)
                _ctx.Log(LogLevel.Debug, $"MM#{s.Row.Id}: peer is negotiation discovery capable (MS-IKEE 3.7.5.{message})");
            return null;
        }

        // ---- Quick Mode ----

        public void Build(QuickModeSession q, int message, List<IkePayload> payloads)
        {
            ExchangeInfoFlags flags;
            if (message == 1) flags = InitiatorFlags(q);
            else if (message == 2) flags = ResponderRule(q)?.Boundary == true ? ExchangeInfoFlags.NdBoundary : ExchangeInfoFlags.None;
            else return;
            if (flags == ExchangeInfoFlags.None) return;
            payloads.Add(ExchangeInfo(q, flags));
            _ctx.Log(LogLevel.Debug, $"QM#{q.Row.Id}: EXCHANGE_INFO {flags} in message {message}");
        }

        public string? Process(QuickModeSession q, int message, IReadOnlyList<IkePayload> payloads)
        {
            var flags = Read(q, payloads);
            if (message == 1)
            {
                // 3.7.5.3
                if ((flags & ExchangeInfoFlags.NdBoundary) != 0) q.Row.Boundary = true;
                if ((flags & ExchangeInfoFlags.GuaranteeEncryption) != 0) q.Row.GuaranteedEncryption = true;
            }
            else if (message == 2)
            {
                // 3.7.5.4. The initiator's own Guaranteed Encryption flag is not set by message 2: per 3.7.1 it holds when
                // the SA encrypts and was negotiated for a flow with Guaranteed Encryption (what message 1 announced).
                if ((flags & ExchangeInfoFlags.NdBoundary) != 0) q.Row.Boundary = true;
                if ((InitiatorFlags(q) & ExchangeInfoFlags.GuaranteeEncryption) != 0 && q.Chosen != null && q.Chosen.Encryption != EspTransformId.Null)
                    q.Row.GuaranteedEncryption = true;
            }
            return null;
        }

        /// <summary>3.7.4.1: the Acquire's flags (rule Boundary, flow Guaranteed Encryption); without one (a plain or administrator's request) the rule's.</summary>
        private ExchangeInfoFlags InitiatorFlags(QuickModeSession q)
        {
            if (q.Request != null && NegotiationDiscoveryIke.AcquireFlagsOf(q.Request) is ExchangeInfoFlags attached) return attached;
            var policy = Policy;
            if (policy == null) return ExchangeInfoFlags.None;
            var local = q.Request?.LocalTrafficSelector ?? new TrafficSelector(q.Row.LocalEndpoint.Address, q.Row.LocalEndpoint.Address);
            var remote = q.Request?.RemoteTrafficSelector ?? new TrafficSelector(q.Row.RemoteEndpoint.Address, q.Row.RemoteEndpoint.Address);
            var rule = Match(policy, local, remote);
            if (rule == null) return ExchangeInfoFlags.None;
            return (rule.Boundary ? ExchangeInfoFlags.NdBoundary : 0) | (rule.GuaranteeEncryption ? ExchangeInfoFlags.GuaranteeEncryption : 0);
        }

        /// <summary>3.7.5.3: "the SPD rule matching the traffic for which the QM SA is negotiated" (its traffic selectors).</summary>
        private NdRule? ResponderRule(QuickModeSession q)
        {
            var policy = Policy;
            if (policy == null) return null;
            var local = q.Row.LocalTrafficSelector ?? new TrafficSelector(q.Row.LocalEndpoint.Address, q.Row.LocalEndpoint.Address);
            var remote = q.Row.RemoteTrafficSelector ?? new TrafficSelector(q.Row.RemoteEndpoint.Address, q.Row.RemoteEndpoint.Address);
            return Match(policy, local, remote);
        }

        private static NdRule? Match(NdSecurityPolicy policy, TrafficSelector local, TrafficSelector remote)
        {
            try
            {
                return policy.MatchSelectors(NdAddress.From(local.Start), NdAddress.From(local.End), NdAddress.From(remote.Start), NdAddress.From(remote.End),
                    local.Protocol != 0 ? local.Protocol : remote.Protocol, local.Port, remote.Port);
            }
            catch (ArgumentException)
            {
                return null; // a selector of mixed families matches no rule
            }
        }

        internal static NotificationPayload ExchangeInfo(QuickModeSession q, ExchangeInfoFlags flags)
        {
            var data = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(data, (uint)flags);
            return q.Parent.PeerIsWindows
                ? NotificationPayload.ForWindowsQuickMode(NotifyMessageType.ExchangeInfo, ProtocolId.IpsecEsp, new byte[8], q.Row.MessageId, data)
                : new NotificationPayload(Doi.IpsecDoi, ProtocolId.IpsecEsp, NotifyMessageType.ExchangeInfo, ReadOnlyMemory<byte>.Empty, data);
        }

        /// <summary>The flags of the EXCHANGE_INFO notifies in a Quick Mode message (2.2.6), with or without the Windows Message ID.</summary>
        internal ExchangeInfoFlags Read(QuickModeSession q, IReadOnlyList<IkePayload> payloads)
        {
            var flags = ExchangeInfoFlags.None;
            foreach (var p in payloads)
            {
                if (!(p is NotificationPayload n) || n.MessageType != NotifyMessageType.ExchangeInfo) continue;
                ReadOnlyMemory<byte> data = n.Data;
                if (n.TryGetWindowsQuickModeMessageId(q.Parent.PeerIsWindows, out uint mid, out var rest))
                {
                    if (mid != q.Row.MessageId)
                    {
                        _ctx.Log(LogLevel.Debug, $"QM#{q.Row.Id}: EXCHANGE_INFO for Message ID {mid:x8}, not {q.Row.MessageId:x8}: ignored");
                        continue;
                    }
                    data = rest;
                }
                else if (data.Length == 8) data = data.Slice(4); // the Message ID form from a peer we did not take for Windows
                if (data.Length != 4)
                {
                    _ctx.Log(LogLevel.Debug, $"QM#{q.Row.Id}: EXCHANGE_INFO with {data.Length} bytes of flags ignored");
                    continue;
                }
                flags |= (ExchangeInfoFlags)BinaryPrimitives.ReadUInt32BigEndian(data.Span);
            }
            return flags & (ExchangeInfoFlags.NdBoundary | ExchangeInfoFlags.GuaranteeEncryption);
        }
    }
}
