using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Cga;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using IkeExtensions.Wire.VendorIds;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>CGA credentials for the engine tests (1024-bit RSA keeps key generation quick), made once per run.</summary>
    internal static class CgaTestCredentials
    {
        public static readonly Lazy<CgaCredential> A = new Lazy<CgaCredential>(() => Make("2001:db8:a::", 1, "cga-a"));
        public static readonly Lazy<CgaCredential> B = new Lazy<CgaCredential>(() => Make("2001:db8:b::", 0, "cga-b"));
        /// <summary>Another key pair in A's subnet (its certificate stands for "the wrong key").</summary>
        public static readonly Lazy<CgaCredential> Other = new Lazy<CgaCredential>(() => Make("2001:db8:a::", 0, "cga-other"));
        /// <summary>A CGA under 3ffe:831e::/32, where MS-IKEE 3.4 takes an 88-bit subnet.</summary>
        public static readonly Lazy<CgaCredential> Long = new Lazy<CgaCredential>(() => Make("3ffe:831e:a:1:0:ab00::", 0, "cga-88"));

        private static CgaCredential Make(string subnet, int sec, string seed) =>
            CgaCredential.Create(IPAddress.Parse(subnet), sec, new DeterministicRandomSource(seed), keyBits: 1024,
                notBefore: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    /// <summary>
    /// Two engines on an in-memory IPv6 network (TwoPeerHarness's design with 2001:db8:: addresses), each bound to its
    /// CGA. The network can translate A's source address (a prefix translator: the peer's source is then not its CGA)
    /// and rewrite datagrams in flight.
    /// </summary>
    internal sealed class CgaPair
    {
        private readonly Queue<(IPEndPoint From, IPEndPoint To, byte[] Data)> _inFlight = new Queue<(IPEndPoint, IPEndPoint, byte[])>();

        public CgaPair(CgaCredential? cgaA, CgaCredential? cgaB, IPAddress? addressA = null, IPAddress? addressB = null,
            bool acceptCgaA = true, bool acceptCgaB = true, string? pskA = null, string? pskB = null)
        {
            A = new Node("A", this, new IPEndPoint(addressA ?? cgaA!.Address, 500), cgaA, acceptCgaA, pskA, 11);
            B = new Node("B", this, new IPEndPoint(addressB ?? cgaB!.Address, 500), cgaB, acceptCgaB, pskB, 12);
        }

        public FakeClock Clock { get; } = new FakeClock();
        public Node A { get; }
        public Node B { get; }
        public List<byte[]> Wire { get; } = new List<byte[]>();
        /// <summary>When set, B sees A's datagrams as coming from this address (and its replies to it reach A).</summary>
        public IPAddress? ASeenAs { get; set; }
        /// <summary>Rewrites a datagram on the wire (from, bytes) → bytes.</summary>
        public Func<IPEndPoint, byte[], byte[]>? Rewrite { get; set; }

        public InitiateRequest Request() => new InitiateRequest(A.Address, B.Address);

        internal void Transmit(IPEndPoint from, IPEndPoint to, byte[] data)
        {
            if (data.Length == 1 && data[0] == 0xFF) return;
            if (Rewrite != null) data = Rewrite(from, data);
            Wire.Add(data);
            if (ASeenAs != null && from.Address.Equals(A.Address.Address)) from = new IPEndPoint(ASeenAs, from.Port);
            if (ASeenAs != null && to.Address.Equals(ASeenAs)) to = new IPEndPoint(A.Address.Address, to.Port);
            _inFlight.Enqueue((from, to, data));
        }

        public void Run(TimeSpan duration)
        {
            var end = Clock.UtcNow + duration;
            while (Clock.UtcNow <= end)
            {
                int n = _inFlight.Count;
                for (int i = 0; i < n; i++)
                {
                    var (from, to, data) = _inFlight.Dequeue();
                    var node = to.Address.Equals(A.Address.Address) ? A : to.Address.Equals(B.Address.Address) ? B : null;
                    node?.Engine.Receive(to, from, data);
                }
                A.Engine.Poll();
                B.Engine.Poll();
                if (n == 0) Clock.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        public IkeMessage Decode(int index)
        {
            Assert.True(IkeMessage.TryDecode(Wire[index], out var m, out var error), error.ToString());
            return m;
        }

        internal sealed class Node : IEngineOutput
        {
            private readonly CgaPair _pair;

            public Node(string name, CgaPair pair, IPEndPoint address, CgaCredential? cga, bool acceptCga, string? psk, int seed)
            {
                Name = name;
                _pair = pair;
                Address = address;
                var pad = new PeerAuthorizationDatabase();
                pad.Add(new PeerAuthorizationEntry(null, psk == null ? null : PreSharedKey.FromText(psk), acceptCga: acceptCga));
                var options = new IkeV1EngineOptions(pair.Clock, new DeterministicRandomSource(BitConverter.GetBytes(seed)), IkeV1Policy.Default, pad)
                {
                    LocalCga = cga,
                };
                Engine = new IkeV1Engine(options, this);
            }

            public string Name { get; }
            public IPEndPoint Address { get; }
            public IkeV1Engine Engine { get; }
            public List<EngineEvent> Events { get; } = new List<EngineEvent>();
            public List<string> Log { get; } = new List<string>();

            public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram) => _pair.Transmit(local, remote, datagram.ToArray());
            public void OnEvent(EngineEvent engineEvent) => Events.Add(engineEvent);
            void IEngineOutput.Log(LogLevel level, string message) => Log.Add($"{Name} {level}: {message}");

            public IReadOnlyList<MainModeSa> EstablishedMainModes =>
                Engine.MainModeSas.Snapshot().Where(s => s.State == MainModeSaState.Established).ToList();
            public IReadOnlyList<QuickModeSa> EstablishedQuickModes =>
                Engine.QuickModeSas.Snapshot().Where(q => q.State == QuickModeSaState.Established).ToList();
        }
    }

    /// <summary>MS-IKEE 3.4: Main Mode authenticated by cryptographically generated addresses (AUTH_CGA, ID_IPV6_CGA).</summary>
    public class CgaAuthenticationTests
    {
        private static CgaCredential A => CgaTestCredentials.A.Value;
        private static CgaCredential B => CgaTestCredentials.B.Value;

        private static CgaPair Established(CgaCredential a, CgaCredential b)
        {
            var pair = new CgaPair(a, b);
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(3));
            return pair;
        }

        [Fact]
        public void MsIkee_3_4_AuthCga_EstablishesMainModeAndQuickMode_BetweenIpv6Cgas()
        {
            var pair = Established(A, B);
            var a = Assert.Single(pair.A.EstablishedMainModes);
            var b = Assert.Single(pair.B.EstablishedMainModes);
            Assert.Equal(nameof(IkeAuthenticationMethod.AuthCga), a.AuthenticationMethod);
            Assert.Equal(nameof(IkeAuthenticationMethod.AuthCga), b.AuthenticationMethod);
            Assert.Equal($"{B.Address} (CGA)", a.RemoteFirstId);
            Assert.Equal($"{A.Address} (CGA)", b.RemoteFirstId);
            Assert.Single(pair.A.EstablishedQuickModes);
            Assert.Single(pair.B.EstablishedQuickModes);
            Assert.Contains(pair.B.Log, l => l.Contains($"{A.Address} is a CGA of the key (Sec 1"));
            Assert.Contains(pair.A.Log, l => l.Contains($"{B.Address} is a CGA of the key (Sec 0"));
        }

        [Fact]
        public void MsIkee_3_4_4_1_And_3_4_5_1_IkeCgaVersion1VendorId_InMessages1And2_SetsCgaCapable()
        {
            var pair = Established(A, B);
            foreach (int i in new[] { 0, 1 })
                Assert.Contains(pair.Decode(i).FindAll<VendorIdPayload>(), v => v.Known?.Kind == VendorIdKind.IkeCgaVersion1);
            Assert.True(Assert.Single(pair.A.EstablishedMainModes).CgaCapable);
            Assert.True(Assert.Single(pair.B.EstablishedMainModes).CgaCapable);
            Assert.Contains("IKE CGA version 1", Assert.Single(pair.B.EstablishedMainModes).PeerVendorIds);
        }

        [Fact]
        public void MsIkee_2_2_4_And_3_4_4_1_Message1_OffersAuthCga0xFDED_WhenThePadAcceptsCga()
        {
            var pair = Established(A, B);
            var transforms = pair.Decode(0).Find<SecurityAssociationPayload>()!.Proposals[0].Transforms;
            Assert.NotEmpty(transforms);
            Assert.All(transforms, t => Assert.True(t.TryGetAttribute((ushort)IkeAttributeType.AuthenticationMethod, out ulong auth) && auth == 0xFDED));
            var chosen = Assert.Single(pair.Decode(1).Find<SecurityAssociationPayload>()!.Proposals[0].Transforms);
            Assert.True(chosen.TryGetAttribute((ushort)IkeAttributeType.AuthenticationMethod, out ulong selected) && selected == 0xFDED);
        }

        [Fact]
        public void MsIkee_3_4_5_4_Messages5And6_IdentifyByIdIpv6Cga_WithTheCgaModifier()
        {
            var pair = Established(A, B);
            var expectedA = new IdentificationPayload(IdentificationType.Ipv6Cga, 0, 0, A.Parameters.ToIdentification().ToIdentificationData()).Value;
            var expectedB = new IdentificationPayload(IdentificationType.Ipv6Cga, 0, 0, B.Parameters.ToIdentification().ToIdentificationData()).Value;
            Assert.StartsWith("CGA modifier=", expectedA);
            Assert.Equal(expectedA, Assert.Single(pair.A.EstablishedMainModes).LocalFirstId);
            Assert.Equal(expectedB, Assert.Single(pair.B.EstablishedMainModes).LocalFirstId);
            // Messages 5 and 6 are encrypted and begin with the ID payload (RFC 2409 §5.1 order: ID, CERT, SIG).
            Assert.True(pair.Decode(4).HasEncryptedBody);
            Assert.Equal(PayloadType.Identification, pair.Decode(4).Header.NextPayload);
        }

        [Fact]
        public void MsIkee_3_4_88BitSubnet_PeerUnder3ffe831e_Establishes()
        {
            var pair = Established(CgaTestCredentials.Long.Value, B);
            Assert.Equal(88, CgaSubnet.PrefixLength(CgaTestCredentials.Long.Value.Address));
            Assert.Single(pair.B.EstablishedMainModes);
            Assert.Contains(pair.B.Log, l => l.Contains("88-bit subnet"));
            Assert.Single(pair.B.EstablishedQuickModes);
        }

        // ---- 3.4.5.5 / 3.4.5.6: failures ----

        /// <summary>
        /// The verifier failed with a logged reason and holds no SA; no Quick Mode exists anywhere. (A responder that
        /// sent message 6 considers Main Mode done, RFC 2409 §5; only the initiator can reject message 6.)
        /// </summary>
        private static void AssertFailedCleanly(CgaPair pair, CgaPair.Node verifier, params string[] reasonParts)
        {
            var failed = verifier.Events.Where(e => e.Kind == EngineEventKind.MainModeFailed).ToList();
            Assert.NotEmpty(failed);
            foreach (var part in reasonParts) Assert.Contains(part, failed[0].Reason);
            Assert.Contains(verifier.Log, l => l.Contains("Warning") && reasonParts.All(p => l.Contains(p)));
            Assert.Empty(verifier.EstablishedMainModes);
            Assert.Empty(pair.A.EstablishedMainModes);
            Assert.Empty(verifier.Engine.MainModeSas.Snapshot());
            Assert.Empty(pair.A.Engine.QuickModeSas.Snapshot());
            Assert.Empty(pair.B.Engine.QuickModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_4_5_5_TamperedModifier_FailsMessage5_WithReason_AndNoSa()
        {
            var m = A.Parameters.Modifier.ToArray();
            m[0] ^= 0x80;
            var tampered = CgaCredential.Unchecked(A.Certificate, A.PrivateKey, A.Address, A.Parameters.WithModifier(m));
            var pair = new CgaPair(tampered, B);
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(90));
            AssertFailedCleanly(pair, pair.B, "authentication of the initiator failed", $"{A.Address} is not a CGA of the key", "RFC 3972 §5 step 3", "MS-IKEE 3.4.5.5");
            Assert.Empty(pair.A.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void MsIkee_3_4_5_5_CertificateOfAnotherKey_FailsMessage5_EvenThoughSigVerifies()
        {
            var other = CgaTestCredentials.Other.Value;
            // The peer holds (and signs with) the other key and sends its certificate, from A's CGA with A's parameters.
            var wrongKey = CgaCredential.Unchecked(other.Certificate, other.PrivateKey, A.Address, A.Parameters);
            var pair = new CgaPair(wrongKey, B);
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(90));
            AssertFailedCleanly(pair, pair.B, $"{A.Address} is not a CGA of the key in its certificate", "RFC 3972 §5 step 3");
        }

        [Fact]
        public void MsIkee_3_4_5_5_SignatureByAnotherKey_ThanTheCertificate_Fails()
        {
            var other = CgaTestCredentials.Other.Value;
            var wrongSigner = CgaCredential.Unchecked(A.Certificate, other.PrivateKey, A.Address, A.Parameters);
            var pair = new CgaPair(wrongSigner, B);
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(90));
            AssertFailedCleanly(pair, pair.B, "SIG does not verify with the key of the peer's self-signed certificate (MS-IKEE 3.4.5.5)");
        }

        [Fact]
        public void MsIkee_3_4_SubnetFromThePeersSourceAddress_WrongPrefix_FailsMessage5()
        {
            // A prefix translator between the hosts: B sees A at 2001:db8:c::<A's interface identifier>, not at its CGA.
            var seen = A.Address.GetAddressBytes();
            seen[5] = 0x0c;
            var pair = new CgaPair(A, B) { ASeenAs = new IPAddress(seen) };
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(90));
            AssertFailedCleanly(pair, pair.B, $"{new IPAddress(seen)} is not a CGA of the key", "RFC 3972 §5 step 3");
        }

        [Fact]
        public void MsIkee_3_4_5_6_Message6_IsValidatedLikeMessage5_TamperedResponderModifierFails()
        {
            var m = B.Parameters.Modifier.ToArray();
            m[7] ^= 0x01;
            var tampered = CgaCredential.Unchecked(B.Certificate, B.PrivateKey, B.Address, B.Parameters.WithModifier(m));
            var pair = new CgaPair(A, tampered);
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(90));
            AssertFailedCleanly(pair, pair.A, "authentication of the responder failed", $"{B.Address} is not a CGA of the key", "RFC 3972 §5 step 3");
            Assert.Empty(pair.A.Engine.MainModeSas.Snapshot());
        }

        // ---- 3.4.1 / 3.4.5.1: negotiation ----

        [Fact]
        public void MsIkee_3_4_1_CgaCapable_0xFDEDWithoutTheVendorId_IsNotAuthCga()
        {
            var pair = new CgaPair(A, B);
            pair.Rewrite = (from, data) =>
            {
                // Every transmission of message 1 (retransmissions too) loses the vendor ID.
                if (!IkeMessage.TryDecode(data, out var m, out _) || m.HasEncryptedBody || m.Header.ResponderSpi != 0) return data;
                var kept = m.Payloads.Where(p => !(p is VendorIdPayload v && v.Known?.Kind == VendorIdKind.IkeCgaVersion1)).ToList();
                return new IkeMessage(m.Header, kept).Encode();
            };
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(3));
            // The responder does not read 0xFDED as AUTH_CGA without the vendor ID, so nothing is chosen: no state on B,
            // an unprotected NO-PROPOSAL-CHOSEN (MS-IKEE 3.1.5) ends A's attempt.
            Assert.Empty(pair.B.Engine.MainModeSas.Snapshot());
            Assert.Empty(pair.A.EstablishedMainModes);
            Assert.Contains(pair.A.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("NoProposalChosen"));
        }

        [Fact]
        public void MsIkee_3_4_5_1_ResponderWithoutCga_SelectsAnotherMethod_AndSendsNoCgaVendorId()
        {
            var pair = new CgaPair(A, null, addressB: IPAddress.Parse("2001:db8:b::1"), acceptCgaB: false, pskA: "cga-fallback", pskB: "cga-fallback");
            pair.A.Engine.Initiate(pair.Request());
            pair.Run(TimeSpan.FromSeconds(3));
            var a = Assert.Single(pair.A.EstablishedMainModes);
            var b = Assert.Single(pair.B.EstablishedMainModes);
            Assert.Equal(nameof(IkeAuthenticationMethod.PreSharedKey), a.AuthenticationMethod);
            // A announced its capability (3.4.4.1); B, without a CGA, did not.
            Assert.True(b.CgaCapable);
            Assert.False(a.CgaCapable);
            Assert.DoesNotContain(pair.Decode(1).FindAll<VendorIdPayload>(), v => v.Known?.Kind == VendorIdKind.IkeCgaVersion1);
            // A offered AUTH_CGA first, then the pre-shared key.
            var offered = pair.Decode(0).Find<SecurityAssociationPayload>()!.Proposals[0].Transforms
                .Select(t => t.TryGetAttribute((ushort)IkeAttributeType.AuthenticationMethod, out ulong v) ? v : 0).Distinct().ToList();
            Assert.Equal(new ulong[] { 0xFDED, 1 }, offered);
        }

        [Fact]
        public void MsIkee_3_4_4_1_HostMustUseItsCga_AnotherLocalAddressIsRefused()
        {
            // A holds a CGA but negotiates from another address of its own.
            var pair = new CgaPair(A, B, addressA: IPAddress.Parse("2001:db8:a::1"));
            // AUTH_CGA is only offered from the local CGA: with no other method there is nothing to offer at all.
            var error = Assert.Throws<InvalidOperationException>(() => pair.A.Engine.Initiate(pair.Request()));
            Assert.Contains("Nothing to offer", error.Message);
            Assert.Empty(pair.A.EstablishedMainModes);
        }

        [Fact]
        public void MsIkee_1_6_CgaAppliesOnlyToIpv6_APadEntryForAnIpv4PeerCannotAcceptIt()
        {
            Assert.Throws<ArgumentException>(() => new PeerAuthorizationEntry(IPAddress.Parse("192.0.2.1"), null, acceptCga: true));
            var entry = new PeerAuthorizationEntry(IPAddress.Parse("2001:db8::1"), null, acceptCga: true);
            Assert.True(entry.AcceptsCga);
            Assert.Contains("CGA", entry.ToString());
            Assert.Throws<ArgumentException>(() => new PeerAuthorizationEntry(null, null));
        }

        [Fact]
        public void MsIkee_3_4_AuthCga_IsOfferedOnlyForIpv6Peers_FromTheLocalCga()
        {
            var pad = new PeerAuthorizationDatabase();
            var entry = new PeerAuthorizationEntry(null, PreSharedKey.FromText("x"), acceptCga: true);
            var options = new IkeV1EngineOptions(new FakeClock(), new DeterministicRandomSource("m"), IkeV1Policy.Default, pad) { LocalCga = A };
            var auth = new Phase1Authentication(new EngineContext(options, new CgaPair(A, B).A));
            var fromCga = new IPEndPoint(A.Address, 500);
            Assert.Equal(new[] { IkeAuthenticationMethod.AuthCga, IkeAuthenticationMethod.PreSharedKey }, auth.Methods(entry, fromCga, new IPEndPoint(B.Address, 500)));
            Assert.Equal(new[] { IkeAuthenticationMethod.PreSharedKey }, auth.Methods(entry, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500)));
            Assert.Equal(new[] { IkeAuthenticationMethod.PreSharedKey }, auth.Methods(entry, new IPEndPoint(IPAddress.Parse("2001:db8:a::1"), 500), new IPEndPoint(B.Address, 500)));
            Assert.Equal(new[] { IkeAuthenticationMethod.PreSharedKey }, auth.Methods(entry, fromCga, new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.2"), 500)));
            options.LocalCga = null;
            Assert.Equal(new[] { IkeAuthenticationMethod.PreSharedKey }, auth.Methods(entry));
        }
    }
}
