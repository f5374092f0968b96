using System;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Management;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.V2;
using IkeExtensions.Wire.VendorIds;
using Xunit;
using V1 = IkeExtensions.Wire.V1;
using V2 = IkeExtensions.Wire.V2;

namespace IkeExtensions.Tests.Management
{
    /// <summary>Synthetic messages for what the strongSwan captures do not carry: MS-IKEE values, phase 2 attributes, IKEv2 CP/CORR.</summary>
    public class DissectorNamesTests
    {
        private static DecodedIkeMessage RoundTrip(int major, ExchangeType exchange, uint messageId, params IkePayload[] payloads)
        {
            var header = new IsakmpHeader(0x1122334455667788, 0x99aabbccddeeff00, PayloadType.None, (byte)major, 0, exchange,
                major == 2 ? HeaderFlags.Initiator : HeaderFlags.None, messageId, 0);
            byte[] bytes = new IkeMessage(header, payloads).Encode();
            var decoded = IkeMessageInspector.Decode(bytes);
            Assert.True(decoded.IsDecoded, decoded.Error);
            return decoded;
        }

        private static byte[] U32(uint v) => new[] { unchecked((byte)(v >> 24)), unchecked((byte)(v >> 16)), unchecked((byte)(v >> 8)), unchecked((byte)v) };

