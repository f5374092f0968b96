using System;
using System.Linq;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.V2;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Wire
{
    /// <summary>Encode → decode → encode is byte-exact for every payload type, and the decoded fields are the ones encoded.</summary>
    public class RoundTripTests
    {
        private static IkeMessage RoundTrip(IkeMessage m, NatTraversalRevision revision = NatTraversalRevision.None)
        {
            byte[] first = m.Encode();
            Assert.True(IkeMessage.TryDecode(first, out var decoded, out var error, revision), error.ToString());
            Assert.Equal(first, decoded.Encode());
            return decoded;
        }

        [Theory]
        [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
        public void EverySampleMessage_RoundTripsByteExact(string name) => RoundTrip(SampleMessages.ByName(name));

        [Fact]
        public void EveryKnownPayloadType_IsCoveredByTheSamples()
        {
            var types = SampleMessages.All().SelectMany(x => x.Message.Payloads).Select(p => p.Type).Distinct().ToHashSet();
            var known = Enum.GetValues(typeof(PayloadType)).Cast<PayloadType>()
                .Where(t => t != PayloadType.None && t != PayloadType.Proposal && t != PayloadType.Transform && t != PayloadType.NatDiscovery);
            Assert.Equal(Array.Empty<PayloadType>(), known.Where(t => !types.Contains(t)).ToArray());
        }

        [Fact]
        public void Rfc2408_3_4_SaProposalTransform_FieldsSurvive_IncludingUnknownTlvAttribute_MsIkee_3_1_5()
        {
            var m = RoundTrip(SampleMessages.QuickMode1Plain());
            var sa = m.Find<IkeExtensions.Wire.V1.SecurityAssociationPayload>()!;
            var p = sa.Proposals.Single();
            Assert.Equal(ProtocolId.IpsecEsp, p.ProtocolId);
            Assert.Equal(new byte[] { 0xc0, 0, 0, 1 }, p.Spi.ToArray());
            var t = p.Transforms.Single();
            Assert.Equal((byte)EspTransformId.Aes, t.TransformId);
            Assert.True(t.TryGetAttribute((ushort)IpsecAttributeType.EncapsulationMode, out ulong mode));
            Assert.Equal((ulong)EncapsulationMode.UdpEncapsulatedTransport, mode);
            var unknown = t.Attributes.Single(a => a.Type == 0x7123);
            Assert.False(unknown.IsBasic);
            Assert.Equal(new byte[] { 0xde, 0xad }, unknown.VariableValue.ToArray());
        }

        [Fact]
        public void Rfc2408_3_3_LongIntegerAttribute_IsTlv_AndReadsBack()
        {
            var a = DataAttribute.Integer((ushort)IkeAttributeType.LifeDuration, 86400 * 7);
            Assert.False(a.IsBasic);
            Assert.True(a.TryGetInteger(out ulong v));
            Assert.Equal(86400UL * 7, v);
            Assert.True(DataAttribute.Integer(1, 28800).IsBasic);
        }

        [Fact]
        public void MsIkee_2_2_5_IdIpv6Cga_ModifierAndCollisionCountSurvive()
        {
            var m = RoundTrip(SampleMessages.MainMode5Plain());
            var id = m.Find<IkeExtensions.Wire.V1.IdentificationPayload>()!;
            Assert.Equal(IdentificationType.Ipv6Cga, id.IdType);
            Assert.True(id.TryGetCgaParameters(out var cga));
            Assert.Equal(16, cga.Modifier.Length);
            Assert.Equal(1, cga.CollisionCount);
            Assert.Equal(0, cga.ExtensionFields.Length);
        }

        [Fact]
        public void MsIkee_2_2_6_QuickModeMessageId_IsPrependedForWindowsPeers_AndNotOtherwise()
        {
            var m = RoundTrip(SampleMessages.InformationalPlain());
            var n = m.Find<IkeExtensions.Wire.V1.NotificationPayload>()!;
            Assert.Equal(NotifyMessageType.ExchangeInfo, n.MessageType);
            Assert.Equal(8, n.Spi.Length);
            Assert.True(n.TryGetWindowsQuickModeMessageId(peerSentMicrosoftVendorId: true, out uint mid, out var rest));
            Assert.Equal(0x4d2u, mid);
            Assert.Equal(3u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rest.Span)); // ND_BOUNDARY | GUARANTEE_ENCRYPTION
            Assert.False(n.TryGetWindowsQuickModeMessageId(peerSentMicrosoftVendorId: false, out _, out _));
            Assert.Throws<ArgumentException>(() => IkeExtensions.Wire.V1.NotificationPayload.ForWindowsQuickMode(
                NotifyMessageType.NotifyDosCookie, ProtocolId.Isakmp, new byte[8], 1, default));
        }

        [Fact]
        public void MsIkee_2_2_1_DraftNatD_DecodesUnderDraftRevision_AndIsUnknownUnderRfc3947()
        {
            byte[] bytes = SampleMessages.MainMode3Draft().Encode();
            Assert.True(IkeMessage.TryDecode(bytes, out var draft, out _, NatTraversalRevision.Draft02));
            Assert.All(draft.FindAll<NatDiscoveryPayload>(), d => Assert.Equal(NatTraversalRevision.Draft02, d.Revision));
            Assert.Equal(2, draft.FindAll<NatDiscoveryPayload>().Count());
            Assert.True(IkeMessage.TryDecode(bytes, out var rfc, out _, NatTraversalRevision.Rfc3947));
            Assert.Empty(rfc.FindAll<NatDiscoveryPayload>());
            Assert.Equal(bytes, rfc.Encode());
        }

        [Theory]
        [InlineData(NatTraversalRevision.Rfc3947, (ushort)3, true)]
        [InlineData(NatTraversalRevision.Rfc3947, (ushort)0xF003, false)]
        [InlineData(NatTraversalRevision.Draft02, (ushort)0xF004, true)]
        [InlineData(NatTraversalRevision.Draft02, (ushort)4, false)]
        [InlineData(NatTraversalRevision.None, (ushort)2, true)]
        public void MsIkee_2_2_2_UdpEncapsulationModes_AreReadThroughTheSelectedRevision(NatTraversalRevision revision, ushort value, bool recognised)
        {
            Assert.Equal(recognised, revision.TryInterpretMode(value, out _, out _));
        }

        [Fact]
        public void MsIkee_2_2_3_1_FragmentFields_Survive()
        {
            var f = (FragmentPayload)RoundTrip(SampleMessages.Fragment(2, last: true)).Payloads.Single();
            Assert.Equal((7, (byte)2, true, 200), (f.FragmentId, f.FragmentNumber, f.IsLast, f.Data.Length));
        }

        [Fact]
        public void NatOa_CarriesIpv4AndIpv6_Rfc3947_5_2()
        {
            var oas = RoundTrip(SampleMessages.QuickMode1Plain()).FindAll<NatOriginalAddressPayload>().ToList();
            Assert.Equal(new[] { IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1") }, oas.Select(o => o.Address));
        }

        [Fact]
        public void IkeV2_InnerPayloads_RoundTrip_WithMsIkee_2_2_8_ServerAttributes_And_2_2_9_Correlation()
        {
            var inner = SampleMessages.IkeAuthInner();
            var bytes = new byte[IkeMessage.GetPayloadsLength(inner)];
            IkeMessage.EncodePayloads(inner, bytes);
            Assert.True(IkeMessage.TryDecodePayloads(bytes, inner[0].Type, 2, out var decoded, out var error), error.ToString());
            var again = new byte[bytes.Length];
            IkeMessage.EncodePayloads(decoded, again);
            Assert.Equal(bytes, again);

            var cp = decoded.OfType<ConfigurationPayload>().Single();
            Assert.Equal(IPAddress.Parse("203.0.113.5"), cp.Attributes.Single(a => a.Type == ConfigurationAttributeType.InternalIp4Server).Address);
            Assert.Equal(IPAddress.Parse("2001:db8::5"), cp.Attributes.Single(a => a.Type == ConfigurationAttributeType.InternalIp6Server).Address);
            Assert.Equal(0x5BA0, (int)ConfigurationAttributeType.InternalIp4Server);
            var corr = decoded.OfType<CorrelationPayload>().Single();
            Assert.Equal((0x1111UL, 0x2222UL, 32), (corr.OriginalInitiatorSpi, corr.OriginalResponderSpi, corr.CorrelationHash.Length));
            Assert.Equal((PayloadType)0xC8, corr.Type);
            Assert.Contains(decoded.OfType<NotifyPayload>(), n => (ushort)n.MessageType == 0x3039);
            Assert.True(MessageRules.TryCheckDecrypted(2, ExchangeType.IkeAuth, decoded, out var rule), rule.ToString());
        }

        [Fact]
        public void IkeV2_SkAndSkf_KeepTheirFirstInnerPayloadType_Rfc7383_2_5()
        {
            var sk = (EncryptedPayload)RoundTrip(SampleMessages.IkeAuthEncrypted()).Payloads.Single();
            Assert.Equal(PayloadType.IdentificationInitiator, sk.FirstInnerPayload);
            var skf = (EncryptedFragmentPayload)RoundTrip(SampleMessages.IkeAuthFragment()).Payloads.Single();
            Assert.Equal((1, 3, PayloadType.IdentificationInitiator), (skf.FragmentNumber, skf.TotalFragments, skf.FirstInnerPayload));
        }

        [Fact]
        public void IkeV2_CriticalBit_IsCarried_Rfc7296_3_2()
        {
            var n = new NotifyPayload(NotifyTypeV2.Cookie, new byte[] { 1 }) { HeaderFlags = 0x80 };
            var m = RoundTrip(new IkeMessage(new IsakmpHeader(1, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Initiator, 0, 0), new IkePayload[] { n }));
            Assert.True(m.Payloads[0].Critical);
        }

        [Fact]
        public void VendorIdPayload_NamesItsVendor()
        {
            var v = (VendorIdPayload)SampleMessages.MainMode1().Payloads[1];
            Assert.Equal(VendorIdKind.MicrosoftImplementation, v.Known!.Value.Kind);
            Assert.Equal(9u, v.Known!.Value.Number);
        }
    }
}
