using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using IkeExtensions.Engine.V2;
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
    }
}
