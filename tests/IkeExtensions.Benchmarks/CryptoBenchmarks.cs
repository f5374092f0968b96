using System;
using BenchmarkDotNet.Attributes;
using IkeExtensions.Crypto;

namespace IkeExtensions.Benchmarks
{
    /// <summary>
    /// Diffie-Hellman cost per group: one key pair plus one agreement (with peer-value validation) is what each side pays
    /// per Main Mode, and per Quick Mode with PFS. Random source: the production <see cref="SystemRandomSource"/>.
    /// </summary>
    [MemoryDiagnoser]
    public class CryptoDhBenchmarks
    {
        private readonly IRandomSource _random = SystemRandomSource.Instance;
        private IDhGroup _group = null!;
        private byte[] _peerPublic = Array.Empty<byte>();

        [Params(2, 14, 24, 19, 20)]
        public int Group { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _group = DhGroups.Get(Group);
            using IDhKeyPair peer = _group.Generate(_random);
            _peerPublic = peer.PublicValue;
        }

        [Benchmark]
        public byte[] DhGenerateAndAgree()
        {
            using IDhKeyPair pair = _group.Generate(_random);
            return pair.Agree(_peerPublic);
        }
    }

    /// <summary>
    /// The symmetric side of one IKEv1 negotiation: the RFC 2409 §5 pre-shared-key derivation (with a 256-byte MODP-2048
    /// g^xy) and CBC encryption of a typical 256-byte encrypted Main Mode / Quick Mode body.
    /// </summary>
    [MemoryDiagnoser]
    public class CryptoSymmetricBenchmarks
    {
        private readonly byte[] _gxy = new byte[256];
        private readonly byte[] _nonceI = new byte[32];
        private readonly byte[] _nonceR = new byte[32];
        private readonly byte[] _psk = new byte[32];
        private readonly byte[] _body = new byte[256];
        private readonly byte[] _iv = new byte[16];
        private IkeV1Encryption _aes = null!;

        [GlobalSetup]
        public void Setup()
        {
            IRandomSource random = new DeterministicRandomSource("benchmark");
            random.Fill(_gxy);
            random.Fill(_nonceI);
            random.Fill(_nonceR);
            random.Fill(_psk);
            random.Fill(_body);
            _aes = new IkeV1Encryption(BlockCiphers.Aes256Cbc, new byte[32]);
        }

        [GlobalCleanup]
        public void Cleanup() => _aes.Dispose();

        /// <summary>SKEYID, SKEYID_d/a/e and the Appendix B expansion (20-byte SKEYID_e to a 32-byte AES-256 key).</summary>
        [Benchmark]
        public int PskKeyDerivationSha1Aes256()
        {
            using var keys = IkeV1KeyMaterial.ForPreSharedKey(PrfAlgorithms.HmacSha1, HashAlgorithms.Sha1, BlockCiphers.Aes256Cbc,
                _psk, _nonceI, _nonceR, _gxy, 0x0102030405060708, 0x1112131415161718);
            return keys.Cipher.KeyLength;
        }

        /// <summary>Same with HMAC-SHA2-256 (no expansion needed).</summary>
        [Benchmark]
        public int PskKeyDerivationSha256Aes256()
        {
            using var keys = IkeV1KeyMaterial.ForPreSharedKey(PrfAlgorithms.HmacSha2_256, HashAlgorithms.Sha2_256, BlockCiphers.Aes256Cbc,
                _psk, _nonceI, _nonceR, _gxy, 0x0102030405060708, 0x1112131415161718);
            return keys.Cipher.KeyLength;
        }

        /// <summary>IKEv1 body encryption of 256 bytes with AES-256-CBC.</summary>
        [Benchmark]
        public byte[] AesCbcEncrypt256Bytes() => _aes.Encrypt(_body, _iv);
    }
}
