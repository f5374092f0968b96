using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V1
{
    /// <summary>
    /// IKEv1 Notification payload (RFC 2408 §3.14; MS-IKEE 2.2.6): DOI, protocol, SPI, notify type, data.
    /// MS-IKEE 2.2.6 adds a convention toward peers that sent "MS NT5 ISAKMPOAKLEY": a notify about a quick mode carries
    /// that quick mode's Message ID as the first 4 bytes of its data, and the SPI size reads 8.
    /// </summary>
    public sealed class NotificationPayload : IkePayload
    {
        public NotificationPayload(uint doi, ProtocolId protocolId, NotifyMessageType messageType, ReadOnlyMemory<byte> spi, ReadOnlyMemory<byte> data)
            : base(PayloadType.Notification)
        {
            if (spi.Length > byte.MaxValue) throw new ArgumentException("An SPI is at most 255 bytes.", nameof(spi));
            if (8 + spi.Length + data.Length > OpaquePayload.MaxBody) throw new ArgumentException("Notification data too long.", nameof(data));
            Doi = doi;
            ProtocolId = protocolId;
            MessageType = messageType;
            Spi = spi;
            Data = data;
        }

        public uint Doi { get; }
        public ProtocolId ProtocolId { get; }
        public NotifyMessageType MessageType { get; }
        public ReadOnlyMemory<byte> Spi { get; }
        public ReadOnlyMemory<byte> Data { get; }

        public override int BodyLength => 8 + Spi.Length + Data.Length;

        /// <summary>
        /// Builds a notify about quick mode <paramref name="quickModeMessageId"/> for a peer that sent the Microsoft
        /// implementation vendor ID (MS-IKEE 2.2.6): the Message ID is prepended to <paramref name="data"/>.
        /// NOTIFY_DOS_COOKIE never carries it (it belongs to main mode).
        /// </summary>
        public static NotificationPayload ForWindowsQuickMode(NotifyMessageType messageType, ProtocolId protocolId, ReadOnlyMemory<byte> spi,
            uint quickModeMessageId, ReadOnlySpan<byte> data)
        {
            if (messageType == NotifyMessageType.NotifyDosCookie)
                throw new ArgumentException("NOTIFY_DOS_COOKIE is a main mode notify and never carries a Message ID (MS-IKEE 2.2.6).", nameof(messageType));
            var withId = new byte[4 + data.Length];
            BinaryPrimitives.WriteUInt32BigEndian(withId, quickModeMessageId);
            data.CopyTo(withId.AsSpan(4));
            return new NotificationPayload(V1.Doi.IpsecDoi, protocolId, messageType, spi, withId);
        }

        /// <summary>
        /// Reads the quick mode Message ID that MS-IKEE 2.2.6 puts first in the data, when the convention applies: the
        /// peer sent "MS NT5 ISAKMPOAKLEY", the SPI size is 8 and the type is not NOTIFY_DOS_COOKIE.
        /// </summary>
        public bool TryGetWindowsQuickModeMessageId(bool peerSentMicrosoftVendorId, out uint messageId, out ReadOnlyMemory<byte> rest)
        {
            messageId = 0;
            rest = Data;
            if (!peerSentMicrosoftVendorId || Spi.Length != 8 || Data.Length < 4 || MessageType == NotifyMessageType.NotifyDosCookie) return false;
            messageId = BinaryPrimitives.ReadUInt32BigEndian(Data.Span);
            rest = Data.Slice(4);
            return true;
        }

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 8)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Notification, "notification needs DOI, protocol, SPI size and type");
                return false;
            }
            int spiSize = s[5];
            if (8 + spiSize > s.Length)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, offset + 5, PayloadType.Notification, $"SPI size {spiSize} exceeds the payload");
                return false;
            }
            payload = new NotificationPayload(BinaryPrimitives.ReadUInt32BigEndian(s), (ProtocolId)s[4],
                (NotifyMessageType)BinaryPrimitives.ReadUInt16BigEndian(s.Slice(6)), body.Slice(8, spiSize), body.Slice(8 + spiSize));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt32(Doi);
            w.WriteByte((byte)ProtocolId);
            w.WriteByte((byte)Spi.Length);
            w.WriteUInt16((ushort)MessageType);
            w.WriteBytes(Spi.Span);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"N({MessageType}) proto={ProtocolId} spi={Hex(Spi)} data={Hex(Data)}";
    }
}
