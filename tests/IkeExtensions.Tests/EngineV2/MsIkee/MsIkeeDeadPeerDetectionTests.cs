using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using Xunit;
using static IkeExtensions.Tests.EngineV2.MsIkee.MsIkeeV2TestSupport;

namespace IkeExtensions.Tests.EngineV2.MsIkee
{
    /// <summary>MS-IKEE 3.12: dead peer detection heuristics, driven by the host's traffic reports and the injected clock.</summary>
    public sealed class MsIkeeDeadPeerDetectionTests
    {
        private static TwoPeerV2Harness Established(bool dpd = true)
        {
            var h = new TwoPeerV2Harness(configureA: o => o.DeadPeerDetection = dpd);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.A.EstablishedChildren);
            return h;
        }

        [Fact]
        public void MsIkee_3_12_5_1_InboundTraffic_SetsInboundPacketTimeStamp()
        {
            var h = Established();
            var child = h.A.EstablishedChildren.Single();
            Assert.Null(h.A.EstablishedIkeSas.Single().InboundPacketTimeStamp);
            Assert.True(h.A.Engine.ReportInboundTraffic(child.Id));
            Assert.Equal(h.Clock.UtcNow, h.A.EstablishedIkeSas.Single().InboundPacketTimeStamp);
            Assert.False(h.A.Engine.ReportInboundTraffic(child.Id + 1000));
        }

