using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>INITIAL_CONTACT (RFC 7296 §2.4): a peer that lost its state says so, and we drop what it forgot.</summary>
    public sealed class IkeV2InitialContactTests
    {
        [Fact]
        public void Rfc7296_2_4_PeerRebootsAndComesBack_InitialContact_OldIkeSaAndChildRemovedAtOnce()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            long stale = Assert.Single(h.B.EstablishedIkeSas).Id;

            // A "reboots": its SAs vanish and its Deletes never reach B.
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressA);
            h.A.Engine.Shutdown();
            h.Run(TimeSpan.FromSeconds(1));
            h.Drop = null;
            Assert.Single(h.B.EstablishedIkeSas);

            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            var now = Assert.Single(h.B.EstablishedIkeSas);
            Assert.NotEqual(stale, now.Id);
            Assert.Single(h.B.EstablishedChildren);
            var gone = Assert.Single(h.B.Events, e => e.Kind == EngineEventKind.MainModeDeleted);
            Assert.Contains("INITIAL_CONTACT", gone.Reason);
            Assert.Contains(h.B.Log, l => l.Contains($"IKEv2#{stale} replaced by IKEv2#{now.Id}", StringComparison.Ordinal));
        }

        [Fact]
        public void Rfc7296_2_4_SecondIkeSaWhileTheFirstIsUp_NoInitialContact_BothStay()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            h.A.Engine.Initiate(new InitiateRequest(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB, EncapsulationModeChoice.Transport) { ForceNewMainMode = true });
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(2, h.A.EstablishedIkeSas.Count);
            Assert.Equal(2, h.B.EstablishedIkeSas.Count);
            Assert.DoesNotContain(EngineEventKind.MainModeDeleted, h.B.EventKinds);
        }
    }
}
