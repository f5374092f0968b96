using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// IKE fragmentation (MS-IKEE 3.3). Main Mode: the "FRAGMENTATION" vendor ID in messages 1 and 2 (3.3.4.1, 3.3.5.1)
    /// and the peer's into the SA's "Fragmentation supported" flag (3.3.5.1, 3.3.5.2). Message layer: messages carrying
    /// an ID payload are split into Fragment payloads (3.3.6.1) when the SA's "Fragmentation active" flag is set (the
    /// peer fragments to us, note 18), when the message's fragmentation timer expired before a retransmission (3.3.2),
    /// or always with <see cref="IkeV1EngineOptions.ForceFragmentation"/>; received fragments are reassembled (3.3.5.3).
    /// <para>
    /// Fragment Data form. 3.3.5.3 reads as if the Fragment Data were the message minus its header ("the ISAKMP header
    /// from the first fragment" + the data), but the header a fragment carries has Next Payload = Fragment and the E
    /// flag cleared (3.3.6.1), so a message rebuilt that way would lose its first payload type and its encryption flag:
    /// that reading cannot be decoded. What implementations put on the wire is the complete original message, header
    /// included, sliced: strongSwan (encoding/message.c fragments the finished packet) and the real capture
    /// Vectors/captures/ikev1-fragmentation-force.pcap, whose two Fragment Data fields concatenate to MM3 with its own
    /// header (StrongSwanCaptureTests.IkeV1_ForcedFragmentation_YieldsMsIkee_2_2_3_1_FragmentPayloads).
    /// We send that form and accept it: the concatenated data must itself be an ISAKMP message with the fragments'
    /// cookies.
    /// </para>
    /// </summary>
    internal sealed class FragmentationExtension : IMainModeExtension, IMessageFragmentation
    {
        /// <summary>MS-IKEE 3.3.1 / 3.3.6.1: the minimum MTU of the protocol, the size of every fragment but the last.</summary>
        public const int Ipv4MinimumMtu = 576, Ipv6MinimumMtu = 1280;
        private const int Ipv4Header = 20, Ipv6Header = 40, UdpHeader = 8, NonEspMarker = 4;
        /// <summary>Messages per SA whose fragmentation timers we track (the last Main Mode message and concurrent Quick Modes).</summary>
        private const int TimersPerSa = 4;

        private sealed class SentMessage
        {
            public SentMessage(byte[] datagram, DateTime at) { Datagram = datagram; FirstSentAt = at; }
            public byte[] Datagram { get; }
            public DateTime FirstSentAt { get; }
        }

        private readonly EngineContext _ctx;
        private readonly FragmentReassembly _reassembly;
        /// <summary>3.3.2 fragmentation timers: when each message still being (re)sent went out first. Dies with the session.</summary>
        private readonly ConditionalWeakTable<Phase1Session, List<SentMessage>> _timers = new ConditionalWeakTable<Phase1Session, List<SentMessage>>();
        /// <summary>3.3.1 Fragment ID counter: 16 bits, global, zero at start (3.3.3); incremented before each use (3.3.6.1).</summary>
        private ushort _fragmentIdCounter;
        /// <summary>A Main Mode #1 reassembled before its SA existed: the SA made from it starts with "Fragmentation active".</summary>
        private (ulong Cookie, IPAddress Peer)? _fragmentedFirstMessage;

        private FragmentationExtension(EngineContext ctx)
        {
            _ctx = ctx;
            _reassembly = new FragmentReassembly(ctx.Options, why => _ctx.Log(LogLevel.Debug, "IKE fragments " + why));
        }

        /// <summary>Creates the extension and makes it the engine's message-layer fragmentation.</summary>
        public static FragmentationExtension Install(EngineContext ctx)
        {
            var f = new FragmentationExtension(ctx);
            ctx.Fragmentation = f;
            return f;
        }

        /// <summary>Fragment IDs being reassembled (bounded by <see cref="IkeV1EngineOptions.MaxReassemblyQueues"/>).</summary>
        internal int ReassemblyQueueCount => _reassembly.QueueCount;
        internal long ReassemblyQueuedBytes => _reassembly.QueuedBytes;

        private bool Enabled => _ctx.Options.IkeFragmentation;

        // ---- Main Mode ----

        public void Build(Phase1Session s, int message, List<IkePayload> payloads)
        {
            // 3.3.4.1 / 3.3.5.1: the 16-byte "FRAGMENTATION" vendor ID (strongSwan accepts it and sends a 20-byte form).
            if (Enabled && (message == 1 || message == 2)) payloads.Add(VendorIdPayload.For(VendorIdKind.Fragmentation));
        }

        public string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote)
        {
            if (message != 1 && message != 2) return null;
            // 3.3.5.1 / 3.3.5.2: VendorIdExtension has read the vendor IDs (16 or 20 bytes) into the SA's flags.
            s.Row.FragmentationSupported = Enabled && (s.Extensions & SaExtensions.Fragmentation) != 0;
            if (message == 1 && _fragmentedFirstMessage is (ulong cookie, IPAddress peer) && cookie == s.Row.InitiatorCookie && peer.Equals(remote.Address))
            {
                s.Row.FragmentationActive = true; // note 18: message 1 itself came in fragments
                _fragmentedFirstMessage = null;
            }
            return null;
        }

        // ---- message layer: sending (3.3.6.1) ----

        public IReadOnlyList<byte[]> Outbound(Phase1Session s, byte[] datagram, bool carriesId, bool retransmission)
        {
            // 3.3.6.1: only messages that carry an Identification payload are ever fragmented.
            if (!Enabled || !carriesId) return new[] { datagram };
            bool timerExpired = TimerExpired(s, datagram, retransmission);
            string? reason = _ctx.Options.ForceFragmentation ? "forced"
                : !s.Row.FragmentationSupported ? null
                : s.Row.FragmentationActive ? "fragmentation active"
                : timerExpired ? $"fragmentation timer ({_ctx.Options.FragmentationTimer.TotalSeconds:0.#} s) expired"
                : null;
            if (reason == null) return new[] { datagram };

            bool ipv4 = Ipv4(s.Row.RemoteEndpoint.Address);
            int mtu = _ctx.Options.FragmentMtu ?? (ipv4 ? Ipv4MinimumMtu : Ipv6MinimumMtu);
            int room = mtu - (ipv4 ? Ipv4Header : Ipv6Header) - UdpHeader - (Encapsulated(s) ? NonEspMarker : 0);
            // A message that fits one datagram of that size goes whole (as strongSwan's force does): one fragment gains nothing.
            if (datagram.Length <= room) return new[] { datagram };
            int slice = room - IsakmpHeader.Size - FragmentPayload.HeaderSize;
            int count = (datagram.Length + slice - 1) / slice;
            if (count > byte.MaxValue || !IsakmpHeader.TryRead(datagram, out var original, out _))
            {
                _ctx.Log(LogLevel.Warning, $"MM#{s.Row.Id}: a {datagram.Length}-byte message cannot be split into at most 255 fragments of {mtu} bytes; sent whole");
                return new[] { datagram };
            }

            // 3.3.6.1: the original header with Next Payload = Fragment and the E flag cleared. Exchange type and Message ID:
            // for Main Mode messages the original's are ID_PROT and 0 anyway; for a Quick Mode message carrying client IDs
            // we also write ID_PROT and Message ID 0, as strongSwan does ("other implementations seem to just use 0 as
            // message ID", encoding/message.c create_fragment), because strongSwan's QUICK_MODE message rules have no
            // Fragment payload: a QUICK_MODE-typed fragment fails its "payload type FRAGMENT was not encrypted" check.
            // On receipt both forms are accepted (the inner message's own header is what gets processed).
            _fragmentIdCounter = unchecked((ushort)(_fragmentIdCounter + 1));
            ushort id = _fragmentIdCounter;
            var header = original.With(nextPayload: PayloadType.Fragment, flags: original.Flags & ~HeaderFlags.Encryption, length: 0,
                messageId: 0, exchangeType: ExchangeType.IdentityProtection);
            var fragments = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                int offset = i * slice;
                var data = new ReadOnlyMemory<byte>(datagram, offset, Math.Min(slice, datagram.Length - offset));
                byte number = (byte)(i + 1);
                var payload = new FragmentPayload(id, number, i == count - 1 ? FragmentPayload.LastFragmentFlag : (byte)0, data);
                fragments[i] = new IkeMessage(header, new IkePayload[] { payload }).Encode();
            }
            _ctx.Log(LogLevel.Info, $"MM#{s.Row.Id}: {(retransmission ? "retransmitting" : "sending")} {original.ExchangeType} message ({datagram.Length} bytes) " +
                $"as {count} fragments of at most {mtu}-byte datagrams, fragment ID {id} ({reason})");
            return fragments; // 3.3.6.1: sent back-to-back by the caller
        }

        /// <summary>
        /// 3.3.2: the fragmentation timer starts when a message is first sent; a retransmission after it expired goes out
        /// fragmented. Retransmissions hand in the same array as the first transmission.
        /// </summary>
        private bool TimerExpired(Phase1Session s, byte[] datagram, bool retransmission)
        {
            var sent = _timers.GetValue(s, _ => new List<SentMessage>());
            var now = _ctx.Now;
            if (retransmission)
            {
                foreach (var m in sent)
                    if (ReferenceEquals(m.Datagram, datagram)) return now - m.FirstSentAt >= _ctx.Options.FragmentationTimer;
            }
            // A new message (or a retransmission we never saw go out): its timer starts now.
            if (sent.Count >= TimersPerSa) sent.RemoveAt(0);
            sent.Add(new SentMessage(datagram, now));
            return false;
        }

        private bool Encapsulated(Phase1Session s) =>
            (s.Conditions & SaConditions.FloatedToNatPort) != 0 || s.Row.LocalEndpoint.Port == _ctx.Options.LocalNatPort ||
            s.Row.LocalEndpoint.Port == 4500 || s.Row.RemoteEndpoint.Port == 4500;

        private static bool Ipv4(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork || a.IsIPv4MappedToIPv6;

        // ---- message layer: receiving (3.3.5.3) ----

        public byte[]? Inbound(IPEndPoint local, IPEndPoint remote, IkeMessage fragmentMessage)
        {
            if (fragmentMessage.Payloads.Count != 1 || !(fragmentMessage.Payloads[0] is FragmentPayload fragment))
            {
                // 3.3.5.3: a Fragment payload must be the only payload of its message.
                _ctx.Statistics.Malformed();
                return null;
            }
            var h = fragmentMessage.Header;
            if (!Enabled)
            {
                _ctx.Statistics.Dropped();
                _ctx.Log(LogLevel.Debug, $"IKE fragment from {remote} dropped: IKE fragmentation is off");
                return null;
            }

            // Note 18: the "Fragmentation active" flag is set on receipt of a Fragment payload for the SA.
            Phase1Session? s = null;
            if (_ctx.Sessions.TryGetValue((h.InitiatorSpi, remote.Address), out var found) &&
                (found.Row.ResponderCookie == h.ResponderSpi || (h.ResponderSpi == 0 && !found.IsInitiator)))
                s = found;
            if (s != null && !s.Row.FragmentationActive)
            {
                s.Row.FragmentationActive = true;
                _ctx.Log(LogLevel.Debug, $"MM#{s.Row.Id}: the peer sends fragments: fragmentation active (MS-IKEE 3.3.5.3 note 18)");
            }

            var whole = _reassembly.Add(new FragmentReassembly.Key(remote.Address, h.InitiatorSpi, fragment.FragmentId), fragment, _ctx.Now);
            if (whole == null)
            {
                return null;
            }

            // The data must be a complete ISAKMP message of the same cookies (see the class comment for the form).
            if (!IsakmpHeader.TryRead(whole, out var inner, out _) || inner.InitiatorSpi != h.InitiatorSpi || inner.ResponderSpi != h.ResponderSpi ||
                inner.Length != (uint)whole.Length)
            {
                _ctx.Statistics.Malformed();
                _ctx.Log(LogLevel.Debug, $"IKE fragments: fragment ID {fragment.FragmentId} from {remote} reassembled into {whole.Length} bytes that are not " +
                    "an ISAKMP message with the fragments' cookies and length; dropped");
                return null;
            }
            _ctx.Log(LogLevel.Debug, $"IKE fragments: fragment ID {fragment.FragmentId} from {remote} reassembled into a {whole.Length}-byte {inner.ExchangeType} message");
            if (s == null && inner.ResponderSpi == 0) _fragmentedFirstMessage = (h.InitiatorSpi, remote.Address);
            return whole;
        }

        /// <summary>3.3.6.2: queues whose reassembly timer expired are discarded.</summary>
        public void Poll(DateTime now) => _reassembly.Expire(now);
        public DateTime? NextDeadline() => _reassembly.NextExpiry;
    }
}
