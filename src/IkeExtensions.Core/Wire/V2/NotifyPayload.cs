using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 Notify payload (RFC 7296 §3.10; MS-IKEE 2.2.7, 2.2.11.1): protocol, SPI size, type, SPI, data.</summary>
    public sealed class NotifyPayload : IkePayload
    {
        public NotifyPayload(NotifyTypeV2 messageType, ReadOnlyMemory<byte> data = default, byte protocolId = 0, ReadOnlyMemory<byte> spi = default)
            : base(PayloadType.Notify)
        {
            if (spi.Length > byte.MaxValue) throw new ArgumentException("An SPI is at most 255 bytes.", nameof(spi));
            if (4 + spi.Length + data.Length > OpaquePayload.MaxBody) throw new ArgumentException("Notification data too long.", nameof(data));
            MessageType = messageType;
            Data = data;
            ProtocolId = protocolId;
            Spi = spi;
        }

        public byte ProtocolId { get; }
        public NotifyTypeV2 MessageType { get; }
        public ReadOnlyMemory<byte> Spi { get; }
        public ReadOnlyMemory<byte> Data { get; }
        /// <summary>Types below 16384 report errors (RFC 7296 §3.10.1).</summary>
        public bool IsError => (ushort)MessageType < 16384;
        public override int BodyLength => 4 + Spi.Length + Data.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Notify, "notify needs protocol, SPI size and type");
                return false;
            }
            int spiSize = s[1];
            if (4 + spiSize > s.Length)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, offset + 1, PayloadType.Notify, $"SPI size {spiSize} exceeds the payload");
                return false;
            }
            payload = new NotifyPayload((NotifyTypeV2)BinaryPrimitives.ReadUInt16BigEndian(s.Slice(2)), body.Slice(4 + spiSize), s[0], body.Slice(4, spiSize));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte(ProtocolId);
            w.WriteByte((byte)Spi.Length);
            w.WriteUInt16((ushort)MessageType);
            w.WriteBytes(Spi.Span);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"N({MessageType}) spi={Hex(Spi)} data={Hex(Data)}";
    }
}
