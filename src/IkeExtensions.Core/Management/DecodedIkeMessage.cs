using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Management.Dissection;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Management
{
    /// <summary>
    /// One IKE datagram as the management façade presents it: where it came from (for captures), the decoded message or
    /// why it did not decode, a rule check, short table-friendly summaries and the full dissection (<see cref="Render"/>).
    /// Holds no key material: IKE datagrams carry none in the clear, and encrypted parts are shown only by size.
    /// </summary>
    public sealed class DecodedIkeMessage
    {
        private readonly IsakmpHeader? _header;
        private IReadOnlyList<string>? _rendered;

        internal DecodedIkeMessage(ReadOnlyMemory<byte> datagram, int? frameNumber, IPEndPoint? source, IPEndPoint? destination)
        {
            FrameNumber = frameNumber;
            Source = source;
            Destination = destination;
            Length = datagram.Length;

            if (IkeMessage.TryDecode(datagram, out var message, out var error))
            {
                Message = message;
                _header = message.Header;
                if (!MessageRules.TryCheck(message, out var violation)) RuleViolation = violation.ToString();
            }
            else
            {
                Error = error.ToString();
                // The header alone may still be readable (e.g. a payload is malformed): keep it for the summary columns.
                if (IsakmpHeader.TryRead(datagram.Span, out var header, out _)) _header = header;
            }

            VendorIds = Message == null
                ? Array.Empty<string>()
                : Message.Payloads.OfType<VendorIdPayload>().Select(DescribeVendorId).ToArray();
            Payloads = Message == null ? "" : Summarize(Message);
        }

        /// <summary>The frame number in the capture the datagram came from; null for a datagram given directly.</summary>
        public int? FrameNumber { get; }
        public IPEndPoint? Source { get; }
        public IPEndPoint? Destination { get; }
        /// <summary>Length of the IKE message (the UDP payload without the non-ESP marker).</summary>
        public int Length { get; }
        /// <summary>The decoded message; null when it failed to decode (see <see cref="Error"/>).</summary>
        public IkeMessage? Message { get; }
        /// <summary>Why the datagram did not decode, or null.</summary>
        public string? Error { get; }
        /// <summary>Set when the message decoded but breaks its exchange's payload rules (RFC 2409, RFC 7296, MS-IKEE).</summary>
        public string? RuleViolation { get; }

        /// <summary>True when the datagram decoded.</summary>
        public bool IsDecoded => Message != null;

        // The summary columns come from the header, which is often readable even when the payloads are not.
        public int? MajorVersion => _header?.MajorVersion;
        public string? ExchangeType => _header is IsakmpHeader h ? CommonNames.ExchangeText(h.MajorVersion, h.ExchangeType) : null;
        public ulong? InitiatorSpi => _header?.InitiatorSpi;
        public ulong? ResponderSpi => _header?.ResponderSpi;
        public uint? MessageId => _header?.MessageId;
        internal IsakmpHeader? Header => _header;

        /// <summary>Payload short names in order ("SA VID VID"), "encrypted 76 bytes" for an IKEv1 encrypted body, "" when not decoded.</summary>
        public string Payloads { get; }

        /// <summary>Descriptions of the vendor IDs ("RFC 3947", "FRAGMENTATION (flags 0x80000000)"); "unknown &lt;hex&gt;" for unrecognised ones.</summary>
        public IReadOnlyList<string> VendorIds { get; }

        /// <summary>The indented dissection: a header line, then every payload with its fields.</summary>
        public IReadOnlyList<string> Render() => _rendered ??= MessageDissector.Render(this);

        public override string ToString() =>
            (FrameNumber is int f ? "#" + f.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " : "") +
            (MajorVersion is int v ? "IKEv" + v.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + ExchangeType + " " : "") +
            (Error != null ? "error: " + Error : "[ " + Payloads + " ]");

        internal static string DescribeVendorId(VendorIdPayload vid) =>
            vid.Known is { } known ? Printable(known.Description) : "unknown " + HexFormat.ToHex(vid.Data.Span);

        /// <summary>Escapes control characters (the draft-02 NAT-T vendor ID's name ends in a newline).</summary>
        internal static string Printable(string text)
        {
            var sb = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (c == '\n') sb.Append("\\n");
                else if (c == '\r') sb.Append("\\r");
                else if (c == '\t') sb.Append("\\t");
                else if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }

        private static string Summarize(IkeMessage message)
        {
            if (message.HasEncryptedBody)
                return "encrypted " + message.EncryptedBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes";
            return string.Join(" ", message.Payloads.Select(p => p is EncryptedFragmentPayload skf
                ? $"SKF({skf.FragmentNumber}/{skf.TotalFragments})"
                : PayloadTypes.ShortName(p.Type)));
        }
    }
}