        [Fact]
        public void MsIkee_3_12_4_2_OutboundWithInboundWithin20s_DoesNothing()
        {
            var h = Established();
            var child = h.A.EstablishedChildren.Single();
            h.A.Engine.ReportInboundTraffic(child.Id);
            h.Run(TimeSpan.FromSeconds(19), TimeSpan.FromSeconds(1));
            int sent = h.Wire.Count;
            h.A.Engine.ReportOutboundTraffic(child.Id);
            h.Run(TimeSpan.FromSeconds(2));
            Assert.False(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            Assert.Equal(sent, h.Wire.Count);
            Assert.Equal(child.InboundSpi, h.A.EstablishedChildren.Single().InboundSpi);
        }

        [Fact]
        public void MsIkee_3_12_4_2_OutboundWithoutInboundForOver20s_RekeysTheChild_PeerAlive_FlagCleared()
        {
            var h = Established();
            var old = h.A.EstablishedChildren.Single();
            h.A.Engine.ReportInboundTraffic(old.Id);
            h.Run(TimeSpan.FromSeconds(21), TimeSpan.FromSeconds(1));
            Assert.True(h.A.Engine.ReportOutboundTraffic(old.Id));
            Assert.True(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            h.Run(TimeSpan.FromSeconds(3));
            // 3.12.7.1: the QM SA is negotiated again, the flag is FALSE; the rekeyed child replaced the old one on both sides.
            Assert.False(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            var now = h.A.EstablishedChildren.Single();
            Assert.NotEqual(old.InboundSpi, now.InboundSpi);
            Assert.Equal(now.OutboundSpi, h.B.EstablishedChildren.Single().InboundSpi);
            Assert.Contains(h.A.Log, l => l.Contains("dead peer detection: no inbound packet for"));
            Assert.Contains(h.A.Log, l => l.Contains($"CHILD#{old.Id} deleting: rekeyed by CHILD#{now.Id} (dead peer detection)"));
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeDeleted && ((ChildSaV2)e.Sa!).Id == old.Id);
        }

        [Fact]
        public void MsIkee_3_12_4_DeadPeer_NoAnswerToTheRekey_IkeSaDeletedWithTheReason()
        {
            var h = Established();
            var child = h.A.EstablishedChildren.Single();
            h.Drop = (from, to, data) => true; // the peer is gone
            h.Run(TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(1));
            h.A.Engine.ReportOutboundTraffic(child.Id); // no inbound packet since the child was negotiated
            Assert.True(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            h.Run(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            var deleted = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeDeleted);
            Assert.StartsWith("dead peer:", deleted.Reason);
            Assert.Contains("MS-IKEE 3.12.4", deleted.Reason);
            Assert.Contains(h.A.Log, l => l.Contains("deleted: dead peer:"));
        }

        /// <summary>
        /// A where the child rekey is refused: B is deleting that child (its INFORMATIONAL request never reaches A), so it
        /// answers the rekey with TEMPORARY_FAILURE (RFC 7296 §2.25).
        /// </summary>
        private static (TwoPeerV2Harness H, ChildSaV2 Old) ChildRekeyRefused(Func<byte[], bool>? dropAfterRefusal = null)
        {
            var h = Established();
            var old = h.A.EstablishedChildren.Single();
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressB) && data.Length > 19 && data[18] == 37 && (data[19] & 0x20) == 0;
            Assert.True(h.B.Engine.DeleteChildSa(h.B.EstablishedChildren.Single().Id));
            h.Run(TimeSpan.FromMilliseconds(100));
            h.Clock.Advance(TimeSpan.FromSeconds(21));
            h.A.Engine.ReportOutboundTraffic(old.Id);
            Assert.True(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            if (dropAfterRefusal != null)
            {
                bool refused = false;
                h.Drop = (from, to, data) =>
                {
                    if (refused) return dropAfterRefusal(data);
                    if (from.Equals(TwoPeerV2Harness.AddressB) && data.Length > 19 && data[18] == 36) refused = true; // the CREATE_CHILD_SA answer
                    return from.Equals(TwoPeerV2Harness.AddressB) && data.Length > 19 && data[18] == 37 && (data[19] & 0x20) == 0;
                };
            }
            return (h, old);
        }

        [Fact]
        public void MsIkee_3_12_4_ChildRekeyRefused_IkeSaRekeyAttempted_PeerAnswers_DetectionEnds_SaStays()
        {
            var (h, _) = ChildRekeyRefused();
            long ikeId = h.A.EstablishedIkeSas.Single().Id;
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Contains(h.A.Log, l => l.Contains("rekeying the IKE SA (dead peer detection: the rekey of CHILD#", StringComparison.Ordinal));
            // B is still busy deleting its child, so it refuses the IKE SA rekey too (RFC 7296 §2.25): an answer, so it lives.
            Assert.Contains(h.A.Log, l => l.Contains("dead peer detection ends: the peer answered the IKE SA rekey (refused), the peer is alive", StringComparison.Ordinal));
            var ike = h.A.EstablishedIkeSas.Single();
            Assert.Equal(ikeId, ike.Id);
            Assert.False(ike.DeadPeerDetection);
            Assert.DoesNotContain(EngineEventKind.MainModeDeleted, h.A.EventKinds);
        }

        [Fact]
        public void MsIkee_3_12_4_ChildRekeyRefused_IkeRekeyUnanswered_AfterTwoRetransmissions_PeerDeemedDead()
        {
            var (h, _) = ChildRekeyRefused(dropAfterRefusal: _ => true);
            h.Run(TimeSpan.FromSeconds(3));
            var rekey = h.A.Log.FindIndex(l => l.Contains("rekeying the IKE SA (dead peer detection", StringComparison.Ordinal));
            Assert.True(rekey >= 0, string.Join("\n", h.A.Log));
            h.Run(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
            // The first send and two retransmissions (1 s, then 2 s later), then the verdict at the next timer (4 s): well before
            // the ordinary retransmission limit (about a minute) would have ended the SA.
            Assert.Equal(2, h.A.Log.Skip(rekey).Count(l => l.Contains("retransmitting CreateChildSa", StringComparison.Ordinal)));
            var deleted = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeDeleted);
            Assert.Contains("dead peer detection rekey of the IKE SA (MS-IKEE 3.12.4)", deleted.Reason);
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_12_4_1_TcpRetransmission_StartsDeadPeerDetection()
        {
            var h = Established();
            var old = h.A.EstablishedChildren.Single();
            Assert.True(h.A.Engine.ReportTcpRetransmission(old.Id));
            Assert.True(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            h.Run(TimeSpan.FromSeconds(3));
            Assert.False(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            Assert.NotEqual(old.InboundSpi, h.A.EstablishedChildren.Single().InboundSpi);
        }

        [Fact]
        public void MsIkee_3_12_6_1_QmSaIdleTimer_DeletesAnIdleChild_TrafficKeepsItAlive()
        {
            var h = Established();
            var child = h.A.EstablishedChildren.Single();
            for (int minute = 0; minute < 6; minute++)
            {
                h.Run(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
                h.A.Engine.ReportInboundTraffic(child.Id);
            }
            Assert.Single(h.A.EstablishedChildren);
            h.Run(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.EstablishedChildren);
            Assert.Empty(h.B.EstablishedChildren); // the delete reached the peer
            Assert.Contains(h.A.Log, l => l.Contains($"CHILD#{child.Id} deleting: QM SA idle timer expired"));
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeDeleted && ((ChildSaV2)e.Sa!).Id == child.Id);
            Assert.Single(h.A.EstablishedIkeSas);
        }

        [Fact]
        public void MsIkee_3_12_DeadPeerDetectionOff_ReportsChangeNothing()
        {
            var h = Established(dpd: false);
            var child = h.A.EstablishedChildren.Single();
            h.Run(TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(1));
            h.A.Engine.ReportOutboundTraffic(child.Id);
            h.Run(TimeSpan.FromSeconds(3));
            Assert.False(h.A.EstablishedIkeSas.Single().DeadPeerDetection);
            Assert.Equal(child.InboundSpi, h.A.EstablishedChildren.Single().InboundSpi);
            // No rekey was started: not one CREATE_CHILD_SA on the wire.
            Assert.DoesNotContain(h.Wire, w => w.Data.Length > 18 && w.Data[18] == (byte)IkeExtensions.Wire.ExchangeType.CreateChildSa);
        }
    }
}
