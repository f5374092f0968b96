using System;
using System.Buffers.Binary;
using System.Linq;
using System.Security.Cryptography;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>MS-IKEE 3.10 IKE SA correlation (IKEv2) between two engines; 2.2.9 Correlation payload.</summary>
    public sealed class MsIkeeCorrelationTests
    {
        private static (TwoPeerV2Harness H, IkeV2Sa OriginalA, IkeV2Sa OriginalB) Established(IkeV2Policy? policy = null)
        {
            var h = new TwoPeerV2Harness(policy, policy);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(h.A.EstablishedIkeSas.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            return (h, h.A.EstablishedIkeSas.Single(), h.B.EstablishedIkeSas.Single());
        }

        private static string Logs(TwoPeerV2Harness h) => string.Join("\n", h.A.Log.Concat(h.B.Log));

        /// <summary>SAoriginal still stands on both sides, unchanged, and still answers (3.10.5.1: failures MUST NOT affect it).</summary>
        private static void AssertOriginalIntact(TwoPeerV2Harness h, IkeV2Sa originalA, IkeV2Sa originalB)
        {
            var a = Assert.Single(h.A.EstablishedIkeSas);
            var b = Assert.Single(h.B.EstablishedIkeSas);
            Assert.Equal((originalA.Id, originalA.InitiatorSpi, originalA.ResponderSpi), (a.Id, a.InitiatorSpi, a.ResponderSpi));
            Assert.Equal((originalB.Id, originalB.InitiatorSpi, originalB.ResponderSpi), (b.Id, b.InitiatorSpi, b.ResponderSpi));
            Assert.Single(h.A.EstablishedChildren);
            Assert.Single(h.B.EstablishedChildren);
            Assert.True(h.B.Engine.CheckLiveness(b.Id));
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Contains(h.B.Log, l => l.Contains($"IKEv2#{b.Id} liveness check answered"));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("internal error"));
        }

        [Fact]
        public void MsIkee_3_10_5_1_Correlation_Succeeds_BothRolesFlagSaOriginal_AndSaCurrentIsTornDown()
        {
            var (h, originalA, originalB) = Established();
            var current = h.A.Engine.Correlate(originalA.Id);
            Assert.Equal(originalA.Id, current.CorrelationTarget);
            h.Run(TimeSpan.FromSeconds(1));

            // Responder: flagged SAoriginal with SAcurrent's id (3.10.1), then tore SAcurrent down with an error notify (3.10.5.2).
            var bFailed = h.B.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            var bCurrent = Assert.IsType<IkeV2Sa>(bFailed.Sa);
            Assert.Contains("Correlated", bFailed.Reason);
            Assert.Equal(originalB.Id, bCurrent.CorrelatedWith);
            Assert.Equal(current.InitiatorSpi, bCurrent.InitiatorSpi);
            var b = h.B.Engine.IkeSas.Find(originalB.Id)!;
            Assert.Equal(bCurrent.Id, b.CorrelatedWith);
            Assert.NotNull(b.CorrelatedAt);
            Assert.True(b.CorrelatedAt <= h.Clock.UtcNow);

            // Initiator: read the status of NOTIFY_STATUS and deleted SAcurrent (3.10.5.3); SAoriginal names it.
            var aFailed = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Equal(current.Id, ((IkeV2Sa)aFailed.Sa!).Id);
            Assert.Contains("Correlated", aFailed.Reason);
            var a = h.A.Engine.IkeSas.Find(originalA.Id)!;
            Assert.Equal(current.Id, a.CorrelatedWith);
            Assert.NotNull(a.CorrelatedAt);
            Assert.Null(h.A.Engine.IkeSas.Find(current.Id));
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
            // The child SA proposed in the correlating IKE_AUTH was never installed.
            AssertOriginalIntact(h, originalA, originalB);
        }

        [Fact]
        public void MsIkee_2_2_9_CorrelationHash_IsPrfOfSaOriginalSkAi_OverSaCurrentThenSaOriginalSpis()
        {
            var (h, originalA, _) = Established(); // aes256-sha256-modp2048: PRF HMAC-SHA256
            byte[]? sent = null;
            h.A.Engine.CorrelationHashTamper = hash => sent = hash;
            var current = h.A.Engine.Correlate(originalA.Id);
            h.Run(TimeSpan.FromSeconds(1));
            Assert.NotNull(sent);

            var keys = h.A.Engine.IntegrityKeysOf(originalA.Id)!.Value;
            var data = new byte[32];
            BinaryPrimitives.WriteUInt64BigEndian(data, current.InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(8), current.ResponderSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(16), originalA.InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), originalA.ResponderSpi);
            using (var hmac = new HMACSHA256(keys.SkAi)) Assert.Equal(hmac.ComputeHash(data), sent);
            using (var hmac = new HMACSHA256(keys.SkAr)) Assert.NotEqual(hmac.ComputeHash(data), sent);
            Assert.NotEqual(0UL, current.ResponderSpi);
            Assert.Equal(current.Id, h.A.Engine.IkeSas.Find(originalA.Id)!.CorrelatedWith);
        }

        [Fact]
        public void MsIkee_2_2_9_SaOriginalResponderCorrelates_HashKeyedWithSkAr_BothSidesAgree()
        {
            // B initiated SAoriginal; A (its responder) builds SAcurrent: A's key in SAoriginal is SK_ar.
            var h = new TwoPeerV2Harness();
            h.B.Engine.Initiate(new InitiateRequest(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA));
            h.Run(TimeSpan.FromSeconds(2));
            var originalA = h.A.EstablishedIkeSas.Single();
            var originalB = h.B.EstablishedIkeSas.Single();
            Assert.False(originalA.IsInitiator);
            byte[]? sent = null;
            h.A.Engine.CorrelationHashTamper = hash => sent = hash;
            var current = h.A.Engine.Correlate(originalA.Id);
            h.Run(TimeSpan.FromSeconds(1));

            var keys = h.A.Engine.IntegrityKeysOf(originalA.Id)!.Value;
            var data = new byte[32];
            BinaryPrimitives.WriteUInt64BigEndian(data, current.InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(8), current.ResponderSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(16), originalA.InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), originalA.ResponderSpi);
            using (var hmac = new HMACSHA256(keys.SkAr)) Assert.Equal(hmac.ComputeHash(data), sent);
            Assert.Equal(current.Id, h.A.Engine.IkeSas.Find(originalA.Id)!.CorrelatedWith);
            Assert.NotNull(h.B.Engine.IkeSas.Find(originalB.Id)!.CorrelatedWith);
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Single(h.B.EstablishedIkeSas);
        }

        [Fact]
        public void MsIkee_3_10_5_1_BadHash_ErrorNotifyEndsTheExchange_SaOriginalUntouched()
        {
            var (h, originalA, originalB) = Established();
            h.A.Engine.CorrelationHashTamper = hash => { hash[0] ^= 0x01; return hash; };
            h.A.Engine.Correlate(originalA.Id);
            h.Run(TimeSpan.FromSeconds(1));

            Assert.Contains("HashMismatch", h.B.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason);
            Assert.Contains("HashMismatch", h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason);
            Assert.Null(h.A.Engine.IkeSas.Find(originalA.Id)!.CorrelatedWith);
            Assert.Null(h.B.Engine.IkeSas.Find(originalB.Id)!.CorrelatedWith);
            Assert.Null(h.B.Engine.IkeSas.Find(originalB.Id)!.CorrelatedAt);
            AssertOriginalIntact(h, originalA, originalB);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(64)]
        public void MsIkee_2_2_9_HashOfTheWrongLength_RefusedAsMalformed_NoThrow_SaOriginalUntouched(int length)
        {
            var (h, originalA, originalB) = Established();
            h.A.Engine.CorrelationHashTamper = _ => new byte[length];
            h.A.Engine.Correlate(originalA.Id);
            h.Run(TimeSpan.FromSeconds(1));

            Assert.Contains("Malformed", h.B.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason);
            Assert.Contains("Malformed", h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason);
            Assert.Null(h.B.Engine.IkeSas.Find(originalB.Id)!.CorrelatedWith);
            AssertOriginalIntact(h, originalA, originalB);
        }

        [Fact]
        public void MsIkee_3_10_5_1_CorrelationWithAnSaTheResponderDoesNotHave_UnknownSa_NothingFlagged()
        {
            var (h, originalA, _) = Established();
            // B forgets every SA; its Delete never reaches A, which still holds SAoriginal.
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressB);
            h.B.Engine.Shutdown();
            h.Drop = null;
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());

            h.A.Engine.Correlate(originalA.Id);
            h.Run(TimeSpan.FromMilliseconds(500));
            var bFailed = h.B.Events.Last(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("UnknownSa", bFailed.Reason);
            Assert.Null(((IkeV2Sa)bFailed.Sa!).CorrelatedWith);
            Assert.Contains("UnknownSa", h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Reason);
            var a = Assert.Single(h.A.EstablishedIkeSas);
            Assert.Equal(originalA.Id, a.Id);
            Assert.Null(a.CorrelatedWith);
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
        }

        /// <summary>Header octet 18 is the exchange type (IKE_AUTH 35), octet 19 the flags (R = 0x20), RFC 7296 §3.1.</summary>
        internal static bool IsIkeAuth(byte[] d, bool response) => d.Length > 19 && d[18] == 35 && ((d[19] & 0x20) != 0) == response;

        [Fact]
        public void MsIkee_3_10_And_3_11_IkeAuthRequest_AuthThenCpThenCorrelationImmediatelyBeforeSAi2()
        {
            var h = new TwoPeerV2Harness(configureA: a => a.RequestInternalServerAddresses = true);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            var originalA = h.A.EstablishedIkeSas.Single();
            // Hold the correlating IKE_AUTH request back, so the responder's SAcurrent still has the keys to open it here.
            h.Drop = (from, to, d) => IsIkeAuth(d, response: false);
            h.A.Engine.Correlate(originalA.Id);
            h.Run(TimeSpan.FromMilliseconds(300));
            var inner = h.B.Engine.OpenForTests(h.Wire.Last(w => IsIkeAuth(w.Data, response: false)).Data);
            Assert.NotNull(inner);
            // MS-IKEE 3.10: "the Correlation payload MUST be inserted immediately prior to the SA payload";
            // 3.11: HDR, SK {IDi, AUTH, CP(CFG_REQUEST), SAi2, TSi, TSr}.
            Assert.Equal(new[]
            {
                PayloadType.IdentificationInitiator, PayloadType.Authentication, PayloadType.Notify, PayloadType.Configuration,
                PayloadType.Correlation, PayloadType.SecurityAssociationV2, PayloadType.TrafficSelectorInitiator, PayloadType.TrafficSelectorResponder,
            }, inner!.Select(p => p.Type));
            var corr = inner.OfType<CorrelationPayload>().Single();
            Assert.Equal((originalA.InitiatorSpi, originalA.ResponderSpi, 32), (corr.OriginalInitiatorSpi, corr.OriginalResponderSpi, corr.CorrelationHash.Length));
            var cp = inner.OfType<ConfigurationPayload>().Single();
            Assert.Equal(ConfigurationType.Request, cp.ConfigurationType);
            Assert.All(cp.Attributes, a => Assert.Equal(0, a.Value.Length));
        }

        [Fact]
        public void MsIkee_3_10_CorrelateWithNoEstablishedSa_IsRefusedBeforeAnythingIsSent()
        {
            var (h, _, _) = Established();
            int sent = h.Wire.Count;
            Assert.Throws<InvalidOperationException>(() => h.A.Engine.Correlate(9999));
            Assert.Equal(sent, h.Wire.Count);
        }

        [Fact]
        public void MsIkee_2_2_9_AeadSaOriginal_HasNoSkA_CorrelationRefused()
        {
            var aead = new IkeV2Policy(new[] { IkeV2Proposal.Parse("aes128gcm16-prfsha256-ecp256") }, IkeV2Policy.Default.Child);
            var (h, originalA, _) = Established(aead);
            var e = Assert.Throws<InvalidOperationException>(() => h.A.Engine.Correlate(originalA.Id));
            Assert.Contains("SK_a", e.Message);
        }

        [Fact]
        public void MsIkee_2_2_9_TruncatedCorrelationPayload_IsAParseError_NotAnException()
        {
            // Generic header (next none, reserved, length 4+10) and 10 bytes: less than the two 8-byte SPIs.
            var bytes = new byte[14];
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), 14);
            Assert.False(IkeMessage.TryDecodePayloads(bytes, PayloadType.Correlation, 2, out _, out var error));
            Assert.Equal(PayloadType.Correlation, error.PayloadType);
            Assert.Equal(ParseErrorCode.Truncated, error.Code);
        }
    }
}
