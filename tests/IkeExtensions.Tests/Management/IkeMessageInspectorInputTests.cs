using System;
using System.IO;
using System.Linq;
using System.Text;
using IkeExtensions.Management;
using IkeExtensions.Wire;
using Xunit;
using static IkeExtensions.Tests.Management.ManagementVectors;

namespace IkeExtensions.Tests.Management
{
    public class IkeMessageInspectorInputTests
    {
        private static readonly byte[] MainMode1 = Bytes(MainModePsk, 1);

        [Fact]
        public void Decode_DatagramRoundTripsTheCaptureBytes()
        {
            var m = IkeMessageInspector.Decode(MainMode1);
            Assert.Null(m.FrameNumber);
            Assert.Null(m.Source);
            Assert.Equal(200, m.Length);
            Assert.Equal("SA VID VID VID VID VID VID", m.Payloads);
            Assert.StartsWith("IKEv1.0 Main Mode (2)  ispi ", m.Render()[0]);
        }

        [Fact]
        public void Decode_TruncatedMessageReportsTheErrorButKeepsTheHeader()
        {
            var m = IkeMessageInspector.Decode(MainMode1.Take(100).ToArray());
            Assert.False(m.IsDecoded);
            Assert.Null(m.Message);
            Assert.StartsWith("HeaderLengthMismatch at offset 24", m.Error);
            Assert.Equal(1, m.MajorVersion);
            Assert.Equal("Main Mode", m.ExchangeType);
            Assert.Equal("", m.Payloads);
            Assert.Empty(m.VendorIds);
            Assert.Contains("  ! decode error: HeaderLengthMismatch at offset 24: header says 200 bytes, datagram has 100", m.Render());
        }

        [Fact]
        public void Decode_MalformedPayloadNamesIt()
        {
            var bytes = (byte[])MainMode1.Clone();
            bytes[28 + 2] = 0xFF; // SA payload length now exceeds the message
            var m = IkeMessageInspector.Decode(bytes);
            Assert.NotNull(m.Error);
            Assert.Contains("SecurityAssociation", m.Error);
        }

        [Fact]
        public void Decode_GarbageHasNoHeaderColumns()
        {
            var m = IkeMessageInspector.Decode(new byte[] { 1, 2, 3 });
            Assert.StartsWith("Truncated", m.Error);
            Assert.Null(m.MajorVersion);
            Assert.Null(m.ExchangeType);
            Assert.Equal("not an IKE message, 3 bytes", m.Render()[0]);
        }

        [Fact]
        public void DecodeInput_HexString()
        {
            var messages = IkeMessageInspector.DecodeInput(HexFormat.ToHex(MainMode1));
            var m = Assert.Single(messages);
            Assert.Equal("SA VID VID VID VID VID VID", m.Payloads);
        }

