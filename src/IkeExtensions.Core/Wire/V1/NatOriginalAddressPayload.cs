using System;
using System.Net;
using System.Net.Sockets;

namespace IkeExtensions.Wire.V1
{
    /// <summary>
    /// NAT-OA payload (RFC 3947 §5.2): ID type (IPV4_ADDR or IPV6_ADDR), 3 reserved bytes, the original address.
    /// Type 0x15 or, under draft-02, 0x83 (MS-IKEE 2.2.1); MS-IKEE 3.1.5 sends it whenever the host is behind a NAT.
    /// </summary>
    public sealed class NatOriginalAddressPayload : IkePayload
    {
        public NatOriginalAddressPayload(IPAddress address, NatTraversalRevision revision = NatTraversalRevision.Rfc3947)
            : this(revision.NatOriginalAddressType(), address) { }

        internal NatOriginalAddressPayload(PayloadType type, IPAddress address) : base(type)
        {
            Address = address ?? throw new ArgumentNullException(nameof(address));
            if (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6)
                throw new ArgumentException("NAT-OA carries an IPv4 or IPv6 address.", nameof(address));
        }

        public IPAddress Address { get; }
        public NatTraversalRevision Revision => Type == PayloadType.NatOriginalAddressDraft ? NatTraversalRevision.Draft02 : NatTraversalRevision.Rfc3947;
        public IdentificationType IdType => Address.AddressFamily == AddressFamily.InterNetwork ? IdentificationType.Ipv4Address : IdentificationType.Ipv6Address;

        public override int BodyLength => 4 + (Address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16);

        internal static bool TryRead(PayloadType type, ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, type, "NAT-OA needs an ID type");
                return false;
            }
            int expected = s[0] == (byte)IdentificationType.Ipv4Address ? 4 : s[0] == (byte)IdentificationType.Ipv6Address ? 16 : -1;
            if (expected < 0)
            {
                error = new ParseError(ParseErrorCode.InvalidField, offset, type, $"NAT-OA ID type {s[0]} is neither IPV4_ADDR nor IPV6_ADDR");
                return false;
            }
            if (s.Length != 4 + expected)
            {
                error = new ParseError(ParseErrorCode.InvalidLength, offset + 4, type, $"NAT-OA address is {s.Length - 4} bytes, expected {expected}");
                return false;
            }
            payload = new NatOriginalAddressPayload(type, new IPAddress(s.Slice(4).ToArray()));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte((byte)IdType);
            w.WriteZeros(3);
            w.WriteBytes(Address.GetAddressBytes());
        }

        public override string ToString() => $"{PayloadTypes.ShortName(Type)} {Address}";
    }
}
