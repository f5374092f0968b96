using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Engine.Extensions;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>IKE fragmentation (MS-IKEE 2.2.3, 3.3) between two engines, against crafted fragments and strongSwan's.</summary>
    public class FragmentationTests
    {
        private const int Ipv4Overhead = 20 + 8; // IP + UDP headers around the IKE message the harness sees

        private static InitiateRequest Transport() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);

        private static InitiateRequest Tunnel() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB, EncapsulationModeChoice.Tunnel,
            new TrafficSelector(IPAddress.Parse("198.51.100.0"), IPAddress.Parse("198.51.100.255")),
            new TrafficSelector(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("203.0.113.7")));

        private static TwoPeerHarness.PeerCertificates Certs(Lazy<IkeExtensions.Crypto.Certificates.CertificateCredential> own) =>
            new TwoPeerHarness.PeerCertificates(own.Value, TestCertificates.Trust(TestCertificates.Ca.Value.Cert));

        private static TwoPeerHarness CertificateHarness(Action<IkeV1EngineOptions>? a = null, Action<IkeV1EngineOptions>? b = null) =>
            new TwoPeerHarness(pskA: null, pskB: null, certificatesA: Certs(TestCertificates.A), certificatesB: Certs(TestCertificates.B), configureA: a, configureB: b);

        private static IkeMessage Decode(byte[] datagram)
        {
            Assert.True(IkeMessage.TryDecode(datagram, out var m, out var error), error.ToString());
            return m;
        }

        private static FragmentPayload? AsFragment(byte[] datagram) =>
            IkeMessage.TryDecode(datagram, out var m, out _) && m.Payloads.Count == 1 ? m.Payloads[0] as FragmentPayload : null;

        /// <summary>Concatenates the Fragment Data of consecutive fragments with one Fragment ID, in number order.</summary>
        private static byte[] Reassemble(IEnumerable<FragmentPayload> fragments) =>
            fragments.OrderBy(f => f.FragmentNumber).SelectMany(f => f.Data.ToArray()).ToArray();

        /// <summary>Fragmented messages on the wire: runs of fragments numbered from 1 (each message's go back-to-back).</summary>
        private static List<List<(int Index, FragmentPayload F, IsakmpHeader Header)>> Runs(IReadOnlyList<byte[]> wire)
        {
            var runs = new List<List<(int, FragmentPayload, IsakmpHeader)>>();
            for (int i = 0; i < wire.Count; i++)
            {
                var f = AsFragment(wire[i]);
                if (f == null) continue;
                if (f.FragmentNumber == 1 || runs.Count == 0) runs.Add(new List<(int, FragmentPayload, IsakmpHeader)>());
                runs[runs.Count - 1].Add((i, f, Decode(wire[i]).Header));
            }
            return runs;
        }

        private static byte[] CraftFragment(byte[] original, ushort id, byte number, bool last, byte[] data)
        {
            var h = Decode(original).Header;
            var header = new IsakmpHeader(h.InitiatorSpi, h.ResponderSpi, PayloadType.Fragment, 1, 0, ExchangeType.IdentityProtection, HeaderFlags.None, 0, 0);
            return new IkeMessage(header, new IkePayload[] { new FragmentPayload(id, number, last ? FragmentPayload.LastFragmentFlag : (byte)0, data) }).Encode();
        }

        private static (byte[] First, byte[] Second) Halves(byte[] m) => (m.Take(m.Length / 2).ToArray(), m.Skip(m.Length / 2).ToArray());

        // ---- 3.3.4.1 / 3.3.5.1 / 3.3.5.2: vendor IDs and the "Fragmentation supported" flag ----

        [Fact]
        public void MsIkee_3_3_4_1_And_3_3_5_1_FragmentationVendorId_InMessages1And2_SetsFragmentationSupported()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            var a = Assert.Single(h.A.EstablishedMainModes);
            var b = Assert.Single(h.B.EstablishedMainModes);
            Assert.True(a.FragmentationSupported);
            Assert.True(b.FragmentationSupported);
            Assert.False(a.FragmentationActive); // nothing was fragmented: a PSK exchange fits
            Assert.False(b.FragmentationActive);
            foreach (var mm in h.Wire.Take(2).Select(Decode))
            {
                var vid = Assert.Single(mm.FindAll<VendorIdPayload>(), v => v.Known?.Kind == VendorIdKind.Fragmentation);
                Assert.Equal(16, vid.Data.Length); // "FRAGMENTATION" as MS-IKEE 3.3.4.1 gives it
            }
            Assert.DoesNotContain(h.Wire, w => AsFragment(w) != null);
        }

        [Fact]
        public void MsIkee_3_3_5_2_PeerWithoutFragmentationVendorId_LeavesFragmentationSupportedClear()
        {
            var h = new TwoPeerHarness(configureB: o => o.IkeFragmentation = false);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.False(Assert.Single(h.A.EstablishedMainModes).FragmentationSupported);
            Assert.DoesNotContain(Decode(h.Wire[1]).FindAll<VendorIdPayload>(), v => v.Known?.Kind == VendorIdKind.Fragmentation);
        }

        [Fact]
        public void MsIkee_3_3_2_Options_AreValidated()
        {
            var o = new IkeV1EngineOptions(new FakeClock(), new DeterministicRandomSource(new byte[] { 1 }), IkeV1Policy.Default, new PeerAuthorizationDatabase());
            Assert.Equal(TimeSpan.FromSeconds(2), o.FragmentationTimer);
            Assert.Equal(TimeSpan.FromSeconds(70), o.FragmentReassemblyTimeout); // note 17
            Assert.Throws<ArgumentOutOfRangeException>(() => o.FragmentationTimer = TimeSpan.FromMilliseconds(900));
            Assert.Throws<ArgumentOutOfRangeException>(() => o.FragmentationTimer = TimeSpan.FromSeconds(6));
            Assert.Throws<ArgumentOutOfRangeException>(() => o.FragmentReassemblyTimeout = TimeSpan.FromSeconds(91));
            Assert.Throws<ArgumentOutOfRangeException>(() => o.FragmentMtu = 100);
            o.FragmentationTimer = TimeSpan.FromSeconds(5);
            o.FragmentMtu = null;
        }

        // ---- 3.3.6.1: fragment construction ----

        [Fact]
        public void MsIkee_3_3_6_1_ForcedFragmentation_SplitsCertificateMessages5And6Into576ByteDatagrams_AndMainModeCompletes()
        {
            var h = CertificateHarness(o => o.ForceFragmentation = true, o => o.ForceFragmentation = true);
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            var a = Assert.Single(h.A.EstablishedMainModes);
            var b = Assert.Single(h.B.EstablishedMainModes);
            Assert.Equal("RsaSignatures", a.AuthenticationMethod);
            Assert.Single(h.A.EstablishedQuickModes);

            // MM1–MM4 whole (no ID payload); then MM5 and MM6 as fragments, each datagram within the IPv4 minimum MTU.
            Assert.All(h.Wire.Take(4), w => Assert.Null(AsFragment(w)));
            Assert.All(h.Wire.Where(w => AsFragment(w) != null), w => Assert.True(w.Length + Ipv4Overhead <= 576, $"fragment datagram of {w.Length + Ipv4Overhead} bytes"));
            var runs = Runs(h.Wire);
            Assert.Equal(2, runs.Count); // MM5 and MM6
            foreach (var message in runs)
            {
                var f = message.Select(x => x.F).ToList();
                Assert.True(f.Count >= 3, $"a certificate message (~1.5 kB) needs at least 3 fragments of 576 bytes, got {f.Count}");
                Assert.Equal(Enumerable.Range(1, f.Count).Select(n => (byte)n), f.Select(x => x.FragmentNumber)); // 1..n
                Assert.Equal(new[] { f.Count }, f.Select((x, i) => (x, i)).Where(p => p.x.IsLast).Select(p => p.i + 1));
                Assert.True(message.Select(x => x.Index).SequenceEqual(Enumerable.Range(message[0].Index, f.Count)), "fragments not back-to-back");
                Assert.Single(f.Select(x => x.FragmentId).Distinct());
                // Every fragment: the original's cookies, Next Payload = Fragment, E cleared, ID_PROT, Message ID 0.
                var headers = message.Select(x => x.Header).ToList();
                Assert.All(headers, hd => Assert.Equal((ExchangeType.IdentityProtection, HeaderFlags.None, 0u, PayloadType.Fragment),
                    (hd.ExchangeType, hd.Flags, hd.MessageId, hd.NextPayload)));
                // The Fragment Data concatenate to the complete encrypted message, header included (strongSwan's form).
                var whole = Decode(Reassemble(f));
                Assert.True(whole.HasEncryptedBody);
                Assert.Equal(PayloadType.Identification, whole.Header.NextPayload);
                Assert.Equal(headers[0].InitiatorSpi, whole.Header.InitiatorSpi);
                Assert.True(whole.GetEncodedLength() > 1000);
            }
            // Fragment IDs come from one 16-bit counter per engine, zero at start and incremented before use (3.3.1, 3.3.3).
            Assert.Equal(new ushort[] { 1, 1 }, runs.Select(r => r[0].F.FragmentId).ToArray());
            // Note 18: each side received fragments, so each SA is "fragmentation active".
            Assert.True(a.FragmentationActive);
            Assert.True(b.FragmentationActive);
        }

        [Fact]
        public void MsIkee_3_3_6_1_OnlyMessagesCarryingId_AreFragmented_QuickModeWithoutIdsNever()
        {
            // A tiny fragment MTU would split everything, yet MM1–MM4, the ID-less transport-mode Quick Mode and
            // informational messages go whole.
            var h = CertificateHarness(o => { o.ForceFragmentation = true; o.FragmentMtu = 128; }, o => { o.ForceFragmentation = true; o.FragmentMtu = 128; });
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.A.EstablishedMainModes);
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.All(h.Wire.Take(4), w => Assert.Null(AsFragment(w)));
            var fragmented = Runs(h.Wire).Select(r => Decode(Reassemble(r.Select(x => x.F)))).ToList();
            Assert.Equal(2, fragmented.Count); // MM5 and MM6 only
            Assert.All(fragmented, m => Assert.Equal(ExchangeType.IdentityProtection, m.Header.ExchangeType));
            Assert.Contains(h.Wire, w => AsFragment(w) == null && Decode(w).Header.ExchangeType == ExchangeType.QuickMode);
            Assert.All(h.Wire.Where(w => w.Length + Ipv4Overhead > 128), w => Assert.Null(AsFragment(w)));
        }

        [Fact]
        public void MsIkee_3_3_6_1_QuickModeWithClientIds_IsFragmented_InIdProtFragmentsWithMessageIdZero()
        {
            var h = new TwoPeerHarness(configureA: o => { o.ForceFragmentation = true; o.FragmentMtu = 200; },
                configureB: o => { o.ForceFragmentation = true; o.FragmentMtu = 200; });
            h.A.Engine.Initiate(Tunnel());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Single(h.B.EstablishedQuickModes);
            var messages = Runs(h.Wire).Select(r => (Headers: r.Select(x => x.Header).ToList(), Whole: Decode(Reassemble(r.Select(x => x.F))))).ToList();
            var qm = messages.Where(m => m.Whole.Header.ExchangeType == ExchangeType.QuickMode).ToList();
            Assert.Equal(2, qm.Count); // QM1 and QM2 carry IDci/IDcr; QM3 (HASH only) does not
            Assert.All(qm, m => Assert.NotEqual(0u, m.Whole.Header.MessageId));
            // strongSwan's form: ID_PROT and Message ID 0 in every fragment (its QUICK_MODE rules have no Fragment payload).
            Assert.All(qm.SelectMany(m => m.Headers), hd => Assert.Equal((ExchangeType.IdentityProtection, 0u), (hd.ExchangeType, hd.MessageId)));
            Assert.All(h.Wire.Where(w => AsFragment(w) != null), w => Assert.True(w.Length + Ipv4Overhead <= 200));
        }

        [Fact]
        public void MsIkee_3_3_6_1_Ipv6UsesThe1280ByteMinimumMtu_AndTheNonEspMarkerIsAccountedFor()
        {
            var (ext, _) = Standalone(o => o.ForceFragmentation = true);
            var big = new byte[3000];
            new IsakmpHeader(1, 2, PayloadType.Identification, 1, 0, ExchangeType.IdentityProtection, HeaderFlags.Encryption, 0, (uint)big.Length).Write(big);

            var v6 = Session(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 500), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 500));
            var f6 = ext.Outbound(v6, big, carriesId: true, retransmission: false);
            Assert.Equal(3, f6.Count);
            Assert.All(f6.Take(2), f => Assert.Equal(1280, f.Length + 40 + 8));
            Assert.Equal(big, Reassemble(f6.Select(f => AsFragment(f)!)));

            var natT = Session(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 4500));
            var f4 = ext.Outbound(natT, big, carriesId: true, retransmission: false);
            Assert.All(f4.Take(f4.Count - 1), f => Assert.Equal(576, f.Length + 20 + 8 + 4)); // + non-ESP marker
            Assert.Equal(big, Reassemble(f4.Select(f => AsFragment(f)!)));

            // A message that fits one datagram goes whole, as does one without ID.
            Assert.Same(big, Assert.Single(ext.Outbound(v6, big, carriesId: false, retransmission: false)));
            var small = big.Take(500).ToArray();
            Assert.Same(small, Assert.Single(ext.Outbound(natT, small, carriesId: true, retransmission: false)));
        }

        [Fact]
        public void MsIkee_3_3_1_FragmentIdCounter_Is16BitGlobal_AndWraps()
        {
            var (ext, _) = Standalone(o => { o.ForceFragmentation = true; o.FragmentMtu = 128; });
            var m = new byte[150]; // over the 100 bytes a 128-byte datagram holds
            new IsakmpHeader(1, 2, PayloadType.Identification, 1, 0, ExchangeType.IdentityProtection, HeaderFlags.Encryption, 0, 150).Write(m);
            var s1 = Session(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);
            var s2 = Session(TwoPeerHarness.AddressA, new IPEndPoint(IPAddress.Parse("192.0.2.3"), 500));
            Assert.Equal(1, AsFragment(ext.Outbound(s1, m, true, false)[0])!.FragmentId);
            Assert.Equal(2, AsFragment(ext.Outbound(s2, m, true, false)[0])!.FragmentId); // global, not per SA
            for (int i = 3; i <= ushort.MaxValue; i++) ext.Outbound(s1, m, true, false);
            Assert.Equal(0, AsFragment(ext.Outbound(s1, m, true, false)[0])!.FragmentId);
            Assert.Equal(1, AsFragment(ext.Outbound(s1, m, true, false)[0])!.FragmentId);
        }

        // ---- 3.3.2: the fragmentation timer ----

        [Fact]
        public void MsIkee_3_3_2_FragmentationTimer_FragmentsTheRetransmission_WhenLargeDatagramsAreLost()
        {
            // A path that loses every datagram above 576 bytes: MM5 goes whole at 0 s and 1 s (timer 2 s not expired),
            // the retransmission at 3 s is fragmented; B then has "fragmentation active" and fragments MM6 at once.
            var net = new LossyPair(certificates: true) { Drop = (fromA, d) => d.Length + Ipv4Overhead > 576 };
            net.A.Initiate(Transport());
            net.Run(TimeSpan.FromSeconds(10));
            Assert.Equal(MainModeSaState.Established, Assert.Single(net.A.MainModeSas.Snapshot()).State);
            Assert.Equal(MainModeSaState.Established, Assert.Single(net.B.MainModeSas.Snapshot()).State);

            var fromA = net.Wire.Where(x => x.FromA).ToList();
            var wholeMm5 = fromA.Where(x => AsFragment(x.Data) == null && Decode(x.Data).HasEncryptedBody && Decode(x.Data).Header.ExchangeType == ExchangeType.IdentityProtection).ToList();
            Assert.Equal(2, wholeMm5.Count); // first transmission and the retransmission before the timer expired
            Assert.All(wholeMm5, x => Assert.True(x.Dropped));
            var mm5Fragments = fromA.Where(x => AsFragment(x.Data) != null).ToList();
            Assert.NotEmpty(mm5Fragments);
            Assert.True(mm5Fragments[0].At - wholeMm5[0].At >= TimeSpan.FromSeconds(2));
            Assert.All(mm5Fragments, x => Assert.False(x.Dropped));
            Assert.Equal(wholeMm5[0].Data, Reassemble(mm5Fragments.Select(x => AsFragment(x.Data)!))); // the same message
            Assert.True(net.B.MainModeSas.Snapshot()[0].FragmentationActive);
            Assert.Contains(net.Wire, x => !x.FromA && AsFragment(x.Data) != null); // MM6 fragmented at first sending
            Assert.DoesNotContain(net.Wire, x => !x.FromA && x.Dropped && Decode(x.Data).HasEncryptedBody);
        }

        [Fact]
        public void MsIkee_3_3_2_FragmentationTimerOfOneSecond_FragmentsTheFirstRetransmission()
        {
            int mm5Seen = 0;
            var net = new LossyPair(certificates: true, configure: o => o.FragmentationTimer = TimeSpan.FromSeconds(1))
            {
                // Loses MM5 the first time only.
                Drop = (fromA, d) => fromA && AsFragment(d) == null && Decode(d).HasEncryptedBody && mm5Seen++ == 0,
            };
            net.A.Initiate(Transport());
            net.Run(TimeSpan.FromSeconds(5));
            Assert.Equal(MainModeSaState.Established, Assert.Single(net.A.MainModeSas.Snapshot()).State);
            Assert.Contains(net.Wire, x => x.FromA && AsFragment(x.Data) != null);
        }

        [Fact]
        public void MsIkee_3_3_1_PeerWithoutFragmentationSupport_IsNeverSentFragments_EvenAfterTheTimer()
        {
            var net = new LossyPair(certificates: true, configureB: o => o.IkeFragmentation = false)
            {
                Drop = (fromA, d) => fromA && d.Length + Ipv4Overhead > 576, // only A's big messages are lost
            };
            net.A.Initiate(Transport());
            net.Run(TimeSpan.FromSeconds(20));
            // B did not announce FRAGMENTATION: A keeps retransmitting MM5 whole and the negotiation cannot complete.
            Assert.DoesNotContain(net.Wire, x => AsFragment(x.Data) != null);
            Assert.True(net.Wire.Count(x => x.FromA && x.Dropped) >= 3);
            Assert.False(net.A.MainModeSas.Snapshot().Single().FragmentationSupported);
        }

        // ---- 3.3.5.3: receiving ----

        /// <summary>A's Main Mode #1 (not delivered) and a harness whose B receives crafted fragments of it.</summary>
        private static (TwoPeerHarness H, byte[] Mm1) FirstMessage()
        {
            var h = new TwoPeerHarness();
            h.A.Engine.Initiate(Transport());
            return (h, h.Wire[0]);
        }

        private static void ToB(TwoPeerHarness h, byte[] datagram) => h.B.Engine.Receive(TwoPeerHarness.AddressB, TwoPeerHarness.AddressA, datagram);

        [Fact]
        public void MsIkee_3_3_5_3_FragmentedFirstMessage_IsReassembledAndAnswered_InAnyOrder()
        {
            var (h, mm1) = FirstMessage();
            var (x, y) = Halves(mm1);
            ToB(h, CraftFragment(mm1, 7, 2, true, y));
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
            ToB(h, CraftFragment(mm1, 7, 1, false, x));
            var row = Assert.Single(h.B.Engine.MainModeSas.Snapshot());
            Assert.True(row.FragmentationActive); // note 18: message 1 came in fragments
            Assert.Equal(2, h.Wire.Count); // B answered with MM2
            Assert.Contains(h.B.Log, l => l.Contains("reassembled into a") && l.Contains("IdentityProtection"));
        }

        [Fact]
        public void MsIkee_3_3_5_3_DuplicateFragmentNumber_DiscardsTheMessage_KeepsTheQueue()
        {
            var (h, mm1) = FirstMessage();
            var (x, y) = Halves(mm1);
            ToB(h, CraftFragment(mm1, 7, 1, false, x));
            ToB(h, CraftFragment(mm1, 7, 1, false, Enumerable.Repeat((byte)0xEE, x.Length).ToArray())); // must not replace #1
            Assert.Contains(h.B.Log, l => l.Contains("duplicate fragment #1"));
            ToB(h, CraftFragment(mm1, 7, 2, true, y));
            Assert.Single(h.B.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_3_5_3_SecondLastFragment_DiscardsAllFragmentsOfTheId()
        {
            var (h, mm1) = FirstMessage();
            var (x, y) = Halves(mm1);
            ToB(h, CraftFragment(mm1, 7, 2, true, y));
            ToB(h, CraftFragment(mm1, 7, 3, true, y));
            Assert.Contains(h.B.Log, l => l.Contains("all fragments discarded: a second LAST_FRAGMENT"));
            ToB(h, CraftFragment(mm1, 7, 1, false, x)); // starts a new queue: #2 is gone
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
            Assert.Single(h.Wire);
        }

        [Theory]
        [InlineData(true)]  // the higher number comes after the LAST fragment
        [InlineData(false)] // the LAST fragment comes after a higher number
        public void MsIkee_3_3_5_3_NumberAboveTheLastFragment_DiscardsAllFragmentsOfTheId(bool lastFirst)
        {
            var (h, mm1) = FirstMessage();
            var (x, y) = Halves(mm1);
            var last = CraftFragment(mm1, 7, 2, true, y);
            var above = CraftFragment(mm1, 7, 3, false, y);
            ToB(h, lastFirst ? last : above);
            ToB(h, lastFirst ? above : last);
            Assert.Contains(h.B.Log, l => l.Contains("all fragments discarded: fragment #3 is above the LAST_FRAGMENT #2"));
            ToB(h, CraftFragment(mm1, 7, 1, false, x));
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_2_2_3_1_FragmentNumberZero_IsDiscarded()
        {
            var (h, mm1) = FirstMessage();
            var (x, y) = Halves(mm1);
            ToB(h, CraftFragment(mm1, 7, 0, false, x));
            Assert.Contains(h.B.Log, l => l.Contains("fragment number 0 is invalid"));
            ToB(h, CraftFragment(mm1, 7, 1, true, y)); // completes a queue holding only itself: not an ISAKMP message
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
            Assert.Contains(h.B.Log, l => l.Contains("not an ISAKMP message"));
        }

        [Fact]
        public void MsIkee_3_3_5_3_FragmentsWhoseDataIsNotAMessageOfTheirCookies_AreDropped()
        {
            var (h, mm1) = FirstMessage();
            var other = (byte[])mm1.Clone();
            other[0] ^= 0xFF; // another initiator cookie inside
            var (x, y) = Halves(other);
            ToB(h, CraftFragment(mm1, 9, 1, false, x));
            ToB(h, CraftFragment(mm1, 9, 2, true, y));
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
            Assert.Contains(h.B.Log, l => l.Contains("not an ISAKMP message with the fragments' cookies"));
        }

        [Fact]
        public void MsIkee_3_3_6_2_ReassemblyTimer_DropsIncompleteQueuesAfter70Seconds()
        {
            var (h, mm1) = FirstMessage();
            var (x, y) = Halves(mm1);
            ToB(h, CraftFragment(mm1, 7, 1, false, x));
            h.Clock.Advance(TimeSpan.FromSeconds(69));
            h.B.Engine.Poll();
            Assert.DoesNotContain(h.B.Log, l => l.Contains("reassembly timer expired"));
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            h.B.Engine.Poll();
            Assert.Contains(h.B.Log, l => l.Contains("reassembly timer expired with 1 fragment(s) queued"));
            ToB(h, CraftFragment(mm1, 7, 2, true, y));
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());

            // The same through the queue itself: a fresh #1 + #2 within the timer still reassembles.
            ToB(h, CraftFragment(mm1, 8, 1, false, x));
            h.Clock.Advance(TimeSpan.FromSeconds(60));
            h.B.Engine.Poll();
            ToB(h, CraftFragment(mm1, 8, 2, true, y));
            Assert.Single(h.B.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_3_5_3_MemoryStaysBounded_UnderAFloodOfRandomFragments()
        {
            var (ext, ctx) = Standalone();
            var rng = new Random(42);
            var data = new byte[1200];
            int maxQueues = 0;
            long maxBytes = 0;
            for (int i = 0; i < 100_000; i++)
            {
                var peer = new IPAddress(new byte[] { 198, 18, (byte)rng.Next(4), (byte)rng.Next(256) });
                var header = new IsakmpHeader((ulong)rng.Next(1, 1000), 0, PayloadType.Fragment, 1, 0, ExchangeType.IdentityProtection, HeaderFlags.None, 0, 0);
                var f = new FragmentPayload((ushort)rng.Next(65536), (byte)rng.Next(256), (byte)(rng.Next(8) == 0 ? 1 : 0), data.AsMemory(0, rng.Next(1, data.Length)));
                ext.Inbound(TwoPeerHarness.AddressB, new IPEndPoint(peer, 500), new IkeMessage(header, new IkePayload[] { f }));
                maxQueues = Math.Max(maxQueues, ext.ReassemblyQueueCount);
                maxBytes = Math.Max(maxBytes, ext.ReassemblyQueuedBytes);
            }
            Assert.True(maxQueues <= ctx.Options.MaxReassemblyQueues, $"{maxQueues} queues");
            Assert.True(maxBytes <= ctx.Options.MaxReassemblyBytes, $"{maxBytes} bytes");

            // One peer alone: its own bytes are capped, every queue under the per-message limit.
            var one = new IPEndPoint(IPAddress.Parse("198.18.9.9"), 500);
            for (int i = 0; i < 10_000; i++)
            {
                var header = new IsakmpHeader(5, 0, PayloadType.Fragment, 1, 0, ExchangeType.IdentityProtection, HeaderFlags.None, 0, 0);
                var f = new FragmentPayload((ushort)rng.Next(65536), (byte)rng.Next(1, 256), 0, data);
                ext.Inbound(TwoPeerHarness.AddressB, one, new IkeMessage(header, new IkePayload[] { f }));
                Assert.True(ext.ReassemblyQueuedBytes <= ctx.Options.MaxReassemblyBytes);
            }
            // After the reassembly timer nothing is left.
            ((FakeClock)ctx.Options.Clock).Advance(TimeSpan.FromSeconds(71));
            ext.Poll(ctx.Now);
            Assert.Equal(0, ext.ReassemblyQueueCount);
            Assert.Equal(0, ext.ReassemblyQueuedBytes);
        }

        [Fact]
        public void MsIkee_3_3_5_3_PerPeerLimit_KeepsOnePeerFromEvictingAnother()
        {
            var (ext, ctx) = Standalone(o => { o.MaxReassemblyBytesPerPeer = 8 * 1024; o.MaxReassemblyQueues = 1000; });
            var data = new byte[1000];
            IkeMessage Frag(ulong cookie, ushort id, byte n, bool last) => new IkeMessage(
                new IsakmpHeader(cookie, 0, PayloadType.Fragment, 1, 0, ExchangeType.IdentityProtection, HeaderFlags.None, 0, 0),
                new IkePayload[] { new FragmentPayload(id, n, last ? FragmentPayload.LastFragmentFlag : (byte)0, data) });
            var victim = new IPEndPoint(IPAddress.Parse("192.0.2.77"), 500);
            var flooder = new IPEndPoint(IPAddress.Parse("198.18.0.1"), 500);
            ext.Inbound(TwoPeerHarness.AddressB, victim, Frag(1, 1, 1, false));
            for (ushort id = 0; id < 500; id++) ext.Inbound(TwoPeerHarness.AddressB, flooder, Frag(2, id, 1, false));
            Assert.True(ext.ReassemblyQueuedBytes <= 8 * 1024 + 1000);
            // The victim's queue survived: its LAST fragment completes it (the data is not a message: dropped, but logged so).
            ext.Inbound(TwoPeerHarness.AddressB, victim, Frag(1, 1, 2, true));
            Assert.Contains(((RecordingOutput)ctx.Output).Lines, l => l.Contains("reassembled into 2000 bytes that are not"));
        }

        [Fact]
        public void MsIkee_3_3_5_3_StrongSwanCaptureFragments_ReassembleThroughTheEngineInboundPath()
        {
            // ikev1-fragmentation-force.pcap: strongSwan (fragment_size 300) split MM3 (A) and MM4 (B) into 2 fragments each.
            var capture = CaptureVectors.Ike("ikev1-fragmentation-force.pcap");
            var mm3Fragments = capture.Skip(2).Take(2).Select(x => x.Ike).ToList();
            var (ext, ctx) = Standalone();
            var strongSwanA = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500);
            Assert.Null(ext.Inbound(TwoPeerHarness.AddressB, strongSwanA, Decode(mm3Fragments[0])));
            var whole = ext.Inbound(TwoPeerHarness.AddressB, strongSwanA, Decode(mm3Fragments[1]));
            Assert.NotNull(whole);
            var mm3 = Decode(whole!);
            Assert.Equal(new[] { PayloadType.KeyExchange, PayloadType.Nonce }, mm3.Payloads.Take(2).Select(p => p.Type));
            Assert.Equal(Decode(mm3Fragments[0]).Header.InitiatorSpi, mm3.Header.InitiatorSpi);
            Assert.Equal(396, whole!.Length); // the README's MM3: 404-byte UDP datagram

            // And through IkeV1Engine.Receive: the engine reassembles and hands MM3 to Main Mode (no SA for these cookies).
            var h = new TwoPeerHarness();
            foreach (var f in mm3Fragments) h.B.Engine.Receive(TwoPeerHarness.AddressB, strongSwanA, f);
            Assert.Contains(h.B.Log, l => l.Contains("reassembled into a 396-byte IdentityProtection message"));
            Assert.Contains(h.B.Log, l => l.Contains("unknown cookies"));
        }

        [Fact]
        public void MsIkee_3_3_FragmentationOff_DropsFragments()
        {
            var capture = CaptureVectors.Ike("ikev1-fragmentation-force.pcap");
            var (ext, ctx) = Standalone(o => o.IkeFragmentation = false);
            var strongSwanA = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500);
            foreach (var f in capture.Skip(2).Take(2)) Assert.Null(ext.Inbound(TwoPeerHarness.AddressB, strongSwanA, Decode(f.Ike)));
            Assert.Equal(0, ext.ReassemblyQueueCount);
        }

        // ---- helpers: the extension alone, and a two-engine network that can lose chosen datagrams ----

        private sealed class RecordingOutput : IEngineOutput
        {
            public List<string> Lines { get; } = new List<string>();
            public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram) { }
            public void OnEvent(EngineEvent engineEvent) { }
            public void Log(LogLevel level, string message) => Lines.Add($"{level}: {message}");
        }

        private static (FragmentationExtension Ext, EngineContext Ctx) Standalone(Action<IkeV1EngineOptions>? configure = null)
        {
            var options = new IkeV1EngineOptions(new FakeClock(), new DeterministicRandomSource(new byte[] { 7 }), IkeV1Policy.Default, new PeerAuthorizationDatabase());
            configure?.Invoke(options);
            var ctx = new EngineContext(options, new RecordingOutput());
            return (FragmentationExtension.Install(ctx), ctx);
        }

        private static Phase1Session Session(IPEndPoint local, IPEndPoint remote)
        {
            var row = new MainModeSa(1, local, remote, 0x1111, true, DateTime.UtcNow) { ResponderCookie = 0x2222, FragmentationSupported = true };
            return new Phase1Session(row, true);
        }

        /// <summary>
        /// Two engines (A 192.0.2.1 initiator, B 192.0.2.2) on one fake clock; every datagram is recorded with its
        /// direction and time, and <see cref="Drop"/> decides which are lost. Delivery is immediate and in order.
        /// </summary>
        private sealed class LossyPair
        {
            private readonly Queue<(bool FromA, IPEndPoint From, IPEndPoint To, byte[] Data)> _inFlight = new Queue<(bool, IPEndPoint, IPEndPoint, byte[])>();

            public LossyPair(bool certificates, Action<IkeV1EngineOptions>? configure = null, Action<IkeV1EngineOptions>? configureB = null)
            {
                A = Make(1, certificates ? TestCertificates.A.Value : null, configure, fromA: true);
                B = Make(2, certificates ? TestCertificates.B.Value : null, o => { configure?.Invoke(o); configureB?.Invoke(o); }, fromA: false);
            }

            public FakeClock Clock { get; } = new FakeClock();
            public IkeV1Engine A { get; }
            public IkeV1Engine B { get; }
            public Func<bool, byte[], bool> Drop { get; set; } = (_, _) => false;
            public List<(bool FromA, byte[] Data, DateTime At, bool Dropped)> Wire { get; } = new List<(bool, byte[], DateTime, bool)>();

            private IkeV1Engine Make(int seed, IkeExtensions.Crypto.Certificates.CertificateCredential? own, Action<IkeV1EngineOptions>? configure, bool fromA)
            {
                var pad = new PeerAuthorizationDatabase();
                pad.Add(new PeerAuthorizationEntry(null, own == null ? PreSharedKey.FromText("interop-test-psk") : null,
                    certificates: own == null ? null : TestCertificates.Trust(TestCertificates.Ca.Value.Cert)));
                var options = new IkeV1EngineOptions(Clock, new DeterministicRandomSource(BitConverter.GetBytes(seed)), IkeV1Policy.Default, pad) { LocalCertificate = own };
                configure?.Invoke(options);
                return new IkeV1Engine(options, new Output(this, fromA));
            }

            private sealed class Output : IEngineOutput
            {
                private readonly LossyPair _net;
                private readonly bool _fromA;
                public Output(LossyPair net, bool fromA) { _net = net; _fromA = fromA; }

                public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram)
                {
                    var data = datagram.ToArray();
                    bool dropped = _net.Drop(_fromA, data);
                    _net.Wire.Add((_fromA, data, _net.Clock.UtcNow, dropped));
                    if (!dropped) _net._inFlight.Enqueue((_fromA, local, remote, data));
                }

                public void OnEvent(EngineEvent engineEvent) { }
                public void Log(LogLevel level, string message) { }
            }

            public void Run(TimeSpan duration)
            {
                var end = Clock.UtcNow + duration;
                while (Clock.UtcNow <= end)
                {
                    while (_inFlight.Count > 0)
                    {
                        var d = _inFlight.Dequeue();
                        (d.FromA ? B : A).Receive(d.To, d.From, d.Data);
                    }
                    A.Poll();
                    B.Poll();
                    if (_inFlight.Count == 0) Clock.Advance(TimeSpan.FromMilliseconds(100));
                }
            }
        }
    }
}
