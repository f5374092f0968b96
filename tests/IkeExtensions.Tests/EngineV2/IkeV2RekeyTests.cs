using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>Rekeying (RFC 7296 §1.3.2 IKE SA, §1.3.3 child SA, §2.8 lifetimes, §2.8.1/§2.8.2 simultaneous rekeys, §2.18 keys).</summary>
    public sealed class IkeV2RekeyTests
    {
        private static IkeV2Policy Policy(string ike = "aes256-sha256-modp2048", string child = "aes256-sha256") =>
            new IkeV2Policy(ike.Split(',').Select(IkeV2Proposal.Parse).ToArray(), child.Split(',').Select(ChildProposalV2.Parse).ToArray());

        private static byte[] H(string hex) => Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();

        private static string Logs(TwoPeerV2Harness h) => string.Join("\n", h.A.Log.Concat(h.B.Log));

        private static TwoPeerV2Harness Established(int seed = 1, IkeV2Policy? a = null, IkeV2Policy? b = null,
            Action<IkeV2EngineOptions>? configure = null)
        {
            var h = new TwoPeerV2Harness(a ?? Policy(), b ?? Policy(), seed: seed, configureA: configure, configureB: configure);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(h.A.EstablishedIkeSas.Count == 1 && h.A.EstablishedChildren.Count == 1, Logs(h));
            return h;
        }

        /// <summary>One IKE SA per side with the same SPIs, and the given number of children whose SPIs and ESP keys pair up (§2.17).</summary>
        private static (IkeV2Sa A, IkeV2Sa B) AssertOnePairWithKeys(TwoPeerV2Harness h, int children = 1)
        {
            Assert.True(h.A.EstablishedIkeSas.Count == 1 && h.B.EstablishedIkeSas.Count == 1, Logs(h));
            var a = h.A.EstablishedIkeSas[0];
            var b = h.B.EstablishedIkeSas[0];
            Assert.Equal(a.InitiatorSpi, b.InitiatorSpi);
            Assert.Equal(a.ResponderSpi, b.ResponderSpi);
            Assert.NotEqual(a.IsInitiator, b.IsInitiator);
            // Nothing left behind: every row in the tables is the established one (no leaked or half-deleted SAs).
            Assert.Equal(1, h.A.Engine.IkeSas.Count);
            Assert.Equal(1, h.B.Engine.IkeSas.Count);
            Assert.True(h.A.EstablishedChildren.Count == children && h.B.EstablishedChildren.Count == children, Logs(h));
            Assert.Equal(children, h.A.Engine.ChildSas.Count);
            Assert.Equal(children, h.B.Engine.ChildSas.Count);
            Assert.Equal(children, a.ChildSaCount);
            Assert.Equal(children, b.ChildSaCount);
            foreach (var ca in h.A.EstablishedChildren)
            {
                Assert.Equal(a.Id, ca.IkeSaId);
                var cb = h.B.EstablishedChildren.Single(x => x.InboundSpi == ca.OutboundSpi);
                Assert.Equal(b.Id, cb.IkeSaId);
                Assert.Equal(ca.InboundSpi, cb.OutboundSpi);
                var ka = h.A.Engine.KeyMaterialOf(ca.Id)!.Value;
                var kb = h.B.Engine.KeyMaterialOf(cb.Id)!.Value;
                Assert.Equal(ka.Inbound, kb.Outbound);
                Assert.Equal(ka.Outbound, kb.Inbound);
            }
            return (a, b);
        }

        /// <summary>Message IDs of the requests sent on the IKE SA with these SPIs, in order.</summary>
        private static List<uint> RequestIds(TwoPeerV2Harness h, ulong spiI, ulong spiR) =>
            h.Wire.Select(w => IkeMessage.TryDecode(w.Data, out var m, out _) ? m : null)
                .Where(m => m != null && m.Header.InitiatorSpi == spiI && m.Header.ResponderSpi == spiR && (m.Header.Flags & HeaderFlags.Response) == 0)
                .Select(m => m!.Header.MessageId).ToList();

        [Fact]
        public void Rfc7296_2_18_RekeySkeySeed_IsPrfOfOldSkD_OverNewSharedSecretAndNonces_KnownAnswer()
        {
            // Expected values computed independently (Python hmac/hashlib): SKEYSEED = HMAC-SHA-256(SK_d(old), g^ir | Ni | Nr),
            // then T1 of prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) = SK_d of the new IKE SA (§2.14).
            var skD = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            var gir = Enumerable.Range(0, 64).Select(i => (byte)((i * 7 + 3) & 0xff)).ToArray();
            var ni = Enumerable.Range(0, 32).Select(i => (byte)(0xa0 + i % 16)).ToArray();
            var nr = Enumerable.Range(0, 32).Select(i => (byte)(0x50 ^ i)).ToArray();
            var seed = IkeV2KeyMaterial.RekeySkeySeed(PrfAlgorithms.HmacSha2_256, skD, gir, ni, nr);
            Assert.Equal(H("48b162e8c49ca429c578bc7a44622b4d2861e4993549f4789c6d09cd0bc289a0"), seed);
            using var keys = IkeV2KeyMaterial.DeriveIkeSaKeys(PrfAlgorithms.HmacSha2_256, seed, ni, nr, 0x1122334455667788, 0x99aabbccddeeff00, 32, 32);
            Assert.Equal(H("25b425101761bd470ff84d46e441de4b258710fc58f0e39675cf585ba96cdc3c"), keys.SkD);
            // It is not the IKE_SA_INIT formula prf(Ni | Nr, g^ir) (§2.14).
            Assert.NotEqual(IkeV2KeyMaterial.SkeySeed(PrfAlgorithms.HmacSha2_256, ni, nr, gir), seed);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Rfc7296_1_3_2_IkeSaRekey_NewSpisAndRows_ChildrenMoveWithTheirKeys_OldSaDeletedOnBothSides(bool byOriginalInitiator)
        {
            var h = Established();
            var oldA = h.A.EstablishedIkeSas[0];
            var oldB = h.B.EstablishedIkeSas[0];
            var childA = h.A.EstablishedChildren[0];
            var keysBefore = h.A.Engine.KeyMaterialOf(childA.Id)!.Value;
            var rekeyer = byOriginalInitiator ? h.A : h.B;
            Assert.True(rekeyer.Engine.RekeyIkeSa(rekeyer.EstablishedIkeSas[0].Id));
            Assert.False(rekeyer.Engine.RekeyIkeSa(rekeyer.EstablishedIkeSas[0].Id)); // one rekey at a time
            h.Run(TimeSpan.FromSeconds(2));

            var (a, b) = AssertOnePairWithKeys(h);
            Assert.NotEqual(oldA.Id, a.Id);
            Assert.Equal(oldA.Id, a.ReplacesIkeSaId);
            Assert.Equal(oldB.Id, b.ReplacesIkeSaId);
            Assert.NotEqual(oldA.InitiatorSpi, a.InitiatorSpi);
            Assert.NotEqual(oldA.ResponderSpi, a.ResponderSpi);
            // §2.2/§1.3.2: the rekey initiator is the original initiator of the new IKE SA.
            Assert.Equal(byOriginalInitiator, a.IsInitiator);
            // The child moved unchanged (same row, same ESP keys).
            var moved = h.A.EstablishedChildren.Single();
            Assert.Equal(childA.Id, moved.Id);
            Assert.Equal(keysBefore.Inbound, h.A.Engine.KeyMaterialOf(moved.Id)!.Value.Inbound);
            // The old IKE SA is gone on both sides: MainModeDeleted for it, MainModeEstablished for the new one.
            Assert.Null(h.A.Engine.IkeSas.Find(oldA.Id));
            Assert.Null(h.B.Engine.IkeSas.Find(oldB.Id));
            foreach (var (peer, oldId, newId) in new[] { (h.A, oldA.Id, a.Id), (h.B, oldB.Id, b.Id) })
            {
                Assert.Contains(peer.Events, e => e.Kind == EngineEventKind.MainModeDeleted && e.Sa is IkeV2Sa x && x.Id == oldId && x.ReplacedByIkeSaId == newId);
                Assert.Contains(peer.Events, e => e.Kind == EngineEventKind.MainModeEstablished && e.Sa is IkeV2Sa x && x.Id == newId);
                Assert.DoesNotContain(peer.Events, e => e.Kind == EngineEventKind.QuickModeDeleted || e.Kind == EngineEventKind.MainModeFailed);
            }
            // The new IKE SA works: a new child over it, and a liveness check; its message IDs start at 0.
            h.Initiate();
            Assert.True(h.A.Engine.CheckLiveness(a.Id));
            h.Run(TimeSpan.FromSeconds(2));
            AssertOnePairWithKeys(h, children: 2);
            var ids = RequestIds(h, a.InitiatorSpi, a.ResponderSpi);
            Assert.Equal(0u, ids.Min());
            Assert.Equal(new uint[] { 0, 1 }, RequestIds(h, a.InitiatorSpi, a.ResponderSpi).Where((_, i) => i < 2).OrderBy(x => x));
        }

        [Fact]
        public void Rfc7296_1_3_2_IkeSaRekey_TwiceInARow_RekeysTheRekeyedSa()
        {
            var h = Established();
            for (int i = 0; i < 3; i++)
            {
                var peer = i % 2 == 0 ? h.A : h.B;
                Assert.True(peer.Engine.RekeyIkeSa(peer.EstablishedIkeSas[0].Id));
                h.Run(TimeSpan.FromSeconds(2));
                AssertOnePairWithKeys(h);
            }
            Assert.Equal(3, h.A.Events.Count(e => e.Kind == EngineEventKind.MainModeDeleted));
        }

        [Theory]
        [InlineData(1)] // the rekey request is lost once
        [InlineData(2)] // the rekey response is lost once
        [InlineData(3)] // the Delete of the old IKE SA is lost once
        public void Rfc7296_1_3_2_IkeSaRekey_WithALostMessage_CompletesByRetransmission(int lose)
        {
            var h = Established();
            int n = 0;
            h.Drop = (from, to, data) => ++n == lose;
            Assert.True(h.A.Engine.RekeyIkeSa(h.A.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(10));
            Assert.Equal(1, h.DroppedByNetwork);
            var (a, _) = AssertOnePairWithKeys(h);
            Assert.NotNull(a.ReplacesIkeSaId);
            Assert.Contains(h.A.Log, l => l.Contains("retransmitting"));
        }

        [Fact]
        public void Rfc7296_1_3_2_IkeSaRekey_RefusedWithNoProposalChosen_KeepsTheOldSa()
        {
            var ikeB = new[] { IkeV2Proposal.Parse("aes256-sha256-modp2048") };
            var h = Established(b: new IkeV2Policy(ikeB, new[] { ChildProposalV2.Parse("aes256-sha256") }));
            var before = h.A.EstablishedIkeSas[0];
            ikeB[0] = IkeV2Proposal.Parse("aes128-sha256-ecp256"); // B's administrator changed the policy since
            Assert.True(h.A.Engine.RekeyIkeSa(before.Id));
            h.Run(TimeSpan.FromSeconds(3));
            var (a, _) = AssertOnePairWithKeys(h);
            Assert.Equal(before.Id, a.Id);
            Assert.Equal(before.InitiatorSpi, a.InitiatorSpi);
            Assert.Contains(h.A.Log, l => l.Contains("rekey failed") && l.Contains("NO_PROPOSAL_CHOSEN"));
            Assert.Contains(h.B.Log, l => l.Contains("NO_PROPOSAL_CHOSEN"));
            // The old SA still carries exchanges.
            Assert.True(h.A.Engine.CheckLiveness(a.Id));
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Contains(h.A.Log, l => l.Contains("liveness check answered"));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Rfc7296_1_3_3_ChildRekey_NewChildWithSameSelectorsAndMode_InitiatorDeletesTheOld(bool byInitiatorOfTheChild)
        {
            var h = Established();
            var oldA = h.A.EstablishedChildren[0];
            var oldB = h.B.EstablishedChildren[0];
            var oldKeys = h.A.Engine.KeyMaterialOf(oldA.Id)!.Value;
            var rekeyer = byInitiatorOfTheChild ? h.A : h.B;
            Assert.True(rekeyer.Engine.RekeyChildSa(rekeyer.EstablishedChildren[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            AssertOnePairWithKeys(h);
            var newA = h.A.EstablishedChildren[0];
            var newB = h.B.EstablishedChildren[0];
            Assert.NotEqual(oldA.Id, newA.Id);
            Assert.NotEqual(oldA.InboundSpi, newA.InboundSpi);
            Assert.Equal(oldA.Id, newA.ReplacesChildSaId);
            Assert.Equal(oldB.Id, newB.ReplacesChildSaId);
            Assert.Equal(oldA.LocalTrafficSelector, newA.LocalTrafficSelector);
            Assert.Equal(oldA.RemoteTrafficSelector, newA.RemoteTrafficSelector);
            Assert.Equal(oldA.EncapsulationMode, newA.EncapsulationMode);
            Assert.NotEqual(oldKeys.Inbound, h.A.Engine.KeyMaterialOf(newA.Id)!.Value.Inbound); // fresh KEYMAT (§2.17)
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeDeleted && e.Sa is ChildSaV2 x && x.Id == oldA.Id && x.ReplacedByChildSaId == newA.Id);
            Assert.Contains(h.B.Events, e => e.Kind == EngineEventKind.QuickModeDeleted && e.Sa is ChildSaV2 x && x.Id == oldB.Id);
            Assert.DoesNotContain(h.A.Events.Concat(h.B.Events), e => e.Kind == EngineEventKind.QuickModeFailed);
            // The rekey initiator deleted the old child: its Delete went out, the other side only answered.
            Assert.Contains(rekeyer.Log, l => l.Contains($"deleting: rekeyed: replaced by CHILD#"));
        }

        [Fact]
        public void Rfc7296_1_3_3_ChildRekey_ResponderKeepsTheOldChildUntilThePeerDeletesIt()
        {
            var h = Established();
            var oldB = h.B.EstablishedChildren[0];
            // A's Delete of the old child is lost for good: B holds the old child (linked to its replacement), then removes it itself.
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressA) && IkeMessage.TryDecode(data, out var m, out _) &&
                                         m.Header.ExchangeType == ExchangeType.InformationalV2;
            Assert.True(h.A.Engine.RekeyChildSa(h.A.EstablishedChildren[0].Id));
            h.Run(TimeSpan.FromSeconds(1));
            var rowsB = h.B.EstablishedChildren;
            Assert.Equal(2, rowsB.Count);
            Assert.Equal(rowsB.Single(c => c.Id != oldB.Id).Id, rowsB.Single(c => c.Id == oldB.Id).ReplacedByChildSaId);
            h.Drop = null;
            h.Run(TimeSpan.FromSeconds(60));
            Assert.Single(h.B.EstablishedChildren);
            Assert.Null(h.B.Engine.ChildSas.Find(oldB.Id));
        }

        [Fact]
        public void Rfc7296_2_8_SoftLifetime_RekeysIkeSaAndChildBeforeTheyExpire_WithTheFakeClock()
        {
            var policy = new IkeV2Policy(new[] { new IkeV2Proposal(SkEncryption.AesCbc, 256, IkeV2Prf.HmacSha2_256, SkIntegrity.HmacSha2_256_128, 14, lifetimeSeconds: 100) },
                new[] { new ChildProposalV2(SkEncryption.AesCbc, 256, SkIntegrity.HmacSha2_256_128, lifetimeSeconds: 60) });
            var h = Established(a: policy, b: policy);
            var first = h.A.EstablishedIkeSas[0];
            var firstChild = h.A.EstablishedChildren[0];
            h.Run(TimeSpan.FromSeconds(330), TimeSpan.FromSeconds(1));
            AssertOnePairWithKeys(h);
            // Never without an SA: nothing expired (no "lifetime expired" delete), several rekeys happened.
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("lifetime expired"));
            Assert.True(h.A.Events.Count(e => e.Kind == EngineEventKind.MainModeEstablished) >= 4, Logs(h));
            Assert.True(h.A.Events.Count(e => e.Kind == EngineEventKind.QuickModeEstablished) >= 6, Logs(h));
            Assert.NotEqual(first.Id, h.A.EstablishedIkeSas[0].Id);
            Assert.NotEqual(firstChild.Id, h.A.EstablishedChildren[0].Id);
            Assert.NotNull(h.A.EstablishedChildren[0].ReplacesChildSaId);
            // The engine says when to poll next: never later than the next rekey.
            Assert.True(h.A.Engine.NextDeadline() <= h.Clock.UtcNow + TimeSpan.FromSeconds(100));
        }

        [Fact]
        public void Rfc7296_2_8_HardLifetime_DeletesWhenRekeyingIsOff()
        {
            var policy = new IkeV2Policy(new[] { new IkeV2Proposal(SkEncryption.AesCbc, 256, IkeV2Prf.HmacSha2_256, SkIntegrity.HmacSha2_256_128, 14, lifetimeSeconds: 100) },
                new[] { new ChildProposalV2(SkEncryption.AesCbc, 256, SkIntegrity.HmacSha2_256_128, lifetimeSeconds: 60) });
            var h = Established(a: policy, b: policy, configure: o => o.RekeyEnabled = false);
            h.Run(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.EstablishedIkeSas);
            Assert.Contains(h.A.Log.Concat(h.B.Log), l => l.Contains("lifetime expired"));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        [InlineData(6)]
        public void Rfc7296_2_8_1_SimultaneousChildRekey_LowestNonceChildIsDeletedByItsCreator_OneChildSurvives(int seed)
        {
            var h = Established(seed);
            var old = h.A.EstablishedChildren[0];
            Assert.True(h.A.Engine.RekeyChildSa(h.A.EstablishedChildren[0].Id));
            Assert.True(h.B.Engine.RekeyChildSa(h.B.EstablishedChildren[0].Id));
            h.Run(TimeSpan.FromSeconds(3));
            AssertOnePairWithKeys(h);
            Assert.NotEqual(old.Id, h.A.EstablishedChildren[0].Id);
            // Both noticed the collision and agreed on the verdict from the same four nonces.
            var verdictA = h.A.Log.Single(l => l.Contains("simultaneous rekey:") && l.Contains("survives"));
            var verdictB = h.B.Log.Single(l => l.Contains("simultaneous rekey:") && l.Contains("survives"));
            Assert.NotEqual(verdictA.Contains("simultaneous rekey: our CHILD#"), verdictB.Contains("simultaneous rekey: our CHILD#")); // exactly one deletes its own
            Assert.DoesNotContain(h.A.Events.Concat(h.B.Events), e => e.Kind == EngineEventKind.QuickModeFailed);
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("did not delete"));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        [InlineData(6)]
        public void Rfc7296_2_8_2_SimultaneousIkeSaRekey_OneNewIkeSaSurvivesWithTheChildren_NoLeakNoDoubleDelete(int seed)
        {
            var h = Established(seed);
            var old = h.A.EstablishedIkeSas[0];
            var child = h.A.EstablishedChildren[0];
            Assert.True(h.A.Engine.RekeyIkeSa(old.Id));
            Assert.True(h.B.Engine.RekeyIkeSa(h.B.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(3));
            var (a, _) = AssertOnePairWithKeys(h);
            Assert.NotEqual(old.Id, a.Id);
            Assert.Equal(child.Id, h.A.EstablishedChildren[0].Id);
            var verdictA = h.A.Log.Single(l => l.Contains("simultaneous rekey:") && l.Contains("survives"));
            var verdictB = h.B.Log.Single(l => l.Contains("simultaneous rekey:") && l.Contains("survives"));
            Assert.NotEqual(verdictA.Contains("simultaneous rekey: our IKEv2#"), verdictB.Contains("simultaneous rekey: our IKEv2#")); // exactly one deletes its own
            // Three IKE SAs existed on each side (old + two new); two were deleted, each once.
            foreach (var p in new[] { h.A, h.B })
            {
                var deleted = p.Events.Where(e => e.Kind == EngineEventKind.MainModeDeleted).Select(e => ((IkeV2Sa)e.Sa!).Id).ToList();
                Assert.Equal(2, deleted.Count);
                Assert.Equal(deleted.Distinct().Count(), deleted.Count);
                Assert.DoesNotContain(p.Events, e => e.Kind == EngineEventKind.QuickModeDeleted || e.Kind == EngineEventKind.MainModeFailed);
            }
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("did not delete"));
            // The survivor carries a new child.
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertOnePairWithKeys(h, children: 2);
        }

        [Theory]
        [InlineData(1)] // the REKEY_SA request is lost once
        [InlineData(2)] // its response is lost once
        [InlineData(3)] // the Delete of the old child is lost once
        public void Rfc7296_1_3_3_ChildRekey_WithALostMessage_CompletesByRetransmission(int lose)
        {
            var h = Established();
            var old = h.A.EstablishedChildren[0];
            int n = 0;
            h.Drop = (from, to, data) => ++n == lose;
            Assert.True(h.A.Engine.RekeyChildSa(old.Id));
            h.Run(TimeSpan.FromSeconds(10));
            Assert.Equal(1, h.DroppedByNetwork);
            AssertOnePairWithKeys(h);
            Assert.Equal(old.Id, h.A.EstablishedChildren[0].ReplacesChildSaId);
            Assert.DoesNotContain(h.A.Events.Concat(h.B.Events), e => e.Kind == EngineEventKind.QuickModeFailed);
        }

        [Fact]
        public void Rfc7296_2_8_2_SimultaneousIkeSaRekey_NoticedByOneSideOnly_ThePeersRekeyWins()
        {
            // B's rekey request is lost once: A's rekey completes (A deletes the old IKE SA) before B's retransmission
            // arrives. B answered A's rekey while its own was in flight, so it knows; A never sees B's request on a live SA.
            var h = Established();
            var old = h.A.EstablishedIkeSas[0];
            bool dropped = false;
            h.Drop = (from, to, data) =>
            {
                if (dropped || !from.Equals(TwoPeerV2Harness.AddressB) || !IkeMessage.TryDecode(data, out var m, out _) ||
                    m.Header.ExchangeType != ExchangeType.CreateChildSa || (m.Header.Flags & HeaderFlags.Response) != 0) return false;
                return dropped = true;
            };
            Assert.True(h.B.Engine.RekeyIkeSa(h.B.EstablishedIkeSas[0].Id));
            Assert.True(h.A.Engine.RekeyIkeSa(old.Id));
            h.Run(TimeSpan.FromSeconds(10));
            Assert.True(dropped);
            var (a, _) = AssertOnePairWithKeys(h);
            Assert.True(a.IsInitiator, Logs(h)); // A's rekey made the surviving IKE SA
            Assert.Equal(old.Id, a.ReplacesIkeSaId);
            Assert.Contains(h.B.Log, l => l.Contains("replaces it"));
        }

        [Fact]
        public void Rfc7296_2_25_IkeSaRekeyDuringAChildRekey_GetsTemporaryFailure_AndIsRetriedLater()
        {
            var h = Established();
            var oldIke = h.A.EstablishedIkeSas[0];
            var oldChild = h.A.EstablishedChildren[0];
            Assert.True(h.A.Engine.RekeyChildSa(oldChild.Id));
            Assert.True(h.B.Engine.RekeyIkeSa(h.B.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(1));
            // §2.25: A is rekeying a child of this IKE SA, so it refuses the IKE SA rekey for now; B keeps the old SA.
            Assert.Contains(h.A.Log, l => l.Contains("TEMPORARY_FAILURE"));
            Assert.Contains(h.B.Log, l => l.Contains("IKE SA rekey failed") && l.Contains("TEMPORARY_FAILURE"));
            Assert.Equal(oldIke.Id, h.A.EstablishedIkeSas.Single().Id);
            // B tries again after RekeyRetryInterval; the rekeyed child moves to the new IKE SA.
            h.Run(TimeSpan.FromSeconds(15));
            var (a, _) = AssertOnePairWithKeys(h);
            Assert.Equal(oldIke.Id, a.ReplacesIkeSaId);
            Assert.Equal(oldChild.Id, h.A.EstablishedChildren[0].ReplacesChildSaId);
        }

        [Fact]
        public void Rfc7296_2_8_PolicyFileLifetimes_BecomeTheIkeV2Lifetimes()
        {
            var v1 = new IkeExtensions.Policy.IkeV1Policy(
                new[] { new IkeExtensions.Policy.MainModeProposal(IkeExtensions.Wire.V1.IkeEncryptionAlgorithm.AesCbc, 256, IkeExtensions.Wire.V1.IkeHashAlgorithm.Sha2_256, 14, lifetimeSeconds: 20) },
                new[] { new IkeExtensions.Policy.QuickModeProposal(IkeExtensions.Wire.V1.EspTransformId.Aes, 256, IkeExtensions.Wire.V1.IpsecAuthenticationAlgorithm.HmacSha2_256, lifetimeSeconds: 15) });
            var v2 = IkeV2Policy.FromV1(v1);
            Assert.Equal(20, v2.Ike.Single().LifetimeSeconds);
            Assert.Equal(15, v2.Child.Single().LifetimeSeconds);
        }
    }
}
