using System;
using System.Globalization;
using System.Text;

namespace IkeExtensions.Wire
{
    /// <summary>Hex text for logs, the dissector and test vectors.</summary>
    public static class HexFormat
    {
        public static string ToHex(ReadOnlySpan<byte> data)
        {
            var sb = new StringBuilder(data.Length * 2);
            foreach (byte b in data) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        /// <summary>Parses hex, ignoring whitespace, colons and an optional 0x prefix. Returns false on odd length or a non-hex character.</summary>
        public static bool TryParse(string text, out byte[] bytes)
        {
            var digits = new StringBuilder(text.Length);
            string t = text.Trim();
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t.Substring(2);
            foreach (char c in t)
            {
                if (char.IsWhiteSpace(c) || c == ':' || c == '-') continue;
                if (!Uri.IsHexDigit(c)) { bytes = Array.Empty<byte>(); return false; }
                digits.Append(c);
            }
            if (digits.Length % 2 != 0) { bytes = Array.Empty<byte>(); return false; }
            bytes = new byte[digits.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = byte.Parse(digits.ToString(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return true;
        }

        public static byte[] Parse(string text) =>
            TryParse(text, out byte[] b) ? b : throw new FormatException("Not a hex string (odd length or a non-hex character).");
    }
}
