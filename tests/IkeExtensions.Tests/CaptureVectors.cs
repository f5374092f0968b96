using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IkeExtensions.Capture;

namespace IkeExtensions.Tests
{
    /// <summary>IKE datagrams from the strongSwan captures in Vectors/captures (provenance: that folder's README.md).</summary>
    internal static class CaptureVectors
    {
        public static readonly string[] Files =
        {
            "ikev1-mm-qm-psk.pcap", "ikev1-fragmentation-force.pcap", "ikev1-nat-t.pcap", "ikev1-cert.pcap",
            "ikev2-psk.pcap", "ikev2-psk-ipv6.pcap", "ikev2-fragmentation.pcap",
        };

        public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", "captures", name);

        /// <summary>(frame number, IKE message bytes without the non-ESP marker) for every IKE datagram of a capture.</summary>
        public static IReadOnlyList<(long Frame, byte[] Ike)> Ike(string name)
        {
            var result = CaptureFile.ReadUdpDatagrams(File.ReadAllBytes(PathOf(name)));
            if (result.Errors.Count > 0) throw new InvalidDataException($"{name}: {string.Join("; ", result.Errors)}");
            return result.Datagrams
                .Select(d => (d.FrameNumber, c: IkeDatagramClassifier.Classify(d)))
                .Where(x => x.c.Kind == IkeDatagramKind.Ike)
                .Select(x => (x.FrameNumber, x.c.Ike.ToArray()))
                .ToList();
        }

        public static IEnumerable<object[]> AllFiles() => Files.Select(f => new object[] { f });
    }
}
