using System;

namespace IkeExtensions.Crypto
{
    /// <summary>Phase 2 (Quick Mode, RFC 2409 §5.5) and informational (§5.7) computations under SKEYID_a and SKEYID_d.</summary>
    public sealed partial class IkeV1KeyMaterial
    {
        /// <summary>Quick Mode HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]) (RFC 2409 §5.5).</summary>
        public byte[] QuickModeHash1(uint messageId, ReadOnlySpan<byte> payloadsAfterHash)
            => PrfA(messageId, ReadOnlySpan<byte>.Empty, payloadsAfterHash);

        /// <summary>Quick Mode HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [| KE] [| IDci | IDcr]) (RFC 2409 §5.5).</summary>
        public byte[] QuickModeHash2(uint messageId, ReadOnlySpan<byte> ni_b, ReadOnlySpan<byte> payloadsAfterHash)
            => PrfA(messageId, ni_b, payloadsAfterHash);

        /// <summary>Quick Mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) (RFC 2409 §5.5; the 0 is one octet).</summary>
        public byte[] QuickModeHash3(uint messageId, ReadOnlySpan<byte> ni_b, ReadOnlySpan<byte> nr_b)
        {
            byte[] input = new byte[1 + 4 + ni_b.Length + nr_b.Length];
            var w = new ConcatWriter(input);
            w.Write((byte)0);
            w.WriteUInt32(messageId);
            w.Write(ni_b);
            w.Write(nr_b);
            return PrfOver(Live(_skeyidA), input);
        }

        /// <summary>Informational HASH(1) = prf(SKEYID_a, M-ID | N/D) (RFC 2409 §5.7): the payloads after the hash payload.</summary>
        public byte[] InformationalHash(uint messageId, ReadOnlySpan<byte> payloadsAfterHash)
            => PrfA(messageId, ReadOnlySpan<byte>.Empty, payloadsAfterHash);

        /// <summary>
        /// prf(SKEYID_a, part1 | part2 | …) for hashes built from other parts, e.g. MS-IKEE §3.8's reliable delete
        /// prf(SKEYID_a, M-ID | Ni | Delete). Callers encode integers in network order themselves.
        /// </summary>
        public byte[] PrfA(params ReadOnlyMemory<byte>[] parts)
        {
            if (parts == null) throw new ArgumentNullException(nameof(parts));
            int length = 0;
            foreach (ReadOnlyMemory<byte> part in parts) length = checked(length + part.Length);
            byte[] input = new byte[length];
            var w = new ConcatWriter(input);
            foreach (ReadOnlyMemory<byte> part in parts) w.Write(part.Span);
            return PrfOver(Live(_skeyidA), input);
        }

        private byte[] PrfA(uint messageId, ReadOnlySpan<byte> middle, ReadOnlySpan<byte> rest)
        {
            byte[] input = new byte[4 + middle.Length + rest.Length];
            var w = new ConcatWriter(input);
            w.WriteUInt32(messageId);
            w.Write(middle);
            w.Write(rest);
            return PrfOver(Live(_skeyidA), input);
        }

        /// <summary>
        /// Quick Mode KEYMAT for one SA direction (RFC 2409 §5.5): the SPI is the one the receiving side chose, protocol the
        /// IPsec protocol id (2 AH, 3 ESP). <paramref name="gqmxy"/> is the Quick Mode DH secret with PFS, empty without.
        /// KEYMAT = K1 | K2 | …, K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
        /// Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), truncated to <paramref name="length"/>.
        /// </summary>
        public byte[] QuickModeKeyMaterial(byte protocol, uint spi, ReadOnlySpan<byte> ni_b, ReadOnlySpan<byte> nr_b, ReadOnlySpan<byte> gqmxy, int length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
            byte[] skeyidD = Live(_skeyidD);
            int prfLength = Prf.OutputLength;
            int suffixLength = gqmxy.Length + 1 + 4 + ni_b.Length + nr_b.Length;
            byte[] input = new byte[prfLength + suffixLength];
            var w = new ConcatWriter(input.AsSpan(prfLength));
            w.Write(gqmxy);
            w.Write(protocol);
            w.WriteUInt32(spi);
            w.Write(ni_b);
            w.Write(nr_b);

            byte[] keymat = new byte[length];
            int produced = 0;
            byte[]? previous = null;
            try
            {
                while (produced < length)
                {
                    // K1 has no Kn-1 prefix: feed the suffix alone; later rounds put Kn-1 in front of it.
                    ReadOnlySpan<byte> data = previous == null ? input.AsSpan(prfLength) : input;
                    byte[] k = Prf.Compute(skeyidD, data);
                    int take = Math.Min(k.Length, length - produced);
                    k.AsSpan(0, take).CopyTo(keymat.AsSpan(produced));
                    produced += take;
                    k.AsSpan(0, prfLength).CopyTo(input);
                    CryptoBytes.Zero(previous);
                    previous = k;
                }
            }
            finally
            {
                CryptoBytes.Zero(previous);
                CryptoBytes.Zero(input);
            }
            return keymat;
        }
    }
}
