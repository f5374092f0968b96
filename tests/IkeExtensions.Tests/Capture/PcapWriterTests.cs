using System;
using System.IO;
using System.Linq;
using System.Net;
using IkeExtensions.Capture;
using Xunit;

namespace IkeExtensions.Tests.Capture
{
    public class PcapWriterTests
    {
        private static readonly DateTimeOffset When = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234560);

        private static byte[] Write(Action<PcapWriter> body)
        {
            var ms = new MemoryStream();
            using (var w = new PcapWriter(ms, leaveOpen: true)) body(w);
            return ms.ToArray();
        }

        [Fact]
        public void FileHeaderIsClassicLittleEndianMicrosecondRawIp()
        {
            var file = Write(_ => { });
            Assert.Equal(new byte[] { 0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 101, 0, 0, 0 }, file);
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.Equal(CaptureFormat.Pcap, result.Format);
            Assert.Empty(result.Datagrams);
            Assert.Empty(result.Errors);
        }

        [Theory]
        [InlineData("192.0.2.1", 500, "198.51.100.7", 500, 0)]
        [InlineData("10.1.2.3", 4500, "10.9.8.7", 61234, 1)]
        [InlineData("192.0.2.1", 500, "198.51.100.7", 500, 333)]
        [InlineData("2001:db8::1", 500, "2001:db8:ffff::2", 500, 28)]
        [InlineData("fe80::1", 4500, "2001:db8::2", 4500, 1001)]
        public void WriteThenReadRoundTrips(string src, int sport, string dst, int dport, int payloadLength)
        {
            var payload = Enumerable.Range(0, payloadLength).Select(i => (byte)((i * 7 + 3) & 0xFF)).ToArray();
            var source = new IPEndPoint(IPAddress.Parse(src), sport);
            var destination = new IPEndPoint(IPAddress.Parse(dst), dport);
            var file = Write(w =>
            {
                w.WriteUdp(source, destination, payload, When);
                w.WriteUdp(destination, source, payload.Reverse().ToArray(), When.AddSeconds(1));
            });

            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.Empty(result.Errors);
            Assert.True(result.IsComplete);
            Assert.Equal(2, result.FrameCount);
            var d = result.Datagrams[0];
            Assert.Equal(1, d.FrameNumber);
            Assert.Equal(source, d.Source);
            Assert.Equal(destination, d.Destination);
            Assert.Equal(payload, d.Payload.ToArray());
            Assert.Equal(When, d.Timestamp); // microsecond precision is preserved exactly
            Assert.Equal(101, d.LinkType);
            Assert.Equal(2, result.Datagrams[1].FrameNumber);
            Assert.Equal(source, result.Datagrams[1].Destination);
            Assert.Equal(When.AddSeconds(1), result.Datagrams[1].Timestamp);
        }

        [Theory]
        [InlineData("192.0.2.1", "198.51.100.7", 0)]
        [InlineData("192.0.2.1", "198.51.100.7", 1)]
        [InlineData("203.0.113.200", "192.0.2.99", 77)]
        [InlineData("2001:db8::1", "2001:db8::2", 0)]
        [InlineData("2001:db8::1", "2001:db8:0:0:ffff::9", 101)]
        public void ChecksumsVerifyWithAnIndependentImplementation(string src, string dst, int payloadLength)
        {
            var payload = Enumerable.Range(0, payloadLength).Select(i => (byte)(255 - i)).ToArray();
            var packet = PcapWriter.BuildUdpPacket(new IPEndPoint(IPAddress.Parse(src), 500), new IPEndPoint(IPAddress.Parse(dst), 4500), payload);
            VerifyPacket(packet, payload);
        }

