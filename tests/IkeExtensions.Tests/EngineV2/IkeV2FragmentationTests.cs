using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Engine.V2;
using IkeExtensions.Management;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>IKEv2 fragmentation (RFC 7383; MS-IKEE 1.3.13, 2.2.11, 3.15) between two in-memory engines.</summary>
    public sealed class IkeV2FragmentationTests
    {
        /// <summary>A fragment datagram may be at most this (UDP payload) for a 200-byte IPv4 datagram: 200 - 20 - 8.</summary>
        private const int SmallFragmentSize = 200;
        private const int SmallBudget = SmallFragmentSize - 28;

        private static IkeV2Policy Policy(string ike, string child) =>
            new IkeV2Policy(ike.Split(',').Select(IkeV2Proposal.Parse).ToArray(), child.Split(',').Select(ChildProposalV2.Parse).ToArray());

        private static TwoPeerV2Harness Small(Action<IkeV2EngineOptions>? moreA = null, Action<IkeV2EngineOptions>? moreB = null, IkeV2Policy? policy = null, int seed = 1) =>
            new TwoPeerV2Harness(policy, policy, seed: seed,
                configureA: o => { o.FragmentSize = SmallFragmentSize; moreA?.Invoke(o); },
                configureB: o => { o.FragmentSize = SmallFragmentSize; moreB?.Invoke(o); });

        private static IkeMessage Decode(byte[] d)
        {
            Assert.True(IkeMessage.TryDecode(d, out var m, out var e), e.ToString());
            return m;
        }

        private static EncryptedFragmentPayload? Skf(byte[] d) =>
            IkeMessage.TryDecode(d, out var m, out _) && m.Payloads.Count > 0 ? m.Payloads[m.Payloads.Count - 1] as EncryptedFragmentPayload : null;

        private static bool IsResponse(byte[] d) => (Decode(d).Header.Flags & HeaderFlags.Response) != 0;

        private static bool HasFragNotify(byte[] d) =>
            Decode(d).FindAll<NotifyPayload>().Any(n => n.MessageType == NotifyTypeV2.IkeV2FragmentationSupported);

        private static string Logs(TwoPeerV2Harness h) => string.Join("\n", h.A.Log.Concat(h.B.Log));

        private static void AssertEstablished(TwoPeerV2Harness h)
        {
            Assert.True(h.A.EstablishedIkeSas.Count == 1 && h.B.EstablishedIkeSas.Count == 1, Logs(h));
            Assert.Single(h.A.EstablishedChildren);
            Assert.Single(h.B.EstablishedChildren);
            Assert.Equal(h.A.EstablishedIkeSas[0].ResponderSpi, h.B.EstablishedIkeSas[0].ResponderSpi);
        }

        private static void DeliverToB(TwoPeerV2Harness h, byte[] d) => h.B.Engine.Receive(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA, d);

        /// <summary>Runs IKE_SA_INIT, then holds back A's fragmented IKE_AUTH request (every fragment) and returns it.</summary>
        private static List<byte[]> CaptureAuthRequestFragments(TwoPeerV2Harness h)
        {
            var held = new List<byte[]>();
            h.Drop = (from, to, d) =>
            {
                if (from.Equals(TwoPeerV2Harness.AddressA) && Skf(d) != null && held.Count < 64) { held.Add(d); return true; }
                return false;
            };
            h.Initiate();
            h.Run(TimeSpan.FromMilliseconds(300));
            h.Drop = null;
            Assert.True(held.Count >= 3, $"{held.Count} fragments\n{Logs(h)}");
            return held;
        }

        // ---------------------------------------------------------------- negotiation

        [Fact]
        public void MsIkee_2_2_11_1_BothRolesAnnounceFragmentationSupported_RecordedOnBothRows()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            Assert.True(HasFragNotify(h.Wire[0].Data));          // IKE_SA_INIT request
            Assert.True(HasFragNotify(h.Wire[1].Data));          // IKE_SA_INIT response
            Assert.True(h.A.EstablishedIkeSas[0].FragmentationSupported);
            Assert.True(h.B.EstablishedIkeSas[0].FragmentationSupported);
            // Default 576-byte IPv4 datagrams: a PSK IKE_AUTH fits, nothing is fragmented.
            Assert.False(h.A.EstablishedIkeSas[0].FragmentationActive);
            Assert.DoesNotContain(h.Wire, w => Skf(w.Data) != null);
            // Listings carry the flags (MS-IKEE 3.15.1).
            var info = MainModeSaInfo.From(h.B.EstablishedIkeSas[0]);
            Assert.True(info.FragmentationSupported);
            Assert.False(info.FragmentationActive);
        }

        [Theory]
        [InlineData(false, true)]
        [InlineData(true, false)]
        public void MsIkee_3_15_5_1_OneSideDisabled_NotNegotiated_LargeMessagesGoWhole(bool enabledA, bool enabledB)
        {
            var h = Small(a => a.FragmentationEnabled = enabledA, b => b.FragmentationEnabled = enabledB);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            Assert.Equal(enabledA, HasFragNotify(h.Wire[0].Data));
            // The responder answers with the notify only when the request had it and it allows fragmentation.
            Assert.False(HasFragNotify(h.Wire[1].Data));
            Assert.False(h.A.EstablishedIkeSas[0].FragmentationSupported);
            Assert.False(h.B.EstablishedIkeSas[0].FragmentationSupported);
            Assert.DoesNotContain(h.Wire, w => Skf(w.Data) != null);
            Assert.Contains(h.Wire, w => w.Data.Length > SmallBudget); // IKE_AUTH went whole though larger than a fragment
        }

        // ---------------------------------------------------------------- sending and reassembly

        [Theory]
        [InlineData("aes256-sha256-modp2048", "aes256-sha256")]
        [InlineData("aes128gcm16-prfsha256-ecp256", "aes128gcm16")]
        public void Rfc7383_2_5_LargeIkeAuth_SentAsEncryptedFragments_ReassembledAndEstablished(string ike, string child)
        {
            var h = Small(policy: Policy(ike, child));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            var frags = h.Wire.Where(w => Skf(w.Data) != null).ToList();
            Assert.All(frags, f => Assert.True(f.Data.Length <= SmallBudget, $"{f.Data.Length} bytes"));
            var requestFrags = frags.Where(f => !IsResponse(f.Data)).Select(f => (Msg: Decode(f.Data), Skf: Skf(f.Data)!)).ToList();
            var responseFrags = frags.Where(f => IsResponse(f.Data)).ToList();
            Assert.True(requestFrags.Count >= 2, Logs(h));
            Assert.True(responseFrags.Count >= 2, Logs(h));
            // One message: same header fields, numbers 1..N of N; fragment 1 names the first inner payload (IDi), the others 0.
            int n = requestFrags.Count;
            Assert.Equal(Enumerable.Range(1, n).Select(i => (ushort)i), requestFrags.Select(f => f.Skf.FragmentNumber));
            Assert.All(requestFrags, f => Assert.Equal(n, f.Skf.TotalFragments));
            Assert.All(requestFrags, f => Assert.Equal(ExchangeType.IkeAuth, f.Msg.Header.ExchangeType));
            Assert.All(requestFrags, f => Assert.Equal(1u, f.Msg.Header.MessageId));
            Assert.All(requestFrags, f => Assert.Equal(PayloadType.EncryptedFragment, f.Msg.Header.NextPayload));
            Assert.Equal(PayloadType.IdentificationInitiator, requestFrags[0].Skf.FirstInnerPayload);
            Assert.All(requestFrags.Skip(1), f => Assert.Equal(PayloadType.None, f.Skf.FirstInnerPayload));
            Assert.True(h.A.EstablishedIkeSas[0].FragmentationActive);
            Assert.True(h.B.EstablishedIkeSas[0].FragmentationActive);
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
        }

        [Fact]
        public void Rfc7383_2_5_LaterExchanges_CreateChildSaFragmentedToo()
        {
            var h = Small();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            int before = h.Wire.Count;
            h.Initiate(); // an established IKE SA with B: CREATE_CHILD_SA (message ID 2)
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(2, h.A.EstablishedChildren.Count);
            Assert.Equal(2, h.B.EstablishedChildren.Count);
            var later = h.Wire.Skip(before).Select(w => Decode(w.Data)).ToList();
            Assert.Contains(later, m => m.Header.ExchangeType == ExchangeType.CreateChildSa && m.Header.MessageId == 2 &&
                                        m.Payloads[m.Payloads.Count - 1] is EncryptedFragmentPayload);
            Assert.DoesNotContain(later, m => m.Payloads.Count > 0 && m.Payloads[m.Payloads.Count - 1] is EncryptedPayload);
        }

        [Fact]
        public void Rfc7383_2_6_ReorderedAndDuplicatedFragments_Reassembled()
        {
            var h = Small();
            var held = CaptureAuthRequestFragments(h);
            // Last to first, each twice: the duplicates are ignored, the order does not matter.
            foreach (var d in Enumerable.Reverse(held)) { DeliverToB(h, d); DeliverToB(h, d); }
            h.Run(TimeSpan.FromSeconds(1));
            AssertEstablished(h);
            Assert.Contains(h.B.Log, l => l.Contains("duplicate, ignored"));
            Assert.Equal(0, h.A.Engine.Statistics.Retransmissions); // completed from the first copies
        }

        [Fact]
        public void Rfc7383_2_6_1_LostRequestFragment_InitiatorRetransmitsAllFragments_Established()
        {
            var h = Small();
            bool dropped = false;
            h.Drop = (from, to, d) =>
            {
                var f = Skf(d);
                if (!dropped && f != null && f.FragmentNumber == 2 && from.Equals(TwoPeerV2Harness.AddressA)) { dropped = true; return true; }
                return false;
            };
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            Assert.True(dropped);
            AssertEstablished(h);
            Assert.True(h.A.Engine.Statistics.Retransmissions >= 1);
            int total = Skf(h.Wire.First(w => Skf(w.Data) != null).Data)!.TotalFragments;
            // All fragments went out again, not only the lost one.
            Assert.True(h.Wire.Count(w => w.From.Equals(TwoPeerV2Harness.AddressA) && Skf(w.Data) != null) >= 2 * total);
        }

        [Fact]
        public void Rfc7383_2_6_1_LostResponseFragment_ResponderResendsAllFragmentsOnFragment1()
        {
            var h = Small();
            bool dropped = false;
            h.Drop = (from, to, d) =>
            {
                var f = Skf(d);
                if (!dropped && f != null && f.FragmentNumber == 1 && from.Equals(TwoPeerV2Harness.AddressB)) { dropped = true; return true; }
                return false;
            };
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            Assert.True(dropped);
            AssertEstablished(h);
            Assert.True(h.B.Engine.Statistics.Retransmissions >= 1, Logs(h)); // replayed, not recomputed
            Assert.Contains(h.B.Log, l => l.Contains("(fragment 1): response sent again"));
            Assert.Single(h.B.Engine.IkeSas.Snapshot());
        }

        [Theory]
        [InlineData(3)]
        [InlineData(8)]
        public void Rfc7383_2_6_RandomLossAndDuplicationOfFragments_StillEstablishes(int seed)
        {
            var h = Small(seed: seed);
            h.DropRate = 0.15;
            h.DuplicateRate = 0.3;
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(60));
            AssertEstablished(h);
        }

        [Fact]
        public void Rfc7383_2_6_ForgedFragment_BadIcv_DroppedWithoutDisturbingReassembly()
        {
            var h = Small();
            var held = CaptureAuthRequestFragments(h);
            long malformed = h.B.Engine.Statistics.MalformedDropped;
            // A forged fragment 2 (ciphertext altered) comes before the genuine one: it must not take fragment 2's place.
            var forged = (byte[])held[1].Clone();
            forged[forged.Length - 20] ^= 0x5a;
            DeliverToB(h, held[0]);
            DeliverToB(h, forged);
            Assert.Equal(malformed + 1, h.B.Engine.Statistics.MalformedDropped);
            Assert.Contains(h.B.Log, l => l.Contains("fragment 2/") && l.Contains("ICV check failed"));
            foreach (var d in held.Skip(1)) DeliverToB(h, d);
            h.Run(TimeSpan.FromSeconds(1));
            AssertEstablished(h);
            Assert.Equal(0, h.A.Engine.Statistics.Retransmissions);
        }

        // ---------------------------------------------------------------- malformed and refused fragments

        [Theory]
        [InlineData(0, 3)]   // number 0
        [InlineData(4, 3)]   // number > total
        [InlineData(1, 0)]   // total 0
        public void Rfc7383_2_5_MalformedSkfFields_Dropped(int number, int total)
        {
            var h = Small();
            var held = CaptureAuthRequestFragments(h);
            var bad = (byte[])held[0].Clone();
            // Fragment Number and Total Fragments follow the IKE header and the SKF generic header.
            bad[32] = (byte)(number >> 8); bad[33] = (byte)number; bad[34] = (byte)(total >> 8); bad[35] = (byte)total;
            long malformed = h.B.Engine.Statistics.MalformedDropped;
            DeliverToB(h, bad);
            Assert.Equal(malformed + 1, h.B.Engine.Statistics.MalformedDropped);
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
            foreach (var d in held) DeliverToB(h, d);
            h.Run(TimeSpan.FromSeconds(1));
            AssertEstablished(h);
        }

        [Fact]
        public void Rfc7383_2_5_FragmentInIkeSaInit_Rejected()
        {
            var h = Small();
            var header = new IsakmpHeader(0x0102030405060708, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Initiator, 0, 0);
            var skf = new EncryptedFragmentPayload(PayloadType.SecurityAssociationV2, 1, 2, new byte[64]);
            var bytes = new IkeMessage(header, new IkePayload[] { skf }).Encode();
            DeliverToB(h, bytes);
            Assert.Equal(1, h.B.Engine.Statistics.MalformedDropped);
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
            Assert.Empty(h.Wire); // not answered
        }

        [Fact]
        public void MsIkee_3_15_1_TooManyFragments_Refused()
        {
            var h = Small(moreB: b => b.MaxFragmentsPerMessage = 2);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Empty(h.B.EstablishedIkeSas);
            Assert.Contains(h.B.Log, l => l.Contains("more than 2 fragments"));
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
        }

        [Fact]
        public void MsIkee_3_15_1_ReassembledSizeLimit_MessageDiscarded()
        {
            var h = Small(moreB: b => b.MaxReassembledSize = 100);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Empty(h.B.EstablishedIkeSas);
            Assert.Contains(h.B.Log, l => l.Contains("would exceed 100 bytes"));
            // Never more than the limit held: at most the fragments of one message below 100 bytes.
            Assert.True(h.B.Engine.FragmentReassemblyCount <= 1);
            h.Run(TimeSpan.FromSeconds(35)); // the half-open IKE SA goes, and with it what was held
            Assert.Empty(h.B.EstablishedIkeSas);
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
        }

        [Fact]
        public void MsIkee_3_15_1_ConcurrentReassemblyLimit_FragmentsOfAnotherMessageDropped()
        {
            var h = Small(moreB: b => b.MaxConcurrentReassemblies = 1);
            var held = new List<byte[]>();
            h.Drop = (from, to, d) =>
            {
                if (from.Equals(TwoPeerV2Harness.AddressA) && Skf(d) != null) { held.Add(d); return true; }
                return false;
            };
            h.Initiate();
            h.A.Engine.Initiate(new IkeExtensions.Engine.InitiateRequest(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB,
                IkeExtensions.Policy.EncapsulationModeChoice.Transport, null, null) { ForceNewMainMode = true });
            h.Run(TimeSpan.FromMilliseconds(300));
            var firsts = held.Where(d => Skf(d)!.FragmentNumber == 1).ToList();
            Assert.True(firsts.Count >= 2 && firsts[0].AsSpan(0, 8).SequenceCompareTo(firsts[1].AsSpan(0, 8)) != 0, Logs(h));
            DeliverToB(h, firsts[0]);
            Assert.Equal(1, h.B.Engine.FragmentReassemblyCount);
            DeliverToB(h, firsts[1]);
            Assert.Equal(1, h.B.Engine.FragmentReassemblyCount);
            Assert.Contains(h.B.Log, l => l.Contains("messages already being reassembled (limit)"));
        }

        [Fact]
        public void MsIkee_3_3_6_2_ReassemblyTimer_IncompleteMessageDiscarded()
        {
            var h = Small(moreB: b => b.FragmentReassemblyTimeout = TimeSpan.FromSeconds(10));
            var held = CaptureAuthRequestFragments(h);
            DeliverToB(h, held[0]);
            Assert.Equal(1, h.B.Engine.FragmentReassemblyCount);
            Assert.NotNull(h.B.Engine.NextDeadline());
            h.Clock.Advance(TimeSpan.FromSeconds(11));
            h.B.Engine.Poll();
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
            Assert.Contains(h.B.Log, l => l.Contains("discarded (reassembly timer)"));
        }

        [Fact]
        public void MsIkee_3_15_1_IkeSaRemoved_ItsFragmentsDiscarded()
        {
            var h = Small(moreB: b => b.FragmentReassemblyTimeout = TimeSpan.FromMinutes(5));
            var held = CaptureAuthRequestFragments(h);
            h.Drop = (from, to, d) => true; // A's retransmissions never arrive
            DeliverToB(h, held[0]);
            Assert.Equal(1, h.B.Engine.FragmentReassemblyCount);
            h.Run(TimeSpan.FromSeconds(40)); // the half-open IKE SA times out (30 s)
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Equal(0, h.B.Engine.FragmentReassemblyCount);
        }

        [Fact]
        public void Rfc7383_2_6_TotalFragmentsMismatch_LargerRestarts_SmallerIgnored()
        {
            var a = new IkeV2FragmentAssembly(3, DateTime.UnixEpoch);
            Assert.Equal(FragmentAddResult.Stored, a.Add(1, 3, PayloadType.IdentificationInitiator, new byte[] { 1 }, 1000));
            Assert.Equal(FragmentAddResult.Stored, a.Add(2, 3, PayloadType.None, new byte[] { 2 }, 1000));
            // Smaller total than held: ignored.
            Assert.Equal(FragmentAddResult.StaleTotal, a.Add(3, 2, PayloadType.None, new byte[] { 3 }, 1000));
            // Larger total (the sender re-fragmented smaller): what was held is discarded, reassembly starts over.
            Assert.Equal(FragmentAddResult.Stored, a.Add(4, 4, PayloadType.None, new byte[] { 40 }, 1000));
            Assert.Equal(1, a.Received);
            Assert.Equal(4, a.TotalFragments);
            Assert.Equal(FragmentAddResult.Stored, a.Add(1, 4, PayloadType.IdentificationInitiator, new byte[] { 10 }, 1000));
            Assert.Equal(FragmentAddResult.Duplicate, a.Add(1, 4, PayloadType.None, new byte[] { 99 }, 1000));
            Assert.Equal(FragmentAddResult.Stored, a.Add(3, 4, PayloadType.None, new byte[] { 30 }, 1000));
            Assert.Equal(FragmentAddResult.Complete, a.Add(2, 4, PayloadType.None, new byte[] { 20 }, 1000));
            Assert.Equal(new byte[] { 10, 20, 30, 40 }, a.Assemble());
            Assert.Equal(PayloadType.IdentificationInitiator, a.FirstInner);
        }
    }
}
