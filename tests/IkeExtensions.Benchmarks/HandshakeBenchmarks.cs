using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Policy;
using IkeExtensions.Tests.Engine;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Benchmarks
{
    /// <summary>
    /// Whole IKEv1 handshakes (Main Mode + Quick Mode, PSK) between two in-process engines over the in-memory network,
    /// per DH group, next to the pure Diffie-Hellman cost of one handshake (both sides: two key pairs, two agreements),
    /// so the engine's own overhead is the difference.
    /// </summary>
    [MemoryDiagnoser]
    public class HandshakeBenchmarks
    {
        private IkeV1Policy _policy = IkeV1Policy.Default;
        private IDhGroup _group = null!;
        private readonly IRandomSource _random = new SystemRandomSource();

        [Params(2, 14, 19, 20, 24)]
        public int Group { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _policy = new IkeV1Policy(new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, Group) },
                new[] { new QuickModeProposal(EspTransformId.Aes, 256, IpsecAuthenticationAlgorithm.HmacSha2_256) });
            _group = DhGroups.Get(Group);
        }

        [Benchmark]
        public int MainModeAndQuickMode_InProcess()
        {
            var h = new TwoPeerHarness(_policy, _policy);
            h.A.Engine.Initiate(new InitiateRequest(TwoPeerHarness.AddressA, TwoPeerHarness.AddressB));
            h.Run(TimeSpan.FromMilliseconds(100));
            if (h.A.EstablishedQuickModes.Count != 1 || h.B.EstablishedQuickModes.Count != 1) throw new InvalidOperationException("handshake did not complete");
            return h.Wire.Count;
        }

        [Benchmark]
        public int DiffieHellmanCostPerHandshake()
        {
            using var a = _group.Generate(_random);
            using var b = _group.Generate(_random);
            return a.Agree(b.PublicValue).Length + b.Agree(a.PublicValue).Length;
        }
    }
}
