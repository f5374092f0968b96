using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Wire;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>
    /// Known answers for IKEv2 key material and SK protection: Vectors/crypto/ikev2_kat.txt is the stdout of
    /// Vectors/crypto/ikev2_kat.py (Python hmac/hashlib and the `cryptography` package, sharing no code with the engine).
    /// Inputs are read from it too.
    /// </summary>
    public sealed class IkeV2CryptoTests
    {
        private static readonly Lazy<Dictionary<string, byte[]>> Kat = new Lazy<Dictionary<string, byte[]>>(() =>
            File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Vectors", "crypto", "ikev2_kat.txt"))
                .Where(line => line.Contains('='))
                .Select(line => line.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => Convert.FromHexString(parts[1].Trim())));

        private static byte[] V(string name) => Kat.Value[name];
        private static ulong Spi(string name) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(V(name));

        private sealed class FixedRandom : IRandomSource
        {
            private readonly byte[] _bytes;
            public FixedRandom(byte[] bytes) => _bytes = bytes;
            public void Fill(Span<byte> destination) => _bytes.AsSpan(0, destination.Length).CopyTo(destination);
        }

        [Fact]
        public void Rfc7296_2_13_PrfPlus()
        {
            Assert.Equal(V("PRFPLUS_SHA256_200"), IkeV2KeyMaterial.PrfPlus(PrfAlgorithms.HmacSha2_256, V("PRFPLUS_KEY"), V("PRFPLUS_SEED"), 200));
            Assert.Equal(V("PRFPLUS_SHA512_130"), IkeV2KeyMaterial.PrfPlus(PrfAlgorithms.HmacSha2_512, V("PRFPLUS_KEY"), V("PRFPLUS_SEED"), 130));
            Assert.Throws<ArgumentOutOfRangeException>(() => IkeV2KeyMaterial.PrfPlus(PrfAlgorithms.HmacSha2_256, V("PRFPLUS_KEY"), V("PRFPLUS_SEED"), 255 * 32 + 1));
        }

        [Theory]
        [InlineData("A", 32, 32)]
        [InlineData("B", 20, 0)]
        public void Rfc7296_2_14_SkeyseedAndTheSevenKeys(string suite, int encr, int integ)
        {
            var prf = suite == "A" ? PrfAlgorithms.HmacSha2_256 : PrfAlgorithms.HmacSha2_384;
            var seed = IkeV2KeyMaterial.SkeySeed(prf, V("NI"), V("NR"), V("GIR"));
            Assert.Equal(V("SKEYSEED_" + suite), seed);
            using var keys = IkeV2KeyMaterial.DeriveIkeSaKeys(prf, seed, V("NI"), V("NR"), Spi("SPII"), Spi("SPIR"), encr, integ);
            Assert.Equal(V("SK_D_" + suite), keys.SkD);
            Assert.Equal(V("SK_AI_" + suite), keys.SkAi);
            Assert.Equal(V("SK_AR_" + suite), keys.SkAr);
            Assert.Equal(V("SK_EI_" + suite), keys.SkEi);
            Assert.Equal(V("SK_ER_" + suite), keys.SkEr);
            Assert.Equal(V("SK_PI_" + suite), keys.SkPi);
            Assert.Equal(V("SK_PR_" + suite), keys.SkPr);
        }

        [Fact]
        public void Rfc7296_2_17_ChildKeymat_WithAndWithoutPfs()
        {
            Assert.Equal(V("KEYMAT_A"), IkeV2KeyMaterial.ChildKeyMaterial(PrfAlgorithms.HmacSha2_256, V("SK_D_A"), default, V("NI"), V("NR"), 128));
            Assert.Equal(V("KEYMAT_B_PFS"), IkeV2KeyMaterial.ChildKeyMaterial(PrfAlgorithms.HmacSha2_384, V("SK_D_B"), V("GIR_NEW"), V("NI"), V("NR"), 40));
        }

        [Fact]
        public void Rfc7296_2_15_SharedKeyAuth()
        {
            var octets = IkeV2KeyMaterial.SignedOctets(PrfAlgorithms.HmacSha2_256, V("MSG1"), V("NR"), V("SK_PI_A"), V("IDBODY"));
            Assert.Equal(V("SIGNED_OCTETS_A"), octets);
            Assert.Equal(V("AUTH_A"), IkeV2KeyMaterial.SharedKeyAuth(PrfAlgorithms.HmacSha2_256, V("PSK"), octets));
            Assert.Equal(new byte[] { 1, 0, 0, 0, 192, 0, 2, 1 }, IkeExtensions.Engine.V2.IkeV2Codec.IdBody(1, new byte[] { 192, 0, 2, 1 }));
        }

        private static IsakmpHeader AuthHeader() =>
            new IsakmpHeader(Spi("SPII"), Spi("SPIR"), PayloadType.None, 2, 0, ExchangeType.IkeAuth, HeaderFlags.Initiator, 1, 0);

        [Fact]
        public void Rfc7296_3_14_SkPayload_AesCbcHmacSha256_128()
        {
            using var initiator = new SkProtection(SkEncryption.AesCbc, 256, SkIntegrity.HmacSha2_256_128, V("SK_EI_A"), V("SK_AI_A"), V("SK_ER_A"), V("SK_AR_A"));
            var datagram = initiator.Protect(AuthHeader(), PayloadType.IdentificationInitiator, V("INNER"), new FixedRandom(V("IV_CBC")));
            Assert.Equal(V("SK_CBC_DATAGRAM"), datagram);

            using var responder = new SkProtection(SkEncryption.AesCbc, 256, SkIntegrity.HmacSha2_256_128, V("SK_ER_A"), V("SK_AR_A"), V("SK_EI_A"), V("SK_AI_A"));
            Assert.True(responder.TryUnprotect(datagram, IsakmpHeader.Size, out var plain, out _));
            Assert.Equal(V("INNER"), plain);
            Assert.False(initiator.TryUnprotect(datagram, IsakmpHeader.Size, out _, out var why)); // wrong direction's keys
            Assert.Contains("ICV", why);
            datagram[20] ^= 1; // the ICV covers the header too
            Assert.False(responder.TryUnprotect(datagram, IsakmpHeader.Size, out _, out _));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Rfc5282_SkPayload_AesGcm16_ExplicitIvSaltAndAad(bool bouncyCastle)
        {
            using var initiator = new SkProtection(SkEncryption.AesGcm16, 128, SkIntegrity.None, V("SK_EI_B"), Array.Empty<byte>(), V("SK_ER_B"), Array.Empty<byte>())
            { ForceBouncyCastleGcm = bouncyCastle };
            var datagram = initiator.Protect(AuthHeader(), PayloadType.IdentificationInitiator, V("INNER"), new FixedRandom(V("IV_GCM")));
            Assert.Equal(V("SK_GCM_DATAGRAM"), datagram);

            using var responder = new SkProtection(SkEncryption.AesGcm16, 128, SkIntegrity.None, V("SK_ER_B"), Array.Empty<byte>(), V("SK_EI_B"), Array.Empty<byte>())
            { ForceBouncyCastleGcm = !bouncyCastle };
            Assert.True(responder.TryUnprotect(datagram, IsakmpHeader.Size, out var plain, out _));
            Assert.Equal(V("INNER"), plain);
            datagram[19] ^= 0x20; // AAD: the header is authenticated
            Assert.False(responder.TryUnprotect(datagram, IsakmpHeader.Size, out _, out _));
        }

        [Fact]
        public void SkPayload_TruncatedOrShort_IsRefusedWithoutThrowing()
        {
            using var sk = new SkProtection(SkEncryption.AesCbc, 128, SkIntegrity.HmacSha2_256_128, new byte[16], new byte[32], new byte[16], new byte[32]);
            var ok = sk.Protect(AuthHeader(), PayloadType.Notify, new byte[10], new FixedRandom(new byte[16]));
            for (int n = 0; n < ok.Length; n++) Assert.False(sk.TryUnprotect(ok.AsSpan(0, n), IsakmpHeader.Size, out _, out _));
            Assert.True(sk.TryUnprotect(ok, IsakmpHeader.Size, out _, out _));
        }
    }
}