        [Fact]
        public void Ikev1_MicrosoftMainModeValues()
        {
            var sa = new V1.SecurityAssociationPayload(V1.Doi.IpsecDoi, V1.Doi.SituationIdentityOnly, new[]
            {
                new Proposal(1, ProtocolId.Isakmp, default, new[]
                {
                    new Transform(1, 1, new[]
                    {
                        DataAttribute.Basic(1, 5), DataAttribute.Basic(2, 2), DataAttribute.Basic(3, 0xFDED), DataAttribute.Basic(4, 2),
                        DataAttribute.Basic(11, 1), DataAttribute.Integer(12, 28800), DataAttribute.Basic(3, 3),
                    }),
                }),
            });
            var m = RoundTrip(1, ExchangeType.IdentityProtection, 0,
                sa,
                VendorIdPayload.For(VendorIdKind.MicrosoftImplementation, 9),
                VendorIdPayload.For(VendorIdKind.Fragmentation, 0x80000000),
                new VendorIdPayload(new byte[] { 0xde, 0xad, 0xbe, 0xef }),
                new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.ExchangeInfo, default, U32(3)),
                new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.NotifyStatus, default, U32(0x000035e9)),
                new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.NotifyDosCookie, default, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
                new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.InitialContact, new byte[16], default));

            Assert.Null(m.RuleViolation);
            Assert.Equal(new[] { "MS NT5 ISAKMPOAKLEY (Windows 8 and later)", "FRAGMENTATION (flags 0x80000000)", "unknown deadbeef" }, m.VendorIds);
            var lines = m.Render();
            Assert.Contains("        Encryption = 3DES-CBC (5)", lines);
            Assert.Contains("        Hash = SHA (2)", lines);
            Assert.Contains("        Authentication = AUTH_CGA (MS-IKEE) (65005, 0xFDED)", lines);
            Assert.Contains("        Authentication = RSA-SIG (3)", lines);
            Assert.Contains("        Group Description = MODP 1024 (2)", lines);
            Assert.Contains("        Life Duration = 28800", lines);
            Assert.Contains("  VID: MS NT5 ISAKMPOAKLEY (Windows 8 and later) [1e2b516905991c7d7c96fcbfb587e46100000009]", lines);
            Assert.Contains("  VID: unknown [deadbeef]", lines);
            Assert.Contains("  N: EXCHANGE_INFO (MS-IKEE) (40005, 0x9C45), DOI IPsec (1), protocol PROTO_ISAKMP (1), SPI none", lines);
            Assert.Contains("    flags 0x00000003 (ND_BOUNDARY|GUARANTEE_ENCRYPTION)", lines);
            Assert.Contains("  N: NOTIFY_STATUS (MS-IKEE) (40003, 0x9C43), DOI IPsec (1), protocol PROTO_ISAKMP (1), SPI none", lines);
            Assert.Contains("    status 0x000035e9", lines);
            Assert.Contains("    cookie 0102030405060708 (8 bytes)", lines);
            Assert.Contains("  N: INITIAL-CONTACT (24578, 0x6002), DOI IPsec (1), protocol PROTO_ISAKMP (1), SPI 0x00000000000000000000000000000000", lines);
        }

        [Fact]
        public void Ikev1_QuickModeIpsecAttributesAndNatOa()
        {
            var esp = new V1.SecurityAssociationPayload(V1.Doi.IpsecDoi, V1.Doi.SituationIdentityOnly, new[]
            {
                new Proposal(1, ProtocolId.IpsecEsp, new byte[] { 0xc0, 0x01, 0xd0, 0x0d }, new[]
                {
                    new Transform(1, 12, new[] { DataAttribute.Basic(1, 1), DataAttribute.Integer(2, 3600), DataAttribute.Basic(4, 0xF003), DataAttribute.Basic(5, 5), DataAttribute.Basic(6, 256) }),
                    new Transform(2, 12, new[] { DataAttribute.Basic(4, 3), DataAttribute.Basic(5, 2), DataAttribute.Basic(3, 14) }),
                    new Transform(3, 3, new[] { DataAttribute.Basic(4, 4) }),
                }),
            });
            var m = RoundTrip(1, ExchangeType.QuickMode, 0x01020304,
                new HashPayload(new byte[32]),
                esp,
                new NoncePayload(new byte[] { 0xab, 0xcd }),
                new V1.IdentificationPayload(IdentificationType.Ipv4AddressSubnet, 17, 1701, new byte[] { 198, 51, 100, 0, 255, 255, 255, 0 }),
                new V1.IdentificationPayload(IdentificationType.Ipv4Address, 0, 0, new byte[] { 198, 51, 100, 2 }),
                new NatOriginalAddressPayload(IPAddress.Parse("10.1.2.3")),
                new NatOriginalAddressPayload(IPAddress.Parse("2001:db8::7"), NatTraversalRevision.Draft02));

            Assert.Null(m.RuleViolation);
            Assert.Contains("mid 0x01020304", m.Render()[0]);
            var lines = m.Render();
            Assert.Contains("  HASH: 32 bytes", lines);
            Assert.Contains("    Proposal #1: PROTO_IPSEC_ESP (3), SPI 0xc001d00d, 3 transforms", lines);
            Assert.Contains("      Transform #1: ESP_AES-CBC (12)", lines);
            Assert.Contains("        SA Life Type = seconds (1)", lines);
            Assert.Contains("        SA Life Duration = 3600", lines);
            Assert.Contains("        Encapsulation Mode = UDP-Encapsulated-Tunnel (draft-ietf-ipsec-nat-t-ike) (61443, 0xF003)", lines);
            Assert.Contains("        Authentication Algorithm = HMAC-SHA2-256 (5)", lines);
            Assert.Contains("        Key Length = 256", lines);
            Assert.Contains("        Encapsulation Mode = UDP-Encapsulated-Tunnel (RFC 3947) (3)", lines);
            Assert.Contains("        Group Description = MODP 2048 (14)", lines);
            Assert.Contains("      Transform #3: ESP_3DES (3)", lines);
            Assert.Contains("        Encapsulation Mode = UDP-Encapsulated-Transport (RFC 3947) (4)", lines);
            Assert.Contains("  ID: ID_IPV4_ADDR_SUBNET (4), protocol UDP (17), port 1701, 198.51.100.0/24", lines);
            Assert.Contains("  ID: ID_IPV4_ADDR (1), protocol any (0), port 0, 198.51.100.2", lines);
            Assert.Contains("  NAT-OA: ID_IPV4_ADDR (1), 10.1.2.3", lines);
            Assert.Contains("  NAT-OA(draft): ID_IPV6_ADDR (5), 2001:db8::7", lines);
        }

        [Fact]
        public void Ikev1_DeleteAndDpd()
        {
            var m = RoundTrip(1, ExchangeType.Informational, 7,
                new HashPayload(new byte[32]),
                new V1.DeletePayload(V1.Doi.IpsecDoi, ProtocolId.IpsecEsp, 4, new ReadOnlyMemory<byte>[] { new byte[] { 0xae, 0x2f, 0xa8, 0x8b }, new byte[] { 1, 2, 3, 4 } }),
                new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.DpdRUThere, new byte[16], U32(42)));
            var lines = m.Render();
            Assert.Contains("  D: DOI IPsec (1), protocol PROTO_IPSEC_ESP (3), SPI size 4, 2 SPIs", lines);
            Assert.Contains("    SPI 0xae2fa88b", lines);
            Assert.Contains("    sequence number 42", lines);
            Assert.Contains(lines, l => l.StartsWith("  N: R-U-THERE (36136, 0x8D28)", StringComparison.Ordinal));
        }

        [Fact]
        public void Ikev2_ConfigurationCorrelationAndMicrosoftNotify()
        {
            var cp = new ConfigurationPayload(ConfigurationType.Reply, new[]
            {
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp4Address, IPAddress.Parse("10.0.0.5")),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp4Server, IPAddress.Parse("10.0.0.1")),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp6Server, IPAddress.Parse("2001:db8::1")),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.PCscfIp4Address, IPAddress.Parse("192.0.2.53")),
                new ConfigurationAttribute(ConfigurationAttributeType.PCscfIp6Address, default),
            });
            var m = RoundTrip(2, ExchangeType.IkeAuth, 1,
                new V2.IdentificationPayload(true, 2, System.Text.Encoding.ASCII.GetBytes("client.example")),
                new AuthenticationPayload(AuthMethod.SharedKeyMic, new byte[32]),
                cp,
                new TrafficSelectorPayload(true, new[] { new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 6, 0, 65535, IPAddress.Parse("198.51.100.1"), IPAddress.Parse("198.51.100.1")) }),
                new NotifyPayload(NotifyTypeV2.MsNotifyStatus, U32(0x000035ed)),
                new NotifyPayload(NotifyTypeV2.NoProposalChosen),
                new V2.DeletePayload(ProtocolIdV2.Esp, 4, new ReadOnlyMemory<byte>[] { new byte[] { 9, 8, 7, 6 } }),
                new CorrelationPayload(0x0102030405060708, 0x1112131415161718, new byte[20]));

            // IKE_AUTH payloads belong inside SK: the rule check says so, the dissection still shows everything.
            Assert.NotNull(m.RuleViolation);
            var lines = m.Render();
            Assert.Contains("  IDi: ID_FQDN (2), client.example", lines);
            Assert.Contains("  AUTH: Shared Key Message Integrity Code (2), 32 bytes", lines);
            Assert.Contains("  CP: CFG_REPLY (2), 5 attributes", lines);
            Assert.Contains("    INTERNAL_IP4_ADDRESS (1) = 10.0.0.5", lines);
            Assert.Contains("    INTERNAL_IP4_SERVER (MS-IKEE) (23456, 0x5BA0) = 10.0.0.1", lines);
            Assert.Contains("    INTERNAL_IP6_SERVER (MS-IKEE) (23457, 0x5BA1) = 2001:db8::1", lines);
            Assert.Contains("    P_CSCF_IP4_ADDRESS (20) = 192.0.2.53", lines);
            Assert.Contains("    P_CSCF_IP6_ADDRESS (21) (empty)", lines);
            Assert.Contains("    TS_IPV4_ADDR_RANGE (7): 198.51.100.1 - 198.51.100.1, protocol TCP (6), ports 0-65535", lines);
            Assert.Contains("  N: NOTIFY_STATUS (MS-IKEE) (12345, 0x3039), status", lines);
            Assert.Contains("    status 0x000035ed", lines);
            Assert.Contains("  N: NO_PROPOSAL_CHOSEN (14), error", lines);
            Assert.Contains("  D: protocol ESP (3), SPI size 4, 1 SPI", lines);
            Assert.Contains("    SPI 0x09080706", lines);
            Assert.Contains("  CORR: original ispi 0102030405060708, original rspi 1112131415161718, correlation hash 20 bytes", lines);
            Assert.Contains("  ! rule violation: " + m.RuleViolation, lines);
        }

        [Fact]
        public void Ikev2_DhGroupNames()
        {
            var sa = new V2.SecurityAssociationPayload(new[]
            {
                new ProposalV2(1, ProtocolIdV2.Ike, default, new List<TransformV2>
                {
                    new TransformV2(V2.TransformType.Encryption, 20, new[] { DataAttribute.Basic(14, 128) }),
                    new TransformV2(V2.TransformType.PseudoRandomFunction, 7),
                    new TransformV2(V2.TransformType.DiffieHellmanGroup, 19),
                    new TransformV2(V2.TransformType.DiffieHellmanGroup, 20),
                    new TransformV2(V2.TransformType.DiffieHellmanGroup, 24),
                }),
                new ProposalV2(2, ProtocolIdV2.Esp, new byte[] { 1, 2, 3, 4 }, new List<TransformV2>
                {
                    new TransformV2(V2.TransformType.Integrity, 14),
                    new TransformV2(V2.TransformType.ExtendedSequenceNumbers, 0),
                }),
            });
            var lines = RoundTrip(2, ExchangeType.IkeSaInit, 0, sa, new V2.KeyExchangePayload(19, new byte[64])).Render();
            Assert.Contains("      ENCR: ENCR_AES_GCM_16 (20), Key Length = 128", lines);
            Assert.Contains("      PRF: PRF_HMAC_SHA2_512 (7)", lines);
            Assert.Contains("      D-H: ECP 256 (NIST P-256) (19)", lines);
            Assert.Contains("      D-H: ECP 384 (NIST P-384) (20)", lines);
            Assert.Contains("      D-H: MODP 2048 with 256-bit prime order subgroup (24)", lines);
            Assert.Contains("    Proposal #2: ESP (3), SPI 0x01020304, 2 transforms", lines);
            Assert.Contains("      INTEG: AUTH_HMAC_SHA2_512_256 (14)", lines);
            Assert.Contains("      ESN: No ESN (0)", lines);
            Assert.Contains("  KE: D-H group ECP 256 (NIST P-256) (19), key exchange data 64 bytes", lines);
        }
    }
}
