using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire.V2
{
    /// <summary>
    /// IKEv2 SK payload (RFC 7296 §3.14): IV, ciphertext, padding and ICV, carried as one opaque block until the engine
    /// decrypts it. Its Next Payload field names the first inner payload.
    /// </summary>
    public sealed class EncryptedPayload : OpaquePayload
    {
        public EncryptedPayload(PayloadType firstInnerPayload, ReadOnlyMemory<byte> ivCiphertextIcv) : base(PayloadType.Encrypted, ivCiphertextIcv) =>
            FirstInnerPayload = firstInnerPayload;

        public PayloadType FirstInnerPayload { get; }
        internal override PayloadType? NextPayloadOverride => FirstInnerPayload;
        public override string ToString() => $"SK inner={PayloadTypes.ShortName(FirstInnerPayload)} {Data.Length} bytes";
    }

    /// <summary>
    /// IKEv2 Encrypted Fragment payload 53 (RFC 7383 §2.5; MS-IKEE 2.2.11.2): fragment number, total, then the same
    /// IV/ciphertext/ICV block as SK. Next Payload names the first inner payload in fragment 1 and is 0 in the others.
    /// </summary>
    public sealed class EncryptedFragmentPayload : IkePayload
    {
        public EncryptedFragmentPayload(PayloadType firstInnerPayload, ushort fragmentNumber, ushort totalFragments, ReadOnlyMemory<byte> ivCiphertextIcv)
            : base(PayloadType.EncryptedFragment)
        {
            if (ivCiphertextIcv.Length > OpaquePayload.MaxBody - 4) throw new ArgumentException("Fragment too long.", nameof(ivCiphertextIcv));
            FirstInnerPayload = firstInnerPayload;
            FragmentNumber = fragmentNumber;
            TotalFragments = totalFragments;
            Data = ivCiphertextIcv;
        }

        public PayloadType FirstInnerPayload { get; }
        public ushort FragmentNumber { get; }
        public ushort TotalFragments { get; }
        public ReadOnlyMemory<byte> Data { get; }
        public override int BodyLength => 4 + Data.Length;
        internal override PayloadType? NextPayloadOverride => FirstInnerPayload;

        internal static bool TryRead(PayloadType nextPayload, ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            if (s.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.EncryptedFragment, "SKF needs fragment number and total");
                return false;
            }
            ushort number = BinaryPrimitives.ReadUInt16BigEndian(s), total = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(2));
            // RFC 7383 §2.5: neither may be zero and the number may not exceed the total; such fragments are discarded.
            if (number == 0 || total == 0 || number > total)
            {
                error = new ParseError(ParseErrorCode.InvalidField, offset, PayloadType.EncryptedFragment, $"fragment {number} of {total}");
                return false;
            }
            payload = new EncryptedFragmentPayload(nextPayload, number, total, body.Slice(4));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt16(FragmentNumber);
            w.WriteUInt16(TotalFragments);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"SKF {FragmentNumber}/{TotalFragments} inner={PayloadTypes.ShortName(FirstInnerPayload)} {Data.Length} bytes";
    }
}
