using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using static IkeExtensions.Management.Dissection.MessageDissector;

namespace IkeExtensions.Management.Dissection
{
    /// <summary>IKEv2 payloads (RFC 7296 §3, RFC 7383, MS-IKEE 2.2.7–2.2.11) as text.</summary>
    internal static class PayloadDissectorV2
    {
        public static void Render(DissectionText t, int level, IkePayload payload)
        {
            string crit = payload.Critical ? " [critical]" : "";
            switch (payload)
            {
                case SecurityAssociationPayload sa:
                    t.Add(level, $"SA: {Count(sa.Proposals.Count, "proposal")}{crit}");
                    foreach (var p in sa.Proposals) Proposal(t, level + 1, p);
                    break;
                case KeyExchangePayload ke:
                    t.Add(level, $"KE: D-H group {CommonNames.Named(CommonNames.DhGroup(ke.DhGroup), ke.DhGroup)}, key exchange data {Bytes(ke.Data.Length)}{crit}");
                    break;
                case IdentificationPayload id:
                    t.Add(level, $"{PayloadTypes.ShortName(id.Type)}: {CommonNames.Named(IkeV2Names.IdType(id.IdType), id.IdType)}, {IdentificationValue(id.IdType, id.Data)}{crit}");
                    break;
                case CertificatePayload cert:
                    t.Add(level, $"CERT: {CommonNames.Named(CommonNames.CertificateEncoding(cert.Encoding), cert.Encoding)}, {Bytes(cert.Data.Length)}{crit}");
                    if (CertificateSummary(cert.Encoding, cert.Data) is string summary) t.Add(level + 1, summary);
                    break;
                case CertificateRequestPayload cr:
                    // RFC 7296 §3.7: for X.509 the authority field is a list of 20-byte SHA-1 hashes of CA public keys.
                    t.Add(level, $"CERTREQ: {CommonNames.Named(CommonNames.CertificateEncoding(cr.Encoding), cr.Encoding)}, " +
                        (cr.Authority.Length % 20 == 0 ? Count(cr.Authority.Length / 20, "CA key hash") : Bytes(cr.Authority.Length)) + crit);
                    if (cr.Authority.Length % 20 == 0)
                        for (int i = 0; i < cr.Authority.Length; i += 20) t.Add(level + 1, "SHA-1 " + Hex(cr.Authority.Slice(i, 20)));
                    break;
                case AuthenticationPayload auth:
                    t.Add(level, $"AUTH: {CommonNames.Named(IkeV2Names.AuthMethod(auth.Method), (byte)auth.Method)}, {Bytes(auth.Data.Length)}{crit}");
                    break;
                case NoncePayload nonce:
                    t.Add(level, $"No: {Bytes(nonce.Data.Length)} {Hex(nonce.Data)}{crit}");
                    break;
                case NotifyPayload n:
                    Notify(t, level, n, crit);
                    break;
                case DeletePayload d:
                    t.Add(level, $"D: protocol {CommonNames.Named(IkeV2Names.Protocol(d.ProtocolId), (byte)d.ProtocolId)}, SPI size {d.SpiSize.ToString(CultureInfo.InvariantCulture)}, {Count(d.Spis.Count, "SPI")}{crit}");
                    foreach (var spi in d.Spis) t.Add(level + 1, "SPI " + Spi(spi));
                    break;
                case VendorIdPayload vid:
                    t.Add(level, $"V: {(vid.Known is { } k ? DecodedIkeMessage.Printable(k.Description) : "unknown")} [{Hex(vid.Data)}]{crit}");
                    break;
                case TrafficSelectorPayload ts:
                    t.Add(level, $"{PayloadTypes.ShortName(ts.Type)}: {Count(ts.Selectors.Count, "traffic selector")}{crit}");
                    foreach (var s in ts.Selectors)
                        t.Add(level + 1, $"{CommonNames.Named(IkeV2Names.TrafficSelectorType((byte)s.Type), (byte)s.Type)}: {s.StartAddress} - {s.EndAddress}, " +
                            $"protocol {IpProtocol(s.IpProtocol)}, ports {s.StartPort.ToString(CultureInfo.InvariantCulture)}-{s.EndPort.ToString(CultureInfo.InvariantCulture)}");
                    break;
                case EncryptedPayload sk:
                    t.Add(level, $"SK: first inner payload {PayloadName(sk.FirstInnerPayload)}, {Bytes(sk.Data.Length)} of IV, ciphertext and ICV{crit}");
                    break;
                case EncryptedFragmentPayload skf:
                    t.Add(level, $"SKF: fragment {skf.FragmentNumber.ToString(CultureInfo.InvariantCulture)}/{skf.TotalFragments.ToString(CultureInfo.InvariantCulture)}, " +
                        $"first inner payload {(skf.FragmentNumber == 1 || skf.FirstInnerPayload == PayloadType.None ? PayloadName(skf.FirstInnerPayload) : PayloadName(skf.FirstInnerPayload) + " (ignored: not the first fragment)")}, {Bytes(skf.Data.Length)} of IV, ciphertext and ICV{crit}");
                    break;
                case ConfigurationPayload cp:
                    t.Add(level, $"CP: {CommonNames.Named(IkeV2Names.ConfigurationType(cp.ConfigurationType), (byte)cp.ConfigurationType)}, {Count(cp.Attributes.Count, "attribute")}{crit}");
                    foreach (var a in cp.Attributes) t.Add(level + 1, ConfigurationAttribute(a));
                    break;
                case ExtensibleAuthenticationPayload eap:
                    t.Add(level, $"EAP: {Eap(eap.Data.Span)}, {Bytes(eap.Data.Length)}{crit}");
                    break;
                case CorrelationPayload corr:
                    t.Add(level, $"CORR: original ispi {corr.OriginalInitiatorSpi.ToString("x16", CultureInfo.InvariantCulture)}, original rspi {corr.OriginalResponderSpi.ToString("x16", CultureInfo.InvariantCulture)}, " +
                        $"correlation hash {Bytes(corr.CorrelationHash.Length)}{crit}");
                    break;
                case OpaquePayload other:
                    t.Add(level, $"{PayloadTypes.ShortName(other.Type)}: payload type {((byte)other.Type).ToString(CultureInfo.InvariantCulture)}, {Bytes(other.Data.Length)}{crit}");
                    break;
                default:
                    t.Add(level, $"{PayloadTypes.ShortName(payload.Type)}: {Bytes(payload.BodyLength)}{crit}");
                    break;
            }
        }

