using System;
using System.Buffers.Binary;
using System.Globalization;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using static IkeExtensions.Management.Dissection.MessageDissector;

namespace IkeExtensions.Management.Dissection
{
    /// <summary>IKEv1 payloads (RFC 2408 §3, RFC 2407 §4, RFC 3947, MS-IKEE 2.2) as text.</summary>
    internal static class PayloadDissectorV1
    {
        public static void Render(DissectionText t, int level, IkePayload payload)
        {
            switch (payload)
            {
                case SecurityAssociationPayload sa:
                    t.Add(level, $"SA: DOI {CommonNames.Named(IkeV1Names.Doi(sa.Doi), sa.Doi)}, situation {IkeV1Names.Situation(sa.Situation)}, {Count(sa.Proposals.Count, "proposal")}");
                    foreach (var p in sa.Proposals) Proposal(t, level + 1, p);
                    break;
                case KeyExchangePayload ke:
                    t.Add(level, "KE: key exchange data " + Bytes(ke.Data.Length));
                    break;
                case IdentificationPayload id:
                    t.Add(level, $"ID: {CommonNames.Named(IkeV1Names.IdType((byte)id.IdType), (byte)id.IdType)}, protocol {IpProtocol(id.ProtocolId)}, port {id.Port.ToString(CultureInfo.InvariantCulture)}, " +
                        (id.IdType == IdentificationType.Ipv6Cga ? id.Value : IdentificationValue((byte)id.IdType, id.Data)));
                    break;
                case CertificatePayload cert:
                    t.Add(level, $"CERT: {CommonNames.Named(CommonNames.CertificateEncoding(cert.Encoding), cert.Encoding)}, {Bytes(cert.Data.Length)}");
                    if (CertificateSummary(cert.Encoding, cert.Data) is string summary) t.Add(level + 1, summary);
                    break;
                case CertificateRequestPayload cr:
                    t.Add(level, $"CR: {CommonNames.Named(CommonNames.CertificateEncoding(cr.Encoding), cr.Encoding)}, " +
                        (cr.Authority.Length == 0 ? "any certification authority" :
                         TryDistinguishedName(cr.Authority, out string ca) ? "authority \"" + ca + "\"" : "authority " + Hex(cr.Authority)));
                    break;
                case HashPayload hash:
                    t.Add(level, "HASH: " + Bytes(hash.Data.Length));
                    break;
                case SignaturePayload sig:
                    t.Add(level, "SIG: " + Bytes(sig.Data.Length));
                    break;
                case NoncePayload nonce:
                    t.Add(level, $"NONCE: {Bytes(nonce.Data.Length)} {Hex(nonce.Data)}");
                    break;
                case NotificationPayload n:
                    Notification(t, level, n);
                    break;
                case DeletePayload d:
                    t.Add(level, $"D: DOI {CommonNames.Named(IkeV1Names.Doi(d.Doi), d.Doi)}, protocol {CommonNames.Named(IkeV1Names.Protocol(d.ProtocolId), (byte)d.ProtocolId)}, SPI size {d.SpiSize.ToString(CultureInfo.InvariantCulture)}, {Count(d.Spis.Count, "SPI")}");
                    foreach (var spi in d.Spis) t.Add(level + 1, "SPI " + Spi(spi));
                    break;
                case VendorIdPayload vid:
                    t.Add(level, $"VID: {(vid.Known is { } k ? DecodedIkeMessage.Printable(k.Description) : "unknown")} [{Hex(vid.Data)}]");
                    break;
                case NatDiscoveryPayload natd:
                    t.Add(level, $"{PayloadTypes.ShortName(natd.Type)}: hash {Hex(natd.Data)} ({Bytes(natd.Data.Length)})");
                    break;
                case NatOriginalAddressPayload natoa:
                    t.Add(level, $"{PayloadTypes.ShortName(natoa.Type)}: {CommonNames.Named(IkeV1Names.IdType((byte)natoa.IdType), (byte)natoa.IdType)}, {natoa.Address}");
                    break;
                case FragmentPayload frag:
                    t.Add(level, $"FRAG: Fragment ID {frag.FragmentId.ToString(CultureInfo.InvariantCulture)}, number {frag.FragmentNumber.ToString(CultureInfo.InvariantCulture)}" +
                        $"{(frag.IsLast ? ", last" : ", not last")}, flags 0x{frag.Flags.ToString("x2", CultureInfo.InvariantCulture)}, {Bytes(frag.Data.Length)} of fragment data");
                    break;
                case OpaquePayload other:
                    t.Add(level, $"{PayloadTypes.ShortName(other.Type)}: payload type {((byte)other.Type).ToString(CultureInfo.InvariantCulture)}, {Bytes(other.Data.Length)}");
                    break;
                default:
                    t.Add(level, $"{PayloadTypes.ShortName(payload.Type)}: {Bytes(payload.BodyLength)}");
                    break;
            }
        }

