using System;
using System.IO;
using System.Linq;
using IkeExtensions.Capture;
using Xunit;
using static IkeExtensions.Tests.Capture.CaptureBuilders;

namespace IkeExtensions.Tests.Capture
{
    /// <summary>Untrusted input: the reader must never throw or hang, only report.</summary>
    public class MalformedInputTests
    {
        private static readonly byte[] Udp4 = Ipv4Udp(new byte[] { 10, 0, 0, 1 }, new byte[] { 10, 0, 0, 2 }, 4500, 4500, new byte[] { 0, 0, 0, 0, 1, 2 });

        private static CaptureError FatalOf(byte[] file)
        {
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.False(result.IsComplete);
            return result.Errors.Single(e => e.IsFatal);
        }

        [Theory]
        [InlineData(new byte[0])]
        [InlineData(new byte[] { 1, 2, 3 })]
        [InlineData(new byte[] { (byte)'3', (byte)'a', (byte)'0', (byte)'0' })]
        public void UnknownFormat(byte[] file)
        {
            Assert.Equal(CaptureFormat.Unknown, CaptureFile.DetectFormat(file));
            Assert.Equal(CaptureErrorKind.UnknownFormat, FatalOf(file).Kind);
        }

        [Fact]
        public void TruncatedPcapHeader()
        {
            var file = ClassicPcap(false, false, 101).Take(20).ToArray();
            Assert.Equal(CaptureFormat.Pcap, CaptureFile.DetectFormat(file));
            Assert.Equal(CaptureErrorKind.BadFileHeader, FatalOf(file).Kind);
        }

        [Fact]
        public void TruncatedPcapRecordKeepsEarlierRecords()
        {
            var full = ClassicPcap(false, false, 101, (1, 0, Udp4), (2, 0, Udp4));
            for (int cut = 24 + 16 + Udp4.Length + 1; cut < full.Length; cut++)
            {
                var result = CaptureFile.ReadUdpDatagrams(full.Take(cut).ToArray());
                Assert.Single(result.Datagrams);
                Assert.Equal(CaptureErrorKind.TruncatedFile, result.Errors.Single().Kind);
            }
        }

        [Fact]
        public void HugePcapRecordLength()
        {
            var file = ClassicPcap(false, false, 101, (1, 0, Udp4));
            BitConverter.GetBytes(uint.MaxValue).CopyTo(file, 24 + 8);
            Assert.Equal(CaptureErrorKind.BadRecordLength, FatalOf(file).Kind);
            BitConverter.GetBytes(1_000_000u).CopyTo(file, 24 + 8);
            Assert.Equal(CaptureErrorKind.TruncatedFile, FatalOf(file).Kind);
        }

        [Fact]
        public void UnsupportedPcapVersion()
        {
            var file = ClassicPcap(false, false, 101, (1, 0, Udp4));
            file[4] = 1;
            Assert.Equal(CaptureErrorKind.BadFileHeader, FatalOf(file).Kind);
        }

        [Theory]
        [InlineData(0u)]
        [InlineData(4u)]
        [InlineData(11u)]
        [InlineData(14u)]        // not a multiple of 4
        [InlineData(0x7FFFFFFCu)]
        [InlineData(0xFFFFFFFCu)]
        [InlineData(1000u)]      // beyond the end of the file
        public void BadPcapNgBlockLengthStopsCleanly(uint length)
        {
            var epb = Epb(false, 0, 0, Udp4);
            BitConverter.GetBytes(length).CopyTo(epb, 4);
            var result = CaptureFile.ReadUdpDatagrams(Concat(Shb(false), Idb(false, 101), Epb(false, 0, 0, Udp4), epb));
            Assert.Single(result.Datagrams);
            var fatal = result.Errors.Single();
            Assert.True(fatal.IsFatal);
            Assert.Contains(fatal.Kind, new[] { CaptureErrorKind.BadRecordLength, CaptureErrorKind.TruncatedFile });
        }

        [Fact]
        public void PcapNgTrailerMismatchAndBadBomAndVersion()
        {
            var epb = Epb(false, 0, 0, Udp4);
            epb[epb.Length - 1] = 0x7F;
            Assert.Equal(CaptureErrorKind.BadRecordLength, FatalOf(Concat(Shb(false), Idb(false, 101), epb)).Kind);

            var shb = Shb(false);
            shb[8] = 0;
            Assert.Equal(CaptureErrorKind.BadFileHeader, FatalOf(Concat(shb, Idb(false, 101))).Kind);

            shb = Shb(false);
            shb[12] = 2; // major version 2
            Assert.Equal(CaptureErrorKind.BadFileHeader, FatalOf(Concat(shb, Idb(false, 101))).Kind);
        }

