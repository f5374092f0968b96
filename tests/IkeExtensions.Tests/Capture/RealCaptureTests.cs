using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using IkeExtensions.Capture;
using Xunit;

namespace IkeExtensions.Tests.Capture
{
    /// <summary>Files written by dumpcap/editcap on Linux (see Vectors/capture/README.md).</summary>
    public class RealCaptureTests
    {
        [Theory]
        [InlineData("lo-ethernet.pcap", CaptureFormat.Pcap, 1, 17953079598956190L)]
        [InlineData("lo-ethernet-nsec.pcap", CaptureFormat.Pcap, 1, 17953079598956190L)]
        [InlineData("lo-ethernet.pcapng", CaptureFormat.PcapNg, 1, 17953079598956198L)] // ...895619889 s, truncated to 100 ns
        [InlineData("any-sll.pcap", CaptureFormat.Pcap, 113, 17953079598956190L)]
        [InlineData("any-sll2.pcapng", CaptureFormat.PcapNg, 276, 17953079644157565L)]
        public void ReadsTheFiveLoopbackDatagrams(string file, CaptureFormat format, int linkType, long firstTicksSinceEpoch)
        {
            var bytes = File.ReadAllBytes(CaptureBuilders.VectorPath(file));
            Assert.Equal(format, CaptureFile.DetectFormat(bytes));

            var result = CaptureFile.ReadUdpDatagrams(bytes);
            Assert.Empty(result.Errors);
            Assert.True(result.IsComplete);
            Assert.Equal(format, result.Format);
            Assert.Equal(5, result.FrameCount);
            var d = result.Datagrams;
            Assert.Equal(5, d.Count);
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, d.Select(x => x.FrameNumber));
            Assert.All(d, x => Assert.Equal(linkType, x.LinkType));
            Assert.Equal(CaptureBuilders.Epoch.AddTicks(firstTicksSinceEpoch), d[0].Timestamp);
            Assert.True(d.Zip(d.Skip(1), (a, b) => a.Timestamp < b.Timestamp).All(x => x));

            var v4 = new IPEndPoint(IPAddress.Loopback, 5555);
            var v6 = new IPEndPoint(IPAddress.IPv6Loopback, 5556);
            Check(d[0], v4, 500, Encoding.ASCII.GetBytes("hi\n"), IkeDatagramKind.Ike, "hi\n");
            Check(d[1], v4, 4500, Encoding.ASCII.GetBytes("\0\0\0\0IKEPAYLOAD"), IkeDatagramKind.Ike, "IKEPAYLOAD");
            Check(d[2], v4, 4500, new byte[] { 0xFF }, IkeDatagramKind.NatKeepalive, null);
            Check(d[3], v6, 500, Encoding.ASCII.GetBytes("hello6"), IkeDatagramKind.Ike, "hello6");
            Check(d[4], v6, 4500, new byte[] { 0, 0, 0x10, 1 }.Concat(new byte[12]).ToArray(), IkeDatagramKind.Esp, null);
        }

        private static void Check(CapturedUdpDatagram d, IPEndPoint source, int port, byte[] payload, IkeDatagramKind kind, string? ike)
        {
            Assert.Equal(source, d.Source);
            Assert.Equal(new IPEndPoint(source.Address, port), d.Destination);
            Assert.Equal(payload, d.Payload.ToArray());
            var c = IkeDatagramClassifier.Classify(d);
            Assert.Equal(kind, c.Kind);
            if (ike != null) Assert.Equal(ike, Encoding.ASCII.GetString(c.Ike.ToArray()));
            else Assert.True(c.Ike.IsEmpty);
        }

        [Fact]
        public void SnapLengthCutIsReportedAsTruncatedPacket()
        {
            // Cut frame 2 of the Ethernet capture by 3 bytes (as a small snap length would) and fix up the record lengths.
            var bytes = File.ReadAllBytes(CaptureBuilders.VectorPath("lo-ethernet.pcap"));
            int first = 24 + 16 + BitConverter.ToInt32(bytes, 24 + 8);
            int capLen = BitConverter.ToInt32(bytes, first + 8);
            var cut = bytes.Take(first + 8).Concat(BitConverter.GetBytes(capLen - 3))
                .Concat(bytes.Skip(first + 12).Take(4 + capLen - 3)).Concat(bytes.Skip(first + 16 + capLen)).ToArray();

            var result = CaptureFile.ReadUdpDatagrams(cut);
            Assert.Equal(5, result.FrameCount);
            Assert.Equal(new long[] { 1, 3, 4, 5 }, result.Datagrams.Select(x => x.FrameNumber));
            var e = Assert.Single(result.Errors);
            Assert.Equal(CaptureErrorKind.TruncatedPacket, e.Kind);
            Assert.Equal(2, e.FrameNumber);
            Assert.False(e.IsFatal);
        }
    }
}
