using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>MS-IKEE 3.8 reliable delete between engines that send "MS NT5 ISAKMPOAKLEY" (both do by default).</summary>
    public class ReliableDeleteTests
    {
        private static InitiateRequest Request() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);

        private static TwoPeerHarness Established(TwoPeerHarness? h = null)
        {
            h ??= new TwoPeerHarness();
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.B.EstablishedQuickModes);
            return h;
        }

        private static bool IsInformational(byte[] d) => d.Length > 28 && d[18] == (byte)ExchangeType.Informational;
        private static uint MessageId(byte[] d) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(20));

        [Fact]
        public void MsIkee_3_8_4_1_DeleteIsAcknowledgedUnderTheSameMessageId_AndNothingIsLeftPending()
        {
            var h = Established();
            int before = h.Wire.Count;
            h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes[0].Id);
            h.Run(TimeSpan.FromSeconds(1));
            var informational = h.Wire.Skip(before).Where(IsInformational).ToList();
            Assert.Equal(2, informational.Count);                                // message 1 and message 2
            Assert.Equal(MessageId(informational[0]), MessageId(informational[1])); // 3.8.5.1: copied Message ID
            Assert.Empty(h.B.Engine.QuickModeSas.Snapshot());
            Assert.Equal(0, h.A.Engine.PendingReliableDeletes);
        }

        [Fact]
        public void MsIkee_3_8_6_1_Note24_UnansweredDeleteIsRetransmittedAfter1_2_4_8_16_16Seconds_ThenGivenUp()
        {
            var h = Established();
            var sentAt = new System.Collections.Generic.List<DateTime>();
            h.Drop = (from, to, d) =>
            {
                if (!IsInformational(d)) return false;
                if (from.Address.Equals(TwoPeerHarness.AddressA.Address)) { sentAt.Add(h.Clock.UtcNow); return false; }
                return true; // B's acknowledgements are lost
            };
            h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes[0].Id);
            h.Run(TimeSpan.FromSeconds(80), TimeSpan.FromMilliseconds(100));
            Assert.Equal(7, sentAt.Count); // the first transmission and six retransmissions (Windows; the text of 3.8.6.1 says four)
            var gaps = sentAt.Zip(sentAt.Skip(1), (a, b) => Math.Round((b - a).TotalSeconds)).ToArray();
            Assert.Equal(new double[] { 1, 2, 4, 8, 16, 16 }, gaps);
            Assert.Equal(0, h.A.Engine.PendingReliableDeletes);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        public void MsIkee_3_8_UnderThirtyPercentLoss_TheDeleteArrives_AndIsAcknowledgedOrRetriedSixTimes(int seed)
        {
            var h = Established(new TwoPeerHarness(seed: seed));
            h.DropRate = 0.3;
            h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes[0].Id);
            h.Run(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
            Assert.Empty(h.A.Engine.QuickModeSas.Snapshot());
            Assert.Empty(h.B.Engine.QuickModeSas.Snapshot());  // some copy of message 1 got through
            Assert.Equal(0, h.A.Engine.PendingReliableDeletes); // acknowledged, or given up after six retransmissions
            Assert.InRange(h.A.Engine.Statistics.Retransmissions, 0, 6);
        }

        [Fact]
        public void MsIkee_3_1_5_TowardAPeerWithoutTheMicrosoftVendorId_DeleteIsSentOnce_WithoutNonce()
        {
            var h = Established(new TwoPeerHarness(configureA: o => o.MicrosoftVendorIdVersion = null, configureB: o => o.MicrosoftVendorIdVersion = null));
            int before = h.Wire.Count;
            h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes[0].Id);
            h.Run(TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(1));
            Assert.Single(h.Wire.Skip(before), IsInformational);
            Assert.Equal(0, h.A.Engine.Statistics.Retransmissions);
            Assert.Empty(h.B.Engine.QuickModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_8_4_1_DeletingTheMainModeSa_KeepsItUntilItsQuickModeSasAreGone()
        {
            var h = Established();
            h.A.Engine.DeleteMainModeSa(h.A.Engine.MainModeSas.Snapshot().Single().Id);
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(MainModeSaState.Deleting, h.A.Engine.MainModeSas.Snapshot().Single().State);
            Assert.Equal(MainModeSaState.Deleting, h.B.Engine.MainModeSas.Snapshot().Single().State); // note 26: the receiver waits too
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Single(h.B.EstablishedQuickModes);
            h.A.Engine.DeleteQuickModeSa(h.A.EstablishedQuickModes[0].Id);
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Empty(h.A.Engine.MainModeSas.Snapshot());
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_8_7_2_MainModeSaThatReachedMaxQMSAs_IsInvalidated_NotDeleted()
        {
            var policy = new IkeV1Policy(IkeV1Policy.Default.MainMode, IkeV1Policy.Default.QuickMode, maxQuickModeSas: 1);
            var h = Established(new TwoPeerHarness(policy, policy));
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(2, h.A.Engine.MainModeSas.Count);   // the second Quick Mode needed a fresh Main Mode SA
            Assert.Equal(2, h.A.EstablishedQuickModes.Count);
            Assert.All(h.A.Engine.MainModeSas.Snapshot(), m => Assert.Equal(MainModeSaState.Established, m.State));
        }

        [Fact]
        public void MsIkee_3_8_7_1_ShutdownSendsDeletesForEverySa()
        {
            var h = Established();
            int before = h.Wire.Count;
            h.A.Engine.Shutdown();
            Assert.Equal(2, h.Wire.Skip(before).Count(IsInformational)); // the Quick Mode SA's delete and the Main Mode SA's
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Empty(h.B.Engine.QuickModeSas.Snapshot());
        }
    }
}
