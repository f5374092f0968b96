using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Engine.V2;
using IkeExtensions.Wire;
using IkeExtensions.Tests.EngineV2;

namespace IkeExtensions.Benchmarks
{
    /// <summary>
    /// Whole IKEv2 handshakes (IKE_SA_INIT + IKE_AUTH with PSK and the first child SA, RFC 7296 section 1.2) between two
    /// in-process engines over the in-memory network of <see cref="TwoPeerV2Harness"/>, both sides' work included,
    /// per DH group and per suite (the same suite for the IKE SA and the child).
    /// </summary>
    [MemoryDiagnoser]
    public class HandshakeV2Benchmarks
    {
        private IkeV2Policy _policy = IkeV2Policy.Default;

        [Params(14, 19, 20)]
        public int Group { get; set; }

        /// <summary>"aes256-sha256": AES-CBC-256 + HMAC-SHA2-256 (PRF HMAC-SHA2-256); "aes256gcm16": AES-GCM-16 256-bit (PRF HMAC-SHA2-256).</summary>
        [Params("aes256-sha256", "aes256gcm16")]
        public string Suite { get; set; } = "aes256-sha256";

        [GlobalSetup]
        public void Setup()
        {
            string group = Group switch { 14 => "modp2048", 19 => "ecp256", 20 => "ecp384", 24 => "modp2048s256", _ => throw new ArgumentOutOfRangeException(nameof(Group)) };
            string ike = Suite == "aes256gcm16" ? $"aes256gcm16-prfsha256-{group}" : $"{Suite}-{group}";
            _policy = new IkeV2Policy(new[] { IkeV2Proposal.Parse(ike) }, new[] { ChildProposalV2.Parse(Suite) });
            IkeSaInitAndIkeAuth_InProcess(); // fails the setup, not the measurement, if the policy does not negotiate
        }

        [Benchmark]
        public int IkeSaInitAndIkeAuth_InProcess()
        {
            var h = new TwoPeerV2Harness(_policy, _policy);
            h.Initiate();
            h.Run(TimeSpan.FromMilliseconds(100));
            if (h.A.EstablishedIkeSas.Count != 1 || h.B.EstablishedIkeSas.Count != 1 || h.A.EstablishedChildren.Count != 1 || h.B.EstablishedChildren.Count != 1)
                throw new InvalidOperationException("handshake did not complete: " + string.Join(" | ", h.A.Log.Concat(h.B.Log)));
            if (h.A.EstablishedIkeSas[0].GroupId != Group) throw new InvalidOperationException($"negotiated group {h.A.EstablishedIkeSas[0].GroupId}, expected {Group}");
            return h.Wire.Count;
        }

        /// <summary>
        /// The cryptography one handshake needs, both sides together and nothing else — the floor the engine's overhead is
        /// measured against: two key pairs and two agreements; SKEYSEED and the seven keys on each side (RFC 7296 §2.14);
        /// four PSK AUTH values (each side computes its own and checks the peer's, §2.15); the IKE_AUTH request and response
        /// sealed and opened (§3.14, 300-octet bodies); KEYMAT for the child on each side (§2.17).
        /// </summary>
        [Benchmark]
        public int PureCryptoCostPerHandshake()
        {
            var p = _policy.Ike[0];
            var c = _policy.Child[0];
            var prf = IkeV2Names.PrfOf(p.Prf);
            var group = DhGroups.Get(p.DhGroup);
            using var a = group.Generate(SystemRandomSource.Instance);
            using var b = group.Generate(SystemRandomSource.Instance);
            byte[] sharedA = a.Agree(b.PublicValue), sharedB = b.Agree(a.PublicValue);
            int n = sharedA.Length + sharedB.Length;
            int encLength = SkProtection.EncryptionKeyLength(p.Encryption, p.KeyBits), intLength = SkProtection.IntegrityKeyLength(p.Integrity);
            IkeV2SaKeys? keys = null;
            for (int side = 0; side < 2; side++)
            {
                byte[] seed = IkeV2KeyMaterial.SkeySeed(prf, _nonceI, _nonceR, side == 0 ? sharedA : sharedB);
                keys?.Dispose();
                keys = IkeV2KeyMaterial.DeriveIkeSaKeys(prf, seed, _nonceI, _nonceR, 0x1122334455667788UL, 0x99aabbccddeeff00UL, encLength, intLength);
            }
            for (int i = 0; i < 4; i++)
                n += IkeV2KeyMaterial.SharedKeyAuth(prf, _psk, IkeV2KeyMaterial.SignedOctets(prf, _firstMessage, _nonceR, keys!.SkPi, _id)).Length;
            using var initiator = new SkProtection(p.Encryption, p.KeyBits, p.Integrity, keys!.SkEi, keys.SkAi, keys.SkEr, keys.SkAr);
            using var responder = new SkProtection(p.Encryption, p.KeyBits, p.Integrity, keys.SkEr, keys.SkAr, keys.SkEi, keys.SkAi);
            var header = new IsakmpHeader(0x1122334455667788UL, 0x99aabbccddeeff00UL, PayloadType.None, 2, 0, ExchangeType.IkeAuth, HeaderFlags.Initiator, 1, 0);
            foreach (var (from, to) in new[] { (initiator, responder), (responder, initiator) })
            {
                byte[] sealedMessage = from.Protect(header, PayloadType.IdentificationInitiator, _authBody, SystemRandomSource.Instance);
                if (!to.TryUnprotect(sealedMessage, IsakmpHeader.Size, out byte[] plain, out string why)) throw new InvalidOperationException(why);
                n += plain.Length;
            }
            for (int side = 0; side < 2; side++)
                n += IkeV2KeyMaterial.ChildKeyMaterial(prf, keys.SkD, Array.Empty<byte>(), _nonceI, _nonceR, 2 * c.KeyMaterialLength).Length;
            keys.Dispose();
            return n;
        }

        private readonly byte[] _nonceI = Filled(32, 1), _nonceR = Filled(32, 2), _psk = Filled(24, 3), _firstMessage = Filled(500, 4),
            _id = Filled(8, 5), _authBody = Filled(300, 6);

        private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
    }
}
