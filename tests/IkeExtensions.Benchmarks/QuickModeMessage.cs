using System.Linq;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Benchmarks
{
    /// <summary>A plaintext Quick Mode #1 built with the Wire API: HASH, SA (one ESP proposal, AES-256/SHA-256, tunnel), Nonce, KE (PFS, group 14), IDci, IDcr.</summary>
    internal static class QuickModeMessage
    {
        private static byte[] Bytes(int n, byte seed) => Enumerable.Range(0, n).Select(i => (byte)(seed + i * 7)).ToArray();

        public static IkeMessage Build()
        {
            var esp = new Transform(1, (byte)EspTransformId.Aes, new[]
            {
                DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, 1),
                DataAttribute.Integer((ushort)IpsecAttributeType.SaLifeDuration, 3600),
                DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)EncapsulationMode.Tunnel),
                DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)IpsecAuthenticationAlgorithm.HmacSha2_256),
                DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, 256),
                DataAttribute.Basic((ushort)IpsecAttributeType.GroupDescription, 14),
            });
            var header = new IsakmpHeader(0x1122334455667788, 0x99aabbccddeeff00, PayloadType.None, 1, 0, ExchangeType.QuickMode, HeaderFlags.None, 0x4d2, 0);
            return new IkeMessage(header, new IkePayload[]
            {
                new HashPayload(Bytes(32, 1)),
                new SecurityAssociationPayload(Doi.IpsecDoi, Doi.SituationIdentityOnly,
                    new[] { new Proposal(1, ProtocolId.IpsecEsp, new byte[] { 0xc0, 0, 0, 1 }, new[] { esp }) }),
                new NoncePayload(Bytes(32, 2)),
                new KeyExchangePayload(Bytes(256, 3)),
                new IdentificationPayload(IdentificationType.Ipv4Address, 0, 0, IPAddress.Parse("198.51.100.1").GetAddressBytes()),
                new IdentificationPayload(IdentificationType.Ipv4Address, 0, 0, IPAddress.Parse("198.51.100.2").GetAddressBytes()),
            });
        }
    }
}
