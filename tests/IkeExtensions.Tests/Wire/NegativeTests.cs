using System;
using System.Buffers.Binary;
using System.Linq;
using IkeExtensions.Wire;
using Xunit;

namespace IkeExtensions.Tests.Wire
{
    /// <summary>Malformed input yields a typed error with offset and payload type; nothing throws (RFC 2408 §5.1, RFC 7296 §2.21).</summary>
    public class NegativeTests
    {
        private static ParseError Fail(byte[] bytes)
        {
            Assert.False(IkeMessage.TryDecode(bytes, out _, out var error), "expected a parse error");
            Assert.True(error.IsError);
            return error;
        }

        private static byte[] Mm1() => SampleMessages.MainMode1().Encode();

        [Fact]
        public void TruncatedHeader_IsTruncated()
        {
            var e = Fail(new byte[27]);
            Assert.Equal(ParseErrorCode.Truncated, e.Code);
            Assert.Equal(PayloadType.None, e.PayloadType);
        }

        [Fact]
        public void Rfc2408_5_1_HeaderLengthLargerThanDatagram_IsHeaderLengthMismatch()
        {
            byte[] m = Mm1();
            var e = Fail(m.Take(m.Length - 1).ToArray());
            Assert.Equal(ParseErrorCode.HeaderLengthMismatch, e.Code);
            Assert.Equal(24, e.Offset);
        }

        [Fact]
        public void UnsupportedMajorVersion_IsReported_Rfc7296_2_5()
        {
            byte[] m = Mm1();
            m[17] = 0x30;
            Assert.Equal(ParseErrorCode.UnsupportedVersion, Fail(m).Code);
        }

        [Fact]
        public void PayloadLengthBelowGenericHeader_IsInvalidLength_NotALoop()
        {
            byte[] m = Mm1();
            BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(28 + 2), 0); // SA payload length 0 would loop a naive walker
            var e = Fail(m);
            Assert.Equal(ParseErrorCode.InvalidLength, e.Code);
            Assert.Equal(30, e.Offset);
            Assert.Equal(PayloadType.SecurityAssociation, e.PayloadType);
        }

