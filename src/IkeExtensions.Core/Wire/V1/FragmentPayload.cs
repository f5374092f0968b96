using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V1
{
    /// <summary>
    /// IKEv1 Fragment payload 0x84 (MS-IKEE 2.2.3.1): Fragment ID, Fragment Number (from 1), Flags (LAST_FRAGMENT = 1),
    /// and a slice of the original (possibly encrypted) message. A fragment message is an ISAKMP header plus exactly
    /// one of these (MS-IKEE 2.2.3); reassembly lives above the codec.
    /// </summary>
    public sealed class FragmentPayload : IkePayload
    {
        public const byte LastFragmentFlag = 0x01;
        /// <summary>Fragment payload header: generic header (4) + ID (2) + number (1) + flags (1).</summary>
        public const int HeaderSize = 8;

        public FragmentPayload(ushort fragmentId, byte fragmentNumber, byte flags, ReadOnlyMemory<byte> data) : base(PayloadType.Fragment)
        {
            if (data.Length > ushort.MaxValue - HeaderSize) throw new ArgumentException("Fragment data too long.", nameof(data));
            FragmentId = fragmentId;
            FragmentNumber = fragmentNumber;
            Flags = flags;
            Data = data;
        }

        public ushort FragmentId { get; }
        public byte FragmentNumber { get; }
        /// <summary>Flags as received: bits other than LAST_FRAGMENT are ignored by the receiver (MS-IKEE 2.2.3.1).</summary>
        public byte Flags { get; }
        public bool IsLast => (Flags & LastFragmentFlag) != 0;
        public ReadOnlyMemory<byte> Data { get; }

        public override int BodyLength => 4 + Data.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Fragment, "fragment needs ID, number and flags");
                return false;
            }
            payload = new FragmentPayload(BinaryPrimitives.ReadUInt16BigEndian(s), s[2], s[3], body.Slice(4));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt16(FragmentId);
            w.WriteByte(FragmentNumber);
            w.WriteByte(Flags);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"FRAG id={FragmentId} #{FragmentNumber}{(IsLast ? " last" : "")} {Data.Length} bytes";
    }
}
