using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Engine;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>IKE_AUTH with certificates between two in-memory IKEv2 engines (RFC 7296 §2.15, §3.5-§3.8; RFC 4754; RFC 7427).</summary>
    public sealed class IkeV2CertificateAuthTests
    {
        private static readonly IPAddress AddrA = TwoPeerV2Harness.AddressA.Address;
        private static readonly IPAddress AddrB = TwoPeerV2Harness.AddressB.Address;

        // RFC 7427 Appendix A: the AlgorithmIdentifier DER each signature must start with (after its one-octet length).
        private static readonly byte[] Sha256WithRsa = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
        private static readonly byte[] Sha384WithRsa = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00 };
        private static readonly byte[] Sha512WithRsa = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00 };
        private static readonly byte[] EcdsaWithSha256 = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
        private static readonly byte[] EcdsaWithSha384 = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
        private static readonly byte[] EcdsaWithSha512 = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 };

        private static CertificateChainValidator Trust() => TestCertificates.Trust(TestCertificates.Ca.Value.Cert);

        /// <summary>One side: our certificate (or none), and a PAD entry for the other side with trust anchors and/or a pre-shared key.</summary>
        private static Action<IkeV2EngineOptions> Side(CertificateCredential? own, IPAddress peer, bool trustCa = true, string? psk = null,
            Action<IkeV2EngineOptions>? more = null, string? remoteIdentity = null) => o =>
        {
            o.LocalCertificate = own;
            o.Pad.Add(new PeerAuthorizationEntry(peer, psk == null ? null : PreSharedKey.FromText(psk), "peer", trustCa ? Trust() : null) { RemoteIdentity = remoteIdentity });
            more?.Invoke(o);
        };

        private static TwoPeerV2Harness Run(Action<IkeV2EngineOptions> a, Action<IkeV2EngineOptions> b, DateTime? clock = null)
        {
            var h = new TwoPeerV2Harness(configureA: a, configureB: b);
            if (clock != null) h.Clock.UtcNow = clock.Value;
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(5));
            return h;
        }

        private static (IkeV2Sa A, IkeV2Sa B) AssertEstablished(TwoPeerV2Harness h)
        {
            Assert.True(h.A.EstablishedIkeSas.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.Single(h.A.EstablishedChildren);
            Assert.Single(h.B.EstablishedChildren);
            var a = h.A.EstablishedIkeSas[0];
            var b = h.B.EstablishedIkeSas[0];
            Assert.Equal(a.InitiatorSpi, b.InitiatorSpi);
            Assert.Equal(a.ResponderSpi, b.ResponderSpi);
            return (a, b);
        }

        /// <summary>§2.21.2: the responder answers AUTHENTICATION_FAILED; neither side keeps an IKE SA.</summary>
        private static void AssertAuthenticationFailed(TwoPeerV2Harness h, string reason, bool failedByResponder = true)
        {
            var all = string.Join("\n", h.A.Log.Concat(h.B.Log));
            Assert.True(h.A.Engine.IkeSas.Snapshot().Count == 0, all);
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.DoesNotContain(EngineEventKind.MainModeEstablished, h.A.EventKinds);
            var a = h.A.Events.First(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("AUTHENTICATION_FAILED", a.Reason);
            var failing = failedByResponder ? h.B.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed) : a;
            Assert.True(failing.Reason!.Contains(reason), failing.Reason + "\n" + all);
        }

        private static AuthenticationPayload? Capture(List<IkePayload> payloads, List<AuthenticationPayload> into)
        {
            var auth = payloads.OfType<AuthenticationPayload>().SingleOrDefault();
            if (auth != null) into.Add(auth);
            return auth;
        }

        [Fact]
        public void Rfc7427_3_DigitalSignature_Rsa_BothRoles_CertOnlyPadEntries_Establish()
        {
            var sentA = new List<AuthenticationPayload>();
            var sentB = new List<AuthenticationPayload>();
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: o => o.RewriteOwnAuthPayloadsForTests = l => { Capture(l, sentA); return l; }),
                        Side(TestCertificates.B.Value, AddrA, more: o => o.RewriteOwnAuthPayloadsForTests = l => { Capture(l, sentB); return l; }));
            var (a, b) = AssertEstablished(h);
            Assert.Equal("DigitalSignature", a.AuthenticationMethod);
            Assert.Equal("DigitalSignature", a.LocalAuthenticationMethod);
            Assert.Equal("DigitalSignature", b.AuthenticationMethod);
            Assert.Equal(TestCertificates.B.Value.Subject, a.RemoteCertificateSubject);
            Assert.Equal(TestCertificates.A.Value.Subject, b.RemoteCertificateSubject);
            // RFC 7296 §3.5: ID_DER_ASN1_DN of each certificate's subject, shown as DN text.
            Assert.Equal(TestCertificates.B.Value.Subject, a.RemoteFirstId);
            Assert.Equal(TestCertificates.A.Value.Subject, a.LocalFirstId);
            Assert.Equal(TestCertificates.A.Value.Subject, b.RemoteFirstId);
            // RFC 7427 §3: method 14, one octet of length, then sha256WithRSAEncryption (both announced SHA2-256 first).
            foreach (var auth in sentA.Concat(sentB))
            {
                Assert.Equal(AuthMethod.DigitalSignature, auth.Method);
                Assert.Equal(Sha256WithRsa.Length, auth.Data.Span[0]);
                Assert.Equal(Sha256WithRsa, auth.Data.Slice(1, Sha256WithRsa.Length).ToArray());
                Assert.Equal(1 + Sha256WithRsa.Length + 256, auth.Data.Length); // a 2048-bit RSA signature
            }
        }

        [Fact]
        public void Rfc7296_3_8_NoSignatureHashAlgorithms_RsaUsesMethod1_BothRoles()
        {
            var sent = new List<AuthenticationPayload>();
            Action<IkeV2EngineOptions> legacy = o => { o.SignatureHashAlgorithms = Array.Empty<SignatureHashAlgorithm>(); o.RewriteOwnAuthPayloadsForTests = l => { Capture(l, sent); return l; }; };
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: legacy), Side(TestCertificates.B.Value, AddrA, more: legacy));
            var (a, b) = AssertEstablished(h);
            Assert.Equal("RsaSignature", a.AuthenticationMethod);
            Assert.Equal("RsaSignature", b.AuthenticationMethod);
            Assert.Equal(2, sent.Count);
            Assert.All(sent, x => Assert.Equal(AuthMethod.RsaDigitalSignature, x.Method));
            Assert.All(sent, x => Assert.Equal(256, x.Data.Length));
            // No SIGNATURE_HASH_ALGORITHMS in either IKE_SA_INIT message.
            foreach (var (_, data) in h.Wire.Take(2))
            {
                Assert.True(IkeMessage.TryDecode(data, out var m, out _));
                Assert.DoesNotContain(m.FindAll<NotifyPayload>(), n => n.MessageType == NotifyTypeV2.SignatureHashAlgorithms);
            }
        }

        [Fact]
        public void Rfc7427_4_OnlyTheInitiatorAnnounces_ResponderSignsWith14_InitiatorWithMethod1()
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB),
                        Side(TestCertificates.B.Value, AddrA, more: o => o.SignatureHashAlgorithms = Array.Empty<SignatureHashAlgorithm>()));
            var (a, b) = AssertEstablished(h);
            Assert.Equal("DigitalSignature", a.AuthenticationMethod); // B saw A's list
            Assert.Equal("RsaSignature", b.AuthenticationMethod);      // A saw none from B
            Assert.True(IkeMessage.TryDecode(h.Wire[0].Data, out var request, out _));
            var notify = request.FindAll<NotifyPayload>().Single(n => n.MessageType == NotifyTypeV2.SignatureHashAlgorithms);
            Assert.Equal(new byte[] { 0, 2, 0, 3, 0, 4 }, notify.Data.ToArray()); // SHA2-256, SHA2-384, SHA2-512
        }

        [Theory]
        [InlineData(256, AuthMethod.EcdsaSha256P256, 64)]
        [InlineData(384, AuthMethod.EcdsaSha384P384, 96)]
        public void Rfc4754_7_EcdsaLegacyMethods_BothRoles_FixedLengthSignature(int curve, AuthMethod expected, int length)
        {
            var cred = curve == 256 ? TestCertificatesV2.EcP256.Value : TestCertificatesV2.EcP384.Value;
            var sent = new List<AuthenticationPayload>();
            Action<IkeV2EngineOptions> legacy = o => { o.SignatureHashAlgorithms = Array.Empty<SignatureHashAlgorithm>(); o.RewriteOwnAuthPayloadsForTests = l => { Capture(l, sent); return l; }; };
            var h = Run(Side(cred, AddrB, more: legacy), Side(cred, AddrA, more: legacy));
            var (a, b) = AssertEstablished(h);
            Assert.Equal("EcdsaSignature", a.AuthenticationMethod);
            Assert.Equal("EcdsaSignature", b.AuthenticationMethod);
            Assert.Equal(2, sent.Count);
            Assert.All(sent, x => Assert.Equal(expected, x.Method));
            Assert.All(sent, x => Assert.Equal(length, x.Data.Length)); // r | s, each the size of the curve (RFC 4754 §7)
        }

        [Fact]
        public void Rfc7427_3_DigitalSignature_Ecdsa_HashFollowsTheCurve_MixedWithRsa()
        {
            var sentA = new List<AuthenticationPayload>();
            var sentB = new List<AuthenticationPayload>();
            var h = Run(Side(TestCertificatesV2.EcP256.Value, AddrB, more: o => o.RewriteOwnAuthPayloadsForTests = l => { Capture(l, sentA); return l; }),
                        Side(TestCertificatesV2.EcP384.Value, AddrA, more: o => o.RewriteOwnAuthPayloadsForTests = l => { Capture(l, sentB); return l; }));
            var (a, b) = AssertEstablished(h);
            Assert.Equal("DigitalSignature", a.AuthenticationMethod);
            Assert.Equal(TestCertificatesV2.EcP384.Value.Subject, a.RemoteCertificateSubject);
            Assert.Equal(EcdsaWithSha256, sentA.Single().Data.Slice(1, sentA.Single().Data.Span[0]).ToArray());
            Assert.Equal(EcdsaWithSha384, sentB.Single().Data.Slice(1, sentB.Single().Data.Span[0]).ToArray());

            var h2 = Run(Side(TestCertificatesV2.EcP256.Value, AddrB), Side(TestCertificates.B.Value, AddrA));
            var (a2, b2) = AssertEstablished(h2);
            Assert.Equal(TestCertificates.B.Value.Subject, a2.RemoteCertificateSubject);
            Assert.Equal(TestCertificatesV2.EcP256.Value.Subject, b2.RemoteCertificateSubject);
        }

        [Theory]
        [InlineData("rsa", SignatureHashAlgorithm.Sha2_256)]
        [InlineData("rsa", SignatureHashAlgorithm.Sha2_384)]
        [InlineData("rsa", SignatureHashAlgorithm.Sha2_512)]
        [InlineData("ec256", SignatureHashAlgorithm.Sha2_256)]
        [InlineData("ec256", SignatureHashAlgorithm.Sha2_384)]
        [InlineData("ec384", SignatureHashAlgorithm.Sha2_512)]
        public void Rfc7427_3_AlgorithmIdentifierPrefixes_SignVerify_TamperedOrUnannouncedFails(string key, SignatureHashAlgorithm hash)
        {
            var cred = key == "rsa" ? TestCertificates.A.Value : key == "ec256" ? TestCertificatesV2.EcP256.Value : TestCertificatesV2.EcP384.Value;
            var octets = new byte[300];
            new Random(7).NextBytes(octets);
            var (method, chosen) = IkeV2Signature.Choose(cred, new[] { hash });
            Assert.Equal(IkeV2SignatureMethod.DigitalSignature, method);
            Assert.Equal(hash, chosen);
            var data = IkeV2Signature.Sign(cred, method, hash, octets);
            var prefix = key == "rsa"
                ? (hash == SignatureHashAlgorithm.Sha2_256 ? Sha256WithRsa : hash == SignatureHashAlgorithm.Sha2_384 ? Sha384WithRsa : Sha512WithRsa)
                : (hash == SignatureHashAlgorithm.Sha2_256 ? EcdsaWithSha256 : hash == SignatureHashAlgorithm.Sha2_384 ? EcdsaWithSha384 : EcdsaWithSha512);
            Assert.Equal(prefix.Length, data[0]);
            Assert.Equal(prefix, data.Skip(1).Take(prefix.Length).ToArray());
            var pub = cred.Certificate.GetPublicKey();
            Assert.True(IkeV2Signature.Verify(pub, 14, data, octets, IkeV2Signature.Supported, out var why), why);
            var tampered = (byte[])data.Clone();
            tampered[tampered.Length - 2] ^= 0x01;
            Assert.False(IkeV2Signature.Verify(pub, 14, tampered, octets, IkeV2Signature.Supported, out _));
            var otherOctets = (byte[])octets.Clone();
            otherOctets[0] ^= 0x80;
            Assert.False(IkeV2Signature.Verify(pub, 14, data, otherOctets, IkeV2Signature.Supported, out _));
            Assert.False(IkeV2Signature.Verify(pub, 14, data, octets, IkeV2Signature.Supported.Where(x => x != hash).ToArray(), out why));
            Assert.Contains("did not announce", why);
            Assert.False(IkeV2Signature.Verify(pub, 14, data.Take(5).ToArray(), octets, IkeV2Signature.Supported, out _)); // truncated: no throw
        }

        [Fact]
        public void Rfc4754_7_LegacyEcdsaMethodMustFitTheKeysCurve_AndOnlyNistCurvesAreAccepted()
        {
            var p384 = TestCertificatesV2.EcP384.Value;
            var octets = new byte[100];
            Assert.Equal((IkeV2SignatureMethod.EcdsaP384Sha384, SignatureHashAlgorithm.Sha2_384), IkeV2Signature.Choose(p384, null));
            Assert.Equal((IkeV2SignatureMethod.EcdsaP256Sha256, SignatureHashAlgorithm.Sha2_256), IkeV2Signature.Choose(TestCertificatesV2.EcP256.Value, Array.Empty<SignatureHashAlgorithm>()));
            Assert.Equal((IkeV2SignatureMethod.RsaSha1, SignatureHashAlgorithm.Sha1), IkeV2Signature.Choose(TestCertificates.A.Value, new[] { SignatureHashAlgorithm.Sha1 }));
            var sig = IkeV2Signature.Sign(p384, IkeV2SignatureMethod.EcdsaP384Sha384, SignatureHashAlgorithm.Sha2_384, octets);
            var pub = p384.Certificate.GetPublicKey();
            Assert.True(IkeV2Signature.Verify(pub, 10, sig, octets, IkeV2Signature.Supported, out var why), why);
            Assert.False(IkeV2Signature.Verify(pub, 9, sig, octets, IkeV2Signature.Supported, out why));
            Assert.Contains("needs a P-256 key", why);
            Assert.False(IkeV2Signature.Verify(TestCertificates.A.Value.Certificate.GetPublicKey(), 10, sig, octets, IkeV2Signature.Supported, out why));
            Assert.Contains("does not fit", why);
            Assert.False(IkeV2Signature.Verify(pub, 3, sig, octets, IkeV2Signature.Supported, out why)); // DSS: not supported
            var gen = new Org.BouncyCastle.Crypto.Generators.ECKeyPairGenerator("ECDSA");
            gen.Init(new Org.BouncyCastle.Crypto.Parameters.ECKeyGenerationParameters(Org.BouncyCastle.Asn1.TeleTrust.TeleTrusTObjectIdentifiers.BrainpoolP256R1, new Org.BouncyCastle.Security.SecureRandom()));
            var ex = Assert.Throws<ArgumentException>(() => new CertificateCredential(TestCertificatesV2.EcP256.Value.Certificate, gen.GenerateKeyPair().Private));
            Assert.Contains("P-256, P-384 or P-521", ex.Message);
        }

        [Fact]
        public void Rfc7296_2_15_InitiatorSignsWithCertificate_ResponderUsesPsk_AsEachPadEntrySays()
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB, trustCa: false, psk: "mixed-psk", more: o => o.LocalAuthentication = IkeV2LocalAuthentication.Certificate),
                        Side(null, AddrA, trustCa: true, psk: "mixed-psk"));
            var (a, b) = AssertEstablished(h);
            Assert.Equal("DigitalSignature", a.LocalAuthenticationMethod);
            Assert.Equal("PreSharedKey", a.AuthenticationMethod);
            Assert.Equal("PreSharedKey", b.LocalAuthenticationMethod);
            Assert.Equal("DigitalSignature", b.AuthenticationMethod);
            Assert.Equal(TestCertificates.A.Value.Subject, b.RemoteCertificateSubject);
            Assert.Null(a.RemoteCertificateSubject);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Rfc7296_2_15_ResponderWithBothMethods_AnswersInTheInitiatorsMethod(bool initiatorSigns)
        {
            // B has a certificate, trust anchors and a pre-shared key for A; A expects from B what A itself uses.
            var h = Run(initiatorSigns ? Side(TestCertificates.A.Value, AddrB) : Side(null, AddrB, trustCa: false, psk: "both-psk"),
                        Side(TestCertificates.B.Value, AddrA, trustCa: true, psk: "both-psk"));
            var (a, b) = AssertEstablished(h);
            string expected = initiatorSigns ? "DigitalSignature" : "PreSharedKey";
            Assert.Equal(expected, a.LocalAuthenticationMethod);
            Assert.Equal(expected, a.AuthenticationMethod);
            Assert.Equal(expected, b.LocalAuthenticationMethod);
            Assert.Equal(expected, b.AuthenticationMethod);
            Assert.Equal(initiatorSigns ? TestCertificates.B.Value.Subject : "192.0.2.2", a.RemoteFirstId);
        }

        [Fact]
        public void Rfc7296_2_15_CertificateFromAnUntrustedCa_AuthenticationFailed()
        {
            var h = Run(Side(TestCertificates.Rogue.Value, AddrB), Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "not trusted");
        }

        [Fact]
        public void Rfc7296_2_15_ExpiredCertificate_AuthenticationFailed()
        {
            var h = Run(Side(TestCertificates.Expired.Value, AddrB), Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "is not valid at 2026-11-22");
        }

        [Fact]
        public void Rfc7296_2_15_ValidityIsJudgedByTheInjectedClock()
        {
            // The same certificates (valid 2026-01-01 to 2031-01-01) establish at the harness's 2026-11-22, and fail in 2031.
            AssertEstablished(Run(Side(TestCertificates.A.Value, AddrB), Side(TestCertificates.B.Value, AddrA)));
            var h = Run(Side(TestCertificates.A.Value, AddrB), Side(TestCertificates.B.Value, AddrA), clock: new DateTime(2031, 6, 1, 0, 0, 0, DateTimeKind.Utc));
            AssertAuthenticationFailed(h, "is not valid at 2031-06-01");
        }

        [Fact]
        public void Rfc7296_3_5_IdNotInTheCertificate_AuthenticationFailed()
        {
            // A claims ID_FQDN a.ike.test, but its certificate has that only as CN, with no dNSName subjectAltName.
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: o => o.LocalIdentity = "a.ike.test"), Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "is not in its certificate");
        }

        [Fact]
        public void Rfc7296_3_5_FqdnIdMatchesTheSubjectAltName()
        {
            var h = Run(Side(TestCertificatesV2.RsaWithSan.Value, AddrB, more: o => o.LocalIdentity = "san.ike.test"),
                        Side(TestCertificates.B.Value, AddrA, remoteIdentity: "san.ike.test"));
            var (_, b) = AssertEstablished(h);
            Assert.Equal("san.ike.test", b.RemoteFirstId);
            Assert.Equal(TestCertificatesV2.RsaWithSan.Value.Subject, b.RemoteCertificateSubject);
        }

        [Theory]
        [InlineData("C=XX, O=IkeExtensions, CN=a.ike.test", true)]
        [InlineData("C=XX, O=IkeExtensions, CN=b.ike.test", false)]
        [InlineData("a.ike.test", false)]
        public void Rfc4301_4_4_3_PadEntryIdentity_MustBeThePeersId(string allowed, bool accepted)
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB), Side(TestCertificates.B.Value, AddrA, remoteIdentity: allowed));
            if (accepted) AssertEstablished(h);
            else AssertAuthenticationFailed(h, "not the identity its PAD entry allows");
        }

        [Fact]
        public void Rfc4301_4_4_3_PeerUsesPsk_ButItsPadEntryAllowsOnlyCertificates_AuthenticationFailed()
        {
            var h = Run(Side(null, AddrB, trustCa: true, psk: "some-psk"), Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "its PAD entry has none");
        }

        [Fact]
        public void Rfc4301_4_4_3_ResponderThatCannotAuthenticateItself_DropsIkeSaInit()
        {
            // B's entry for A allows certificates, but B has neither a certificate nor a pre-shared key for A.
            var h = Run(Side(TestCertificates.A.Value, AddrB), Side(null, AddrA));
            Assert.Empty(h.B.Engine.IkeSas.Snapshot());
            Assert.Empty(h.A.EstablishedIkeSas);
            Assert.Contains(h.B.Log, l => l.Contains("dropped: we are to use a pre-shared key but the PAD entry has none"));
        }

        [Theory]
        [InlineData("rsa")]
        [InlineData("ec")]
        public void Rfc7296_2_15_TamperedSignature_AuthenticationFailed(string key)
        {
            var cred = key == "rsa" ? TestCertificates.A.Value : TestCertificatesV2.EcP256.Value;
            var h = Run(Side(cred, AddrB, more: o => o.RewriteOwnAuthPayloadsForTests = l => l.Select(p => p is AuthenticationPayload auth
                    ? new AuthenticationPayload(auth.Method, Flip(auth.Data.ToArray())) : p).ToList()),
                Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "does not verify");
        }

        private static byte[] Flip(byte[] b)
        {
            b[b.Length - 3] ^= 0x40;
            return b;
        }

        [Fact]
        public void Rfc7296_3_6_SignatureWithoutCertPayload_AuthenticationFailed()
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: o => o.RewriteOwnAuthPayloadsForTests = l => l.Where(p => !(p is CertificatePayload)).ToList()),
                        Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "no X.509 CERT payload");
        }

        [Theory]
        [InlineData(new byte[] { 0x30, 0x82, 0xff, 0xff, 0x01 })]
        [InlineData(new byte[] { 0x00 })]
        [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 })]
        public void Rfc7296_3_6_MalformedCertDer_AuthenticationFailed_WithoutThrowing(byte[] der)
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: o => o.RewriteOwnAuthPayloadsForTests = l => l.Select(p => p is CertificatePayload
                    ? new CertificatePayload(4, der, majorVersion: 2) : p).ToList()),
                Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "not a DER X.509 certificate");
        }

        [Fact]
        public void Rfc7296_3_6_AnotherTrustedCertificateInCert_AuthenticationFailed()
        {
            // A sends B's (trusted, valid) certificate instead of its own; its ID (A's DN) does not name that certificate.
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: o => o.RewriteOwnAuthPayloadsForTests = l => l.Select(p => p is CertificatePayload
                    ? new CertificatePayload(4, TestCertificates.B.Value.Certificate.GetEncoded(), majorVersion: 2) : p).ToList()),
                Side(TestCertificates.B.Value, AddrA));
            AssertAuthenticationFailed(h, "is not in its certificate");
        }

        [Fact]
        public void MsIkee_3_14_5_1_Note39_RealmVendorIdInIkeSaInit_ResponseCarriesNoCertReq_StillEstablishes()
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB, more: o => o.SecurityRealm = "corp.example"), Side(TestCertificates.B.Value, AddrA));
            AssertEstablished(h);
            Assert.True(IkeMessage.TryDecode(h.Wire[1].Data, out var response, out _));
            Assert.Empty(response.FindAll<CertificateRequestPayload>());
            Assert.NotNull(h.B.EstablishedIkeSas[0].SecurityRealmId);
        }

        [Fact]
        public void Rfc7296_3_7_CertReq_InIkeSaInitResponseAndIkeAuth_NamesTheSha1OfTheAnchorsSpki()
        {
            var h = Run(Side(TestCertificates.A.Value, AddrB), Side(TestCertificates.B.Value, AddrA));
            AssertEstablished(h);
            Assert.True(IkeMessage.TryDecode(h.Wire[1].Data, out var response, out _));
            var certReq = response.FindAll<CertificateRequestPayload>().Single();
            Assert.Equal(4, certReq.Encoding);
            var spki = TestCertificates.Ca.Value.Cert.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
            Assert.Equal(HashAlgorithms.Sha1.Compute(spki), certReq.Authority.ToArray());
            Assert.True(IkeMessage.TryDecode(h.Wire[0].Data, out var request, out _));
            Assert.Empty(request.FindAll<CertificateRequestPayload>()); // §3.7: not in the IKE_SA_INIT request
        }
    }
}