        [Fact]
        public void PayloadLengthBeyondMessage_IsInvalidLength()
        {
            byte[] m = Mm1();
            BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(28 + 2), 0xFFFF);
            Assert.Equal(ParseErrorCode.InvalidLength, Fail(m).Code);
        }

        [Fact]
        public void TlvAttributeLongerThanItsTransform_IsBadAttribute()
        {
            // One transform whose single TLV attribute claims 200 bytes.
            byte[] body =
            {
                0, 0, 0, 1, 0, 0, 0, 1, // DOI, situation
                0, 0, 0, 20, 1, 1, 0, 1, // proposal: last, length 20, #1, ISAKMP, spi 0, 1 transform
                0, 0, 0, 12, 1, 1, 0, 0, // transform: last, length 12, #1, KEY_IKE
                0x00, 0x0C, 0x00, 0xC8,   // TLV life duration, length 200
            };
            var e = Fail(Message(1, PayloadType.SecurityAssociation, body));
            Assert.Equal(ParseErrorCode.BadAttribute, e.Code);
            Assert.Equal(PayloadType.Transform, e.PayloadType);
            Assert.Equal(28 + 4 + 24 + 2, e.Offset);
        }

        [Fact]
        public void Rfc2408_3_5_TransformCountDisagreeingWithTransforms_IsInvalidField()
        {
            byte[] body =
            {
                0, 0, 0, 1, 0, 0, 0, 1,
                0, 0, 0, 16, 1, 1, 0, 2, // announces 2 transforms
                0, 0, 0, 8, 1, 1, 0, 0,  // carries 1
            };
            Assert.Equal(ParseErrorCode.InvalidField, Fail(Message(1, PayloadType.SecurityAssociation, body)).Code);
        }

        [Fact]
        public void ChainOfTooManyPayloads_IsBounded()
        {
            const int count = PayloadChain.MaxPayloads + 1;
            var body = new byte[count * 4];
            for (int i = 0; i < count; i++)
            {
                body[i * 4] = i == count - 1 ? (byte)0 : (byte)PayloadType.VendorId;
                body[i * 4 + 3] = 4;
            }
            Assert.Equal(ParseErrorCode.TooManyItems, Fail(RawMessage(1, PayloadType.VendorId, body)).Code);
        }

        [Fact]
        public void BytesAfterTheLastPayload_AreTrailingData_ButAllowedAsIkeV1Padding()
        {
            byte[] body = { 0, 0, 0, 8, 1, 2, 3, 4, 0, 0, 0 };
            Assert.Equal(ParseErrorCode.TrailingData, Fail(RawMessage(1, PayloadType.Hash, body)).Code);
            Assert.True(IkeMessage.TryDecodePayloads(body, PayloadType.Hash, 1, out var payloads, out _));
            Assert.Single(payloads);
            Assert.False(IkeMessage.TryDecodePayloads(body, PayloadType.Hash, 2, out _, out _));
        }

        [Fact]
        public void OversizedDatagram_IsOversized()
        {
            Assert.Equal(ParseErrorCode.Oversized, Fail(new byte[70000]).Code);
        }

        [Theory]
        [InlineData(PayloadType.Notification, new byte[] { 0, 0, 0, 1, 3, 200, 0, 14 })]      // SPI size beyond payload
        [InlineData(PayloadType.Delete, new byte[] { 0, 0, 0, 1, 3, 4, 0, 2, 1, 2, 3, 4 })]      // 2 SPIs announced, 1 present
        [InlineData(PayloadType.Identification, new byte[] { 0xFA, 0, 0, 0, 1, 2, 3 })]           // ID_IPV6_CGA shorter than modifier + count
        [InlineData(PayloadType.NatOriginalAddress, new byte[] { 1, 0, 0, 0, 192, 0, 2 })]        // IPv4 NAT-OA with 3 address bytes
        [InlineData(PayloadType.Fragment, new byte[] { 0, 1, 1 })]                                 // fragment header cut
        [InlineData(PayloadType.Certificate, new byte[0])]                                       // no encoding octet
        public void IkeV1_MalformedBodies_AreTypedErrors(PayloadType type, byte[] body)
        {
            var e = Fail(Message(1, type, body));
            Assert.Equal(type, e.PayloadType);
            Assert.InRange(e.Offset, 28, 28 + 4 + body.Length);
        }

        [Theory]
        [InlineData(PayloadType.EncryptedFragment, new byte[] { 0, 0, 0, 2, 9 })]       // fragment number 0 (RFC 7383 §2.5)
        [InlineData(PayloadType.EncryptedFragment, new byte[] { 0, 3, 0, 2, 9 })]       // number above total
        [InlineData(PayloadType.TrafficSelectorInitiator, new byte[] { 1, 0, 0, 0, 7, 0, 0, 16 })] // selector cut short
        [InlineData(PayloadType.KeyExchangeV2, new byte[] { 0, 14 })]
        [InlineData(PayloadType.Correlation, new byte[] { 1, 2, 3 })]
        [InlineData(PayloadType.Configuration, new byte[] { 2, 0, 0, 0, 0x5B, 0xA0, 0, 4, 1 })]  // attribute value cut
        public void IkeV2_MalformedBodies_AreTypedErrors(PayloadType type, byte[] body)
        {
            var e = Fail(Message(2, type, body));
            Assert.Equal(type, e.PayloadType);
        }

        [Fact]
        public void MsIkee_2_2_3_FragmentMustBeAloneInItsMessage()
        {
            var m = new IkeMessage(SampleMessages.Fragment(1, false).Header,
                new IkePayload[] { SampleMessages.Fragment(1, false).Payloads[0], new IkeExtensions.Wire.V1.HashPayload(new byte[4]) });
            Assert.True(IkeMessage.TryDecode(m.Encode(), out var decoded, out _));
            Assert.False(MessageRules.TryCheck(decoded, out var e));
            Assert.Equal(ParseErrorCode.RuleViolation, e.Code);
        }

        [Fact]
        public void MsIkee_3_1_5_CertificateWithoutId_IsRejected()
        {
            var payloads = new IkePayload[] { new CertificatePayload(4, new byte[10]) };
            Assert.False(MessageRules.TryCheckDecrypted(1, ExchangeType.IdentityProtection, payloads, out var e));
            Assert.Equal(PayloadType.Certificate, e.PayloadType);
        }

        [Fact]
        public void Rfc2409_5_5_QuickModeHashMustComeFirst()
        {
            var qm = SampleMessages.QuickMode1Plain();
            var swapped = new IkeMessage(qm.Header, qm.Payloads.Skip(1).Concat(qm.Payloads.Take(1)).ToList());
            Assert.False(MessageRules.TryCheck(swapped, out var e));
            Assert.Equal(PayloadType.Hash, e.PayloadType);
        }

        [Fact]
        public void Rfc7296_2_5_UnknownCriticalPayload_IsARuleViolation_UnknownNonCritical_IsCarried()
        {
            var init = SampleMessages.IkeSaInit();
            var unknown = new UnknownPayload((PayloadType)150, new byte[] { 1 });
            Assert.True(MessageRules.TryCheck(new IkeMessage(init.Header, init.Payloads.Concat(new[] { unknown }).ToList()), out _));
            var critical = new UnknownPayload((PayloadType)150, new byte[] { 1 }) { HeaderFlags = 0x80 };
            Assert.False(MessageRules.TryCheck(new IkeMessage(init.Header, init.Payloads.Concat(new[] { critical }).ToList()), out var e));
            Assert.Contains("critical", e.Detail);
        }

        /// <summary>A header followed by <paramref name="payloadArea"/> as is (generic payload headers included by the caller).</summary>
        private static byte[] RawMessage(int version, PayloadType first, byte[] payloadArea)
        {
            var m = new byte[28 + payloadArea.Length];
            new IsakmpHeader(1, 0, first, (byte)version, 0, version == 1 ? ExchangeType.IdentityProtection : ExchangeType.IkeSaInit,
                HeaderFlags.None, 0, (uint)m.Length).Write(m);
            payloadArea.CopyTo(m, 28);
            return m;
        }

        /// <summary>A header and one payload of <paramref name="first"/> with <paramref name="body"/>.</summary>
        private static byte[] Message(int version, PayloadType first, byte[] body)
        {
            var m = new byte[28 + 4 + body.Length];
            var header = new IsakmpHeader(1, 0, first, (byte)version, 0, version == 1 ? ExchangeType.IdentityProtection : ExchangeType.IkeSaInit,
                HeaderFlags.None, 0, (uint)m.Length);
            header.Write(m);
            BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(30), (ushort)(4 + body.Length));
            body.CopyTo(m, 32);
            return m;
        }
    }
}