        [Fact]
        public void UdpChecksumThatComputesToZeroIsSentAsAllOnes()
        {
            // RFC 768: a computed checksum of 0 is transmitted as 0xFFFF. Find a 2-byte payload that forces that case.
            var src = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500);
            var dst = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500);
            bool found = false;
            for (int w = 0; w <= 0xFFFF && !found; w++)
            {
                var payload = new[] { (byte)(w >> 8), unchecked((byte)w) };
                var udp = new byte[] { 1, 0xF4, 1, 0xF4, 0, 10, 0, 0 };
                ushort sum = ReferenceChecksum.OnesComplementSum(ReferenceChecksum.PseudoHeader(src.Address.GetAddressBytes(), dst.Address.GetAddressBytes(), 10), udp, payload);
                if (sum != 0xFFFF) continue; // complement would be 0
                found = true;
                var packet = PcapWriter.BuildUdpPacket(src, dst, payload);
                Assert.Equal(0xFF, packet[26]);
                Assert.Equal(0xFF, packet[27]);
                VerifyPacket(packet, payload);
            }
            Assert.True(found);
        }

        [Fact]
        public void WriteIkeAddsTheNonEspMarkerOnlyOnPort4500()
        {
            var ike = new byte[] { 1, 2, 3, 4, 5 };
            var a500 = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500);
            var b500 = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500);
            var a4500 = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500);
            var bHigh = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 40000);
            var file = Write(w =>
            {
                w.WriteIke(a500, b500, ike, When);
                w.WriteIke(a4500, bHigh, ike, When);
                w.WriteIke(bHigh, a4500, ike, When);
            });
            var d = CaptureFile.ReadUdpDatagrams(file).Datagrams;
            Assert.Equal(ike, d[0].Payload.ToArray());
            Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 4, 5 }, d[1].Payload.ToArray());
            Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 4, 5 }, d[2].Payload.ToArray());
            foreach (var x in d)
            {
                var c = IkeDatagramClassifier.Classify(x);
                Assert.Equal(IkeDatagramKind.Ike, c.Kind);
                Assert.Equal(ike, c.Ike.ToArray());
            }
        }

        [Fact]
        public void IPv4AndIPv6CanBeMixedInOneFile()
        {
            var file = Write(w =>
            {
                w.WriteUdp(new IPEndPoint(IPAddress.Loopback, 500), new IPEndPoint(IPAddress.Loopback, 500), new byte[] { 1 }, When);
                w.WriteUdp(new IPEndPoint(IPAddress.IPv6Loopback, 500), new IPEndPoint(IPAddress.IPv6Loopback, 500), new byte[] { 2 }, When);
            });
            var d = CaptureFile.ReadUdpDatagrams(file).Datagrams;
            Assert.Equal(IPAddress.Loopback, d[0].Source.Address);
            Assert.Equal(IPAddress.IPv6Loopback, d[1].Source.Address);
        }

        [Fact]
        public void InvalidArgumentsThrow()
        {
            var v4 = new IPEndPoint(IPAddress.Loopback, 500);
            var v6 = new IPEndPoint(IPAddress.IPv6Loopback, 500);
            Assert.Throws<ArgumentException>(() => PcapWriter.BuildUdpPacket(v4, v6, new byte[1]));
            Assert.Throws<ArgumentOutOfRangeException>(() => PcapWriter.BuildUdpPacket(v4, v4, new byte[65535 - 27]));
            Assert.Equal(65535, PcapWriter.BuildUdpPacket(v4, v4, new byte[65535 - 28]).Length);
            Assert.Equal(40 + 65535, PcapWriter.BuildUdpPacket(v6, v6, new byte[65535 - 8]).Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => Write(w => w.WriteUdp(v4, v4, new byte[1], new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero))));
            var ms = new MemoryStream();
            var writer = new PcapWriter(ms);
            writer.Dispose();
            Assert.Throws<ObjectDisposedException>(() => writer.WriteUdp(v4, v4, new byte[1], When));
        }

        /// <summary>Checks every length and checksum field of a writer-built packet from first principles.</summary>
        internal static void VerifyPacket(byte[] packet, byte[] payload)
        {
            int version = packet[0] >> 4;
            int ipHeader = version == 4 ? 20 : 40;
            byte[] src, dst;
            if (version == 4)
            {
                Assert.Equal(0x45, packet[0]);
                Assert.Equal(packet.Length, packet[2] * 256 + packet[3]);
                Assert.Equal(17, packet[9]);
                // A correct IPv4 header sums (ones' complement, checksum field included) to 0xFFFF (RFC 1071).
                Assert.Equal(0xFFFF, ReferenceChecksum.OnesComplementSum(packet.Take(20).ToArray()));
                src = packet.Skip(12).Take(4).ToArray();
                dst = packet.Skip(16).Take(4).ToArray();
            }
            else
            {
                Assert.Equal(6, version);
                Assert.Equal(packet.Length - 40, packet[4] * 256 + packet[5]);
                Assert.Equal(17, packet[6]);
                src = packet.Skip(8).Take(16).ToArray();
                dst = packet.Skip(24).Take(16).ToArray();
            }
            var udp = packet.Skip(ipHeader).ToArray();
            Assert.Equal(udp.Length, udp[4] * 256 + udp[5]);
            Assert.Equal(payload, udp.Skip(8).ToArray());
            Assert.NotEqual(0, udp[6] * 256 + udp[7]); // never "no checksum" (mandatory for IPv6, RFC 8200 §8.1)
            Assert.Equal(0xFFFF, ReferenceChecksum.OnesComplementSum(ReferenceChecksum.PseudoHeader(src, dst, udp.Length), udp));
        }
    }
}
