using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// NAT traversal (MS-IKEE 3.2, RFC 3947): advertise both revisions in messages 1 and 2 (3.2.4.1, 3.2.5.1), select
    /// RFC 3947 when both are shared, exchange NAT-D hashes in messages 3 and 4, and when a NAT sits in between move the
    /// exchange to the NAT-T port with the non-ESP marker (RFC 3947 §4) and keep the mapping alive (RFC 3948 §4).
    /// </summary>
    internal sealed class NatTraversalExtension : IMainModeExtension, IQuickModeExtension
    {
        /// <summary>MS-IKEE 3.2.2 note 14: Windows sends a NAT-T keep-alive every 20 seconds.</summary>
        public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(20);
        private static readonly byte[] KeepAlive = { 0xFF };

        private readonly EngineContext _ctx;
        public NatTraversalExtension(EngineContext ctx) => _ctx = ctx;

        private bool Enabled => _ctx.Options.NatTraversal && (_ctx.Options.NatTraversalRfc3947 || _ctx.Options.NatTraversalDraft02);

        // ---- Main Mode ----

        public void Build(Phase1Session s, int message, List<IkePayload> payloads)
        {
            if (!Enabled) return;
            if (message == 1 || message == 2)
            {
                // 3.2.4.1: one vendor ID per revision we speak; 3.2.5.1: message 2 advertises exactly what message 1 would.
                if (_ctx.Options.NatTraversalRfc3947) payloads.Add(VendorIdPayload.For(VendorIdKind.NatTraversalRfc3947));
                if (_ctx.Options.NatTraversalDraft02) payloads.Add(VendorIdPayload.For(VendorIdKind.NatTraversalDraft02));
            }
            else if ((message == 3 || message == 4) && s.Row.NatTraversalRevision != NatTraversalRevision.None)
            {
                // RFC 3947 §3.2: first the destination (the peer as we address it), then our source.
                var revision = s.Row.NatTraversalRevision;
                payloads.Add(new NatDiscoveryPayload(Hash(s, s.Row.RemoteEndpoint), revision));
                payloads.Add(new NatDiscoveryPayload(Hash(s, s.Row.LocalEndpoint), revision));
            }
        }

        public string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote)
        {
            if (!Enabled) return null;
            if (message == 1 || message == 2)
            {
                // 3.2.5.1: RFC 3947 when both revisions are shared; the common one otherwise; none if none.
                bool rfc = (s.Extensions & SaExtensions.NatTraversalRfc3947) != 0 && _ctx.Options.NatTraversalRfc3947;
                bool draft = (s.Extensions & SaExtensions.NatTraversalDraft02) != 0 && _ctx.Options.NatTraversalDraft02;
                s.Row.NatTraversalRevision = rfc ? NatTraversalRevision.Rfc3947 : draft ? NatTraversalRevision.Draft02 : NatTraversalRevision.None;
                return null;
            }
            if ((message != 3 && message != 4) || s.Row.NatTraversalRevision == NatTraversalRevision.None) return null;

            var revision = s.Row.NatTraversalRevision;
            var hashes = payloads.OfType<NatDiscoveryPayload>().Where(d => d.Revision == revision).ToList();
            if (hashes.Count < 2) return null; // the peer did not run NAT detection: no NAT handling
            // The first hash is how the peer addressed us; the rest are the peer's own source candidates.
            bool natHere = !CryptoBytes.FixedTimeEquals(hashes[0].Data.Span, Hash(s, local));
            byte[] seen = Hash(s, remote);
            bool natThere = !hashes.Skip(1).Any(h => CryptoBytes.FixedTimeEquals(h.Data.Span, seen));
            if (natHere) s.Conditions |= SaConditions.NatHere;
            if (natThere) s.Conditions |= SaConditions.NatThere;
            s.Row.NatDetectedLocal = natHere;
            s.Row.NatDetectedRemote = natThere;
            if (natHere || natThere)
            {
                _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id}: NAT detected ({(natHere ? "in front of us" : "")}{(natHere && natThere ? ", " : "")}{(natThere ? "in front of the peer" : "")}), {revision}");
                if (s.IsInitiator) Float(s, new IPEndPoint(s.Row.RemoteEndpoint.Address, s.PeerNatPort));
            }
            return null;
        }

        /// <summary>RFC 3947 §4: the initiator moves to the NAT-T ports for message 5; the responder follows where it came from.</summary>
        public void Float(Phase1Session s, IPEndPoint remote, IPEndPoint? local = null)
        {
            s.Row.LocalEndpoint = local ?? new IPEndPoint(s.Row.LocalEndpoint.Address, _ctx.Options.LocalNatPort);
            s.Row.RemoteEndpoint = remote;
            s.Row.LocalUdpEncapsulationPort = s.Row.LocalEndpoint.Port;
            s.Row.RemoteUdpEncapsulationPort = remote.Port;
            s.Conditions |= SaConditions.FloatedToNatPort;
            if ((s.Conditions & SaConditions.NatHere) != 0) s.NextKeepAlive = _ctx.Now + KeepAliveInterval;
        }

        /// <summary>RFC 3948 §4: keep the NAT mapping alive while we are behind it.</summary>
        public void Poll(Phase1Session s, DateTime now)
        {
            if (s.NextKeepAlive is DateTime due && now >= due && (s.Conditions & SaConditions.NatHere) != 0)
            {
                _ctx.SendRaw(s, KeepAlive);
                s.NextKeepAlive = now + KeepAliveInterval;
            }
        }

        /// <summary>HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash (RFC 3947 §3.2).</summary>
        private static byte[] Hash(Phase1Session s, IPEndPoint ep)
        {
            byte[] ip = ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4().GetAddressBytes() : ep.Address.GetAddressBytes();
            var input = new byte[16 + ip.Length + 2];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input, s.Row.InitiatorCookie);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(8), s.Row.ResponderCookie);
            ip.CopyTo(input, 16);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(16 + ip.Length), (ushort)ep.Port);
            return HashAlgorithms.For(s.Chosen!.Hash).Compute(input);
        }

        // ---- Quick Mode ----

        public static bool NatDetected(Phase1Session s) => (s.Conditions & (SaConditions.NatHere | SaConditions.NatThere)) != 0;

        /// <summary>The encapsulation mode on the wire: UDP-encapsulated when a NAT was detected, numbered by the revision (MS-IKEE 2.2.2).</summary>
        public static EncapsulationMode WireMode(Phase1Session s, EncapsulationMode mode)
        {
            if (!NatDetected(s)) return mode;
            var revision = s.Row.NatTraversalRevision;
            return mode == EncapsulationMode.Tunnel ? revision.UdpTunnelMode() : revision.UdpTransportMode();
        }

        /// <summary>Reads a wire mode through the selected revision (MS-IKEE 3.2.5.3); UDP modes only when a NAT was detected.</summary>
        public static EncapsulationMode? BaseMode(Phase1Session s, EncapsulationMode wire)
        {
            if (!s.Row.NatTraversalRevision.TryInterpretMode((ushort)wire, out var mode, out bool udp) && !(wire == EncapsulationMode.Tunnel || wire == EncapsulationMode.Transport))
                return null;
            if (udp != NatDetected(s)) return null;
            return mode == EncapsulationMode.Tunnel || mode == EncapsulationMode.UdpEncapsulatedTunnel || mode == EncapsulationMode.UdpEncapsulatedTunnelDraft
                ? EncapsulationMode.Tunnel : EncapsulationMode.Transport;
        }

        public void Build(QuickModeSession q, int message, List<IkePayload> payloads)
        {
            var s = q.Parent;
            // RFC 3947 §5.2 sends original addresses in transport mode; MS-IKEE 3.1.5 whenever this host is behind a NAT.
            if (message > 2 || !NatDetected(s)) return;
            if (q.Mode != EncapsulationMode.Transport && (s.Conditions & SaConditions.NatHere) == 0) return;
            var revision = s.Row.NatTraversalRevision;
            // The Quick Mode's roles, not the Main Mode's: either side may start a Quick Mode.
            var initiator = q.Row.IsInitiator ? s.Row.LocalEndpoint.Address : s.Row.RemoteEndpoint.Address;
            var responder = q.Row.IsInitiator ? s.Row.RemoteEndpoint.Address : s.Row.LocalEndpoint.Address;
            payloads.Add(new NatOriginalAddressPayload(initiator, revision));
            payloads.Add(new NatOriginalAddressPayload(responder, revision));
        }

        public string? Process(QuickModeSession q, int message, IReadOnlyList<IkePayload> payloads)
        {
            var oa = payloads.OfType<NatOriginalAddressPayload>().Where(o => o.Revision == q.Parent.Row.NatTraversalRevision).ToList();
            if (oa.Count >= 2)
            {
                q.Row.PeerOriginalInitiatorAddress = oa[0].Address;
                q.Row.PeerOriginalResponderAddress = oa[1].Address;
            }
            return null;
        }
    }
}
