using System;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using NotifyPayload = IkeExtensions.Wire.V2.NotifyPayload;
using NotifyTypeV2 = IkeExtensions.Wire.V2.NotifyTypeV2;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    public sealed class IkeV2EngineTests
    {
        private static IkeV2Policy Policy(string ike, string child = "aes256-sha256") =>
            new IkeV2Policy(ike.Split(',').Select(IkeV2Proposal.Parse).ToArray(), child.Split(',').Select(ChildProposalV2.Parse).ToArray());

        private static TrafficSelector Net(string cidr)
        {
            var t = TrafficSelectorV2.Parse(cidr);
            return new TrafficSelector(t.Start, t.End);
        }

        private static void AssertEstablished(TwoPeerV2Harness h, int children = 1)
        {
            Assert.True(h.A.EstablishedIkeSas.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.Equal(children, h.A.EstablishedChildren.Count);
            Assert.Equal(children, h.B.EstablishedChildren.Count);
            var a = h.A.EstablishedIkeSas[0];
            var b = h.B.EstablishedIkeSas[0];
            Assert.Equal("IKEv2", a.KeyModule);
            Assert.Equal(a.InitiatorSpi, b.InitiatorSpi);
            Assert.Equal(a.ResponderSpi, b.ResponderSpi);
            Assert.True(a.IsInitiator);
            Assert.False(b.IsInitiator);
            Assert.Equal("192.0.2.1", a.LocalFirstId);
            Assert.Equal("192.0.2.1", b.RemoteFirstId);
            Assert.Equal("192.0.2.2", a.RemoteFirstId);
            foreach (var ca in h.A.EstablishedChildren)
            {
                // The SPI one side receives on is the one the other sends to; so are the keys (RFC 7296 §2.17).
                var cb = h.B.EstablishedChildren.Single(x => x.InboundSpi == ca.OutboundSpi);
                Assert.Equal(ca.InboundSpi, cb.OutboundSpi);
                var ka = h.A.Engine.KeyMaterialOf(ca.Id)!.Value;
                var kb = h.B.Engine.KeyMaterialOf(cb.Id)!.Value;
                Assert.Equal(ka.Inbound, kb.Outbound);
                Assert.Equal(ka.Outbound, kb.Inbound);
                Assert.NotEqual(ka.Inbound, ka.Outbound);
            }
        }

        [Theory]
        [InlineData("aes256-sha256-modp2048", "aes256-sha256", 14, "AES-CBC-256")]
        [InlineData("aes128-sha256-ecp256", "aes128-sha256", 19, "AES-CBC-128")]
        [InlineData("aes256-sha384-ecp384", "aes256-sha384", 20, "AES-CBC-256")]
        [InlineData("aes128gcm16-prfsha256-ecp256", "aes128gcm16", 19, "AES-GCM-128")]
        [InlineData("aes256gcm16-prfsha384-ecp384", "aes256gcm16", 20, "AES-GCM-256")]
        [InlineData("aes256-sha512-modp2048", "aes256gcm16", 14, "AES-CBC-256")]
        [InlineData("aes128-sha256-modp2048s256", "aes128-sha256", 24, "AES-CBC-128")]
        public void Rfc7296_1_2_IkeSaInitAndIkeAuth_EstablishIkeSaAndFirstChild_WithPsk(string ike, string child, int group, string cipher)
        {
            var h = new TwoPeerV2Harness(Policy(ike, child), Policy(ike, child));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            Assert.Equal(group, h.A.EstablishedIkeSas[0].GroupId);
            Assert.Equal(cipher, h.B.EstablishedIkeSas[0].CipherAlgorithm);
            Assert.Equal("Transport", h.A.EstablishedChildren[0].EncapsulationMode);
            Assert.Equal(new[] { EngineEventKind.MainModeEstablished, EngineEventKind.QuickModeEstablished }, h.A.EventKinds);
            Assert.Equal(new[] { EngineEventKind.MainModeEstablished, EngineEventKind.QuickModeEstablished }, h.B.EventKinds);
            Assert.IsType<IkeV2Sa>(h.A.Events[0].Sa);
            Assert.IsType<ChildSaV2>(h.A.Events[1].Sa);
            // Four datagrams: IKE_SA_INIT and IKE_AUTH, request and response each.
            Assert.Equal(4, h.Wire.Count);
        }

        [Fact]
        public void Rfc7296_1_2_DefaultPolicies_Agree()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
        }

        [Fact]
        public void Rfc7296_1_2_InvalidKePayload_InitiatorRetriesWithTheResponderGroup()
        {
            // A sends KE for ECP-256 first; B only takes MODP-2048 and answers INVALID_KE_PAYLOAD(14).
            var h = new TwoPeerV2Harness(Policy("aes128-sha256-ecp256,aes256-sha256-modp2048"), Policy("aes256-sha256-modp2048"));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            Assert.Equal(14, h.A.EstablishedIkeSas[0].GroupId);
            Assert.Contains(h.A.Log, l => l.Contains("INVALID_KE_PAYLOAD") && l.Contains("group 14"));
            Assert.Contains(h.B.Log, l => l.Contains("INVALID_KE_PAYLOAD(14)"));
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
            Assert.Equal(6, h.Wire.Count); // the refused IKE_SA_INIT round trip, then the usual four
        }

        [Fact]
        public void Rfc7296_1_2_InvalidKePayload_ForAGroupWeDoNotOffer_Fails()
        {
            var h = new TwoPeerV2Harness(Policy("aes128-sha256-ecp256"), Policy("aes256-sha256-modp2048,aes128-sha256-ecp384"));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Contains(EngineEventKind.MainModeFailed, h.A.EventKinds);
        }

        [Fact]
        public void Rfc7296_1_2_IkeSaInit_InvalidKePayload_ResponderKeepsNoState()
        {
            var h = new TwoPeerV2Harness(Policy("aes128-sha256-ecp256,aes256-sha256-modp2048"), Policy("aes256-sha256-modp2048"));
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressA) && h.Wire.Count > 1; // only the first request gets through
            h.Initiate();
            h.Run(TimeSpan.FromMilliseconds(100));
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
        }

        [Fact]
        public void Rfc7296_3_10_1_NoProposalChosen_FailsTheInitiator()
        {
            var h = new TwoPeerV2Harness(Policy("aes128-sha256-ecp256"), Policy("aes256gcm16-prfsha384-ecp384"));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.Events); // unauthenticated refusal: still waiting for a real answer (§2.21.1)
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            var failed = Assert.Single(h.A.Events);
            Assert.Equal(EngineEventKind.MainModeFailed, failed.Kind);
            Assert.Contains("NoProposalChosen", failed.Reason);
        }

        [Fact]
        public void Rfc7296_2_21_1_ForgedErrorNotify_DoesNotEndTheNegotiation_TheRealResponseWins()
        {
            var h = new TwoPeerV2Harness();
            bool forged = false;
            h.Drop = (from, to, data) =>
            {
                // An attacker on the path answers the first IKE_SA_INIT with NO_PROPOSAL_CHOSEN before the responder does.
                if (forged || !from.Equals(TwoPeerV2Harness.AddressA)) return false;
                forged = true;
                var m = IkeMessage.TryDecode(data, out var request, out _) ? request : throw new InvalidOperationException();
                var header = new IsakmpHeader(m.Header.InitiatorSpi, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Response, 0, 0);
                h.A.Engine.Receive(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB,
                    new IkeMessage(header, new IkePayload[] { new NotifyPayload(NotifyTypeV2.NoProposalChosen) }).Encode());
                return false; // the real request still reaches B
            };
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            Assert.True(forged);
            AssertEstablished(h);
            Assert.DoesNotContain(EngineEventKind.MainModeFailed, h.A.EventKinds);
        }

        [Fact]
        public void Rfc7296_2_15_WrongPsk_AuthenticationFailed_NoSaOnEitherSide()
        {
            var h = new TwoPeerV2Harness(pskA: "right-psk", pskB: "wrong-psk");
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Empty(h.A.Engine.ChildSas.Snapshot());
            Assert.Empty(h.B.Engine.ChildSas.Snapshot());
            var b = h.B.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("AUTHENTICATION_FAILED", b.Reason);
            var a = h.A.Events.First(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("AUTHENTICATION_FAILED", a.Reason);
            Assert.DoesNotContain(EngineEventKind.MainModeEstablished, h.A.EventKinds.Concat(h.B.EventKinds));
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void Rfc7296_2_1_LostMessage_InitiatorRetransmits_ResponderReplaysItsResponse(int lost)
        {
            // Datagram number `lost` (1 IKE_SA_INIT request, 2 its response, 3 IKE_AUTH request, 4 its response) is lost once.
            var h = new TwoPeerV2Harness();
            int n = 0;
            h.Drop = (from, to, data) => ++n == lost;
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            AssertEstablished(h);
            Assert.True(h.A.Engine.Statistics.Retransmissions >= 1);
            if (lost == 2 || lost == 4) Assert.True(h.B.Engine.Statistics.Retransmissions >= 1); // the responder replayed, not recomputed
            Assert.Single(h.B.Engine.IkeSas.Snapshot());
        }

        [Theory]
        [InlineData(3)]
        [InlineData(7)]
        [InlineData(11)]
        public void Rfc7296_2_1_RandomLossAndDuplication_StillEstablishes(int seed)
        {
            var h = new TwoPeerV2Harness(seed: seed) { DropRate = 0.3, DuplicateRate = 0.3 };
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(60));
            AssertEstablished(h);
        }

        [Fact]
        public void Rfc7296_2_4_NoResponse_InitiatorGivesUpAfterTheRetransmitLimit()
        {
            var h = new TwoPeerV2Harness();
            h.Drop = (from, to, data) => true;
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(120));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Contains(EngineEventKind.MainModeFailed, h.A.EventKinds);
            // 1, 2, 4, 8 s apart: the half-open deadline (30 s) ends it before the fifth.
            Assert.InRange(h.A.Engine.Statistics.Retransmissions, 4, 5);
        }

        [Fact]
        public void Rfc7296_2_6_HalfOpenIkeSa_TimesOutOnTheResponder()
        {
            var h = new TwoPeerV2Harness();
            h.Drop = (from, to, data) => from.Equals(TwoPeerV2Harness.AddressA) && data[18] == (byte)ExchangeType.IkeAuth;
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Equal(1, h.B.Engine.HalfOpenCount);
            h.Run(TimeSpan.FromSeconds(40));
            Assert.Equal(0, h.B.Engine.HalfOpenCount);
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Contains(h.B.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("half-open"));
        }

        [Fact]
        public void Rfc7296_1_3_1_UseTransportMode_AndTunnelMode()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            var a = h.A.EstablishedChildren[0];
            var b = h.B.EstablishedChildren[0];
            Assert.Equal("Tunnel", a.EncapsulationMode);
            Assert.Equal("Tunnel", b.EncapsulationMode);
            Assert.Equal("198.51.100.1", a.LocalTrafficSelector!.ToString());
            Assert.Equal("198.51.100.2", a.RemoteTrafficSelector!.ToString());
            Assert.Equal("198.51.100.2", b.LocalTrafficSelector!.ToString());
            Assert.Equal("198.51.100.1", b.RemoteTrafficSelector!.ToString());
        }

        [Fact]
        public void Rfc7296_1_3_1_TransportRefusedByPolicy_ChildFails_IkeSaStays()
        {
            var tunnelOnly = new IkeV2Policy(IkeV2Policy.Default.Ike, IkeV2Policy.Default.Child, allowTransport: false, allowTunnel: true);
            var h = new TwoPeerV2Harness(policyB: tunnelOnly);
            h.Initiate(EncapsulationModeChoice.Transport);
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Empty(h.A.EstablishedChildren);
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeFailed && e.Reason!.Contains("tunnel"));
            // A asked B to delete the tunnel-mode half it had installed.
            Assert.Empty(h.B.EstablishedChildren);
        }

        [Fact]
        public void Rfc7296_2_9_ResponderNarrowsTrafficSelectorsToTheIntersection()
        {
            var b = IkeV2Policy.Default;
            var narrowing = new IkeV2Policy(b.Ike, b.Child)
            {
                LocalTrafficSelectors = new[] { TrafficSelectorV2.Parse("10.2.0.0/24") },
                RemoteTrafficSelectors = new[] { TrafficSelectorV2.Parse("10.1.0.0/16") },
            };
            var h = new TwoPeerV2Harness(policyB: narrowing);
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("10.1.0.0/16"), Net("10.2.0.0/16"));
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            var a = h.A.EstablishedChildren[0];
            Assert.Equal("10.1.0.0-10.1.255.255", a.LocalTrafficSelector!.ToString());
            Assert.Equal("10.2.0.0-10.2.0.255", a.RemoteTrafficSelector!.ToString());
            Assert.Equal("10.2.0.0-10.2.0.255", h.B.EstablishedChildren[0].LocalTrafficSelector!.ToString());
        }

        [Fact]
        public void Rfc7296_2_9_DisjointTrafficSelectors_TsUnacceptable_IkeSaStays()
        {
            var narrowing = new IkeV2Policy(IkeV2Policy.Default.Ike, IkeV2Policy.Default.Child)
            {
                LocalTrafficSelectors = new[] { TrafficSelectorV2.Parse("10.9.0.0/24") },
            };
            var h = new TwoPeerV2Harness(policyB: narrowing);
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("10.1.0.0/16"), Net("10.2.0.0/16"));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.Empty(h.A.EstablishedChildren);
            Assert.Empty(h.B.Engine.ChildSas.Snapshot());
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.QuickModeFailed && e.Reason!.Contains("TS_UNACCEPTABLE"));
        }

        [Fact]
        public void Rfc7296_1_3_1_CreateChildSa_AddsASecondChild_WithAndWithoutPfs()
        {
            var pfs = Policy("aes256-sha256-modp2048", "aes256-sha256-ecp256");
            var h = new TwoPeerV2Harness(pfs, pfs);
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("198.51.100.1/32"), Net("198.51.100.2/32"));
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            Assert.Equal(0, h.A.EstablishedChildren[0].PfsGroup); // IKE_AUTH never negotiates a group (§1.2)
            h.Initiate(EncapsulationModeChoice.Tunnel, Net("10.1.0.0/24"), Net("10.2.0.0/24"));
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h, children: 2);
            Assert.Single(h.A.Engine.IkeSas.Snapshot()); // on the same IKE SA
            var second = h.A.EstablishedChildren.Single(c => c.LocalTrafficSelector!.ToString().StartsWith("10.1", StringComparison.Ordinal));
            Assert.Equal(19, second.PfsGroup);
            Assert.Equal(2, h.A.EstablishedIkeSas[0].ChildSaCount);

            // Without PFS, and from the original responder this time: message IDs of each direction are independent (§2.2).
            var h2 = new TwoPeerV2Harness();
            h2.Initiate();
            h2.Run(TimeSpan.FromSeconds(2));
            h2.B.Engine.Initiate(new InitiateRequest(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA, EncapsulationModeChoice.Tunnel,
                Net("10.2.0.0/24"), Net("10.1.0.0/24")));
            h2.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h2, children: 2);
        }

        [Fact]
        public void Rfc7296_1_4_1_DeleteChild_ThenDeleteIkeSa()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            Assert.True(h.A.Engine.DeleteChildSa(h.A.EstablishedChildren[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Empty(h.A.Engine.ChildSas.Snapshot());
            Assert.Empty(h.B.Engine.ChildSas.Snapshot());
            Assert.Contains(EngineEventKind.QuickModeDeleted, h.A.EventKinds);
            Assert.Contains(EngineEventKind.QuickModeDeleted, h.B.EventKinds);
            Assert.Single(h.A.EstablishedIkeSas);

            Assert.True(h.B.Engine.DeleteIkeSa(h.B.EstablishedIkeSas[0].Id)); // the original responder deletes
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Contains(EngineEventKind.MainModeDeleted, h.A.EventKinds);
            Assert.Contains(EngineEventKind.MainModeDeleted, h.B.EventKinds);
        }

        [Fact]
        public void Rfc7296_1_4_1_DeleteChild_Twice_SendsOneDelete_TheSecondCallIsRefused()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            long child = h.A.EstablishedChildren[0].Id;
            int sentBefore = h.Wire.Count(w => w.From.Equals(TwoPeerV2Harness.AddressA));
            Assert.True(h.A.Engine.DeleteChildSa(child));
            Assert.False(h.A.Engine.DeleteChildSa(child)); // still pending: not a second Delete(ESP)
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(1, h.Wire.Count(w => w.From.Equals(TwoPeerV2Harness.AddressA)) - sentBefore);
            Assert.Empty(h.B.Engine.ChildSas.Snapshot());
            Assert.False(h.A.Engine.DeleteChildSa(child));
        }

        [Fact]
        public void Rfc7296_1_4_1_DeleteIkeSa_TakesItsChildrenAlong()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(h.A.Engine.DeleteIkeSa(h.A.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Empty(h.A.Engine.ChildSas.Snapshot());
            Assert.Empty(h.B.Engine.ChildSas.Snapshot());
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Equal(new[] { EngineEventKind.MainModeEstablished, EngineEventKind.QuickModeEstablished, EngineEventKind.QuickModeDeleted, EngineEventKind.MainModeDeleted },
                h.B.EventKinds);
        }

        [Fact]
        public void Rfc7296_1_4_EmptyInformational_IsALivenessCheck_AndMessageIdsAdvance()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            int before = h.Wire.Count;
            Assert.True(h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id));
            Assert.True(h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id)); // queued: one request outstanding at a time (§2.3)
            Assert.True(h.B.Engine.CheckLiveness(h.B.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(before + 6, h.Wire.Count);
            // A's requests carried message IDs 2 and 3, B's 0.
            var ids = h.Wire.Skip(before).Select(w => (w.From.Equals(TwoPeerV2Harness.AddressA), (w.Data[19] & 0x20) != 0, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(w.Data.AsSpan(20))))
                .ToList();
            Assert.Contains((true, false, 2u), ids);
            Assert.Contains((true, false, 3u), ids);
            Assert.Contains((false, false, 0u), ids);
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Equal(0, h.A.Engine.Statistics.Retransmissions);
        }

        [Fact]
        public void Rfc7296_2_4_DeadPeer_IkeSaDeletedAfterRetransmissions()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            h.Drop = (from, to, data) => true;
            h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id);
            h.Run(TimeSpan.FromSeconds(120));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Contains(h.A.Events, e => e.Kind == EngineEventKind.MainModeDeleted && e.Reason!.Contains("no response"));
        }

        [Fact]
        public void Rfc7296_2_21_GarbageAndTamperedMessages_NeverThrow_AndDoNotDisturb()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            AssertEstablished(h);
            var rnd = new Random(5);
            var samples = h.Wire.Select(w => w.Data).ToList();
            for (int i = 0; i < 2000; i++)
            {
                var m = (byte[])samples[rnd.Next(samples.Count)].Clone();
                switch (i % 3)
                {
                    case 0: m[rnd.Next(m.Length)] ^= (byte)(1 << rnd.Next(8)); break;
                    case 1: Array.Resize(ref m, rnd.Next(m.Length)); break;
                    default: rnd.NextBytes(m.AsSpan(28)); break;
                }
                h.A.Engine.Receive(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB, m);
                h.B.Engine.Receive(TwoPeerV2Harness.AddressB, TwoPeerV2Harness.AddressA, m);
            }
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("internal error"));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Single(h.B.EstablishedIkeSas);
            // Still usable afterwards.
            Assert.True(h.A.Engine.CheckLiveness(h.A.EstablishedIkeSas[0].Id));
            h.Run(TimeSpan.FromSeconds(2));
            Assert.Single(h.A.EstablishedIkeSas);
        }

        [Fact]
        public void Shutdown_DeletesEverything_AndTellsThePeer()
        {
            var h = new TwoPeerV2Harness();
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            h.A.Engine.Shutdown();
            h.Run(TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
        }

        [Fact]
        public void Lifetimes_ExpireChildrenAndIkeSa()
        {
            var shortLived = new IkeV2Policy(new[] { new IkeV2Proposal(SkEncryption.AesCbc, 256, IkeV2Prf.HmacSha2_256, SkIntegrity.HmacSha2_256_128, 14, lifetimeSeconds: 100) },
                new[] { new ChildProposalV2(SkEncryption.AesGcm16, 128, SkIntegrity.None, lifetimeSeconds: 30) });
            // Rekeying at the soft lifetime is off here: this is about the hard lifetime (IkeV2RekeyTests covers rekeying).
            var h = new TwoPeerV2Harness(shortLived, shortLived, configureA: o => o.RekeyEnabled = false, configureB: o => o.RekeyEnabled = false);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(1));
            Assert.Single(h.A.EstablishedIkeSas);
            Assert.Empty(h.A.Engine.ChildSas.Snapshot());
            h.Run(TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(1));
            Assert.Empty(h.A.Engine.IkeSas.Snapshot());
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
        }

        [Fact]
        public void Policy_ParsesStrongSwanNotation_AndMapsAnIkeV1Policy()
        {
            Assert.Equal("aes128gcm16-prfsha256-ecp256", IkeV2Proposal.Parse("aes128gcm16-prfsha256-ecp256").ToString());
            Assert.Equal("aes256-sha384-modp2048", IkeV2Proposal.Parse("AES256-SHA384-MODP2048").ToString());
            Assert.Equal("aes256-sha256-ecp384", ChildProposalV2.Parse("aes256-sha256-ecp384").ToString());
            Assert.Throws<FormatException>(() => IkeV2Proposal.Parse("3des-md5-modp1024"));
            var v2 = IkeV2Policy.FromV1(IkeV1Policy.Default);
            Assert.NotEmpty(v2.Ike);
            Assert.All(v2.Ike, p => Assert.NotEqual(SkIntegrity.None, p.Integrity));
        }
    }
}
