using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Engine
{
    /// <summary>RFC 2409 §5.1 Main Mode with RSA signatures over X.509 certificates validated to trust anchors.</summary>
    public class CertificateAuthenticationTests
    {
        private static InitiateRequest Transport() => new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB);

        private static TwoPeerHarness.PeerCertificates Peer(Lazy<IkeExtensions.Crypto.Certificates.CertificateCredential> own) =>
            new TwoPeerHarness.PeerCertificates(own.Value, TestCertificates.Trust(TestCertificates.Ca.Value.Cert));

        [Fact]
        public void Rfc2409_5_1_RsaSignatures_EstablishMainModeAndQuickMode_WithDnIdentities()
        {
            var h = new TwoPeerHarness(pskA: null, pskB: null, certificatesA: Peer(TestCertificates.A), certificatesB: Peer(TestCertificates.B));
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            var a = Assert.Single(h.A.EstablishedMainModes);
            var b = Assert.Single(h.B.EstablishedMainModes);
            Assert.Equal("RsaSignatures", a.AuthenticationMethod);
            Assert.Equal("C=XX,O=IkeExtensions,CN=b.ike.test", a.RemoteFirstId);
            Assert.Equal("C=XX,O=IkeExtensions,CN=a.ike.test", b.RemoteFirstId);
            Assert.Single(h.A.EstablishedQuickModes);
            Assert.Single(h.B.EstablishedQuickModes);
        }

        [Fact]
        public void CertificatesArePreferred_WhenBothPeersAlsoHaveAPsk()
        {
            var h = new TwoPeerHarness(certificatesA: Peer(TestCertificates.A), certificatesB: Peer(TestCertificates.B));
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Equal("RsaSignatures", Assert.Single(h.B.EstablishedMainModes).AuthenticationMethod);
        }

        [Fact]
        public void CertificateFromAnUntrustedCa_IsRejected_AndNoSaExists()
        {
            var h = new TwoPeerHarness(pskA: null, pskB: null, certificatesA: Peer(TestCertificates.Rogue), certificatesB: Peer(TestCertificates.B));
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(90));
            Assert.Contains(h.B.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("no trusted issuer"));
            Assert.Empty(h.B.Engine.MainModeSas.Snapshot());
            Assert.Empty(h.A.Engine.MainModeSas.Snapshot());
        }

        [Fact]
        public void ExpiredCertificate_IsRejected()
        {
            var h = new TwoPeerHarness(pskA: null, pskB: null, certificatesA: Peer(TestCertificates.Expired), certificatesB: Peer(TestCertificates.B));
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Contains(h.B.Events, e => e.Kind == EngineEventKind.MainModeFailed && e.Reason!.Contains("not valid at"));
        }

        [Fact]
        public void MessagesFiveAndSix_CarryIdCertAndSig_AndMessagesThreeAndFourACertificateRequest_MsIkee_3_1_5()
        {
            var h = new TwoPeerHarness(pskA: null, pskB: null, certificatesA: Peer(TestCertificates.A), certificatesB: Peer(TestCertificates.B));
            h.A.Engine.Initiate(Transport());
            h.Run(TimeSpan.FromSeconds(3));
            Assert.True(IkeExtensions.Wire.IkeMessage.TryDecode(h.Wire[2], out var mm3, out _));
            Assert.Single(mm3.FindAll<IkeExtensions.Wire.CertificateRequestPayload>());
            Assert.True(IkeExtensions.Wire.IkeMessage.TryDecode(h.Wire[4], out var mm5, out _));
            Assert.True(mm5.HasEncryptedBody);
            Assert.Equal(IkeExtensions.Wire.PayloadType.Identification, mm5.Header.NextPayload);
            var transforms = h.Wire.Take(1).Select(w => { IkeExtensions.Wire.IkeMessage.TryDecode(w, out var m, out _); return m; }).Single()
                .Find<SecurityAssociationPayload>()!.Proposals[0].Transforms;
            Assert.All(transforms, t => Assert.True(t.TryGetAttribute((ushort)IkeAttributeType.AuthenticationMethod, out ulong auth) && auth == (ulong)IkeAuthenticationMethod.RsaSignatures));
        }
    }
}
