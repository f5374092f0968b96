using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>The responder's stateless COOKIE exchange under load (RFC 7296 §2.6).</summary>
    public sealed class IkeV2CookieTests
    {
        private static IkeMessage Decode(byte[] datagram) => IkeMessage.TryDecode(datagram, out var m, out var error) ? m : throw new InvalidOperationException(error.ToString());

        private static List<IkeMessage> InitMessages(TwoPeerV2Harness h, bool fromA) =>
            h.Wire.Where(w => w.From.Equals(fromA ? TwoPeerV2Harness.AddressA : TwoPeerV2Harness.AddressB)).Select(w => Decode(w.Data))
                .Where(m => m.Header.ExchangeType == ExchangeType.IkeSaInit).ToList();

        [Fact]
        public void Rfc7296_2_6_AboveTheThreshold_ResponderAsksForACookie_InitiatorRetriesWithItFirst_AndIsEstablished()
        {
            var h = new TwoPeerV2Harness(configureB: o => o.CookieThreshold = 0);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Single(h.B.EstablishedIkeSas);
            var requests = InitMessages(h, fromA: true);
            var responses = InitMessages(h, fromA: false);
            Assert.Equal(2, requests.Count);
            var cookieResponse = Assert.IsType<NotifyPayload>(Assert.Single(responses[0].Payloads));
            Assert.Equal(NotifyTypeV2.Cookie, cookieResponse.MessageType);
            var echoed = Assert.IsType<NotifyPayload>(requests[1].Payloads[0]); // §2.6: N(COOKIE) first, before SA
            Assert.Equal(NotifyTypeV2.Cookie, echoed.MessageType);
            Assert.True(echoed.Data.Span.SequenceEqual(cookieResponse.Data.Span));
            Assert.Equal(1, h.B.Engine.Statistics.DosCookiesSent);
        }

        [Fact]
        public void Rfc7296_2_6_BelowTheThreshold_NoCookieIsAsked()
        {
            var h = new TwoPeerV2Harness(configureB: o => o.CookieThreshold = 1);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.Single(InitMessages(h, fromA: true));
            Assert.Equal(0, h.B.Engine.Statistics.DosCookiesSent);
        }

        [Fact]
        public void Rfc7296_2_6_ForgedCookie_IsAnsweredWithAFreshCookie_AndNoStateIsKept()
        {
            var h = new TwoPeerV2Harness(configureB: o => o.CookieThreshold = 0);
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressA) && Decode(data).Payloads[0] is NotifyPayload { MessageType: NotifyTypeV2.Cookie };
            h.Initiate();
            h.Run(TimeSpan.FromMilliseconds(500));
            var withCookie = InitMessages(h, fromA: true).Last();
            var forgedData = ((NotifyPayload)withCookie.Payloads[0]).Data.ToArray();
            forgedData[5] ^= 0x40;
            var payloads = new List<IkePayload> { new NotifyPayload(NotifyTypeV2.Cookie, forgedData) };
            payloads.AddRange(withCookie.Payloads.Skip(1));
            byte[] forged = new IkeMessage(withCookie.Header, payloads).Encode();

            int cookiesBefore = (int)h.B.Engine.Statistics.DosCookiesSent;
            h.B.Engine.Receive(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA, forged);
            Assert.Equal(cookiesBefore + 1, h.B.Engine.Statistics.DosCookiesSent);
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            var answer = Decode(h.Wire.Last().Data);
            Assert.Equal(NotifyTypeV2.Cookie, Assert.IsType<NotifyPayload>(Assert.Single(answer.Payloads)).MessageType);
        }

        [Fact]
        public void Rfc7296_2_6_CookieSecretChanges_ThePreviousSecretStillCounts_AnOlderOneDoesNot()
        {
            var h = new TwoPeerV2Harness(configureB: o => { o.CookieThreshold = 0; o.CookieSecretLifetime = TimeSpan.FromMinutes(1); });
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressA) && Decode(data).Payloads[0] is NotifyPayload { MessageType: NotifyTypeV2.Cookie };
            h.Initiate();
            h.Run(TimeSpan.FromMilliseconds(200));
            byte[] withCookie = h.Wire.Last(w => w.From.Equals(TwoPeerV2Harness.AddressA)).Data;

            // One period later the secret has changed once: the cookie made with the previous secret is still accepted.
            h.Clock.Advance(TimeSpan.FromSeconds(70));
            h.B.Engine.Receive(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA, withCookie);
            Assert.Equal(1, h.B.Engine.HalfOpenCount);

            var late = new TwoPeerV2Harness(configureB: o => { o.CookieThreshold = 0; o.CookieSecretLifetime = TimeSpan.FromMinutes(1); });
            late.Drop = h.Drop;
            late.Initiate();
            late.Run(TimeSpan.FromMilliseconds(200));
            byte[] old = late.Wire.Last(w => w.From.Equals(TwoPeerV2Harness.AddressA)).Data;
            late.Clock.Advance(TimeSpan.FromSeconds(70));
            // Two changes later (another request after another period rotates again) the first secret is gone.
            late.B.Engine.Receive(TwoPeerV2Harness.AddressB, new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.9"), 500), Reinitiator(old, 0x0102030405060708UL));
            late.Clock.Advance(TimeSpan.FromSeconds(70));
            late.B.Engine.Receive(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA, old);
            Assert.Equal(0, late.B.Engine.HalfOpenCount);
        }

        /// <summary>The same request under another initiator SPI (a different initiator as far as cookies go).</summary>
        private static byte[] Reinitiator(byte[] request, ulong spi)
        {
            var m = Decode(request);
            var h = m.Header;
            return new IkeMessage(new IsakmpHeader(spi, 0, PayloadType.None, 2, 0, h.ExchangeType, h.Flags, 0, 0), m.Payloads).Encode();
        }
    }
}
