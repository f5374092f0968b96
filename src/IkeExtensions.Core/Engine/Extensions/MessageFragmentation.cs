using System;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// The message-layer hook for IKE fragmentation (MS-IKEE 3.3): it sees every IKE datagram the engine sends and every
    /// fragment it receives, below the exchanges (strongSwan keeps fragmentation in message_t for the same reason).
    /// </summary>
    internal interface IMessageFragmentation
    {
        /// <summary>The datagrams to put on the wire for <paramref name="datagram"/>: itself, or its fragments.</summary>
        IReadOnlyList<byte[]> Outbound(Phase1Session s, byte[] datagram, bool carriesId, bool retransmission);

        /// <summary>
        /// Takes a fragment message; returns the reassembled datagram once complete, else null. Never throws on peer data.
        /// </summary>
        byte[]? Inbound(IPEndPoint local, IPEndPoint remote, IkeMessage fragmentMessage);

        /// <summary>Reassembly and fragmentation timers.</summary>
        void Poll(DateTime now);

        /// <summary>The earliest reassembly timer, for hosts that sleep until the next deadline.</summary>
        DateTime? NextDeadline();
    }

    /// <summary>No fragmentation: every message goes out whole, fragments are dropped.</summary>
    internal sealed class NoFragmentation : IMessageFragmentation
    {
        public IReadOnlyList<byte[]> Outbound(Phase1Session s, byte[] datagram, bool carriesId, bool retransmission) => new[] { datagram };
        public byte[]? Inbound(IPEndPoint local, IPEndPoint remote, IkeMessage fragmentMessage) => null;
        public void Poll(DateTime now) { }
        public DateTime? NextDeadline() => null;
    }
}
