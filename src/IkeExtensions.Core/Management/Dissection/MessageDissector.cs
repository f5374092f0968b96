using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace IkeExtensions.Management.Dissection
{
    /// <summary>Indented text lines, two spaces per level.</summary>
    internal sealed class DissectionText
    {
        private readonly List<string> _lines = new List<string>();
        public void Add(int level, string text) => _lines.Add(new string(' ', 2 * level) + text);
        public IReadOnlyList<string> Lines => _lines;
    }

    /// <summary>
    /// The dissector behind <see cref="DecodedIkeMessage.Render"/>: a header line, then each payload with all its fields
    /// by name. Opaque authentication values (HASH, SIG, AUTH) and key exchange data are shown by length only.
    /// </summary>
    internal static class MessageDissector
    {
        public static IReadOnlyList<string> Render(DecodedIkeMessage decoded)
        {
            var text = new DissectionText();
            text.Add(0, HeaderLine(decoded));
            if (decoded.Message is IkeMessage message)
            {
                if (message.HasEncryptedBody)
                    text.Add(1, $"encrypted: {message.EncryptedBody.Length} bytes (first payload {PayloadName(message.Header.NextPayload)})");
                else if (message.Payloads.Count == 0)
                    text.Add(1, "(no payloads)");
                RenderPayloads(text, 1, message.Payloads, message.MajorVersion);
            }
            if (decoded.Error != null) text.Add(1, "! decode error: " + decoded.Error);
            if (decoded.RuleViolation != null) text.Add(1, "! rule violation: " + decoded.RuleViolation);
            return text.Lines;
        }

        public static void RenderPayloads(DissectionText text, int level, IReadOnlyList<IkePayload> payloads, int majorVersion)
        {
            foreach (var p in payloads)
            {
                if (majorVersion == 1) PayloadDissectorV1.Render(text, level, p);
                else PayloadDissectorV2.Render(text, level, p);
            }
        }

        private static string HeaderLine(DecodedIkeMessage d)
        {
            var sb = new System.Text.StringBuilder();
            if (d.FrameNumber is int frame) sb.Append("Frame ").Append(frame.ToString(CultureInfo.InvariantCulture)).Append(": ");
            if (d.Source != null && d.Destination != null) sb.Append(Endpoint(d.Source)).Append(" -> ").Append(Endpoint(d.Destination)).Append("  ");
            if (d.Header is IsakmpHeader h)
            {
                sb.Append("IKEv").Append(h.MajorVersion.ToString(CultureInfo.InvariantCulture)).Append('.').Append(h.MinorVersion.ToString(CultureInfo.InvariantCulture))
                  .Append(' ').Append(CommonNames.Named(CommonNames.Exchange(h.MajorVersion, h.ExchangeType), (byte)h.ExchangeType))
                  .Append("  ispi ").Append(h.InitiatorSpi.ToString("x16", CultureInfo.InvariantCulture))
                  .Append("  rspi ").Append(h.ResponderSpi.ToString("x16", CultureInfo.InvariantCulture))
                  .Append("  flags ").Append(CommonNames.Flags(h.MajorVersion, h.Flags))
                  .Append("  mid ").Append(h.MajorVersion == 1
                      ? "0x" + h.MessageId.ToString("x8", CultureInfo.InvariantCulture)
                      : h.MessageId.ToString(CultureInfo.InvariantCulture))
                  .Append("  length ").Append(h.Length.ToString(CultureInfo.InvariantCulture));
                if (h.Length != (uint)d.Length) sb.Append(" (datagram ").Append(d.Length.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
            else
            {
                sb.Append("not an IKE message, ").Append(d.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes");
            }
            return sb.ToString();
        }

        private static string Endpoint(IPEndPoint e) =>
            (e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + e.Address + "]" : e.Address.ToString()) +
            ":" + e.Port.ToString(CultureInfo.InvariantCulture);

        // ---- helpers shared by both versions ----

        public static string PayloadName(PayloadType type) =>
            type == PayloadType.None ? "none" : PayloadTypes.ShortName(type);

        public static string Hex(ReadOnlyMemory<byte> data) => data.Length == 0 ? "(empty)" : HexFormat.ToHex(data.Span);

        public static string Bytes(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " byte" : " bytes");

        public static string Count(int n, string singular) =>
            n.ToString(CultureInfo.InvariantCulture) + " " + singular + (n == 1 ? "" : "s");

        public static string Spi(ReadOnlyMemory<byte> spi) => spi.Length == 0 ? "none" : "0x" + HexFormat.ToHex(spi.Span);

        public static string IpProtocol(byte protocol) => protocol switch
        {
            0 => "any (0)",
            1 => "ICMP (1)",
            6 => "TCP (6)",
            17 => "UDP (17)",
            58 => "ICMPv6 (58)",
            _ => protocol.ToString(CultureInfo.InvariantCulture),
        };

        /// <summary>Identification data by type; DER distinguished names are decoded to text.</summary>
        public static string IdentificationValue(byte idType, ReadOnlyMemory<byte> data)
        {
            if (idType == 9 && TryDistinguishedName(data, out string dn)) return dn;
            return IdentificationData.Describe(idType, data.Span);
        }

        public static bool TryDistinguishedName(ReadOnlyMemory<byte> der, out string name)
        {
            name = "";
            if (der.Length == 0) return false;
            try
            {
                name = X509Name.GetInstance(Asn1Object.FromByteArray(der.ToArray())).ToString();
                return true;
            }
#pragma warning disable CA1031 // The ASN.1 parser throws many types on malformed input; the dissector then shows hex.
            catch (Exception)
#pragma warning restore CA1031
            {
                return false;
            }
        }

        /// <summary>Subject and issuer of an X.509 certificate, or null when the data is not one.</summary>
        public static string? CertificateSummary(byte encoding, ReadOnlyMemory<byte> data)
        {
            if (encoding != (byte)CertificateEncoding.X509Signature && encoding != (byte)CertificateEncoding.X509KeyExchange) return null;
            try
            {
                var cert = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(data.ToArray()));
                return $"subject \"{cert.Subject}\", issuer \"{cert.Issuer}\", serial {cert.SerialNumber.Value.ToString(16)}";
            }
#pragma warning disable CA1031
            catch (Exception)
#pragma warning restore CA1031
            {
                return null;
            }
        }

        /// <summary>A transform attribute: "Name = value-name (n)", "Name = n", or hex for long TLV values.</summary>
        public static string Attribute(DataAttribute a, string? name, Func<ushort, ulong, string?> valueName)
        {
            string label = name ?? "attribute " + a.Type.ToString(CultureInfo.InvariantCulture);
            if (a.TryGetInteger(out ulong v))
            {
                string? vn = valueName(a.Type, v);
                return label + " = " + (vn != null ? CommonNames.Named(vn, v) : v.ToString(CultureInfo.InvariantCulture));
            }
            return label + " = 0x" + HexFormat.ToHex(a.VariableValue.Span) + " (" + Bytes(a.VariableValue.Length) + ")";
        }
    }
}
