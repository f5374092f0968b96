using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using IkeExtensions.Capture;
using IkeExtensions.Wire;

namespace IkeExtensions.Management
{
    /// <summary>
    /// Decodes IKE datagrams for administrators: the façade behind <c>ikex decode</c> and the module's decode cmdlet.
    /// Bad bytes never throw (they become <see cref="DecodedIkeMessage.Error"/>); only input that is not IKE at all —
    /// a missing file, text that is not hex, a file that is neither a capture nor hex — is an <see cref="ArgumentException"/>.
    /// </summary>
    public static class IkeMessageInspector
    {
        /// <summary>Files larger than this are refused rather than read into memory.</summary>
        public const long MaxInputFileSize = 256L * 1024 * 1024;

        /// <summary>Decodes one datagram: the IKE message itself, without the non-ESP marker.</summary>
        public static DecodedIkeMessage Decode(byte[] datagram)
        {
            if (datagram is null) throw new ArgumentNullException(nameof(datagram));
            return new DecodedIkeMessage(datagram, null, null, null);
        }

        /// <summary>
        /// Decodes every IKE datagram of a pcap/pcapng file (UDP port 500, and port 4500 after the non-ESP marker;
        /// NAT keepalives and ESP-in-UDP are skipped), or — when the bytes are not a capture — hex text holding one
        /// message (or several, separated by blank lines).
        /// </summary>
        public static IReadOnlyList<DecodedIkeMessage> DecodeCapture(byte[] captureFile)
        {
            if (captureFile is null) throw new ArgumentNullException(nameof(captureFile));
            if (CaptureFile.DetectFormat(captureFile) != CaptureFormat.Unknown) return DecodePackets(captureFile, "the capture");
            if (TryDecodeHexText(captureFile, out var fromHex, out string? problem)) return fromHex;
            throw new ArgumentException(problem ?? "The input is neither a pcap/pcapng capture nor hex text.", nameof(captureFile));
        }

        /// <summary>
        /// Decodes administrator input: a path to a pcap/pcapng file (recognised by its magic number), a path to a text
        /// file holding hex, or a hex string itself (whitespace, colons, dashes and a 0x prefix allowed).
        /// </summary>
        public static IReadOnlyList<DecodedIkeMessage> DecodeInput(string hexOrPath)
        {
            if (hexOrPath is null) throw new ArgumentNullException(nameof(hexOrPath));
            string input = hexOrPath.Trim();
            if (input.Length == 0) throw new ArgumentException("The input is empty: give a hex string or the path of a pcap/pcapng or hex text file.", nameof(hexOrPath));

            if (File.Exists(input)) return DecodeFile(input);
            if (Directory.Exists(input)) throw new ArgumentException($"'{input}' is a directory, not a capture or hex file.", nameof(hexOrPath));

            int digits = CountHexDigits(input);
            bool pathLike = input.IndexOfAny(new[] { '/', '\\' }) >= 0 || input.LastIndexOf('.') > 0;
            if (digits < 0 && pathLike)
                throw new ArgumentException($"File not found: '{input}'.", nameof(hexOrPath));
            if (digits >= 0 || LooksLikeHex(input))
            {
                if (TryDecodeHexText(Encoding.UTF8.GetBytes(input), out var messages, out string? problem)) return messages;
                throw new ArgumentException("Not a valid hex string: " + problem + ".", nameof(hexOrPath));
            }
            throw new ArgumentException($"'{Shorten(input)}' is neither an existing file nor a hex string.", nameof(hexOrPath));
        }

        private static IReadOnlyList<DecodedIkeMessage> DecodeFile(string path)
        {
            byte[] bytes;
            try
            {
                var info = new FileInfo(path);
                if (info.Length > MaxInputFileSize)
                    throw new ArgumentException($"'{path}' is {info.Length} bytes; at most {MaxInputFileSize} are read.", nameof(path));
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ArgumentException($"Cannot read '{path}': {e.Message}", nameof(path), e);
            }

            if (CaptureFile.DetectFormat(bytes) != CaptureFormat.Unknown) return DecodePackets(bytes, "'" + path + "'");
            if (TryDecodeHexText(bytes, out var messages, out string? problem)) return messages;
            throw new ArgumentException($"'{path}' is not a pcap/pcapng capture or a hex text file: {problem}", nameof(path));
        }

        private static IReadOnlyList<DecodedIkeMessage> DecodePackets(byte[] file, string what)
        {
            CaptureReadResult read = CaptureFile.ReadUdpDatagrams(file);
            if (read.Datagrams.Count == 0)
            {
                foreach (var e in read.Errors)
                    if (e.IsFatal) throw new ArgumentException($"Cannot read {what}: {e}");
            }

            var result = new List<DecodedIkeMessage>();
            foreach (var d in read.Datagrams)
            {
                bool ike = d.Source.Port == IkeDatagramClassifier.IkePort || d.Destination.Port == IkeDatagramClassifier.IkePort;
                bool natT = d.Source.Port == IkeDatagramClassifier.NatTraversalPort || d.Destination.Port == IkeDatagramClassifier.NatTraversalPort;
                if (!ike && !natT) continue;
                var c = IkeDatagramClassifier.Classify(d.Payload, natT && !ike);
                if (c.Kind != IkeDatagramKind.Ike) continue;
                int? frame = d.FrameNumber <= int.MaxValue ? (int)d.FrameNumber : (int?)null;
                result.Add(new DecodedIkeMessage(c.Ike, frame, d.Source, d.Destination));
            }
            return result;
        }

