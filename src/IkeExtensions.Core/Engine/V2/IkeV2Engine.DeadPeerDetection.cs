using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ MS-IKEE 3.12: dead peer detection
        // The host's IPsec data path reports traffic per child SA; the engine keeps the ADM (3.12.1: InboundPacketTimeStamp
        // and the DeadPeerDetection flag on the IKE SA), runs the QM SA idle timer (3.12.2) and the heuristics of 3.12.4.
        // Everything is off unless IkeV2EngineOptions.DeadPeerDetection is set; times come from the injected clock.

        private ChildSession? EstablishedChild(long childId) =>
            _bySpi.Values.Where(s => !s.Gone && s.Row.State == IkeV2SaState.Established)
                .SelectMany(s => s.Children).FirstOrDefault(c => c.Row.Id == childId && c.Row.State == QuickModeSaState.Established);

        /// <summary>
        /// 3.12.5.1: "The stack receives an inbound UDP packet and determines the corresponding connection state ... then it
        /// sets the InboundPacketTimeStamp to the current time." False: no such established child SA.
        /// </summary>
        public bool ReportInboundTraffic(long childId)
        {
            var c = EstablishedChild(childId);
            if (c == null) return false;
            c.LastTrafficAt = Now;
            c.Parent.Row.InboundPacketTimeStamp = Now;
            return true;
        }

        /// <summary>
        /// 3.12.4.2 UDP dead peer detection: on an outbound packet, when the SA "has seen [no] packet in the other direction"
        /// for more than 20 seconds (<see cref="IkeV2EngineOptions.DeadPeerDetectionInboundGap"/>), the DeadPeerDetection
        /// flag is set and the child SA is rekeyed. False: no such established child SA.
        /// </summary>
        public bool ReportOutboundTraffic(long childId)
        {
            var c = EstablishedChild(childId);
            if (c == null) return false;
            c.LastTrafficAt = Now;
            if (!_options.DeadPeerDetection) return true;
            var row = c.Parent.Row;
            // No inbound packet yet: the gap counts from the child's negotiation, which the peer took part in.
            var since = row.InboundPacketTimeStamp ?? c.Row.EstablishedAt ?? Now;
            if (Now - since > _options.DeadPeerDetectionInboundGap)
                StartDeadPeerDetection(c, $"no inbound packet for {(Now - since).TotalSeconds:0} s while sending (MS-IKEE 3.12.4.2)");
            return true;
        }

        /// <summary>3.12.4.1 TCP dead peer detection: the stack saw a TCP retransmission on this child's traffic. False: no such child SA.</summary>
        public bool ReportTcpRetransmission(long childId)
        {
            var c = EstablishedChild(childId);
            if (c == null) return false;
            c.LastTrafficAt = Now;
            if (_options.DeadPeerDetection) StartDeadPeerDetection(c, "TCP retransmission (MS-IKEE 3.12.4.1)");
            return true;
        }

        /// <summary>
        /// Sets the DeadPeerDetection flag and "MUST attempt to rekey the QM SA": in IKEv2 a CREATE_CHILD_SA with REKEY_SA
        /// for the child (RFC 7296 §1.3.3), same mode and selectors. Once dead peer detection runs on an IKE SA, further
        /// reports wait for its outcome.
        /// </summary>
        private void StartDeadPeerDetection(ChildSession old, string trigger)
        {
            var s = old.Parent;
            if (s.Row.DeadPeerDetection) return;
            s.Row.DeadPeerDetection = true;
            Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} dead peer detection: {trigger}; rekeying CHILD#{old.Row.Id}");
            var c = NewChild(s, null, initiator: true);
            c.Mode = old.Mode;
            c.ProposedLocal.Add(old.Row.LocalTrafficSelector ?? TrafficSelectorV2.Host(s.Row.LocalEndpoint.Address));
            c.ProposedRemote.Add(old.Row.RemoteTrafficSelector ?? TrafficSelectorV2.Host(s.Row.RemoteEndpoint.Address));
            c.NonceI = NewNonce();
            c.Replaces = old;
            s.DeadPeerRekey = c;
            var policy = s.SelectedPolicy ?? _options.Policy;
            var payloads = new List<IkePayload>
            {
                new NotifyPayload(NotifyTypeV2.RekeySa, default, (byte)ProtocolIdV2.Esp, IkeV2Codec.SpiBytes(old.Row.InboundSpi)),
                new SecurityAssociationPayload(policy.Child.Select((p, i) => IkeV2Codec.Child((byte)(i + 1), p, c.Row.InboundSpi, withDh: true)).ToList()),
                new NoncePayload(c.NonceI, 2),
            };
            int pfs = policy.Child[0].PfsGroup;
            if (pfs != 0)
            {
                c.Dh = DhGroups.Get(pfs).Generate(_options.Random);
                payloads.Add(new KeyExchangePayload((ushort)pfs, c.Dh.PublicValue));
            }
            if (c.Mode == Policy.EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            payloads.Add(IkeV2Codec.Ts(true, c.ProposedLocal));
            payloads.Add(IkeV2Codec.Ts(false, c.ProposedRemote));
            AddSecurityRealmVendorId(s, payloads);
            SendRequest(s, RequestKind.CreateChild, ExchangeType.CreateChildSa, payloads, c);
        }

        /// <summary>
        /// 3.12.7.1: "Upon successful negotiation of a QM SA, the host MUST set the DeadPeerDetection to FALSE" (also for the
        /// IKE SA). The QM SA idle timer starts (3.12.2). When the child rekeys one for dead peer detection, the old one goes.
        /// </summary>
        private void DeadPeerChildEstablished(ChildSession c)
        {
            var s = c.Parent;
            c.LastTrafficAt = Now;
            if (s.Row.DeadPeerDetection) Log(LogLevel.Info, $"IKEv2#{s.Row.Id} dead peer detection ends: CHILD#{c.Row.Id} negotiated, the peer is alive");
            s.Row.DeadPeerDetection = false;
            if (s.DeadPeerRekey == c) s.DeadPeerRekey = null;
            if (c.Replaces != null && s.Children.Contains(c.Replaces) && c.Replaces.Row.State == QuickModeSaState.Established)
                DeleteChild(c.Replaces, $"rekeyed by CHILD#{c.Row.Id} (dead peer detection)");
            c.Replaces = null;
        }

        /// <summary>
        /// Timers for one established IKE SA: the QM SA idle timer (3.12.6.1: "the host MUST delete all states for the
        /// corresponding QM SA"), and the end of a dead peer rekey the peer answered with a refusal (the peer is alive).
        /// </summary>
        private void PollDeadPeerDetection(IkeV2Session s, DateTime now)
        {
            if (!_options.DeadPeerDetection || s.Gone || s.Row.State != IkeV2SaState.Established) return;
            if (s.DeadPeerRekey != null && !s.Children.Contains(s.DeadPeerRekey))
            {
                // 3.12.4: "On failure of a quick mode rekey, the host ... MUST attempt to rekey MM SA ... with a maximum of
                // two retransmissions." In IKEv2 that is a CREATE_CHILD_SA rekeying the IKE SA (RFC 7296 §1.3.2).
                long? failed = s.DeadPeerRekey.Replaces?.Row.Id;
                s.DeadPeerRekey = null;
                StartDeadPeerIkeRekey(s, failed);
            }
            if (s.Gone) return;
            foreach (var c in s.Children.ToList())
            {
                if (c.Row.State != QuickModeSaState.Established || c.LastTrafficAt == null) continue;
                if (now - c.LastTrafficAt.Value >= _options.ChildIdleTimeout)
                {
                    c.LastTrafficAt = null;
                    DeleteChild(c, $"QM SA idle timer expired: no traffic for {_options.ChildIdleTimeout.TotalSeconds:0} s (MS-IKEE 3.12.6.1)");
                }
            }
        }

        private void StartDeadPeerIkeRekey(IkeV2Session s, long? failedChild)
        {
            if (!StartIkeRekey(s, $"dead peer detection: the rekey of CHILD#{failedChild} failed (MS-IKEE 3.12.4)"))
            {
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} dead peer detection ends: the rekey of CHILD#{failedChild} was refused and the IKE SA cannot be rekeyed now");
                s.Row.DeadPeerDetection = false;
                return;
            }
            s.DeadPeerIkeRekey = true;
            if (s.Pending?.Kind == RequestKind.RekeyIke) s.Pending.RetransmitLimit = 2;
        }

        /// <summary>3.12.7.1 for the IKE SA: the peer answered its dead peer rekey (rekeyed or refused), so the peer is alive.</summary>
        private void DeadPeerIkeRekeyDone(IkeV2Session s, string outcome)
        {
            if (!s.DeadPeerIkeRekey) return;
            s.DeadPeerIkeRekey = false;
            s.Row.DeadPeerDetection = false;
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} dead peer detection ends: {outcome}, the peer is alive");
        }

        private DateTime? NextDeadPeerDeadline(IkeV2Session s)
        {
            if (!_options.DeadPeerDetection || s.Row.State != IkeV2SaState.Established) return null;
            DateTime? next = null;
            foreach (var c in s.Children)
                if (c.Row.State == QuickModeSaState.Established && c.LastTrafficAt is DateTime t && (next == null || t + _options.ChildIdleTimeout < next))
                    next = t + _options.ChildIdleTimeout;
            return next;
        }

        /// <summary>
        /// The peer never answered the dead peer rekey (the retransmission limit is reached): "the peer is deemed dead"
        /// (3.12.4). The IKE SA is deleted with this reason.
        /// </summary>
        private static string DeadPeerReason(IkeV2Session s, OutstandingRequest p, string why) =>
            s.Row.DeadPeerDetection && p.Child != null && p.Child == s.DeadPeerRekey
                ? $"dead peer: {why} to the dead peer detection rekey of CHILD#{p.Child.Replaces?.Row.Id} (MS-IKEE 3.12.4)"
                : s.DeadPeerIkeRekey && p.Kind == RequestKind.RekeyIke
                    ? $"dead peer: {why} to the dead peer detection rekey of the IKE SA (MS-IKEE 3.12.4)"
                    : why;
    }
}
