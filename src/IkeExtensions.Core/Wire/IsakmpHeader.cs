using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// The 28-byte header shared by ISAKMP/IKEv1 (RFC 2408 §3.1) and IKEv2 (RFC 7296 §3.1): cookies (SPIs), next
    /// payload, version, exchange type, flags, message ID and total length.
    /// </summary>
    public readonly struct IsakmpHeader : IEquatable<IsakmpHeader>
    {
        public const int Size = 28;

        public IsakmpHeader(ulong initiatorSpi, ulong responderSpi, PayloadType nextPayload, byte majorVersion, byte minorVersion,
            ExchangeType exchangeType, HeaderFlags flags, uint messageId, uint length)
        {
            if (majorVersion > 15 || minorVersion > 15) throw new ArgumentOutOfRangeException(nameof(majorVersion), "Version numbers are 4 bits each.");
            InitiatorSpi = initiatorSpi;
            ResponderSpi = responderSpi;
            NextPayload = nextPayload;
            MajorVersion = majorVersion;
            MinorVersion = minorVersion;
            ExchangeType = exchangeType;
            Flags = flags;
            MessageId = messageId;
            Length = length;
        }

        /// <summary>Initiator cookie (IKEv1) or IKE SA initiator SPI (IKEv2).</summary>
        public ulong InitiatorSpi { get; }
        /// <summary>Responder cookie (IKEv1) or IKE SA responder SPI (IKEv2); zero in the first message.</summary>
        public ulong ResponderSpi { get; }
        public PayloadType NextPayload { get; }
        public byte MajorVersion { get; }
        public byte MinorVersion { get; }
        public ExchangeType ExchangeType { get; }
        public HeaderFlags Flags { get; }
        public uint MessageId { get; }
        /// <summary>Total message length including this header.</summary>
        public uint Length { get; }

        public bool IsEncrypted => MajorVersion == 1 && (Flags & HeaderFlags.Encryption) != 0;

        public IsakmpHeader With(PayloadType? nextPayload = null, uint? length = null, HeaderFlags? flags = null, uint? messageId = null, ExchangeType? exchangeType = null) =>
            new IsakmpHeader(InitiatorSpi, ResponderSpi, nextPayload ?? NextPayload, MajorVersion, MinorVersion,
                exchangeType ?? ExchangeType, flags ?? Flags, messageId ?? MessageId, length ?? Length);

        /// <summary>Reads the header without allocating. Checks only what the header alone can prove: size and version.</summary>
        public static bool TryRead(ReadOnlySpan<byte> data, out IsakmpHeader header, out ParseError error)
        {
            if (data.Length < Size)
            {
                header = default;
                error = new ParseError(ParseErrorCode.Truncated, 0, PayloadType.None, $"{data.Length} bytes, the ISAKMP header needs {Size}");
                return false;
            }

            byte version = data[17];
            header = new IsakmpHeader(
                BinaryPrimitives.ReadUInt64BigEndian(data),
                BinaryPrimitives.ReadUInt64BigEndian(data.Slice(8)),
                (PayloadType)data[16],
                (byte)(version >> 4),
                (byte)(version & 0x0F),
                (ExchangeType)data[18],
                (HeaderFlags)data[19],
                BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20)),
                BinaryPrimitives.ReadUInt32BigEndian(data.Slice(24)));

            // RFC 2408 §5.1 and RFC 7296 §2.5: a major version we do not speak is answered (INVALID_MAJOR_VERSION), not parsed.
            if (header.MajorVersion != 1 && header.MajorVersion != 2)
            {
                error = new ParseError(ParseErrorCode.UnsupportedVersion, 17, PayloadType.None, $"major version {header.MajorVersion}");
                return false;
            }

            error = default;
            return true;
        }

        public void Write(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8), ResponderSpi);
            destination[16] = (byte)NextPayload;
            destination[17] = (byte)((MajorVersion << 4) | (MinorVersion & 0x0F));
            destination[18] = (byte)ExchangeType;
            destination[19] = (byte)Flags;
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), MessageId);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24), Length);
        }

        public override string ToString() =>
            $"IKEv{MajorVersion}.{MinorVersion} {ExchangeType} ispi={InitiatorSpi:x16} rspi={ResponderSpi:x16} mid={MessageId} flags={Flags} len={Length}";

        public bool Equals(IsakmpHeader other) =>
            InitiatorSpi == other.InitiatorSpi && ResponderSpi == other.ResponderSpi && NextPayload == other.NextPayload &&
            MajorVersion == other.MajorVersion && MinorVersion == other.MinorVersion && ExchangeType == other.ExchangeType &&
            Flags == other.Flags && MessageId == other.MessageId && Length == other.Length;

        public override bool Equals(object? obj) => obj is IsakmpHeader h && Equals(h);
        public override int GetHashCode() => InitiatorSpi.GetHashCode() ^ (ResponderSpi.GetHashCode() * 31) ^ (int)MessageId;
    }
}
