using System.Linq;
using System.Net;
using IkeExtensions.Management;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.V2;
using Xunit;
using static IkeExtensions.Tests.Management.ManagementVectors;

namespace IkeExtensions.Tests.Management
{
    public class IkeMessageInspectorCaptureTests
    {
        [Theory]
        [InlineData(MainModePsk, 10)]
        [InlineData(V1FragmentationForce, 12)]
        [InlineData(V1NatT, 11)] // 13 frames minus the two ESP-in-UDP packets
        [InlineData(V1Cert, 10)]
        [InlineData(V2Psk, 6)]
        [InlineData(V2PskIpv6, 6)]
        [InlineData(V2Fragmentation, 8)]
        public void EveryCaptureDecodesCleanly(string capture, int count)
        {
            var messages = Decode(capture);
            Assert.Equal(count, messages.Count);
            Assert.All(messages, m =>
            {
                Assert.True(m.IsDecoded, m.Error);
                Assert.Null(m.Error);
                Assert.Null(m.RuleViolation);
                Assert.NotNull(m.FrameNumber);
                Assert.NotNull(m.Source);
                Assert.NotEmpty(m.Payloads);
                Assert.Equal((uint)m.Length, m.Message!.Header.Length);
                Assert.DoesNotContain(m.Render(), line => line.Contains('\n'));
            });
        }

