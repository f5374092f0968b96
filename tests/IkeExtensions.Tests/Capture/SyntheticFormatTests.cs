using System;
using System.Linq;
using System.Net;
using IkeExtensions.Capture;
using Xunit;
using static IkeExtensions.Tests.Capture.CaptureBuilders;

namespace IkeExtensions.Tests.Capture
{
    /// <summary>Format variants no local tool writes: built byte by byte.</summary>
    public class SyntheticFormatTests
    {
        private static readonly byte[] A4 = { 192, 0, 2, 1 };
        private static readonly byte[] B4 = { 198, 51, 100, 2 };
        private static readonly IPAddress A6 = IPAddress.Parse("2001:db8::a");
        private static readonly IPAddress B6 = IPAddress.Parse("2001:db8::b");
        private static readonly byte[] Payload = { 0xAA, 0xBB, 0xCC };
        private static byte[] V4 => Ipv4Udp(A4, B4, 500, 4500, Payload);

        private static CapturedUdpDatagram Single(byte[] file)
        {
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.Empty(result.Errors);
            return Assert.Single(result.Datagrams);
        }

        [Theory]
        [InlineData(false, false)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(true, true)]
        public void ClassicPcapBothByteOrdersMicroAndNano(bool bigEndian, bool nano)
        {
            var d = Single(ClassicPcap(bigEndian, nano, 101, (1_700_000_000u, nano ? 123_456_789u : 123_456u, V4)));
            Assert.Equal(new IPEndPoint(new IPAddress(A4), 500), d.Source);
            Assert.Equal(new IPEndPoint(new IPAddress(B4), 4500), d.Destination);
            Assert.Equal(Payload, d.Payload.ToArray());
            var expected = Epoch.AddSeconds(1_700_000_000).AddTicks(nano ? 1_234_567 : 1_234_560);
            Assert.Equal(expected, d.Timestamp);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void PcapNgBothByteOrdersWithEpbSpbAndObsoletePb(bool bigEndian)
        {
            var v6 = Ipv6Udp(A6, B6, 4500, 4500, Payload);
            var file = Concat(
                Shb(bigEndian),
                Idb(bigEndian, 101),
                Block(bigEndian, 0x0BAD, b => b.U32(42)),            // unknown block: skipped
                Block(bigEndian, 5, b => b.U32(0).U32(0).U32(0)),   // interface statistics: skipped
                Epb(bigEndian, 0, 1_700_000_000_123_456UL, V4),
                Spb(bigEndian, v6),
                ObsoletePb(bigEndian, 0, 1_700_000_001_000_000UL, V4));
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.Empty(result.Errors);
            Assert.Equal(3, result.FrameCount);
            var d = result.Datagrams;
            Assert.Equal(new long[] { 1, 2, 3 }, d.Select(x => x.FrameNumber));
            Assert.Equal(Epoch.AddTicks(17_000_000_001_234_560), d[0].Timestamp);
            Assert.Null(d[1].Timestamp); // SPB carries no timestamp
            Assert.Equal(new IPEndPoint(A6, 4500), d[1].Source);
            Assert.Equal(Epoch.AddSeconds(1_700_000_001), d[2].Timestamp);
            Assert.All(d, x => Assert.Equal(Payload, x.Payload.ToArray()));
        }

        [Fact]
        public void PcapNgInterfacesHaveTheirOwnLinkTypeAndTimestampResolution()
        {
            var file = Concat(
                Shb(false),
                Idb(false, 1, tsresol: 9),                         // Ethernet, nanoseconds
                Idb(false, 113, tsresol: 0x80 | 10, tsoffset: 100), // SLL, 2^-10 s, +100 s
                Epb(false, 1, 1024 * 5 + 512, SllFrame(0x0800, V4)),
                Epb(false, 0, 1_000_000_000UL * 7 + 1, Ethernet(0x0800, V4)),
                Epb(false, 2, 0, V4),                              // no interface 2
                Shb(false),                                        // a new section forgets interfaces
                Epb(false, 0, 0, V4));
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.Equal(4, result.FrameCount);
            Assert.Equal(2, result.Datagrams.Count);
            Assert.Equal(113, result.Datagrams[0].LinkType);
            Assert.Equal(1, result.Datagrams[0].InterfaceId);
            Assert.Equal(Epoch.AddSeconds(105.5), result.Datagrams[0].Timestamp);
            Assert.Equal(1, result.Datagrams[1].LinkType);
            Assert.Equal(Epoch.AddSeconds(7), result.Datagrams[1].Timestamp); // 1 ns truncates to 0 ticks
            Assert.Equal(new[] { (3L, CaptureErrorKind.UnknownInterface), (4L, CaptureErrorKind.UnknownInterface) },
                result.Errors.Select(e => (e.FrameNumber, e.Kind)));
        }

        [Fact]
        public void SpbCapturedLengthIsLimitedBySnapLength()
        {
            // Snap length 30 cuts the 31-byte packet: reported as truncated, not read past.
            var file = Concat(Shb(false), Idb(false, 101, snapLength: 30), Spb(false, V4));
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.Empty(result.Datagrams);
            Assert.Equal(CaptureErrorKind.TruncatedPacket, Assert.Single(result.Errors).Kind);
        }

        private static byte[] SllFrame(ushort protocol, byte[] payload) =>
            new ByteWriter(true).U16(0).U16(772).U16(6).Bytes(new byte[8]).U16(protocol).Bytes(payload).ToArray();

        [Theory]
        [InlineData(1)]
        [InlineData(12)]
        [InlineData(14)]
        [InlineData(101)]
        [InlineData(228)]
        [InlineData(0)]
        [InlineData(108)]
        [InlineData(113)]
        [InlineData(276)]
        public void LinkTypes(int linkType)
        {
            byte[] frame = linkType switch
            {
                1 => Ethernet(0x0800, V4),
                0 => new byte[] { 2, 0, 0, 0 }.Concat(V4).ToArray(),   // AF_INET, little-endian host
                108 => new byte[] { 0, 0, 0, 2 }.Concat(V4).ToArray(), // AF_INET, network order
                113 => SllFrame(0x0800, V4),
                276 => new ByteWriter(true).U16(0x0800).U16(0).U32(1).U16(1).U8(0).U8(6).Bytes(new byte[8]).Bytes(V4).ToArray(),
                _ => V4,
            };
            var d = Single(ClassicPcap(false, false, (uint)linkType, (1, 0, frame)));
            Assert.Equal(linkType, d.LinkType);
            Assert.Equal(Payload, d.Payload.ToArray());
        }

        [Fact]
        public void BsdNullWithIpv6FamilyOfAnyOs()
        {
            var v6 = Ipv6Udp(A6, B6, 500, 500, Payload);
            foreach (byte family in new byte[] { 24, 28, 30, 10 })
                Assert.Equal(new IPEndPoint(A6, 500), Single(ClassicPcap(false, false, 0, (1, 0, new byte[] { family, 0, 0, 0 }.Concat(v6).ToArray()))).Source);
        }

        [Fact]
        public void LinkTypeFcsBitsAreIgnored() =>
            Assert.Equal(Payload, Single(ClassicPcap(false, false, 0x4400_0001u, (1, 0, Ethernet(0x0800, V4).Concat(new byte[4]).ToArray()))).Payload.ToArray());

        [Fact]
        public void EthernetVlanTagsAndPadding()
        {
            var padded = Ethernet(0x0800, V4.Concat(new byte[20]).ToArray(), 0x88A8, 0x8100); // QinQ + trailing padding
            Assert.Equal(Payload, Single(ClassicPcap(false, false, 1, (1, 0, padded))).Payload.ToArray());
        }

        [Fact]
        public void NonIpFramesAndNonUdpPacketsAreSkippedSilently()
        {
            var arp = Ethernet(0x0806, new byte[28]);
            var tcp = V4.ToArray();
            tcp[9] = 6;
            var result = CaptureFile.ReadUdpDatagrams(ClassicPcap(false, false, 1, (1, 0, arp), (2, 0, Ethernet(0x0800, tcp)), (3, 0, Ethernet(0x0800, V4))));
            Assert.Empty(result.Errors);
            Assert.Equal(3, Assert.Single(result.Datagrams).FrameNumber);
        }

        [Fact]
        public void Ipv4OptionsAreSkipped()
        {
            var withOptions = Ipv4Udp(A4, B4, 500, 500, Payload, options: new byte[] { 0x94, 4, 0, 0, 1, 1, 1, 0 }); // router alert, NOPs, EOL
            Assert.Equal(Payload, Single(ClassicPcap(false, false, 101, (1, 0, withOptions))).Payload.ToArray());
        }

        [Theory]
        [InlineData(0x2000, false)] // MF, offset 0: first fragment
        [InlineData(0x0010, false)] // offset 128 bytes, last fragment
        [InlineData(0x2010, false)]
        [InlineData(0x4000, true)]  // DF only: not a fragment
        public void Ipv4Fragments(int flagsFragment, bool read)
        {
            var result = CaptureFile.ReadUdpDatagrams(ClassicPcap(false, false, 101, (1, 0, Ipv4Udp(A4, B4, 500, 500, Payload, flagsFragment: (ushort)flagsFragment))));
            Assert.Equal(read ? 1 : 0, result.Datagrams.Count);
            if (!read) Assert.Equal(CaptureErrorKind.IpFragment, Assert.Single(result.Errors).Kind);
        }

        [Fact]
        public void Ipv6ExtensionHeadersAreWalked()
        {
            var hopByHop = new byte[8] { 0, 0, 1, 4, 0, 0, 0, 0 };                                     // PadN
            var routing = new byte[24] { 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
            var destOpts = new byte[8] { 0, 0, 1, 4, 0, 0, 0, 0 };
            var atomicFragment = new byte[8] { 0, 0, 0, 0, 1, 2, 3, 4 };                              // RFC 6946
            var packet = Ipv6Udp(A6, B6, 500, 4500, Payload, (0, hopByHop), (43, routing), (60, destOpts), (44, atomicFragment));
            var d = Single(ClassicPcap(false, false, 101, (1, 0, packet)));
            Assert.Equal(new IPEndPoint(B6, 4500), d.Destination);
            Assert.Equal(Payload, d.Payload.ToArray());
        }

        [Theory]
        [InlineData(0x0001)] // M flag, offset 0: first fragment
        [InlineData(0x0100)] // offset 32 octets, last fragment
        public void Ipv6FragmentsAreSkipped(int offsetAndFlags)
        {
            var fragment = new byte[8] { 0, 0, (byte)(offsetAndFlags >> 8), unchecked((byte)offsetAndFlags), 1, 2, 3, 4 };
            var result = CaptureFile.ReadUdpDatagrams(ClassicPcap(false, false, 101, (1, 0, Ipv6Udp(A6, B6, 500, 500, Payload, (44, fragment)))));
            Assert.Empty(result.Datagrams);
            Assert.Equal(CaptureErrorKind.IpFragment, Assert.Single(result.Errors).Kind);
        }

        [Fact]
        public void RecordLimitStopsCleanly()
        {
            var records = Enumerable.Range(0, 50).Select(i => ((uint)i, 0u, V4)).ToArray();
            var result = CaptureFile.ReadUdpDatagrams(ClassicPcap(false, false, 101, records), new CaptureReadOptions { MaxRecords = 10 });
            Assert.Equal(10, result.Datagrams.Count);
            Assert.False(result.IsComplete);
            Assert.Equal(CaptureErrorKind.RecordLimitReached, Assert.Single(result.Errors).Kind);
        }

        [Fact]
        public void ErrorListIsBoundedButFatalErrorsAreKept()
        {
            var records = Enumerable.Range(0, 30).Select(i => ((uint)i, 0u, new byte[] { 0x70 })).ToArray();
            var file = ClassicPcap(false, false, 101, records).Concat(new byte[5]).ToArray(); // + truncated record header
            var result = CaptureFile.ReadUdpDatagrams(file, new CaptureReadOptions { MaxErrors = 10 });
            Assert.Equal(11, result.Errors.Count);
            Assert.Equal(20, result.SuppressedErrorCount);
            Assert.Equal(CaptureErrorKind.TruncatedFile, result.Errors.Last().Kind);
            Assert.True(result.Errors.Last().IsFatal);
        }
    }
}