        /// <summary>
        /// Hex text: one message, or several separated by blank lines; lines starting with '#' are comments. A message
        /// that starts with a 4-byte non-ESP marker (as copied from port 4500) has the marker removed.
        /// </summary>
        private static bool TryDecodeHexText(byte[] bytes, out IReadOnlyList<DecodedIkeMessage> messages, out string? problem)
        {
            messages = Array.Empty<DecodedIkeMessage>();
            if (!TryGetText(bytes, out string text))
            {
                problem = "it is binary data, not a capture (unrecognised magic number) and not hex text";
                return false;
            }

            var blocks = new List<StringBuilder>();
            var current = new StringBuilder();
            foreach (string rawLine in text.Split('\n'))
            {
                string line = rawLine.Trim();
                if (line.StartsWith("#", StringComparison.Ordinal)) continue;
                if (line.Length == 0)
                {
                    if (current.Length > 0) { blocks.Add(current); current = new StringBuilder(); }
                    continue;
                }
                current.Append(line).Append(' ');
            }
            if (current.Length > 0) blocks.Add(current);
            if (blocks.Count == 0)
            {
                problem = "it holds no hex digits";
                return false;
            }

            var list = new List<DecodedIkeMessage>();
            for (int i = 0; i < blocks.Count; i++)
            {
                string block = blocks[i].ToString();
                if (!HexFormat.TryParse(block, out byte[] datagram))
                {
                    string where = blocks.Count > 1 ? $"block {i + 1}: " : "";
                    problem = where + (CountHexDigits(block) is int n && n >= 0 && n % 2 == 1
                        ? $"odd number of hex digits ({n}); every byte needs two"
                        : $"not hex: '{Shorten(block.Trim())}' contains characters other than hex digits, spaces, ':' and '-'");
                    return false;
                }
                if (datagram.Length == 0)
                {
                    problem = "it holds no hex digits";
                    return false;
                }
                list.Add(new DecodedIkeMessage(StripNonEspMarker(datagram), null, null, null));
            }
            messages = list;
            problem = null;
            return true;
        }

        /// <summary>Removes a leading non-ESP marker when what follows is exactly one IKE message (an ISAKMP initiator SPI is never zero).</summary>
        private static ReadOnlyMemory<byte> StripNonEspMarker(byte[] datagram)
        {
            if (datagram.Length >= IkeDatagramClassifier.NonEspMarkerLength + IsakmpHeader.Size &&
                datagram[0] == 0 && datagram[1] == 0 && datagram[2] == 0 && datagram[3] == 0 &&
                IsakmpHeader.TryRead(datagram.AsSpan(IkeDatagramClassifier.NonEspMarkerLength), out var header, out _) &&
                header.Length == (uint)(datagram.Length - IkeDatagramClassifier.NonEspMarkerLength))
                return new ReadOnlyMemory<byte>(datagram, IkeDatagramClassifier.NonEspMarkerLength, datagram.Length - IkeDatagramClassifier.NonEspMarkerLength);
            return datagram;
        }

        /// <summary>Number of hex digits when everything else is a separator, else -1.</summary>
        private static int CountHexDigits(string text)
        {
            string t = text.Trim();
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t.Substring(2);
            int n = 0;
            foreach (char c in t)
            {
                if (char.IsWhiteSpace(c) || c == ':' || c == '-') continue;
                if (!Uri.IsHexDigit(c)) return -1;
                n++;
            }
            return n;
        }

        /// <summary>Input meant as hex but mistyped (odd length, a stray character) should get a hex error, not "file not found".</summary>
        private static bool LooksLikeHex(string input)
        {
            if (input.IndexOfAny(new[] { '/', '\\', '.' }) >= 0) return false;
            int hex = 0;
            foreach (char c in input) if (Uri.IsHexDigit(c)) hex++;
            return input.Length >= 8 && hex * 10 >= input.Length * 9;
        }

        /// <summary>UTF-8 (with or without BOM) or UTF-16 with BOM (what Windows PowerShell 5.1's Out-File writes); false for binary.</summary>
        private static bool TryGetText(byte[] bytes, out string text)
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) text = Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
            else if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) text = Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
            else if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
            else text = Encoding.UTF8.GetString(bytes);
            foreach (char c in text)
                if (c == '\0' || (c < ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f')) return false;
            return true;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";
    }
}
