using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>MS-IKEE 3.5 (fast failover client) and 3.6 (server).</summary>
    public class FastFailoverTests
    {
        private static InitiateRequest Request() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB) { ForceNewMainMode = true };
        private static bool HasVid(byte[] d, VendorIdKind kind) =>
            IkeMessage.TryDecode(d, out var m, out _) && m.FindAll<VendorIdPayload>().Any(v => v.Known?.Kind == kind);

        [Fact]
        public void MsIkee_3_5_4_1_VidInitialContact_OnlyWhenNoMainModeSaToThePeerIsActive()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(HasVid(h.Wire[0], VendorIdKind.VidInitialContact));   // first MM#1: none active
            Assert.True(h.B.EstablishedMainModes.Single().InitialContact);      // 3.6.5.1: the flag on the receiver
            int before = h.Wire.Count;
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.False(HasVid(h.Wire[before], VendorIdKind.VidInitialContact)); // second MM#1: one is active
            Assert.False(HasVid(h.Wire[before + 1], VendorIdKind.VidInitialContact)); // nor in MM#2 (3.5.5.1)
        }

        [Fact]
        public void MsIkee_3_6_4_1_ClusterNodesSendNlbsPresent_AndThePeerSetsFastFailover_With1MinuteIdleTimers()
        {
            var h = new TwoPeerHarness(configureB: o => o.NlbClusterMember = true);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(HasVid(h.Wire[1], VendorIdKind.NlbsPresent));
            Assert.False(HasVid(h.Wire[0], VendorIdKind.NlbsPresent));
            Assert.True(h.A.EstablishedMainModes.Single().FastFailover);
            Assert.Equal(60, h.A.EstablishedQuickModes.Single().IdleTimeoutSeconds);   // 3.5.2 / note 21
            Assert.Equal(300, h.B.EstablishedQuickModes.Single().IdleTimeoutSeconds);  // B's peer is no cluster
        }

        [Fact]
        public void MsIkee_3_5_6_1_IdleQuickModeSa_IsDeleted_WhenADataPathReportsNoTraffic()
        {
            var h = new TwoPeerHarness(configureA: o => o.EnforceQuickModeIdleTimer = true, configureB: o => o.NlbClusterMember = true);
            h.A.Engine.Initiate(Request());
            h.Run(TimeSpan.FromSeconds(2));
            uint spi = h.A.EstablishedQuickModes.Single().InboundSpi;
            h.Run(TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(1));
            Assert.True(h.A.Engine.ReportTraffic(spi));                           // traffic restarts the 1-minute timer
            h.Run(TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(1));
            Assert.Single(h.A.EstablishedQuickModes);
            h.Run(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.EstablishedQuickModes);
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeDeleted && e.Reason!.Contains("idle"));
        }
    }
}