        private static void Proposal(DissectionText t, int level, ProposalV2 p)
        {
            t.Add(level, $"Proposal #{p.Number.ToString(CultureInfo.InvariantCulture)}: {CommonNames.Named(IkeV2Names.Protocol(p.ProtocolId), (byte)p.ProtocolId)}, SPI {Spi(p.Spi)}, {Count(p.Transforms.Count, "transform")}");
            foreach (var tr in p.Transforms)
            {
                var parts = new List<string> { CommonNames.Named(IkeV2Names.TransformId(tr.TransformType, tr.TransformId), tr.TransformId) };
                foreach (var a in tr.Attributes) parts.Add(Attribute(a, IkeV2Names.TransformAttribute(a.Type), (_, _) => null));
                t.Add(level + 1, $"{IkeV2Names.TransformType(tr.TransformType) ?? "type " + ((byte)tr.TransformType).ToString(CultureInfo.InvariantCulture)}: {string.Join(", ", parts)}");
            }
        }

        private static void Notify(DissectionText t, int level, NotifyPayload n, string crit)
        {
            ushort type = (ushort)n.MessageType;
            string kind = type < 16384 && type != (ushort)NotifyTypeV2.MsNotifyStatus ? "error" : "status";
            t.Add(level, $"N: {CommonNames.Named(IkeV2Names.Notify(type), type)}, {kind}" +
                (n.ProtocolId != 0 || n.Spi.Length > 0 ? $", protocol {CommonNames.Named(IkeV2Names.Protocol((ProtocolIdV2)n.ProtocolId), n.ProtocolId)}, SPI {Spi(n.Spi)}" : "") + crit);
            ReadOnlySpan<byte> data = n.Data.Span;
            switch (type)
            {
                case 16388: // NAT_DETECTION_SOURCE_IP
                case 16389: // NAT_DETECTION_DESTINATION_IP
                    t.Add(level + 1, $"hash {Hex(n.Data)} ({Bytes(n.Data.Length)})");
                    break;
                case 16431 when data.Length % 2 == 0: // SIGNATURE_HASH_ALGORITHMS, RFC 7427 §4
                    var names = new List<string>();
                    for (int i = 0; i < data.Length; i += 2)
                    {
                        ushort h = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
                        names.Add(CommonNames.Named(IkeV2Names.HashAlgorithm(h), h));
                    }
                    t.Add(level + 1, "hash algorithms " + string.Join(", ", names));
                    break;
                case 17 when data.Length == 2: // INVALID_KE_PAYLOAD: the accepted group
                    ushort g = BinaryPrimitives.ReadUInt16BigEndian(data);
                    t.Add(level + 1, "accepted D-H group " + CommonNames.Named(CommonNames.DhGroup(g), g));
                    break;
                case 16385 when data.Length == 4: // SET_WINDOW_SIZE
                    t.Add(level + 1, "window size " + BinaryPrimitives.ReadUInt32BigEndian(data).ToString(CultureInfo.InvariantCulture));
                    break;
                case (ushort)NotifyTypeV2.MsNotifyStatus when data.Length == 4: // MS-IKEE 2.2.7: an MS-ERREF status code
                    t.Add(level + 1, "status 0x" + BinaryPrimitives.ReadUInt32BigEndian(data).ToString("x8", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (n.Data.Length > 0) t.Add(level + 1, $"data {Hex(n.Data)} ({Bytes(n.Data.Length)})");
                    break;
            }
        }

        private static string ConfigurationAttribute(ConfigurationAttribute a)
        {
            string name = CommonNames.Named(IkeV2Names.ConfigurationAttribute(a.Type), (ushort)a.Type);
            if (a.Value.Length == 0) return name + " (empty)";
            ushort type = (ushort)a.Type;
            if (type == 7 && IsPrintable(a.Value.Span)) // APPLICATION_VERSION
                return name + " = \"" + System.Text.Encoding.ASCII.GetString(a.Value.ToArray()) + "\"";
            if (type == 14 && a.Value.Length % 2 == 0) // SUPPORTED_ATTRIBUTES
            {
                var list = new List<string>();
                for (int i = 0; i < a.Value.Length; i += 2)
                {
                    ushort s = BinaryPrimitives.ReadUInt16BigEndian(a.Value.Span.Slice(i));
                    list.Add(IkeV2Names.ConfigurationAttribute((ConfigurationAttributeType)s) ?? s.ToString(CultureInfo.InvariantCulture));
                }
                return name + " = " + string.Join(", ", list);
            }
            if (a.Value.Length == 8 && (type == 2 || type == 13)) // IPv4 netmask/subnet: address + mask
                return name + " = " + new System.Net.IPAddress(a.Value.Slice(0, 4).ToArray()) + "/" + new System.Net.IPAddress(a.Value.Slice(4).ToArray());
            if (a.Value.Length == 17) // INTERNAL_IP6_ADDRESS/SUBNET: address + prefix length
                return name + " = " + a.Address + "/" + a.Value.Span[16].ToString(CultureInfo.InvariantCulture);
            if (a.Address is System.Net.IPAddress address) return name + " = " + address;
            return name + " = " + Hex(a.Value);
        }

        private static bool IsPrintable(ReadOnlySpan<byte> data)
        {
            foreach (byte b in data) if (b < 0x20 || b > 0x7E) return false;
            return true;
        }

        /// <summary>EAP code (RFC 3748 §4) and, for requests and responses, the type.</summary>
        private static string Eap(ReadOnlySpan<byte> data)
        {
            if (data.Length < 4) return "truncated EAP packet";
            string code = data[0] switch { 1 => "Request", 2 => "Response", 3 => "Success", 4 => "Failure", _ => "code " + data[0].ToString(CultureInfo.InvariantCulture) };
            string s = $"{code}, identifier {data[1].ToString(CultureInfo.InvariantCulture)}";
            if ((data[0] == 1 || data[0] == 2) && data.Length >= 5)
            {
                string type = data[4] switch { 1 => "Identity", 2 => "Notification", 3 => "Nak", 4 => "MD5-Challenge", 13 => "EAP-TLS", 25 => "PEAP", 26 => "EAP-MSCHAPv2", 254 => "Expanded", _ => "type " + data[4].ToString(CultureInfo.InvariantCulture) };
                s += ", " + type;
            }
            return s;
        }
    }
}