        [Fact]
        public void DecodeInput_HexWithColonsWhitespaceAndNonEspMarker()
        {
            string hex = "00:00:00:00:" + string.Join(":", MainMode1.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            hex = hex.Insert(30, "\n  ");
            var m = Assert.Single(IkeMessageInspector.DecodeInput(hex));
            Assert.Null(m.Error);
            Assert.Equal(200, m.Length);
        }

        [Fact]
        public void DecodeInput_HexTextFileWithSeveralMessages()
        {
            string path = System.IO.Path.GetTempFileName();
            try
            {
                string mm2 = HexFormat.ToHex(Bytes(MainModePsk, 2));
                File.WriteAllText(path, "# MM1\n" + HexFormat.ToHex(MainMode1) + "\n\n# MM2\n" + mm2.Substring(0, 64) + "\n" + mm2.Substring(64) + "\n");
                var messages = IkeMessageInspector.DecodeInput(path);
                Assert.Equal(2, messages.Count);
                Assert.Equal(0UL, messages[0].ResponderSpi);
                Assert.NotEqual(0UL, messages[1].ResponderSpi);

                // Windows PowerShell 5.1's Out-File writes UTF-16 with a BOM.
                File.WriteAllText(path, HexFormat.ToHex(MainMode1), Encoding.Unicode);
                Assert.Single(IkeMessageInspector.DecodeInput(path));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void DecodeCapture_AcceptsHexTextBytes()
        {
            var messages = IkeMessageInspector.DecodeCapture(Encoding.ASCII.GetBytes(HexFormat.ToHex(MainMode1) + "\r\n"));
            Assert.Equal("SA VID VID VID VID VID VID", Assert.Single(messages).Payloads);
        }

        [Fact]
        public void DecodeInput_MissingFileIsAOneLineArgumentException()
        {
            string missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "no-such-capture-" + Guid.NewGuid().ToString("N") + ".pcap");
            var e = Assert.Throws<ArgumentException>(() => IkeMessageInspector.DecodeInput(missing));
            Assert.Contains("File not found", e.Message);
            Assert.Contains(missing, e.Message);
            Assert.DoesNotContain("\n", e.Message);
        }

        [Fact]
        public void DecodeInput_OddLengthHex()
        {
            var e = Assert.Throws<ArgumentException>(() => IkeMessageInspector.DecodeInput("deadbee"));
            Assert.Contains("odd number of hex digits (7)", e.Message);
        }

        [Theory]
        [InlineData("hello")]
        [InlineData("   ")]
        [InlineData("deadbeefzz00")]
        public void DecodeInput_NotHexNotAFile(string input)
        {
            var e = Assert.Throws<ArgumentException>(() => IkeMessageInspector.DecodeInput(input));
            Assert.DoesNotContain("\n", e.Message);
        }

        [Fact]
        public void DecodeInput_FileThatIsNeitherCaptureNorHex()
        {
            string path = System.IO.Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(path, new byte[] { 0x01, 0x00, 0xFF, 0x10, 0x00, 0x00, 0x00, 0x07 });
                var e = Assert.Throws<ArgumentException>(() => IkeMessageInspector.DecodeInput(path));
                Assert.Contains("not a pcap/pcapng capture or a hex text file", e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void DecodeCapture_BinaryGarbageThrows()
        {
            Assert.Throws<ArgumentException>(() => IkeMessageInspector.DecodeCapture(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        }

        [Fact]
        public void DecodeCapture_SkipsKeepalivesEspAndOtherPorts()
        {
            var a500 = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 500);
            var b500 = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.2"), 500);
            var a4500 = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 4500);
            var b4500 = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.2"), 4500);
            var dns = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.53"), 53);
            var t = DateTimeOffset.UnixEpoch;
            using var stream = new MemoryStream();
            using (var writer = new IkeExtensions.Capture.PcapWriter(stream, leaveOpen: true))
            {
                writer.WriteUdp(a500, b500, MainMode1, t);                                              // frame 1: IKE
                writer.WriteUdp(a4500, b4500, new byte[] { 0xFF }, t);                                  // frame 2: NAT keepalive
                writer.WriteUdp(a4500, b4500, new byte[] { 0xae, 0x2f, 0xa8, 0x8b, 0, 0, 0, 1, 9, 9 }, t); // frame 3: ESP
                writer.WriteUdp(a4500, b4500, IkeExtensions.Capture.IkeDatagramClassifier.AddNonEspMarker(MainMode1), t); // frame 4: IKE after marker
                writer.WriteUdp(dns, a500, MainMode1, t);                                               // frame 5: port 500 too
                writer.WriteUdp(dns, new System.Net.IPEndPoint(dns.Address, 5353), MainMode1, t);      // frame 6: not IKE ports
            }
            var messages = IkeMessageInspector.DecodeCapture(stream.ToArray());
            Assert.Equal(new[] { 1, 4, 5 }, messages.Select(m => m.FrameNumber!.Value));
            Assert.All(messages, m => Assert.Equal("SA VID VID VID VID VID VID", m.Payloads));
            Assert.Equal(200, messages[1].Length);
        }

        [Fact]
        public void DecodeCapture_TruncatedCaptureKeepsTheCompleteFrames()
        {
            byte[] file = File.ReadAllBytes(Path(MainModePsk));
            var messages = IkeMessageInspector.DecodeCapture(file.Take(file.Length - 50).ToArray());
            Assert.Equal(9, messages.Count);
        }
    }
}