        [Fact]
        public void PcapNgShortBlocksAreReportedNotFatal()
        {
            var file = Concat(Shb(false), Block(false, 1, b => b.U16(1)), Block(false, 6, b => b.U32(0)),
                Block(false, 6, b => b.U32(0).U32(0).U32(0).U32(500).U32(500).U32(0)), // captured length past the block
                Idb(false, 101), Epb(false, 1, 0, Udp4));
            var result = CaptureFile.ReadUdpDatagrams(file);
            Assert.True(result.IsComplete);
            Assert.Single(result.Datagrams);
            Assert.Equal(3, result.Errors.Count);
        }

        [Fact]
        public void OddTimestampResolutionsDoNotThrow()
        {
            foreach (byte tsresol in new byte[] { 0, 19, 20, 127, 0x80, 0xBF, 0xC0, 0xFF })
            {
                var file = Concat(Shb(false), Idb(false, 101, tsresol: tsresol, tsoffset: long.MaxValue), Epb(false, 0, ulong.MaxValue, Udp4),
                    Idb(false, 101, tsresol: tsresol, tsoffset: long.MinValue), Epb(false, 1, 0, Udp4));
                var result = CaptureFile.ReadUdpDatagrams(file);
                Assert.Equal(2, result.Datagrams.Count);
                Assert.All(result.Errors, e => Assert.Equal(CaptureErrorKind.BadTimestamp, e.Kind));
            }
        }

        [Fact]
        public void RandomBytesNeverThrow()
        {
            var random = new Random(1234);
            for (int i = 0; i < 2000; i++)
            {
                var file = new byte[random.Next(0, 300)];
                random.NextBytes(file);
                // Give half of them a valid magic so the parsers, not just the sniffer, see garbage.
                if (i % 3 == 1 && file.Length >= 4) BitConverter.GetBytes(0xA1B2C3D4u).CopyTo(file, 0);
                if (i % 3 == 2 && file.Length >= 12) { BitConverter.GetBytes(0x0A0D0D0Au).CopyTo(file, 0); BitConverter.GetBytes(0x1A2B3C4Du).CopyTo(file, 8); }
                CaptureFile.ReadUdpDatagrams(file);
            }
        }

        public static TheoryData<string> FuzzSeeds() => new TheoryData<string>
        {
            "lo-ethernet.pcap", "lo-ethernet.pcapng", "any-sll.pcap", "any-sll2.pcapng", "synthetic-be.pcapng",
        };

        [Theory]
        [MemberData(nameof(FuzzSeeds))]
        public void TenThousandMutationsNeverThrow(string seed)
        {
            var original = seed == "synthetic-be.pcapng"
                ? Concat(Shb(true), Idb(true, 1, tsresol: 9), Epb(true, 0, 5, Ethernet(0x0800, Udp4, 0x8100)),
                    Spb(true, Ethernet(0x86DD, Ipv6Udp(System.Net.IPAddress.IPv6Loopback, System.Net.IPAddress.IPv6Loopback, 500, 500,
                        new byte[] { 1, 2, 3 }, (0, new byte[8]), (44, new byte[8])))),
                    Idb(true, 0, tsresol: 0x86, tsoffset: -5), ObsoletePb(true, 1, 7, new byte[] { 2, 0, 0, 0 }.Concat(Udp4).ToArray()))
                : File.ReadAllBytes(VectorPath(seed));
            var random = new Random(seed.Sum(c => c)); // deterministic: string.GetHashCode is randomised per process
            uint[] extremes = { 0, 1, 4, 11, 12, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFC, 0x0A0D0D0A, 0x1A2B3C4D };
            var options = new CaptureReadOptions { MaxRecords = 64 };

            for (int i = 0; i < 10_000; i++)
            {
                var file = (byte[])original.Clone();
                int mutations = 1 + random.Next(4);
                for (int m = 0; m < mutations; m++)
                {
                    switch (random.Next(4))
                    {
                        case 0:
                            file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                            break;
                        case 1:
                            file[random.Next(file.Length)] = (byte)random.Next(256);
                            break;
                        case 2:
                            int at = random.Next(file.Length - 3) & ~3;
                            BitConverter.GetBytes(extremes[random.Next(extremes.Length)]).CopyTo(file, at);
                            break;
                        default:
                            if (file.Length > 1) file = file.Take(random.Next(file.Length)).ToArray();
                            break;
                    }
                    if (file.Length < 4) break;
                }

                CaptureReadResult result;
                try
                {
                    result = CaptureFile.ReadUdpDatagrams(file, options);
                }
                catch (Exception ex)
                {
                    throw new Xunit.Sdk.XunitException($"{seed} mutation {i} threw {ex.GetType().Name}: {ex.Message}\n{Convert.ToBase64String(file)}");
                }
                Assert.True(result.FrameCount <= options.MaxRecords);
                Assert.All(result.Datagrams, d => Assert.True(d.Payload.Length < file.Length));
            }
        }
    }
}
