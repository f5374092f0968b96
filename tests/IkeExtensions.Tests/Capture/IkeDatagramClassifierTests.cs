using System;
using IkeExtensions.Capture;
using Xunit;

namespace IkeExtensions.Tests.Capture
{
    public class IkeDatagramClassifierTests
    {
        private static readonly byte[] IkeHeader = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 33, 0x20, 34, 8, 0, 0, 0, 0, 0, 0, 0, 28 };

        [Theory]
        [InlineData(4500, 4500)]
        [InlineData(4500, 51000)]
        [InlineData(51000, 4500)]
        public void NatKeepaliveOnPort4500(int sport, int dport)
        {
            var c = IkeDatagramClassifier.Classify(new byte[] { 0xFF }, sport, dport);
            Assert.Equal(IkeDatagramKind.NatKeepalive, c.Kind);
            Assert.True(c.Ike.IsEmpty);
        }

        [Fact]
        public void NonEspMarkerIsStripped()
        {
            var framed = IkeDatagramClassifier.AddNonEspMarker(IkeHeader);
            Assert.Equal(new byte[] { 0, 0, 0, 0 }, framed.AsSpan(0, 4).ToArray());
            var c = IkeDatagramClassifier.Classify(framed, 4500, 4500);
            Assert.Equal(IkeDatagramKind.Ike, c.Kind);
            Assert.Equal(IkeHeader, c.Ike.ToArray());
            Assert.Equal(IkeHeader.Length, c.Ike.Length);
        }

        [Fact]
        public void MarkerOnlyIsAnEmptyIkeMessage()
        {
            var c = IkeDatagramClassifier.Classify(new byte[4], 4500, 4500);
            Assert.Equal(IkeDatagramKind.Ike, c.Kind);
            Assert.True(c.Ike.IsEmpty);
        }

        [Fact]
        public void NonZeroSpiIsEsp()
        {
            var esp = new byte[] { 0xC0, 0x01, 0x02, 0x03, 0, 0, 0, 1, 0xDE, 0xAD };
            Assert.Equal(IkeDatagramKind.Esp, IkeDatagramClassifier.Classify(esp, 4500, 4500).Kind);
            Assert.Equal(IkeDatagramKind.Esp, IkeDatagramClassifier.Classify(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1 }, 4500, 4500).Kind);
        }

        [Theory]
        [InlineData(new byte[0])]
        [InlineData(new byte[] { 0 })]
        [InlineData(new byte[] { 0xFE })]
        [InlineData(new byte[] { 0xFF, 0xFF })]
        [InlineData(new byte[] { 0, 0, 0 })]
        [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7 })]
        public void ShortNonMatchingPayloadsOn4500AreInvalid(byte[] payload) =>
            Assert.Equal(IkeDatagramKind.Invalid, IkeDatagramClassifier.Classify(payload, 4500, 4500).Kind);

        [Theory]
        [InlineData(500, 500)]
        [InlineData(500, 1701)]
        [InlineData(12345, 500)]
        public void OtherPortsAreIkeAsIs(int sport, int dport)
        {
            var c = IkeDatagramClassifier.Classify(IkeHeader, sport, dport);
            Assert.Equal(IkeDatagramKind.Ike, c.Kind);
            Assert.Equal(IkeHeader, c.Ike.ToArray());
            // Even a payload that would be a keepalive or marked on 4500 is passed through untouched.
            Assert.Equal(new byte[] { 0xFF }, IkeDatagramClassifier.Classify(new byte[] { 0xFF }, sport, dport).Ike.ToArray());
            Assert.Equal(8, IkeDatagramClassifier.Classify(new byte[8], sport, dport).Ike.Length);
        }

        [Fact]
        public void ExplicitEncapsulationFlagForNonStandardPorts()
        {
            var framed = IkeDatagramClassifier.AddNonEspMarker(IkeHeader);
            Assert.Equal(IkeHeader, IkeDatagramClassifier.Classify(framed, udpEncapsulation: true).Ike.ToArray());
            Assert.Equal(framed, IkeDatagramClassifier.Classify(framed, udpEncapsulation: false).Ike.ToArray());
        }

        [Fact]
        public void IkeSliceSharesTheInputMemory()
        {
            var framed = IkeDatagramClassifier.AddNonEspMarker(IkeHeader);
            var c = IkeDatagramClassifier.Classify(framed, 4500, 500);
            framed[4] = 0x99;
            Assert.Equal(0x99, c.Ike.Span[0]);
        }
    }
}
