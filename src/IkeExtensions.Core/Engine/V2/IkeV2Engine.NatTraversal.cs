using System;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Policy;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// NAT traversal for IKEv2 (RFC 7296 §2.23, RFC 3948): NAT detection notifies in IKE_SA_INIT, the initiator's move to
    /// the NAT-T port for IKE_AUTH and everything after (the UDP host frames IKE there with the non-ESP marker), the
    /// peer's address followed only on messages that pass the integrity check, NAT-keepalives from the side behind the
    /// NAT, and child SAs marked UDP-encapsulated.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        private static readonly byte[] NatKeepAlive = { 0xFF };

        /// <summary>
        /// NAT_DETECTION_SOURCE_IP and NAT_DETECTION_DESTINATION_IP for IKE_SA_INIT (§2.23), unless NAT traversal is off:
        /// sending them says we support NAT-T. With <see cref="IkeV2EngineOptions.ForceUdpEncapsulation"/> the source hash
        /// is random, so it cannot match and the peer believes we are behind a NAT (strongSwan's encap = yes does the same).
        /// </summary>
        private void AddNatDetection(IkeV2Session s, List<IkePayload> payloads, ulong spiI, ulong spiR, IPEndPoint local, IPEndPoint remote)
        {
            // A responder answers NAT detection only when the initiator started it (it says the initiator supports NAT-T).
            if (!_options.NatTraversal || (!s.IsOriginalInitiator && !s.PeerNatDetection)) return;
            byte[] source;
            if (_options.ForceUdpEncapsulation)
            {
                source = new byte[20];
                _options.Random.Fill(source);
                s.NatFaked = true;
            }
            else source = IkeV2Codec.NatHash(spiI, spiR, local);
            payloads.Add(new NotifyPayload(NotifyTypeV2.NatDetectionSourceIp, source));
            payloads.Add(new NotifyPayload(NotifyTypeV2.NatDetectionDestinationIp, IkeV2Codec.NatHash(spiI, spiR, remote)));
        }

        /// <summary>After CheckNat recorded what the hashes say: the initiator floats to the NAT-T port (§2.23).</summary>
        private void OnNatDetection(IkeV2Session s)
        {
            s.PeerNatDetection = true;
            bool nat = s.Row.NatDetectedLocal || s.Row.NatDetectedRemote;
            if (nat)
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} NAT detected ({(s.Row.NatDetectedLocal ? "in front of us" : "")}" +
                                   $"{(s.Row.NatDetectedLocal && s.Row.NatDetectedRemote ? ", " : "")}{(s.Row.NatDetectedRemote ? "in front of the peer" : "")})");
            if (!_options.NatTraversal || !s.IsOriginalInitiator || (!nat && !s.NatFaked)) return;
            // §2.23: once a NAT is detected, the initiator moves IKE to the NAT-T port (4500) from IKE_AUTH on, with the
            // non-ESP marker in front of every message (the UDP host adds it on that port, RFC 3948 §2.2).
            int peerNatPort = s.FirstChildRequest?.PeerNatPort ?? IkeExtensions.Capture.IkeDatagramClassifier.NatTraversalPort;
            var local = new IPEndPoint(s.Row.LocalEndpoint.Address, _options.LocalNatPort);
            var remote = new IPEndPoint(s.Row.RemoteEndpoint.Address, peerNatPort);
            if (local.Equals(s.Row.LocalEndpoint) && remote.Equals(s.Row.RemoteEndpoint)) return; // started on the NAT-T ports
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} floating to the NAT-T port: {local} -> {remote} (RFC 7296 §2.23)");
            MoveEndpoints(s, local, remote);
        }

        /// <summary>
        /// A message that passed the integrity check (and, being in the request window or answering our request, is new)
        /// came from <paramref name="remote"/> to <paramref name="local"/>. RFC 7296 §2.23: the responder follows the
        /// initiator's move to the NAT-T port; afterwards a host that is not behind a NAT follows a changed NAT mapping,
        /// a host behind a NAT does not (one forged-looking packet must not be able to move it). Forged or replayed
        /// messages never get here: TryOpen and the message ID window come first.
        /// </summary>
        private void FollowPeerAddress(IkeV2Session s, IPEndPoint local, IPEndPoint remote, bool request)
        {
            s.ReplyTo = request ? (local, remote) : ((IPEndPoint, IPEndPoint)?)null;
            if (local.Equals(s.Row.LocalEndpoint) && remote.Equals(s.Row.RemoteEndpoint)) return;
            bool onNatPort = s.Row.LocalEndpoint.Port == _options.LocalNatPort;
            bool floating = !onNatPort; // the first move, onto the NAT-T port
            string? refusal =
                !_options.NatTraversal ? "NAT traversal is off (MOBIKE is not supported)" :
                local.Port != _options.LocalNatPort ? "not on the NAT-T port (MOBIKE is not supported; an SA on 4500 stays there)" :
                onNatPort && s.Row.NatDetectedLocal ? "we are behind a NAT ourselves (RFC 7296 §2.23: no dynamic update then)" :
                null;
            if (refusal != null)
            {
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} valid message from {remote} to {local}, SA on {s.Row.LocalEndpoint} <-> {s.Row.RemoteEndpoint}: not followed, {refusal}");
                return;
            }
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} peer {(floating ? "floated" : "moved")} to {remote} (was {s.Row.RemoteEndpoint}); following (RFC 7296 §2.23)");
            MoveEndpoints(s, local, remote);
        }

        private void MoveEndpoints(IkeV2Session s, IPEndPoint local, IPEndPoint remote)
        {
            if (!s.IsOriginalInitiator && _byInitiator.TryGetValue((s.Row.InitiatorSpi, s.Row.RemoteEndpoint), out var mine) && ReferenceEquals(mine, s))
            {
                // Detach removes the entry under the current remote endpoint: keep the key in step.
                _byInitiator.Remove((s.Row.InitiatorSpi, s.Row.RemoteEndpoint));
                _byInitiator[(s.Row.InitiatorSpi, remote)] = s;
            }
            s.NatOriginalLocal ??= s.Row.LocalEndpoint;
            s.Row.LocalEndpoint = local;
            s.Row.RemoteEndpoint = remote;
            if (local.Port == _options.LocalNatPort)
            {
                s.Row.LocalUdpEncapsulationPort = local.Port;
                s.Row.RemoteUdpEncapsulationPort = remote.Port;
                // RFC 3948 §2.3: the side behind the NAT keeps the mapping alive; the first one an interval from now.
                if (s.Row.NatDetectedLocal && _options.NatKeepAliveInterval > TimeSpan.Zero && s.NextNatKeepAlive == null)
                    s.NextNatKeepAlive = Now + _options.NatKeepAliveInterval;
            }
        }

        /// <summary>RFC 3948 §2.3: one 0xFF octet to the peer's NAT-T port while we are behind a NAT (Poll).</summary>
        private void PollNatKeepAlive(IkeV2Session s, DateTime now)
        {
            if (s.NextNatKeepAlive is not DateTime due || now < due) return;
            if (s.Gone || !s.Row.NatDetectedLocal || (s.Row.State != IkeV2SaState.Authenticating && s.Row.State != IkeV2SaState.Established))
            {
                s.NextNatKeepAlive = null;
                return;
            }
            Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} NAT-keepalive to {s.Row.RemoteEndpoint}");
            _output.Send(s.Row.LocalEndpoint, s.Row.RemoteEndpoint, NatKeepAlive);
            s.NextNatKeepAlive = now + _options.NatKeepAliveInterval;
        }

        /// <summary>A NAT-keepalive (RFC 3948 §2.3) that reached the engine: nothing to do (the UDP host normally drops them).</summary>
        private static bool IsNatKeepAlive(ReadOnlyMemory<byte> datagram) => datagram.Length == 1 && datagram.Span[0] == 0xFF;

        /// <summary>
        /// A child of an IKE SA with a NAT (or forced encapsulation) is ESP in UDP (RFC 7296 §2.23, RFC 3948); the mode
        /// is named as on IKEv1 rows. Transport mode (§2.23.1): the traffic selectors carry the hosts' own addresses,
        /// which differ from the IKE SA's behind a NAT; they are recorded as the original addresses.
        /// </summary>
        private void MarkUdpEncapsulation(ChildSession c)
        {
            var s = c.Parent;
            if (!_options.NatTraversal || !(s.Row.NatDetectedLocal || s.Row.NatDetectedRemote || s.NatFaked)) return;
            c.Row.UdpEncapsulated = true;
            c.Row.EncapsulationMode = c.Mode == EncapsulationModeChoice.Transport ? "UdpEncapsulatedTransport" : "UdpEncapsulatedTunnel";
            if (c.Mode != EncapsulationModeChoice.Transport) return;
            // The child's initiator proposed TSi (its own address as it knows it) and TSr (the responder's as it knows it).
            var ours = SingleAddress(c.Row.LocalTrafficSelector);
            var theirs = SingleAddress(c.Row.RemoteTrafficSelector);
            if (ours == null || theirs == null || (ours.Equals(s.Row.LocalEndpoint.Address) && theirs.Equals(s.Row.RemoteEndpoint.Address))) return;
            c.Row.PeerOriginalInitiatorAddress = c.Row.IsInitiator ? ours : theirs;
            c.Row.PeerOriginalResponderAddress = c.Row.IsInitiator ? theirs : ours;
            Log(LogLevel.Info, $"CHILD#{c.Row.Id} transport mode through a NAT: selectors {ours} === {theirs}, IKE SA {s.Row.LocalEndpoint.Address} <-> " +
                               $"{s.Row.RemoteEndpoint.Address}; original addresses recorded (RFC 7296 §2.23.1)");
        }

        private static IPAddress? SingleAddress(TrafficSelectorV2? ts) => ts != null && ts.Start.Equals(ts.End) ? ts.Start : null;

        /// <summary>The IKE SA was started from <paramref name="local"/> (before it floated to the NAT-T port).</summary>
        private static bool StartedFrom(IkeV2Session s, IPEndPoint local) =>
            s.Row.LocalEndpoint.Equals(local) || (s.NatOriginalLocal != null && s.NatOriginalLocal.Equals(local));

        /// <summary>
        /// RFC 7296 §2.11: a response goes to the address and port the request came from — also when the SA did not follow
        /// that address (we are behind a NAT ourselves), so the peer still gets its answer.
        /// </summary>
        private void SendResponseRaw(IkeV2Session s, byte[] datagram)
        {
            if (s.ReplyTo is (IPEndPoint local, IPEndPoint remote)) SendRawTo(local, remote, datagram);
            else SendRaw(s, datagram);
        }

        /// <summary>§2.11: a response goes back where its request came from — also a retransmitted one, without moving the SA.</summary>
        private void SendRawTo(IPEndPoint local, IPEndPoint remote, byte[] datagram)
        {
            if (SendFragments(local, remote, datagram)) return; // RFC 7383 §2.5: a fragmented message goes as its fragments
            Statistics.Sent();
            _output.Send(local, remote, datagram);
        }
    }
}
