using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.V2;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Wire
{
    /// <summary>Real strongSwan 5.9.8 messages (Vectors/captures) decode, satisfy the message rules and re-encode byte-exactly.</summary>
    public class StrongSwanCaptureTests
    {
        [Theory]
        [MemberData(nameof(CaptureVectors.AllFiles), MemberType = typeof(CaptureVectors))]
        public void EveryCapturedMessage_Decodes_FollowsRules_AndReencodesByteExact(string file)
        {
            var messages = CaptureVectors.Ike(file);
            Assert.NotEmpty(messages);
            foreach (var (frame, bytes) in messages)
            {
                Assert.True(IkeMessage.TryDecode(bytes, out var m, out var error), $"{file} frame {frame}: {error}");
                Assert.True(MessageRules.TryCheck(m, out var rule), $"{file} frame {frame}: {rule}");
                Assert.Equal(bytes, m.Encode());
            }
        }

        [Fact]
        public void IkeV1_MainMode1_CarriesSaWithAes256Sha256Modp2048_AndStrongSwanVendorIds()
        {
            var (_, mm1) = CaptureVectors.Ike("ikev1-mm-qm-psk.pcap")[0];
            Assert.True(IkeMessage.TryDecode(mm1, out var m, out _));
            Assert.Equal(ExchangeType.IdentityProtection, m.Header.ExchangeType);
            Assert.Equal(0UL, m.Header.ResponderSpi);

            var sa = m.Find<IkeExtensions.Wire.V1.SecurityAssociationPayload>()!;
            Assert.Equal(IkeExtensions.Wire.V1.Doi.IpsecDoi, sa.Doi);
            var t = sa.Proposals.Single().Transforms.First();
            Assert.True(t.TryGetAttribute((ushort)IkeAttributeType.EncryptionAlgorithm, out ulong enc));
            Assert.True(t.TryGetAttribute((ushort)IkeAttributeType.KeyLength, out ulong keyLength));
            Assert.True(t.TryGetAttribute((ushort)IkeAttributeType.HashAlgorithm, out ulong hash));
            Assert.True(t.TryGetAttribute((ushort)IkeAttributeType.GroupDescription, out ulong group));
            Assert.Equal(((ulong)IkeEncryptionAlgorithm.AesCbc, 256UL, (ulong)IkeHashAlgorithm.Sha2_256, 14UL), (enc, keyLength, hash, group));

            var kinds = m.FindAll<VendorIdPayload>().Select(v => v.Known?.Kind ?? VendorIdKind.Unknown).ToList();
            Assert.Equal(new[]
            {
                VendorIdKind.StrongSwan, VendorIdKind.XAuth, VendorIdKind.DeadPeerDetection, VendorIdKind.Fragmentation,
                VendorIdKind.NatTraversalRfc3947, VendorIdKind.NatTraversalDraft02,
            }, kinds);
        }

        [Fact]
        public void IkeV1_MainMode3_CarriesKeNonceAndTwoRfc3947NatD()
        {
            var (_, mm3) = CaptureVectors.Ike("ikev1-mm-qm-psk.pcap")[2];
            Assert.True(IkeMessage.TryDecode(mm3, out var m, out _, NatTraversalRevision.Rfc3947));
            Assert.Equal(new[] { PayloadType.KeyExchange, PayloadType.Nonce, PayloadType.NatDiscovery, PayloadType.NatDiscovery }, m.Payloads.Select(p => p.Type));
            Assert.Equal(256, m.Find<IkeExtensions.Wire.V1.KeyExchangePayload>()!.Data.Length); // modp2048
            Assert.All(m.FindAll<NatDiscoveryPayload>(), d => Assert.Equal(32, d.Data.Length)); // SHA2-256 hashes

            // Under the draft revision, type 0x14 is not NAT-D (MS-IKEE 2.2.1): it is carried as an unknown payload.
            Assert.True(IkeMessage.TryDecode(mm3, out var asDraft, out _, NatTraversalRevision.Draft02));
            Assert.Equal(2, asDraft.FindAll<UnknownPayload>().Count());
            Assert.Equal(mm3, asDraft.Encode());
        }

        [Fact]
        public void IkeV1_EncryptedMessages_KeepTheFirstInnerPayloadAndCiphertext()
        {
            var (_, mm5) = CaptureVectors.Ike("ikev1-mm-qm-psk.pcap")[4];
            Assert.True(IkeMessage.TryDecode(mm5, out var m, out _));
            Assert.True(m.HasEncryptedBody);
            Assert.Equal(PayloadType.Identification, m.Header.NextPayload);
            Assert.Equal(0, m.EncryptedBody.Length % 16); // AES-CBC blocks
        }

        [Fact]
        public void IkeV1_ForcedFragmentation_YieldsMsIkee_2_2_3_1_FragmentPayloads()
        {
            var frags = CaptureVectors.Ike("ikev1-fragmentation-force.pcap").Skip(2).Take(4)
                .Select(x => { Assert.True(IkeMessage.TryDecode(x.Ike, out var m, out _)); return m; }).ToList();
            Assert.All(frags, m => Assert.Single(m.Payloads));
            var f = frags.Select(m => (FragmentPayload)m.Payloads[0]).ToList();
            Assert.Equal(new byte[] { 1, 2, 1, 2 }, f.Select(x => x.FragmentNumber));
            Assert.Equal(new[] { false, true, false, true }, f.Select(x => x.IsLast));
            Assert.All(frags, m => Assert.Equal(ExchangeType.IdentityProtection, m.Header.ExchangeType));

            // Reassembled data of A's two fragments is MM3 (KE NONCE NAT-D NAT-D).
            byte[] whole = f[0].Data.ToArray().Concat(f[1].Data.ToArray()).ToArray();
            Assert.True(IkeMessage.TryDecode(whole, out var mm3, out var err), err.ToString());
            Assert.Equal(PayloadType.KeyExchange, mm3.Payloads[0].Type);
        }

        [Fact]
        public void IkeV1_NatT_MessagesOnPort4500_DecodeAfterTheNonEspMarker()
        {
            var all = CaptureVectors.Ike("ikev1-nat-t.pcap");
            Assert.Contains(all, x => IkeMessage.TryDecode(x.Ike, out var m, out _) && m.Header.ExchangeType == ExchangeType.QuickMode);
        }

        [Fact]
        public void IkeV2_SaInit_CarriesFragmentationSupportedNotify_Rfc7383()
        {
            var (_, init) = CaptureVectors.Ike("ikev2-psk.pcap")[0];
            Assert.True(IkeMessage.TryDecode(init, out var m, out _));
            Assert.Equal(2, m.MajorVersion);
            Assert.Equal(ExchangeType.IkeSaInit, m.Header.ExchangeType);
            Assert.Contains(m.FindAll<NotifyPayload>(), n => n.MessageType == NotifyTypeV2.IkeV2FragmentationSupported);
            var ke = m.Find<IkeExtensions.Wire.V2.KeyExchangePayload>()!;
            Assert.Equal(14, ke.DhGroup);
            Assert.Equal(256, ke.Data.Length);
        }

        [Fact]
        public void IkeV2_Fragmentation_YieldsEncryptedFragments1Of2And2Of2()
        {
            var skf = CaptureVectors.Ike("ikev2-fragmentation.pcap")
                .Select(x => { Assert.True(IkeMessage.TryDecode(x.Ike, out var m, out _)); return m; })
                .SelectMany(m => m.FindAll<EncryptedFragmentPayload>()).ToList();
            Assert.Equal(4, skf.Count);
            Assert.Equal(new ushort[] { 1, 2, 1, 2 }, skf.Select(s => s.FragmentNumber));
            Assert.All(skf, s => Assert.Equal(2, s.TotalFragments));
            Assert.Equal(PayloadType.IdentificationInitiator, skf[0].FirstInnerPayload);
            Assert.Equal(PayloadType.None, skf[1].FirstInnerPayload);
        }
    }
}
