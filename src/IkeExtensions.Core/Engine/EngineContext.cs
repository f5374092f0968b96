using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Tables;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine
{
    /// <summary>What the exchange handlers share: options, output, tables, counters and the session index.</summary>
    internal sealed class EngineContext
    {
        private long _nextId;

        public EngineContext(IkeV1EngineOptions options, IEngineOutput output)
        {
            Options = options;
            Output = output;
        }

        public IkeV1EngineOptions Options { get; }
        public IEngineOutput Output { get; }
        public MainModeSaDatabase MainModeSas { get; } = new MainModeSaDatabase();
        public SecurityAssociationDatabase QuickModeSas { get; } = new SecurityAssociationDatabase();
        public EngineStatistics Statistics { get; } = new EngineStatistics();
        /// <summary>
        /// Sessions by initiator cookie and peer address — not port, because NAT-T floats the peer to 4500 mid-exchange
        /// (RFC 3947 §4); the responder cookie is checked on the row.
        /// </summary>
        public Dictionary<(ulong, IPAddress), Phase1Session> Sessions { get; } = new Dictionary<(ulong, IPAddress), Phase1Session>();
        public int HalfOpen;

        /// <summary>MS-IKEE 3.9 DoS protection (counts one-message negotiations, issues stateless cookies).</summary>
        public Extensions.DosProtection Dos { get; set; } = null!;

        /// <summary>A responder negotiation began: it is half-open and has received one message.</summary>
        public void TrackHalfOpen(Phase1Session s)
        {
            HalfOpen++;
            s.HalfOpenCounted = true;
            Dos.Count(s.Row.RemoteEndpoint.Address, +1);
            s.OneMessageCounted = true;
        }

        /// <summary>The negotiation received more than message 1 (MS-IKEE 3.9.7 counts only those that have not).</summary>
        public void OneMessageDone(Phase1Session s)
        {
            if (!s.OneMessageCounted) return;
            s.OneMessageCounted = false;
            Dos.Count(s.Row.RemoteEndpoint.Address, -1);
        }

        /// <summary>The negotiation completed, failed or was removed.</summary>
        public void ReleaseHalfOpen(Phase1Session s)
        {
            OneMessageDone(s);
            if (!s.HalfOpenCounted) return;
            s.HalfOpenCounted = false;
            HalfOpen--;
        }

        public DateTime Now => Options.Clock.UtcNow;
        public long NextId() => ++_nextId;

        public ulong NewCookie()
        {
            Span<byte> b = stackalloc byte[8];
            do Options.Random.Fill(b); while (BinaryPrimitives.ReadUInt64BigEndian(b) == 0);
            return BinaryPrimitives.ReadUInt64BigEndian(b);
        }

        /// <summary>A random ESP SPI above 255 (RFC 4303 §2.1 reserves 1–255) or a non-zero Message ID.</summary>
        public uint NewSpi(uint minimum = 256)
        {
            Span<byte> b = stackalloc byte[4];
            uint v;
            do { Options.Random.Fill(b); v = BinaryPrimitives.ReadUInt32BigEndian(b); } while (v < minimum);
            return v;
        }

        public byte[] NewNonce()
        {
            var n = new byte[Options.NonceLength];
            Options.Random.Fill(n);
            return n;
        }

        /// <summary>Message-layer fragmentation (MS-IKEE 3.3); pass-through until an implementation is installed.</summary>
        public Extensions.IMessageFragmentation Fragmentation { get; set; } = new Extensions.NoFragmentation();

        /// <summary>Sends an IKE message of this SA, through the fragmentation layer (only messages carrying ID fragment, MS-IKEE 3.3.6.1).</summary>
        public void Send(Phase1Session s, byte[] datagram, bool carriesId = false, bool retransmission = false)
        {
            foreach (var d in Fragmentation.Outbound(s, datagram, carriesId, retransmission)) SendRaw(s, d);
        }

        /// <summary>Sends bytes as they are (NAT keep-alives, fragments).</summary>
        public void SendRaw(Phase1Session s, byte[] datagram)
        {
            Statistics.Sent();
            Output.Send(s.Row.LocalEndpoint, s.Row.RemoteEndpoint, datagram);
        }

        /// <summary>Arms the initiator's retransmission of <paramref name="datagram"/> (never for responders, MS-IKEE 3.1.5).</summary>
        public void ArmRetransmit(Retransmission r, byte[] datagram, bool carriesId = false)
        {
            r.CarriesId = carriesId;
            r.Message = datagram;
            r.Count = 0;
            r.NextAt = Now + Options.RetransmitInitial;
            r.Active = true;
        }

        public void Log(LogLevel level, string message) => Output.Log(level, message);

        public static IsakmpHeader Header(MainModeSa row, ExchangeType exchange, uint messageId) =>
            new IsakmpHeader(row.InitiatorCookie, row.ResponderCookie, PayloadType.None, 1, 0, exchange, HeaderFlags.None, messageId, 0);

        public static bool SameBytes(byte[]? a, ReadOnlySpan<byte> b) => a != null && b.SequenceEqual(a);
    }
}
