using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Linq;
using System.Net;
using IkeExtensions.Engine;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Xunit;
using Xunit.Abstractions;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>MS-IKEE 3.9 denial-of-service protection with Windows' thresholds (note 29) and stateless cookie (notes 27–28).</summary>
    public class DosProtectionTests
    {
        private readonly ITestOutputHelper _output;
        public DosProtectionTests(ITestOutputHelper output) => _output = output;

        private static InitiateRequest Request() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);

        /// <summary>A Main Mode #1 as A would send it, to replay with other cookies from other (spoofed) sources.</summary>
        private static byte[] Template()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Request());
            return h.Wire[0];
        }

        private static void Spoof(TwoPeerHarness h, byte[] template, int count, Func<int, IPEndPoint> source)
        {
            var b = (byte[])template.Clone();
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(b, unchecked((ulong)(i + 1) * 0x9E3779B97F4A7C15UL));
                h.B.Engine.Receive(TwoPeerHarness.AddressB, source(i), b);
            }
        }

        private static IPEndPoint V6(int i) => new IPEndPoint(IPAddress.Parse($"2001:db8::{i & 0xFFFF:x}"), 500);

        [Fact]
        public void MsIkee_3_9_7_BelowTheThreshold_NoCookieIsAsked()
        {
            var h = new TwoPeerHarness();
            Spoof(h, Template(), 400, V6);
            Assert.False(h.B.Engine.Statistics.DosProtectionActive);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Equal(0, h.B.Engine.Statistics.DosCookiesSent);
        }

        [Fact]
        public void MsIkee_3_9_5_AboveFiveHundredOneMessageNegotiations_CookiesAreAsked_NoStateIsKept_AndALegitimatePeerStillGetsIn()
        {
            var h = new TwoPeerHarness();
            Spoof(h, Template(), 2000, V6);
            Assert.True(h.B.Engine.Statistics.DosProtectionActive);
            Assert.Equal(DosProtection.EnterThreshold + 1, h.B.Engine.MainModeSas.Count); // state stopped at the threshold
            Assert.Equal(2000 - DosProtection.EnterThreshold - 1, h.B.Engine.Statistics.DosCookiesSent);

            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Single(h.B.EstablishedQuickModes);
            Assert.True(IkeMessage.TryDecode(h.Wire.Skip(1).First(w => IkeMessage.TryDecode(w, out var m, out _) && m.Header.ExchangeType == ExchangeType.Informational), out var notify, out _));
            Assert.Equal(NotifyMessageType.NotifyDosCookie, notify.Find<NotificationPayload>()!.MessageType);
            Assert.Contains(h.A.Log, l => l.Contains("DoS protection") && l.Contains("cookie"));
        }

        [Fact]
        public void MsIkee_3_9_Note29_ThirtySixthOneMessageNegotiationFromOneAddress_IsDropped()
        {
            var h = new TwoPeerHarness();
            var one = new IPEndPoint(IPAddress.Parse("198.51.100.77"), 500);
            Spoof(h, Template(), 40, _ => one);
            Assert.Equal(DosProtection.PerSourceLimit, h.B.Engine.MainModeSas.Count);
            Assert.Equal(5, h.B.Engine.Statistics.DosDropped);
        }

        [Fact]
        public void MsIkee_3_9_Note29_ProtectionEnds_WhenFewerThanOneHundredRemain()
        {
            var h = new TwoPeerHarness();
            Spoof(h, Template(), 600, V6);
            Assert.True(h.B.Engine.Statistics.DosProtectionActive);
            h.Run(TimeSpan.FromSeconds(65), TimeSpan.FromSeconds(1)); // the spoofed negotiations time out (bounded half-open state)
            Assert.False(h.B.Engine.Statistics.DosProtectionActive);
            Assert.Equal(0, h.B.Engine.MainModeSas.Count);
        }

        [Fact]
        public void MsIkee_3_9_Note28_ACookieFromThePreviousTimeSliceIsAccepted_AnOlderOneIsNot()
        {
            var h = new TwoPeerHarness();
            var template = Template();
            Spoof(h, template, 600, V6);
            Assert.True(h.B.Engine.Statistics.DosProtectionActive);

            ulong AskCookie(ulong icookie)
            {
                var m1 = (byte[])template.Clone();
                BinaryPrimitives.WriteUInt64BigEndian(m1, icookie);
                h.B.Engine.Receive(TwoPeerHarness.AddressB, TwoPeerHarness.AddressA, m1);
                Assert.True(IkeMessage.TryDecode(h.Wire.Last(), out var reply, out _));
                var n = reply.Find<NotificationPayload>()!;
                Assert.Equal(NotifyMessageType.NotifyDosCookie, n.MessageType);
                return BinaryPrimitives.ReadUInt64BigEndian(n.Data.Span);
            }

            bool Repeat(ulong icookie, ulong cookie)
            {
                var m3 = (byte[])template.Clone();
                BinaryPrimitives.WriteUInt64BigEndian(m3, icookie);
                BinaryPrimitives.WriteUInt64BigEndian(m3.AsSpan(8), cookie);
                int before = h.B.Engine.MainModeSas.Count;
                h.B.Engine.Receive(TwoPeerHarness.AddressB, TwoPeerHarness.AddressA, m3);
                return h.B.Engine.MainModeSas.Count == before + 1;
            }

            ulong c1 = AskCookie(0x1111);
            h.Clock.Advance(TimeSpan.FromSeconds(DosProtection.CookieSliceSeconds));
            Assert.True(Repeat(0x1111, c1));                  // previous slice: accepted, state created

            ulong c2 = AskCookie(0x2222);
            h.Clock.Advance(TimeSpan.FromSeconds(2 * DosProtection.CookieSliceSeconds + 1));
            Assert.False(Repeat(0x2222, c2));                 // two slices old: treated as a new message 1 (3.9.5.3)
            Assert.Equal(NotifyMessageType.NotifyDosCookie, Decode(h.Wire.Last()).Find<NotificationPayload>()!.MessageType);
            Assert.False(Repeat(0x3333, 0xDEADBEEF));         // a made-up cookie creates no state either
        }

        private static IkeMessage Decode(byte[] b) { Assert.True(IkeMessage.TryDecode(b, out var m, out _)); return m; }

        [Fact]
        public void MsIkee_3_9_FloodOfAMillionSpoofedMainModeOnes_From65536Sources_StaysBounded_AndALegitimateNegotiationCompletes()
        {
            var h = new TwoPeerHarness();
            var template = Template();
            long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            const int flood = 1_000_000;
            Spoof(h, template, flood / 2, V6);
            h.A.Engine.Initiate(Request());                 // a legitimate negotiation in the middle of the flood
            h.Run(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
            Spoof(h, template, flood / 2, i => V6(i + 7));
            clock.Stop();
            h.Run(TimeSpan.FromSeconds(3));
            long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);

            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Single(h.B.EstablishedQuickModes);
            Assert.InRange(h.B.Engine.MainModeSas.Count, 1, DosProtection.EnterThreshold + 2);
            Assert.True(h.B.Engine.Statistics.DosCookiesSent > flood - 2 * DosProtection.EnterThreshold);
            long grown = memoryAfter - memoryBefore;
            Assert.True(grown < 64L * 1024 * 1024, $"engine state grew by {grown / 1024} KiB");
            _output.WriteLine($"flood: {flood} spoofed MM#1 from 65,536 IPv6 sources in {clock.Elapsed.TotalSeconds:F2} s " +
                              $"= {flood / clock.Elapsed.TotalSeconds:F0} datagrams/s; managed heap grew {grown / 1024} KiB; " +
                              $"MM SAs held {h.B.Engine.MainModeSas.Count}; cookies sent {h.B.Engine.Statistics.DosCookiesSent}");
        }
    }
}
