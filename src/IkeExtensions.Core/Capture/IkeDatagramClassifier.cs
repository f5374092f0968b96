using System;

namespace IkeExtensions.Capture
{
    public enum IkeDatagramKind
    {
        /// <summary>An IKE message; <see cref="IkeDatagramClassification.Ike"/> holds it (without any non-ESP marker).</summary>
        Ike,
        /// <summary>RFC 3948 §2.3 NAT-keepalive: a single 0xFF octet.</summary>
        NatKeepalive,
        /// <summary>RFC 3948 §2.1 UDP-encapsulated ESP: the first four octets are a non-zero SPI.</summary>
        Esp,
        /// <summary>On the encapsulation port but none of the above (empty, or too short for ESP's SPI and sequence number).</summary>
        Invalid,
    }

    public readonly struct IkeDatagramClassification
    {
        public IkeDatagramClassification(IkeDatagramKind kind, ReadOnlyMemory<byte> ike)
        {
            Kind = kind;
            Ike = ike;
        }

        public IkeDatagramKind Kind { get; }
        /// <summary>The IKE message bytes when <see cref="Kind"/> is <see cref="IkeDatagramKind.Ike"/>; empty otherwise.</summary>
        public ReadOnlyMemory<byte> Ike { get; }

        public override string ToString() => Kind == IkeDatagramKind.Ike ? $"Ike ({Ike.Length} bytes)" : Kind.ToString();
    }

    /// <summary>
    /// Tells IKE, ESP and NAT-keepalives apart on the IKE/IPsec UDP ports. RFC 3948 §2 multiplexes all three on port 4500:
    /// IKE messages carry a 4-octet zero "non-ESP marker" (§2.2), which can never be an ESP SPI because SPI 0 is reserved
    /// (RFC 4303 §2.1); a single 0xFF octet is a keepalive (§2.3); anything else is ESP. On port 500 (and any other port)
    /// there is no marker (RFC 7296 §2.23) and the datagram is IKE as is.
    /// </summary>
    public static class IkeDatagramClassifier
    {
        public const int IkePort = 500;
        public const int NatTraversalPort = 4500;
        public const int NonEspMarkerLength = 4;
        private const int MinEspLength = 8; // SPI + sequence number (RFC 4303 §2)

        /// <summary>Classifies by ports: the datagram is treated as UDP-encapsulated (RFC 3948) if either port is 4500.</summary>
        public static IkeDatagramClassification Classify(ReadOnlyMemory<byte> payload, int sourcePort, int destinationPort) =>
            Classify(payload, sourcePort == NatTraversalPort || destinationPort == NatTraversalPort);

        /// <summary>Convenience overload for a record read by <see cref="CaptureFile"/>.</summary>
        public static IkeDatagramClassification Classify(CapturedUdpDatagram datagram)
        {
            if (datagram is null) throw new ArgumentNullException(nameof(datagram));
            return Classify(datagram.Payload, datagram.Source.Port, datagram.Destination.Port);
        }

        /// <summary>
        /// Classifies with an explicit choice of framing, for callers that know a non-standard port carries RFC 3948
        /// encapsulation (e.g. a configured NAT-T port).
        /// </summary>
        public static IkeDatagramClassification Classify(ReadOnlyMemory<byte> payload, bool udpEncapsulation)
        {
            if (!udpEncapsulation) return new IkeDatagramClassification(IkeDatagramKind.Ike, payload);

            var span = payload.Span;
            if (span.Length == 1 && span[0] == 0xFF) return new IkeDatagramClassification(IkeDatagramKind.NatKeepalive, default);
            if (span.Length >= NonEspMarkerLength && HasNonEspMarker(span))
                return new IkeDatagramClassification(IkeDatagramKind.Ike, payload.Slice(NonEspMarkerLength));
            if (span.Length >= MinEspLength) return new IkeDatagramClassification(IkeDatagramKind.Esp, default);
            return new IkeDatagramClassification(IkeDatagramKind.Invalid, default);
        }

        /// <summary>Prefixes the RFC 3948 §2.2 non-ESP marker, as an IKE message sent on port 4500 must be.</summary>
        public static byte[] AddNonEspMarker(ReadOnlySpan<byte> ikeMessage)
        {
            var framed = new byte[NonEspMarkerLength + ikeMessage.Length];
            ikeMessage.CopyTo(framed.AsSpan(NonEspMarkerLength));
            return framed;
        }

        private static bool HasNonEspMarker(ReadOnlySpan<byte> span) => span[0] == 0 && span[1] == 0 && span[2] == 0 && span[3] == 0;
    }
}