        private static void Proposal(DissectionText t, int level, Proposal p)
        {
            t.Add(level, $"Proposal #{p.Number.ToString(CultureInfo.InvariantCulture)}: {CommonNames.Named(IkeV1Names.Protocol(p.ProtocolId), (byte)p.ProtocolId)}, SPI {Spi(p.Spi)}, {Count(p.Transforms.Count, "transform")}");
            foreach (var tr in p.Transforms)
            {
                t.Add(level + 1, $"Transform #{tr.Number.ToString(CultureInfo.InvariantCulture)}: {CommonNames.Named(IkeV1Names.TransformId(p.ProtocolId, tr.TransformId), tr.TransformId)}");
                foreach (var a in tr.Attributes)
                {
                    t.Add(level + 2, p.ProtocolId == ProtocolId.Isakmp
                        ? Attribute(a, IkeV1Names.IkeAttribute(a.Type), IkeV1Names.IkeAttributeValue)
                        : Attribute(a, IkeV1Names.IpsecAttribute(a.Type), IkeV1Names.IpsecAttributeValue));
                }
            }
        }

        private static void Notification(DissectionText t, int level, NotificationPayload n)
        {
            ushort type = (ushort)n.MessageType;
            t.Add(level, $"N: {CommonNames.Named(IkeV1Names.Notify(type), type)}, DOI {CommonNames.Named(IkeV1Names.Doi(n.Doi), n.Doi)}, " +
                $"protocol {CommonNames.Named(IkeV1Names.Protocol(n.ProtocolId), (byte)n.ProtocolId)}, SPI {Spi(n.Spi)}");
            ReadOnlySpan<byte> data = n.Data.Span;
            switch (n.MessageType)
            {
                case NotifyMessageType.DpdRUThere:
                case NotifyMessageType.DpdRUThereAck:
                    if (data.Length == 4) t.Add(level + 1, "sequence number " + BinaryPrimitives.ReadUInt32BigEndian(data).ToString(CultureInfo.InvariantCulture));
                    else Data(t, level + 1, n.Data);
                    break;
                case NotifyMessageType.NotifyStatus when data.Length == 4 || data.Length == 8:
                    // MS-IKEE 2.2.6: in quick mode the data starts with the quick mode's message ID.
                    if (data.Length == 8) t.Add(level + 1, "quick mode message ID 0x" + BinaryPrimitives.ReadUInt32BigEndian(data).ToString("x8", CultureInfo.InvariantCulture));
                    t.Add(level + 1, "status 0x" + BinaryPrimitives.ReadUInt32BigEndian(data.Slice(data.Length - 4)).ToString("x8", CultureInfo.InvariantCulture));
                    break;
                case NotifyMessageType.ExchangeInfo when data.Length == 4 || data.Length == 8:
                    if (data.Length == 8) t.Add(level + 1, "quick mode message ID 0x" + BinaryPrimitives.ReadUInt32BigEndian(data).ToString("x8", CultureInfo.InvariantCulture));
                    t.Add(level + 1, "flags " + IkeV1Names.ExchangeInfoFlags(BinaryPrimitives.ReadUInt32BigEndian(data.Slice(data.Length - 4))));
                    break;
                case NotifyMessageType.NotifyDosCookie:
                    t.Add(level + 1, $"cookie {Hex(n.Data)} ({Bytes(n.Data.Length)})");
                    break;
                default:
                    Data(t, level + 1, n.Data);
                    break;
            }
        }

        private static void Data(DissectionText t, int level, ReadOnlyMemory<byte> data)
        {
            if (data.Length > 0) t.Add(level, $"data {Hex(data)} ({Bytes(data.Length)})");
        }
    }
}
