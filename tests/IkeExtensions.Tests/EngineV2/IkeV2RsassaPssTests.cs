using System;
using System.Linq;
using System.Security.Cryptography;
using IkeExtensions.Crypto.Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>
    /// RFC 7427 Digital Signature AUTH data made with RSASSA-PSS (Appendix A.4; RSASSA-PSS-params of RFC 4055 §3.1), as
    /// libreswan's pluto sends it: before, we answered AUTHENTICATION_FAILED ("AlgorithmIdentifier names no signature
    /// algorithm we support"). The signatures come from .NET's own RSA implementation (independent of the BouncyCastle
    /// verifier), whose PSS salt is as long as the hash, as RFC 8247 §3.2 and pluto use.
    /// </summary>
    public sealed class IkeV2RsassaPssTests
    {
        // RFC 7427 Appendix A.4.3 style: id-RSASSA-PSS, hashAlgorithm [0] sha256, maskGenAlgorithm [1] mgf1SHA256,
        // saltLength [2] 32 (written out by hand from the RFC 4055 ASN.1, not produced by the code under test).
        private static readonly byte[] PssSha256 = Hex(
            "3041" + "06092a864886f70d01010a" + "3034" +
            "a00f" + "300d0609608648016503040201" + "0500" +
            "a11c" + "301a06092a864886f70d010108" + "300d0609608648016503040201" + "0500" +
            "a203" + "020120");

        private static readonly byte[] Octets = Enumerable.Range(0, 400).Select(i => (byte)(i * 7 % 256)).ToArray();

        [Fact]
        public void Rfc7427_A4_RsassaPssSha256Signature_FromAnIndependentSigner_Verifies_AndTamperingFails()
        {
            using var rsa = RSA.Create(2048);
            var pub = Public(rsa);
            var sig = rsa.SignData(Octets, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            var auth = AuthData(PssSha256, sig);
            Assert.True(IkeV2Signature.Verify(pub, 14, auth, Octets, IkeV2Signature.Supported, out var why), why);

            var tampered = (byte[])auth.Clone();
            tampered[tampered.Length - 1] ^= 0x01;
            Assert.False(IkeV2Signature.Verify(pub, 14, tampered, Octets, IkeV2Signature.Supported, out _));
            var other = (byte[])Octets.Clone();
            other[0] ^= 0x80;
            Assert.False(IkeV2Signature.Verify(pub, 14, auth, other, IkeV2Signature.Supported, out _));
            // A PKCS#1 v1.5 signature under the PSS AlgorithmIdentifier does not verify either.
            var v15 = rsa.SignData(Octets, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Assert.False(IkeV2Signature.Verify(pub, 14, AuthData(PssSha256, v15), Octets, IkeV2Signature.Supported, out _));
        }

        [Fact]
        public void Rfc7427_A4_RsassaPssSha512_AsLibreswanSignsIt_Verifies_OnlyWhenSha512WasAnnounced()
        {
            // pluto 4.10 as initiator: "selected hash algorithm SHA2_512", "authby rsasig selects signer RSASSA-PSS".
            using var rsa = RSA.Create(3072);
            var pub = Public(rsa);
            var sig = rsa.SignData(Octets, HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
            var auth = AuthData(Pss(NistObjectIdentifiers.IdSha512, NistObjectIdentifiers.IdSha512, 64), sig);
            Assert.True(IkeV2Signature.Verify(pub, 14, auth, Octets, IkeV2Signature.Supported, out var why), why);
            Assert.False(IkeV2Signature.Verify(pub, 14, auth, Octets, new[] { SignatureHashAlgorithm.Sha2_256 }, out why));
            Assert.Contains("did not announce", why);
            // The declared salt length is part of the check (EMSA-PSS-VERIFY, RFC 8017 §9.1.2 step 10).
            Assert.False(IkeV2Signature.Verify(pub, 14, AuthData(Pss(NistObjectIdentifiers.IdSha512, NistObjectIdentifiers.IdSha512, 32), sig),
                Octets, IkeV2Signature.Supported, out _));
        }

        [Fact]
        public void Rfc7427_A4_RsassaPss_UnsupportedOrMalformedParameters_AreRefusedWithAReason_NeverThrown()
        {
            using var rsa = RSA.Create(2048);
            var pub = Public(rsa);
            var sig = rsa.SignData(Octets, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            string why;
            // No parameters: the RFC 4055 defaults are SHA-1, which we do not accept.
            var bare = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss).GetDerEncoded();
            Assert.False(IkeV2Signature.Verify(pub, 14, AuthData(bare, sig), Octets, IkeV2Signature.Supported, out why));
            Assert.Contains("without parameters", why);
            // MGF1 with SHA-1.
            Assert.False(IkeV2Signature.Verify(pub, 14, AuthData(Pss(NistObjectIdentifiers.IdSha256, new DerObjectIdentifier("1.3.14.3.2.26"), 32), sig),
                Octets, IkeV2Signature.Supported, out why));
            Assert.Contains("MGF1", why);
            // An ECDSA key cannot verify an RSASSA-PSS signature.
            var ec = TestCertificatesV2.EcP256.Value.Certificate.GetPublicKey();
            Assert.False(IkeV2Signature.Verify(ec, 14, AuthData(PssSha256, sig), Octets, IkeV2Signature.Supported, out why));
            Assert.Contains("does not fit", why);
            // Truncated parameters and truncated AUTH data: false, no exception.
            var cut = PssSha256.Take(30).ToArray();
            Assert.False(IkeV2Signature.Verify(pub, 14, AuthData(cut, sig), Octets, IkeV2Signature.Supported, out _));
            Assert.False(IkeV2Signature.Verify(pub, 14, AuthData(PssSha256, sig).Take(PssSha256.Length).ToArray(), Octets, IkeV2Signature.Supported, out _));
        }

        private static RsaKeyParameters Public(RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            return new RsaKeyParameters(false, new Org.BouncyCastle.Math.BigInteger(1, p.Modulus), new Org.BouncyCastle.Math.BigInteger(1, p.Exponent));
        }

        private static byte[] Pss(DerObjectIdentifier hash, DerObjectIdentifier mgfHash, int salt) =>
            new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, new RsassaPssParameters(
                new AlgorithmIdentifier(hash, DerNull.Instance),
                new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, new AlgorithmIdentifier(mgfHash, DerNull.Instance)),
                new DerInteger(salt), new DerInteger(1))).GetDerEncoded();

        // RFC 7427 §3: one octet with the AlgorithmIdentifier's length, the AlgorithmIdentifier, the signature.
        private static byte[] AuthData(byte[] algorithm, byte[] signature) =>
            new[] { (byte)algorithm.Length }.Concat(algorithm).Concat(signature).ToArray();

        private static byte[] Hex(string s) => Enumerable.Range(0, s.Length / 2).Select(i => Convert.ToByte(s.Substring(2 * i, 2), 16)).ToArray();
    }
}
