using System;
using System.Linq;
using IkeExtensions.Engine;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>Untrusted input never crashes the engine: mutated and replayed messages are dropped with a reason, SAs survive.</summary>
    public class EngineRobustnessTests
    {
        [Fact]
        public void TwentyThousandMutatedMessages_AreDroppedWithoutInternalErrors_AndEstablishedSasSurvive()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.B.EstablishedQuickModes);
            var recorded = h.Wire.ToList();
            var rng = new Random(7);

            for (int i = 0; i < 20_000; i++)
            {
                var bytes = (byte[])recorded[rng.Next(recorded.Count)].Clone();
                int edits = 1 + rng.Next(3);
                for (int e = 0; e < edits; e++) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                if (rng.Next(4) == 0) Array.Resize(ref bytes, rng.Next(bytes.Length + 1));
                var target = rng.Next(2) == 0 ? h.A : h.B;
                target.Engine.Receive(target.Address, target == h.A ? TwoPeerHarness.AddressB : TwoPeerHarness.AddressA, bytes);
            }

            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("internal error"));
            Assert.Single(h.A.EstablishedMainModes);
            Assert.Single(h.B.EstablishedMainModes);
            Assert.True(h.A.Engine.Statistics.MalformedDropped + h.A.Engine.Statistics.OtherDropped > 1000);
        }

        [Fact]
        public void ReplayedQuickModeMessage_DoesNotCreateASecondSa()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB));
            h.Run(TimeSpan.FromSeconds(2));
            var qm1 = h.Wire[6];
            for (int i = 0; i < 5; i++) h.B.Engine.Receive(TwoPeerHarness.AddressB, TwoPeerHarness.AddressA, qm1);
            Assert.Single(h.B.Engine.QuickModeSas.Snapshot());
        }
    }
}