        [Fact]
        public void MainMode1_HasSaAndTheStrongSwanVendorIds()
        {
            var mm1 = Frame(Decode(MainModePsk), 1);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500), mm1.Source);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500), mm1.Destination);
            Assert.Equal(208 - 8, mm1.Length);
            Assert.Equal(1, mm1.MajorVersion);
            Assert.Equal("Main Mode", mm1.ExchangeType);
            Assert.Equal(0UL, mm1.ResponderSpi);
            Assert.NotEqual(0UL, mm1.InitiatorSpi);
            Assert.Equal(0u, mm1.MessageId);
            Assert.Equal("SA VID VID VID VID VID VID", mm1.Payloads);
            Assert.Equal(new[]
            {
                "strongSwan", "draft-ietf-ipsra-isakmp-xauth-06.txt", "RFC 3706 DPD", "FRAGMENTATION (flags 0x80000000)",
                "RFC 3947", "draft-ietf-ipsec-nat-t-ike-02\\n",
            }, mm1.VendorIds);
        }

        [Fact]
        public void MainMode1_RendersTheProposalByName()
        {
            var lines = Frame(Decode(MainModePsk), 1).Render();
            Assert.StartsWith("Frame 1: 192.0.2.1:500 -> 192.0.2.2:500  IKEv1.0 Main Mode (2)  ispi ", lines[0]);
            Assert.Contains("rspi 0000000000000000  flags 0x00  mid 0x00000000  length 200", lines[0]);
            Assert.Contains("  SA: DOI IPsec (1), situation SIT_IDENTITY_ONLY (0x1), 1 proposal", lines);
            Assert.Contains("    Proposal #1: PROTO_ISAKMP (1), SPI none, 1 transform", lines);
            Assert.Contains("      Transform #1: KEY_IKE (1)", lines);
            Assert.Contains("        Encryption = AES-CBC (7)", lines);
            Assert.Contains("        Key Length = 256", lines);
            Assert.Contains("        Hash = SHA2-256 (4)", lines);
            Assert.Contains("        Group Description = MODP 2048 (14)", lines);
            Assert.Contains("        Authentication = PSK (1)", lines);
            Assert.Contains("        Life Type = seconds (1)", lines);
            Assert.Contains("  VID: RFC 3947 [4a131c81070358455c5728f20e95452f]", lines);
            Assert.Contains("  VID: FRAGMENTATION (flags 0x80000000) [4048b7d56ebce88525e7de7f00d6c2d380000000]", lines);
        }

        [Fact]
        public void MainMode2_EchoesTheVendorIdsWithoutDraft02()
        {
            var mm2 = Frame(Decode(MainModePsk), 2);
            Assert.Equal("SA VID VID VID VID VID", mm2.Payloads);
            Assert.DoesNotContain(mm2.VendorIds, v => v.StartsWith("draft-ietf-ipsec-nat-t", System.StringComparison.Ordinal));
            Assert.NotEqual(0UL, mm2.ResponderSpi);
        }

        [Fact]
        public void MainMode3_ShowsKeLengthNonceAndNatD()
        {
            var mm3 = Frame(Decode(MainModePsk), 3);
            Assert.Equal("KE NONCE NAT-D NAT-D", mm3.Payloads);
            var text = Text(mm3);
            Assert.Contains("  KE: key exchange data 256 bytes", text);
            Assert.Contains("  NONCE: 32 bytes ", text);
            Assert.Equal(2, mm3.Render().Count(l => l.StartsWith("  NAT-D: hash ", System.StringComparison.Ordinal) && l.EndsWith("(32 bytes)", System.StringComparison.Ordinal)));
        }

        [Fact]
        public void EncryptedMessages_ShowSizeAndFirstPayload()
        {
            var messages = Decode(MainModePsk);
            var mm5 = Frame(messages, 5);
            Assert.True(mm5.Message!.HasEncryptedBody);
            Assert.Equal("encrypted 80 bytes", mm5.Payloads); // 116-byte UDP datagram: 8 UDP + 28 ISAKMP + 80
            Assert.Contains("  encrypted: 80 bytes (first payload ID)", mm5.Render());
            Assert.Contains("flags 0x01 (E)", mm5.Render()[0]);
            Assert.Equal("Quick Mode", Frame(messages, 7).ExchangeType);
            Assert.Equal("Informational", Frame(messages, 9).ExchangeType);
            Assert.NotEqual(0u, Frame(messages, 7).MessageId);
        }

        [Fact]
        public void ForcedIkev1Fragmentation_ShowsFragmentPayloads()
        {
            var messages = Decode(V1FragmentationForce);
            foreach (int frame in new[] { 3, 4, 5, 6 })
            {
                var m = Frame(messages, frame);
                Assert.Equal("FRAG", m.Payloads);
                var frag = m.Message!.Find<FragmentPayload>()!;
                Assert.Equal(1, frag.FragmentId);
                Assert.Equal(frame % 2 == 1 ? 1 : 2, frag.FragmentNumber);
                Assert.Equal(frame % 2 == 0, frag.IsLast);
            }
            Assert.Contains("  FRAG: Fragment ID 1, number 1, not last, flags 0x00, 236 bytes of fragment data", Frame(messages, 3).Render());
            Assert.Contains("  FRAG: Fragment ID 1, number 2, last, flags 0x01, 160 bytes of fragment data", Frame(messages, 4).Render());
            Assert.Equal(280 - 8, Frame(messages, 3).Length);
        }

        [Fact]
        public void NatT_DecodesPort4500AfterTheMarkerAndSkipsEsp()
        {
            var messages = Decode(V1NatT);
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13 }, messages.Select(m => m.FrameNumber!.Value));
            var mm5 = Frame(messages, 5);
            Assert.Equal(4500, mm5.Source!.Port);
            Assert.Equal(4500, mm5.Destination!.Port);
            Assert.Equal(120 - 8 - 4, mm5.Length);
            Assert.Equal("Main Mode", mm5.ExchangeType);
            Assert.Equal("encrypted 80 bytes", mm5.Payloads);
            Assert.StartsWith("Frame 5: 192.0.2.1:4500 -> 192.0.2.2:4500  IKEv1.0 Main Mode (2)", mm5.Render()[0]);
            var qm3 = Frame(messages, 9);
            Assert.Equal("Quick Mode", qm3.ExchangeType);
            Assert.Equal(Frame(messages, 7).MessageId, qm3.MessageId);
        }

        [Fact]
        public void Ikev1Cert_ShowsTheCertificateRequestAuthority()
        {
            var messages = Decode(V1Cert);
            Assert.DoesNotContain(Frame(messages, 1).VendorIds, v => v.StartsWith("FRAGMENTATION", System.StringComparison.Ordinal));
            var mm4 = Frame(messages, 4);
            Assert.Equal("KE NONCE CR NAT-D NAT-D", mm4.Payloads);
            Assert.Contains(mm4.Render(), l => l.StartsWith("  CR: X.509 certificate - signature (4), authority \"", System.StringComparison.Ordinal) && l.Contains("CN=IkeExtensions Test CA"));
            Assert.Equal("encrypted " + (1700 - 8 - 28), Frame(messages, 5).Payloads.Replace(" bytes", ""));
        }

        [Fact]
        public void Ikev2SaInit_RendersTransformsAndNotifiesByName()
        {
            var messages = Decode(V2Psk);
            var init = Frame(messages, 1);
            Assert.Equal(2, init.MajorVersion);
            Assert.Equal("IKE_SA_INIT", init.ExchangeType);
            Assert.Equal("SA KE No N N N N N V", init.Payloads);
            Assert.Equal(new[] { "strongSwan" }, init.VendorIds);
            var lines = init.Render();
            Assert.Contains("flags 0x08 (I)  mid 0  length 484", lines[0]);
            Assert.Contains("    Proposal #1: IKE (1), SPI none, 4 transforms", lines);
            Assert.Contains("      ENCR: ENCR_AES_CBC (12), Key Length = 256", lines);
            Assert.Contains("      INTEG: AUTH_HMAC_SHA2_256_128 (12)", lines);
            Assert.Contains("      PRF: PRF_HMAC_SHA2_256 (5)", lines);
            Assert.Contains("      D-H: MODP 2048 (14)", lines);
            Assert.Contains("  KE: D-H group MODP 2048 (14), key exchange data 256 bytes", lines);
            Assert.Contains("  N: NAT_DETECTION_SOURCE_IP (16388, 0x4004), status", lines);
            Assert.Contains("  N: IKEV2_FRAGMENTATION_SUPPORTED (16430, 0x402E), status", lines);
            Assert.Contains("    hash algorithms SHA2-256 (2), SHA2-384 (3), SHA2-512 (4), Identity (5)", lines);
            Assert.Contains("  N: REDIRECT_SUPPORTED (16406, 0x4016), status", lines);

            var response = Frame(messages, 2);
            Assert.Contains("flags 0x20 (R)", response.Render()[0]);
            Assert.Contains("  N: CHILDLESS_IKEV2_SUPPORTED (16418, 0x4022), status", response.Render());
            Assert.Contains("  N: MULTIPLE_AUTH_SUPPORTED (16404, 0x4014), status", response.Render());

            var auth = Frame(messages, 3);
            Assert.Equal("IKE_AUTH", auth.ExchangeType);
            Assert.Equal("SK", auth.Payloads);
            Assert.Equal(1u, auth.MessageId);
            Assert.Contains(auth.Render(), l => l.StartsWith("  SK: first inner payload IDi, ", System.StringComparison.Ordinal));
            Assert.Equal("INFORMATIONAL", Frame(messages, 5).ExchangeType);
        }

        [Fact]
        public void Ikev2OverIpv6_ShowsBracketedEndpoints()
        {
            var first = Decode(V2PskIpv6)[0];
            Assert.Equal(IPAddress.Parse("2001:db8::1"), first.Source!.Address);
            Assert.StartsWith("Frame 1: [2001:db8::1]:500 -> [2001:db8::2]:500  IKEv2.0 IKE_SA_INIT (34)", first.Render()[0]);
        }

        [Fact]
        public void Ikev2Fragmentation_ShowsSkfNumbers()
        {
            var messages = Decode(V2Fragmentation);
            Assert.Equal("SKF(1/2)", Frame(messages, 3).Payloads);
            Assert.Equal("SKF(2/2)", Frame(messages, 4).Payloads);
            Assert.Equal("SKF(1/2)", Frame(messages, 5).Payloads);
            Assert.Equal("SKF(2/2)", Frame(messages, 6).Payloads);
            Assert.Contains(Frame(messages, 3).Render(), l => l.StartsWith("  SKF: fragment 1/2, first inner payload IDi, ", System.StringComparison.Ordinal));
            Assert.Contains(Frame(messages, 6).Render(), l => l.StartsWith("  SKF: fragment 2/2, first inner payload none, ", System.StringComparison.Ordinal));
            var skf = Frame(messages, 4).Message!.Find<EncryptedFragmentPayload>()!;
            Assert.Equal(2, skf.FragmentNumber);
            Assert.Equal(2, skf.TotalFragments);
            Assert.Contains(Frame(messages, 2).Render(), l => l.StartsWith("  CERTREQ: X.509 certificate - signature (4), 1 CA key hash", System.StringComparison.Ordinal));
        }

        [Fact]
        public void DecodeInput_AcceptsACapturePath()
        {
            var messages = IkeMessageInspector.DecodeInput(Path(MainModePsk));
            Assert.Equal(10, messages.Count);
            Assert.Equal("SA VID VID VID VID VID VID", messages[0].Payloads);
            Assert.Equal(PayloadType.SecurityAssociation, messages[0].Message!.Payloads[0].Type);
        }
    }
}
