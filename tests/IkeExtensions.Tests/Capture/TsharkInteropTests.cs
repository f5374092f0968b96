using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using IkeExtensions.Capture;
using Xunit;

namespace IkeExtensions.Tests.Capture
{
    /// <summary>Has the real Wireshark dissector read what <see cref="PcapWriter"/> wrote. Requires /usr/bin/tshark.</summary>
    public class TsharkInteropTests
    {

        // A minimal IKEv2 IKE_SA_INIT request header (RFC 7296 §3.1): SPIi, SPIr 0, next payload none, version 2.0,
        // exchange 34, flags Initiator, message id 0, length 28.
        private static readonly byte[] IkeHeader =
        {
            0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 28,
        };

        [Fact]
        public void TsharkReadsWriterOutputWithGoodChecksumsAndNoMalformedPackets()
        {
            var v4a = IPAddress.Parse("192.0.2.10");
            var v4b = IPAddress.Parse("198.51.100.20");
            var v6a = IPAddress.Parse("2001:db8::10");
            var v6b = IPAddress.Parse("2001:db8:1::20");
            var t = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
            string path = Path.Combine(Path.GetTempPath(), $"ikex-capture-{Guid.NewGuid():N}.pcap");
            try
            {
                using (var writer = new PcapWriter(File.Create(path)))
                {
                    writer.WriteIke(new IPEndPoint(v4a, 500), new IPEndPoint(v4b, 500), IkeHeader, t);
                    writer.WriteIke(new IPEndPoint(v4a, 4500), new IPEndPoint(v4b, 4500), IkeHeader, t.AddMilliseconds(1));
                    writer.WriteIke(new IPEndPoint(v6a, 500), new IPEndPoint(v6b, 500), IkeHeader, t.AddMilliseconds(2));
                    writer.WriteIke(new IPEndPoint(v6a, 4500), new IPEndPoint(v6b, 4500), IkeHeader, t.AddMilliseconds(3));
                    writer.WriteUdp(new IPEndPoint(v4a, 4500), new IPEndPoint(v4b, 4500), new byte[] { 0xFF }, t.AddMilliseconds(4));
                    writer.WriteUdp(new IPEndPoint(v6a, 40000), new IPEndPoint(v6b, 40001), new byte[] { 1, 2, 3 }, t.AddMilliseconds(5)); // odd length
                }

                var lines = IkeExtensions.Tests.Tshark.Run("-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                    "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.protocols",
                    "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "_ws.malformed", "-e", "_ws.expert.severity").Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(6, lines.Length);
                foreach (var line in lines)
                {
                    var f = line.Split('|');
                    Assert.True(f.Length == 6, line);
                    if (f[1].StartsWith("raw:ip:", StringComparison.Ordinal)) Assert.True(f[2] == "1", $"IPv4 checksum not good: {line}");
                    Assert.True(f[3] == "1", $"UDP checksum not good: {line}");
                    Assert.True(f[4] == "", $"malformed: {line}");
                }
                var protocols = lines.Select(l => l.Split('|')[1]).ToArray();
                Assert.Equal("raw:ip:udp:isakmp", protocols[0]);
                Assert.Equal("raw:ip:udp:udpencap:isakmp", protocols[1]);
                Assert.Equal("raw:ipv6:udp:isakmp", protocols[2]);
                Assert.Equal("raw:ipv6:udp:udpencap:isakmp", protocols[3]);
                Assert.Equal("raw:ip:udp:udpencap", protocols[4]);

                // And the reader agrees with what was written.
                var read = CaptureFile.ReadUdpDatagrams(File.ReadAllBytes(path));
                Assert.Empty(read.Errors);
                Assert.Equal(new[] { IkeDatagramKind.Ike, IkeDatagramKind.Ike, IkeDatagramKind.Ike, IkeDatagramKind.Ike, IkeDatagramKind.NatKeepalive, IkeDatagramKind.Ike },
                    read.Datagrams.Select(d => IkeDatagramClassifier.Classify(d).Kind));
                Assert.All(read.Datagrams.Take(4), d => Assert.Equal(IkeHeader, IkeDatagramClassifier.Classify(d).Ike.ToArray()));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
