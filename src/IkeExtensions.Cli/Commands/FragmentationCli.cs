using System.CommandLine;
using System.Globalization;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>`--fragment-size` of `ikex responder` and `ikex initiate`: IKEv2 fragmentation (RFC 7383 §2.5.1, MS-IKEE 3.15.1).</summary>
    internal static class FragmentationCli
    {
        /// <summary>Below this not even one octet of an encrypted message fits a fragment (IP, UDP, IKE and SKF headers, IV, ICV).</summary>
        private const int Minimum = 128;

        public static Option<int?> FragmentSizeOption() => new Option<int?>("--fragment-size")
        {
            Description = "IKEv2: largest IP datagram (bytes, IP and UDP headers included) of a fragment; larger encrypted messages are " +
                          "split into Encrypted Fragment payloads when the peer supports it (RFC 7383). Default: 576 (IPv4) / 1280 (IPv6).",
        };

        public static int? ParseFragmentSize(int? value)
        {
            if (value is int v && (v < Minimum || v > 65535))
                throw new CliInputException($"--fragment-size: {v.ToString(CultureInfo.InvariantCulture)} is not between {Minimum} and 65535");
            return value;
        }
    }
}
