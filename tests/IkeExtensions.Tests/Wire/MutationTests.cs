using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.Wire
{
    /// <summary>
    /// Untrusted input never throws out of the codec: at least 100,000 randomly mutated messages per run (seeded, so a
    /// failure reproduces) go through decode, the message rules and, when they decode, re-encode.
    /// </summary>
    public class MutationTests
    {
        public const int Iterations = 120_000;

        [Fact]
        public void HundredThousandMutatedMessages_NeverThrow_AndDecodedOnesReencodeConsistently()
        {
            var seeds = SampleMessages.All().Select(x => x.Message.Encode())
                .Concat(CaptureVectors.Files.SelectMany(f => CaptureVectors.Ike(f).Select(x => x.Ike)))
                .ToList();
            var rng = new Random(20261122);
            var revisions = new[] { NatTraversalRevision.None, NatTraversalRevision.Rfc3947, NatTraversalRevision.Draft02 };
            int decoded = 0, rejected = 0;
            var codes = new HashSet<ParseErrorCode>();

            for (int i = 0; i < Iterations; i++)
            {
                byte[] input = Mutate(seeds[rng.Next(seeds.Count)], rng);
                try
                {
                    if (IkeMessage.TryDecode(input, out var m, out var error, revisions[i % 3]))
                    {
                        decoded++;
                        MessageRules.TryCheck(m, out _);
                        _ = m.ToString();
                        foreach (var p in m.Payloads) _ = p.ToString();
                        // Whatever decoded re-encodes to a message that decodes again to the same bytes.
                        byte[] again = m.Encode();
                        Assert.True(IkeMessage.TryDecode(again, out var m2, out var e2, revisions[i % 3]), e2.ToString());
                        Assert.Equal(again, m2.Encode());
                        if (m.HasEncryptedBody || m.MajorVersion == 1)
                            IkeMessage.TryDecodePayloads(m.EncryptedBody, m.Header.NextPayload, m.MajorVersion, out _, out _);
                    }
                    else
                    {
                        rejected++;
                        codes.Add(error.Code);
                        Assert.NotEqual(ParseErrorCode.None, error.Code);
                    }
                }
                catch (Exception ex) when (!(ex is Xunit.Sdk.XunitException))
                {
                    throw new Xunit.Sdk.XunitException($"iteration {i} threw {ex.GetType().Name} on {HexFormat.ToHex(input)}: {ex}");
                }
            }

            // The mutator reaches both outcomes and many error kinds, so the loop is not testing only one path.
            Assert.True(decoded > Iterations / 10, $"only {decoded} decoded");
            Assert.True(rejected > Iterations / 10, $"only {rejected} rejected");
            Assert.True(codes.Count >= 5, string.Join(",", codes));
        }

        private static byte[] Mutate(byte[] seed, Random rng)
        {
            var b = new List<byte>(seed);
            int edits = 1 + rng.Next(4);
            for (int e = 0; e < edits && b.Count > 0; e++)
            {
                int at = rng.Next(b.Count);
                switch (rng.Next(7))
                {
                    case 0: b[at] = (byte)rng.Next(256); break;                         // random byte
                    case 1: b[at] ^= (byte)(1 << rng.Next(8)); break;                    // bit flip
                    case 2: b.RemoveRange(at, Math.Min(b.Count - at, 1 + rng.Next(16))); break; // cut
                    case 3: b.InsertRange(at, Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => (byte)rng.Next(256))); break;
                    case 4: if (at + 1 < b.Count) { b[at] = 0xFF; b[at + 1] = 0xFF; } break;    // huge length
                    case 5: if (at + 1 < b.Count) { b[at] = 0; b[at + 1] = (byte)rng.Next(8); } break; // tiny length
                    case 6: b[at] = (byte)new[] { 1, 2, 3, 5, 11, 13, 20, 0x82, 0x84, 33, 41, 46, 47, 53, 0xC8 }[rng.Next(15)]; break; // payload types
                }
            }
            // Keep the header length consistent most of the time so mutations reach the payloads.
            if (b.Count >= 28 && rng.Next(4) != 0)
            {
                uint len = (uint)b.Count;
                b[24] = (byte)(len >> 24); b[25] = (byte)(len >> 16 & 0xFF); b[26] = (byte)(len >> 8 & 0xFF); b[27] = (byte)(len & 0xFF);
            }
            return b.ToArray();
        }
    }
}
