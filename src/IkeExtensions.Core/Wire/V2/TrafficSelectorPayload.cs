using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Wire.V2
{
    /// <summary>One traffic selector (RFC 7296 §3.13.1): type, IP protocol, port range, address range.</summary>
    public sealed class TrafficSelector
    {
        public TrafficSelector(TrafficSelectorType type, byte ipProtocol, ushort startPort, ushort endPort, IPAddress startAddress, IPAddress endAddress)
        {
            int size = type == TrafficSelectorType.Ipv4AddressRange ? 4 : 16;
            if (startAddress.GetAddressBytes().Length != size || endAddress.GetAddressBytes().Length != size)
                throw new ArgumentException($"{type} needs {size}-byte addresses.");
            Type = type;
            IpProtocol = ipProtocol;
            StartPort = startPort;
            EndPort = endPort;
            StartAddress = startAddress;
            EndAddress = endAddress;
        }

        public TrafficSelectorType Type { get; }
        public byte IpProtocol { get; }
        public ushort StartPort { get; }
        public ushort EndPort { get; }
        public IPAddress StartAddress { get; }
        public IPAddress EndAddress { get; }

        internal int EncodedLength => Type == TrafficSelectorType.Ipv4AddressRange ? 16 : 40;

        public override string ToString() => $"{StartAddress}-{EndAddress} proto={IpProtocol} ports={StartPort}-{EndPort}";
    }

    /// <summary>IKEv2 TSi/TSr payload (RFC 7296 §3.13): count, 3 reserved bytes, selectors.</summary>
    public sealed class TrafficSelectorPayload : IkePayload
    {
        public TrafficSelectorPayload(bool initiator, IReadOnlyList<TrafficSelector> selectors)
            : base(initiator ? PayloadType.TrafficSelectorInitiator : PayloadType.TrafficSelectorResponder)
        {
            if (selectors == null || selectors.Count > byte.MaxValue) throw new ArgumentException("0..255 selectors.", nameof(selectors));
            Selectors = selectors;
        }

        public IReadOnlyList<TrafficSelector> Selectors { get; }
        public override int BodyLength => 4 + WireLengths.Total(Selectors, s => s.EncodedLength);

        internal static bool TryRead(PayloadType type, ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, type, "TS needs a count");
                return false;
            }
            int count = s[0];
            var list = new List<TrafficSelector>(count);
            int pos = 4;
            for (int i = 0; i < count; i++)
            {
                if (s.Length - pos < 8)
                {
                    error = new ParseError(ParseErrorCode.Truncated, offset + pos, type, $"selector {i + 1} of {count} missing");
                    return false;
                }
                var tsType = (TrafficSelectorType)s[pos];
                int len = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 2));
                int addr = tsType == TrafficSelectorType.Ipv4AddressRange ? 4 : tsType == TrafficSelectorType.Ipv6AddressRange ? 16 : -1;
                if (addr < 0)
                {
                    error = new ParseError(ParseErrorCode.InvalidField, offset + pos, type, $"traffic selector type {(byte)tsType} unknown");
                    return false;
                }
                if (len != 8 + 2 * addr || len > s.Length - pos)
                {
                    error = new ParseError(ParseErrorCode.InvalidLength, offset + pos + 2, type, $"selector length {len}");
                    return false;
                }
                list.Add(new TrafficSelector(tsType, s[pos + 1], BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 4)), BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 6)),
                    new IPAddress(s.Slice(pos + 8, addr).ToArray()), new IPAddress(s.Slice(pos + 8 + addr, addr).ToArray())));
                pos += len;
            }
            if (pos != s.Length)
            {
                error = new ParseError(ParseErrorCode.TrailingData, offset + pos, type, $"{s.Length - pos} bytes after {count} selectors");
                return false;
            }
            payload = new TrafficSelectorPayload(type == PayloadType.TrafficSelectorInitiator, list);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte((byte)Selectors.Count);
            w.WriteZeros(3);
            for (int i = 0; i < Selectors.Count; i++)
            {
                var ts = Selectors[i];
                w.WriteByte((byte)ts.Type);
                w.WriteByte(ts.IpProtocol);
                w.WriteUInt16((ushort)ts.EncodedLength);
                w.WriteUInt16(ts.StartPort);
                w.WriteUInt16(ts.EndPort);
                w.WriteBytes(ts.StartAddress.GetAddressBytes());
                w.WriteBytes(ts.EndAddress.GetAddressBytes());
            }
        }

        public override string ToString() => $"{PayloadTypes.ShortName(Type)} [{string.Join(", ", Selectors)}]";
    }
}
