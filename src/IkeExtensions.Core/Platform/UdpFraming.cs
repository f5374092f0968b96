using System;
using System.Runtime.InteropServices;
using IkeExtensions.Capture;

namespace IkeExtensions.Platform
{
    /// <summary>
    /// RFC 3948 framing of IKE on the UDP sockets of <see cref="UdpIkeHost"/>: on the NAT-T socket (port 4500, or whatever
    /// port the host bound for it) and towards a peer's port 4500, IKE messages carry the 4-octet non-ESP marker (§2.2);
    /// on port 500 they do not (RFC 7296 §2.23). Keepalives (§2.3) and ESP are not the IKE engine's business.
    /// </summary>
    internal static class UdpFraming
    {
        /// <summary>True when a datagram between these sockets is RFC 3948 framed.</summary>
        public static bool IsEncapsulated(bool onNatSocket, int localPort, int remotePort) =>
            onNatSocket || localPort == IkeDatagramClassifier.NatTraversalPort || remotePort == IkeDatagramClassifier.NatTraversalPort;

        /// <summary>Classifies a received datagram; the IKE bytes come back without the marker.</summary>
        public static IkeDatagramClassification Unwrap(ReadOnlyMemory<byte> datagram, bool onNatSocket, int localPort, int remotePort) =>
            IkeDatagramClassifier.Classify(datagram, IsEncapsulated(onNatSocket, localPort, remotePort));

        /// <summary>The bytes to put on the wire for an IKE message the engine sends (the engine's own array when unframed).</summary>
        public static ArraySegment<byte> Wrap(ReadOnlyMemory<byte> ikeMessage, bool onNatSocket, int localPort, int remotePort)
        {
            // A NAT-keepalive (RFC 3948 §2.3, one 0xFF octet) goes out as is; only IKE messages get the non-ESP marker.
            bool keepAlive = ikeMessage.Length == 1 && ikeMessage.Span[0] == 0xFF;
            if (!keepAlive && IsEncapsulated(onNatSocket, localPort, remotePort)) return new ArraySegment<byte>(IkeDatagramClassifier.AddNonEspMarker(ikeMessage.Span));
            return MemoryMarshal.TryGetArray(ikeMessage, out var segment) ? segment : new ArraySegment<byte>(ikeMessage.ToArray());
        }
    }
}
