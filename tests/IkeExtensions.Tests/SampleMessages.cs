using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.V2;
using IkeExtensions.Wire.VendorIds;
using V1 = IkeExtensions.Wire.V1;
using V2 = IkeExtensions.Wire.V2;

namespace IkeExtensions.Tests
{
    /// <summary>
    /// One constructed message per kind the later issues send, together covering every payload type the codec knows.
    /// Used by the round-trip, mutation, tshark and benchmark code so each kind is built once.
    /// </summary>
    internal static class SampleMessages
    {
        /// <summary>A real DER X.509 certificate (self-signed ECDSA P-256, CN=a.ike.test), so dissectors see well-formed CERT data.</summary>
        private static readonly Lazy<byte[]> DerCertificate = new Lazy<byte[]>(() =>
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=a.ike.test, O=IkeExtensions", key,
                System.Security.Cryptography.HashAlgorithmName.SHA256);
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var cert = request.CreateSelfSigned(start, start.AddYears(5));
            return cert.RawData;
        });

        /// <summary>An EAP-Response/Identity packet (RFC 3748 §4: code 2, id 1, length 9, type 1, "bob").</summary>
        private static readonly byte[] EapIdentity = { 2, 1, 0, 9, 1, (byte)'b', (byte)'o', (byte)'b', (byte)'!' };

        private static byte[] Bytes(int n, byte seed) => Enumerable.Range(0, n).Select(i => unchecked((byte)(seed + i * 7))).ToArray();

        private static IsakmpHeader V1Header(ExchangeType x, HeaderFlags f = HeaderFlags.None, uint mid = 0, ulong rspi = 0) =>
            new IsakmpHeader(0x1122334455667788, rspi, PayloadType.None, 1, 0, x, f, mid, 0);

        private static IsakmpHeader V2Header(ExchangeType x, HeaderFlags f, uint mid, ulong rspi) =>
            new IsakmpHeader(0x0102030405060708, rspi, PayloadType.None, 2, 0, x, f, mid, 0);

        /// <summary>Windows-style Main Mode #1: AES-256/SHA-256/DH14 and 3DES/SHA-1/DH2 proposals, MS vendor IDs.</summary>
        public static IkeMessage MainMode1()
        {
            Transform Phase1(byte n, IkeEncryptionAlgorithm e, ushort? keyLen, IkeHashAlgorithm h, IkeAuthenticationMethod a, ushort g)
            {
                var attrs = new List<DataAttribute> { DataAttribute.Basic((ushort)IkeAttributeType.EncryptionAlgorithm, (ushort)e) };
                if (keyLen.HasValue) attrs.Add(DataAttribute.Basic((ushort)IkeAttributeType.KeyLength, keyLen.Value));
                attrs.Add(DataAttribute.Basic((ushort)IkeAttributeType.HashAlgorithm, (ushort)h));
                attrs.Add(DataAttribute.Basic((ushort)IkeAttributeType.AuthenticationMethod, (ushort)a));
                attrs.Add(DataAttribute.Basic((ushort)IkeAttributeType.GroupDescription, g));
                attrs.Add(DataAttribute.Basic((ushort)IkeAttributeType.LifeType, (ushort)LifeType.Seconds));
                attrs.Add(DataAttribute.Integer((ushort)IkeAttributeType.LifeDuration, 28800));
                return new Transform(n, 1, attrs);
            }

            var sa = new V1.SecurityAssociationPayload(V1.Doi.IpsecDoi, V1.Doi.SituationIdentityOnly, new[]
            {
                new Proposal(1, ProtocolId.Isakmp, default, new[]
                {
                    Phase1(1, IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, IkeAuthenticationMethod.PreSharedKey, 14),
                    Phase1(2, IkeEncryptionAlgorithm.TripleDesCbc, null, IkeHashAlgorithm.Sha1, IkeAuthenticationMethod.PreSharedKey, 2),
                    Phase1(3, IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha1, IkeAuthenticationMethod.AuthCga, 19),
                }),
            });
            var payloads = new List<IkePayload> { sa };
            payloads.Add(VendorIdPayload.For(VendorIdKind.MicrosoftImplementation, 9));
            payloads.Add(VendorIdPayload.For(VendorIdKind.MsMamieExists));
            payloads.Add(VendorIdPayload.For(VendorIdKind.KeyModules, 0));
            payloads.Add(VendorIdPayload.For(VendorIdKind.NatTraversalRfc3947));
            payloads.Add(VendorIdPayload.For(VendorIdKind.NatTraversalDraft02));
            payloads.Add(VendorIdPayload.For(VendorIdKind.Fragmentation));
            payloads.Add(VendorIdPayload.For(VendorIdKind.IkeCgaVersion1));
            payloads.Add(VendorIdPayload.For(VendorIdKind.NegotiationDiscoveryCapable));
            payloads.Add(VendorIdPayload.For(VendorIdKind.VidInitialContact));
            return new IkeMessage(V1Header(ExchangeType.IdentityProtection), payloads);
        }

        /// <summary>Main Mode #3 with draft-02 NAT-D (MS-IKEE 2.2.1) and a DoS cookie notify (MS-IKEE 3.9).</summary>
        public static IkeMessage MainMode3Draft() => new IkeMessage(V1Header(ExchangeType.IdentityProtection, rspi: 0x99), new IkePayload[]
        {
            new V1.KeyExchangePayload(Bytes(256, 3)),
            new NoncePayload(Bytes(32, 9)),
            new NatDiscoveryPayload(Bytes(20, 1), NatTraversalRevision.Draft02),
            new NatDiscoveryPayload(Bytes(20, 2), NatTraversalRevision.Draft02),
            new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.NotifyDosCookie, default, Bytes(8, 4)),
        });

        /// <summary>Main Mode #5 plaintext as sent with certificates and CGA (MS-IKEE 2.2.5): ID_IPV6_CGA, CERT, CR, SIG, status notify.</summary>
        public static IkeMessage MainMode5Plain()
        {
            var cga = new CgaIdentification(Bytes(16, 5), 1, default);
            return new IkeMessage(V1Header(ExchangeType.IdentityProtection, rspi: 0x99), new IkePayload[]
            {
                new V1.IdentificationPayload(IdentificationType.Ipv6Cga, 0, 0, cga.ToIdentificationData()),
                new CertificatePayload((byte)CertificateEncoding.X509Signature, DerCertificate.Value),
                new CertificateRequestPayload((byte)CertificateEncoding.X509Signature, Bytes(40, 8)),
                new SignaturePayload(Bytes(256, 7)),
                new NotificationPayload(V1.Doi.IpsecDoi, ProtocolId.Isakmp, NotifyMessageType.NotifyStatus, default, new byte[] { 0, 0, 0x35, 0xE9 }),
            });
        }

        /// <summary>Quick Mode #1 plaintext: HASH, SA (ESP, UDP-encapsulated transport, RFC 3947), Nonce, KE (PFS), client IDs, NAT-OA.</summary>
        public static IkeMessage QuickMode1Plain()
        {
            var esp = new Transform(1, (byte)EspTransformId.Aes, new[]
            {
                DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, 1),
                DataAttribute.Integer((ushort)IpsecAttributeType.SaLifeDuration, 3600),
                DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)EncapsulationMode.UdpEncapsulatedTransport),
                DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)IpsecAuthenticationAlgorithm.HmacSha2_256),
                DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, 256),
                DataAttribute.Basic((ushort)IpsecAttributeType.GroupDescription, 14),
                DataAttribute.Variable(0x7123, new byte[] { 0xde, 0xad }), // unknown attribute, carried (MS-IKEE 3.1.5)
            });
            return new IkeMessage(V1Header(ExchangeType.QuickMode, mid: 0x4d2), new IkePayload[]
            {
                new HashPayload(Bytes(32, 1)),
                new V1.SecurityAssociationPayload(V1.Doi.IpsecDoi, 1, new[] { new Proposal(1, ProtocolId.IpsecEsp, new byte[] { 0xc0, 0, 0, 1 }, new[] { esp }) }),
                new NoncePayload(Bytes(32, 2)),
                new V1.KeyExchangePayload(Bytes(256, 3)),
                new V1.IdentificationPayload(IdentificationType.Ipv4Address, 17, 0, IPAddress.Parse("192.0.2.1").GetAddressBytes()),
                new V1.IdentificationPayload(IdentificationType.Ipv4AddressSubnet, 0, 0, new byte[] { 198, 51, 100, 0, 255, 255, 255, 0 }),
                new NatOriginalAddressPayload(IPAddress.Parse("192.0.2.1")),
                new NatOriginalAddressPayload(IPAddress.Parse("2001:db8::1")),
            });
        }

        /// <summary>Informational plaintext: MS-IKEE 3.8 reliable delete (HASH, Delete, Nonce) plus EXCHANGE_INFO with the QM Message ID (2.2.6).</summary>
        public static IkeMessage InformationalPlain() => new IkeMessage(V1Header(ExchangeType.Informational, mid: 0x7777), new IkePayload[]
        {
            new HashPayload(Bytes(20, 1)),
            new V1.DeletePayload(V1.Doi.IpsecDoi, ProtocolId.IpsecEsp, 4, new ReadOnlyMemory<byte>[] { new byte[] { 1, 2, 3, 4 }, new byte[] { 5, 6, 7, 8 } }),
            new NoncePayload(Bytes(16, 2)),
            NotificationPayload.ForWindowsQuickMode(NotifyMessageType.ExchangeInfo, ProtocolId.IpsecEsp, Bytes(8, 3), 0x4d2,
                new byte[] { 0, 0, 0, (byte)(ExchangeInfoFlags.NdBoundary | ExchangeInfoFlags.GuaranteeEncryption) }),
        });

        /// <summary>An encrypted IKEv1 message (E flag): header plus opaque ciphertext.</summary>
        public static IkeMessage EncryptedMainMode5() =>
            IkeMessage.WithEncryptedBody(V1Header(ExchangeType.IdentityProtection, rspi: 0x99).With(nextPayload: PayloadType.Identification), Bytes(96, 4));

        /// <summary>An IKEv1 fragment message (MS-IKEE 2.2.3): header plus one Fragment payload.</summary>
        public static IkeMessage Fragment(byte number, bool last) => new IkeMessage(V1Header(ExchangeType.IdentityProtection, rspi: 0x99),
            new IkePayload[] { new FragmentPayload(7, number, last ? FragmentPayload.LastFragmentFlag : (byte)0, Bytes(200, number)) });

        /// <summary>IKE_SA_INIT request: SA, KE (group 19), Nonce, FRAGMENTATION_SUPPORTED notify (MS-IKEE 2.2.11.1), MS and Xbox vendor IDs.</summary>
        public static IkeMessage IkeSaInit() => new IkeMessage(V2Header(ExchangeType.IkeSaInit, HeaderFlags.Initiator, 0, 0), new IkePayload[]
        {
            new V2.SecurityAssociationPayload(new[]
            {
                new ProposalV2(1, ProtocolIdV2.Ike, default, new[]
                {
                    new TransformV2(TransformType.Encryption, 12, new[] { DataAttribute.Basic(14, 256) }),
                    new TransformV2(TransformType.PseudoRandomFunction, 5),
                    new TransformV2(TransformType.Integrity, 12),
                    new TransformV2(TransformType.DiffieHellmanGroup, 19),
                }),
            }),
            new V2.KeyExchangePayload(19, Bytes(64, 5)),
            new NoncePayload(Bytes(32, 6), 2),
            new NotifyPayload(NotifyTypeV2.IkeV2FragmentationSupported),
            new NotifyPayload(NotifyTypeV2.NatDetectionSourceIp, Bytes(20, 1)),
            VendorIdPayload.For(VendorIdKind.MicrosoftImplementation, 9, 2),
            VendorIdPayload.For(VendorIdKind.XboxOne2013, null, 2),
            VendorIdPayload.For(VendorIdKind.XboxIkev2Negotiation, 1, 2),
            new VendorIdPayload(VendorIdRegistry.Get(VendorIdKind.SecurityRealmId).ToBytes().Concat(Bytes(16, 8)).ToArray(), 2),
        });

        /// <summary>IKE_AUTH request as it goes on the wire: the SK payload (encryption arrives with the IKEv2 engine).</summary>
        public static IkeMessage IkeAuthEncrypted() => new IkeMessage(V2Header(ExchangeType.IkeAuth, HeaderFlags.Initiator, 1, 0x55),
            new IkePayload[] { new EncryptedPayload(PayloadType.IdentificationInitiator, Bytes(160, 2)) });

        /// <summary>IKE_AUTH fragment 1 of 3 (RFC 7383, MS-IKEE 2.2.11.2).</summary>
        public static IkeMessage IkeAuthFragment() => new IkeMessage(V2Header(ExchangeType.IkeAuth, HeaderFlags.Initiator, 1, 0x55),
            new IkePayload[] { new EncryptedFragmentPayload(PayloadType.IdentificationInitiator, 1, 3, Bytes(120, 3)) });

        /// <summary>The plaintext inside IKE_AUTH: IDi, CERT, CERTREQ, AUTH, SA, TSi/TSr, CP with MS-IKEE 2.2.8 server attributes and P-CSCF, Correlation (2.2.9), MS status notify (2.2.7).</summary>
        public static IReadOnlyList<IkePayload> IkeAuthInner() => new IkePayload[]
        {
            new V2.IdentificationPayload(true, 2, System.Text.Encoding.ASCII.GetBytes("host.example")),
            new CertificatePayload(4, DerCertificate.Value, 2),
            new CertificateRequestPayload(4, Bytes(20, 2), 2),
            new AuthenticationPayload(AuthMethod.SharedKeyMic, Bytes(32, 3)),
            new V2.SecurityAssociationPayload(new[] { new ProposalV2(1, ProtocolIdV2.Esp, new byte[] { 1, 2, 3, 4 }, new[] { new TransformV2(TransformType.Encryption, 20, new[] { DataAttribute.Basic(14, 256) }), new TransformV2(TransformType.ExtendedSequenceNumbers, 0) }) }),
            new TrafficSelectorPayload(true, new[] { new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse("198.51.100.1"), IPAddress.Parse("198.51.100.1")) }),
            new TrafficSelectorPayload(false, new[] { new TrafficSelector(TrafficSelectorType.Ipv6AddressRange, 6, 443, 443, IPAddress.Parse("2001:db8::"), IPAddress.Parse("2001:db8::ffff")) }),
            new ConfigurationPayload(ConfigurationType.Reply, new[]
            {
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp4Server, IPAddress.Parse("203.0.113.5")),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp6Server, IPAddress.Parse("2001:db8::5")),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.PCscfIp4Address, IPAddress.Parse("203.0.113.6")),
                new ConfigurationAttribute(ConfigurationAttributeType.PCscfIp6Address, default),
            }),
            new CorrelationPayload(0x1111, 0x2222, Bytes(32, 4)),
            new NotifyPayload(NotifyTypeV2.MsNotifyStatus, new byte[] { 0, 0, 0x35, 0xE9 }),
            new ExtensibleAuthenticationPayload(EapIdentity),
            new V2.IdentificationPayload(false, 1, new byte[] { 192, 0, 2, 2 }),
        };

        /// <summary>The plaintext inside an INFORMATIONAL exchange deleting a child SA.</summary>
        public static IReadOnlyList<IkePayload> InformationalV2Inner() => new IkePayload[]
        {
            new V2.DeletePayload(ProtocolIdV2.Esp, 4, new ReadOnlyMemory<byte>[] { new byte[] { 9, 9, 9, 9 } }),
            new NotifyPayload(NotifyTypeV2.MsNotifyStatus, new byte[] { 0, 0, 0x35, 0xE9 }),
        };

        /// <summary>Quick Mode #2 plaintext under the draft-02 NAT-T revision: NAT-OA as payload 0x83 (MS-IKEE 2.2.1).</summary>
        public static IkeMessage QuickMode2PlainDraft() => new IkeMessage(V1Header(ExchangeType.QuickMode, mid: 0x4d2, rspi: 0x99), new IkePayload[]
        {
            new HashPayload(Bytes(32, 1)),
            new NoncePayload(Bytes(32, 2)),
            new NatOriginalAddressPayload(IPAddress.Parse("198.51.100.7"), NatTraversalRevision.Draft02),
            new NatOriginalAddressPayload(IPAddress.Parse("203.0.113.9"), NatTraversalRevision.Draft02),
        });

        /// <summary>An IKE_AUTH message carrying the inner payloads in the clear, for codec and dissector tests only.</summary>
        public static IkeMessage IkeAuthInnerInTheClear() => new IkeMessage(V2Header(ExchangeType.IkeAuth, HeaderFlags.Initiator, 1, 0x55), IkeAuthInner());

        public static IEnumerable<(string Name, IkeMessage Message)> All()
        {
            yield return ("MainMode1", MainMode1());
            yield return ("MainMode3Draft", MainMode3Draft());
            yield return ("MainMode5Plain", MainMode5Plain());
            yield return ("QuickMode1Plain", QuickMode1Plain());
            yield return ("InformationalPlain", InformationalPlain());
            yield return ("QuickMode2PlainDraft", QuickMode2PlainDraft());
            yield return ("EncryptedMainMode5", EncryptedMainMode5());
            yield return ("Fragment1", Fragment(1, false));
            yield return ("Fragment2Last", Fragment(2, true));
            yield return ("IkeSaInit", IkeSaInit());
            yield return ("IkeAuthEncrypted", IkeAuthEncrypted());
            yield return ("IkeAuthFragment", IkeAuthFragment());
            yield return ("IkeAuthInnerInTheClear", IkeAuthInnerInTheClear());
            yield return ("InformationalV2InnerInTheClear", new IkeMessage(V2Header(ExchangeType.InformationalV2, HeaderFlags.Response, 2, 0x55), InformationalV2Inner()));
        }

        public static IEnumerable<object[]> Names() => All().Select(x => new object[] { x.Name });
        public static IkeMessage ByName(string name) => All().Single(x => x.Name == name).Message;
    }
}
