using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Policy;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;
using Xunit;
using static IkeExtensions.Tests.EngineV2.MsIkee.MsIkeeV2TestSupport;

namespace IkeExtensions.Tests.EngineV2.MsIkee
{
    /// <summary>MS-IKEE 1.3.11, 3.13: Xbox multiplayer gaming vendor IDs in the IKEv2 engine.</summary>
    public sealed class MsIkeeXboxTests
    {
        private static IkeV2Sa InitiateNew(TwoPeerV2Harness h) =>
            h.A.Engine.Initiate(new InitiateRequest(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB, EncapsulationModeChoice.Transport) { ForceNewMainMode = true });

        [Fact]
        public void MsIkee_3_13_5_XboxVendorIds_SentInIkeSaInit_RecordedOnBothRows()
        {
            var h = new TwoPeerV2Harness(configureA: o => o.XboxNegotiationType = 1);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            var vids = Sent(h, TwoPeerV2Harness.AddressA, ExchangeType.IkeSaInit).Single().FindAll<VendorIdPayload>().Select(v => v.Known).ToList();
            Assert.Contains(vids, k => k?.Kind == VendorIdKind.XboxOne2013);
            Assert.Contains(vids, k => k?.Kind == VendorIdKind.XboxIkev2Negotiation && k.Value.Number == 1);
            var b = h.B.EstablishedIkeSas.Single();
            Assert.True(b.IsXbox);
            Assert.Equal(1u, b.XboxNegotiationType);
            var a = h.A.EstablishedIkeSas.Single();
            Assert.True(a.IsXbox);
            Assert.Equal(1u, a.XboxNegotiationType);

            var plain = new TwoPeerV2Harness();
            plain.Initiate();
            plain.Run(TimeSpan.FromSeconds(3));
            Assert.False(plain.B.EstablishedIkeSas.Single().IsXbox);
            Assert.Null(plain.B.EstablishedIkeSas.Single().XboxNegotiationType);
        }

        [Fact]
        public void MsIkee_3_13_5_2_Responder_NegotiationsOverTheTypeLimit_AreFailed_OtherTypesAndLaterOnesAreNot()
        {
            var h = new TwoPeerV2Harness(configureA: o => o.XboxNegotiationType = 1, configureB: o => o.XboxNegotiationLimits[1] = 1);
            // Two IKE_SA_INIT of type 1 arrive together: the second one exceeds the limit of one ongoing negotiation.
            InitiateNew(h);
            InitiateNew(h);
            h.Run(TimeSpan.FromSeconds(5));
            Assert.True(h.B.EstablishedIkeSas.Count == 1, Logs(h));
            Assert.Contains(h.B.Log, l => l.Contains("2 simultaneous negotiations of Xbox negotiation type 1 exceed its limit of 1"));
            Assert.Single(h.A.EstablishedIkeSas);
            // The refused one is not retransmitted (3.13.6) and fails on the initiator.
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("MS-IKEE 3.13.6"));

            // The first one is established, so no longer ongoing: a new negotiation of type 1 is admitted.
            InitiateNew(h);
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Equal(2, h.B.EstablishedIkeSas.Count);

            // The limit is per type: two of type 0 at once are both served.
            h.A.Engine.Options.XboxNegotiationType = 0;
            InitiateNew(h);
            InitiateNew(h);
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Equal(4, h.B.EstablishedIkeSas.Count);
            Assert.Equal(2, h.B.EstablishedIkeSas.Count(s => s.XboxNegotiationType == 0));
        }

        [Fact]
        public void MsIkee_3_13_5_2_Initiator_NegotiationOverItsOwnTypeLimit_FailsAtOnce()
        {
            var h = new TwoPeerV2Harness(configureA: o => { o.XboxNegotiationType = 0; o.XboxNegotiationLimits[0] = 1; });
            var first = InitiateNew(h);
            var second = InitiateNew(h);
            Assert.Equal(IkeV2SaState.SaInit, first.State);
            Assert.Equal(IkeV2SaState.Failed, second.State);
            Assert.Contains("exceed its limit of 1", second.FailureReason);
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.Single(Sent(h, TwoPeerV2Harness.AddressA, ExchangeType.IkeSaInit));
        }

        [Fact]
        public void MsIkee_3_13_6_XboxIkeSaInit_IsNotRetransmitted_FailsAfterTheFirstTimeout()
        {
            var h = new TwoPeerV2Harness(configureA: o => o.XboxNegotiationType = 1);
            h.Drop = (from, to, data) => true;
            var row = h.Initiate();
            h.Run(TimeSpan.FromSeconds(30));
            Assert.Single(Sent(h, TwoPeerV2Harness.AddressA, ExchangeType.IkeSaInit));
            Assert.Equal(0, h.A.Engine.Statistics.Retransmissions);
            var failed = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("not retransmitted (MS-IKEE 3.13.6)", failed.Reason);
            Assert.Equal(row.Id, ((IkeV2Sa)failed.Sa!).Id);

            // Without the Xbox type the same loss is retransmitted (RFC 7296 §2.1).
            var plain = new TwoPeerV2Harness();
            plain.Drop = (from, to, data) => true;
            plain.Initiate();
            plain.Run(TimeSpan.FromSeconds(5));
            Assert.True(Sent(plain, TwoPeerV2Harness.AddressA, ExchangeType.IkeSaInit).Count > 1);
        }
    }
}
