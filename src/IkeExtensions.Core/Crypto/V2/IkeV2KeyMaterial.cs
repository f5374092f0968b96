using System;

namespace IkeExtensions.Crypto.V2
{
    /// <summary>
    /// IKEv2 key derivation (RFC 7296 §2.13–2.15, §2.17) over an HMAC PRF. Every intermediate buffer that holds secret
    /// material is wiped once consumed; the results belong to the caller, who wipes them in turn.
    /// </summary>
    public static class IkeV2KeyMaterial
    {
        /// <summary>"Key Pad for IKEv2" (RFC 7296 §2.15), the 17 ASCII octets without a terminator.</summary>
        private static readonly byte[] KeyPad = System.Text.Encoding.ASCII.GetBytes("Key Pad for IKEv2");

        /// <summary>
        /// prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), output T1 | T2 | … cut to
        /// <paramref name="length"/> bytes. At most 255 blocks.
        /// </summary>
        public static byte[] PrfPlus(IPrf prf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> seed, int length)
        {
            if (prf == null) throw new ArgumentNullException(nameof(prf));
            if (length < 0 || length > 255 * prf.OutputLength) throw new ArgumentOutOfRangeException(nameof(length), "prf+ yields at most 255 PRF outputs.");
            var output = new byte[length];
            var input = new byte[prf.OutputLength + seed.Length + 1];
            byte[]? previous = null;
            int done = 0;
            for (int n = 1; done < length; n++)
            {
                int at = 0;
                if (previous != null) { previous.CopyTo(input, 0); at = previous.Length; }
                seed.CopyTo(input.AsSpan(at));
                at += seed.Length;
                input[at++] = unchecked((byte)n);
                var t = prf.Compute(key, input.AsSpan(0, at));
                CryptoBytes.Zero(previous);
                previous = t;
                int take = Math.Min(t.Length, length - done);
                t.AsSpan(0, take).CopyTo(output.AsSpan(done));
                done += take;
            }
            CryptoBytes.Zero(previous);
            CryptoBytes.Zero(input);
            return output;
        }

        /// <summary>SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14; HMAC PRFs take the whole nonce concatenation as key).</summary>
        public static byte[] SkeySeed(IPrf prf, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, ReadOnlySpan<byte> sharedSecret)
        {
            var key = Concat(nonceI, nonceR);
            try { return prf.Compute(key, sharedSecret); }
            finally { CryptoBytes.Zero(key); }
        }

        /// <summary>
        /// SKEYSEED of an IKE SA made by rekeying (RFC 7296 §2.18): prf(SK_d (old), g^ir (new) | Ni | Nr), where g^ir is the
        /// CREATE_CHILD_SA exchange's fresh Diffie-Hellman secret and the PRF is the old IKE SA's (the exchange belongs to it).
        /// </summary>
        public static byte[] RekeySkeySeed(IPrf oldPrf, ReadOnlySpan<byte> oldSkD, ReadOnlySpan<byte> newSharedSecret, ReadOnlySpan<byte> nonceI,
            ReadOnlySpan<byte> nonceR)
        {
            if (oldPrf == null) throw new ArgumentNullException(nameof(oldPrf));
            var input = new byte[newSharedSecret.Length + nonceI.Length + nonceR.Length];
            newSharedSecret.CopyTo(input);
            nonceI.CopyTo(input.AsSpan(newSharedSecret.Length));
            nonceR.CopyTo(input.AsSpan(newSharedSecret.Length + nonceI.Length));
            try { return oldPrf.Compute(oldSkD, input); }
            finally { CryptoBytes.Zero(input); }
        }

        /// <summary>
        /// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) (RFC 7296 §2.14).
        /// <paramref name="encryptionKeyLength"/> includes an AEAD cipher's salt (RFC 5282 §7.1: 4 bytes for GCM);
        /// <paramref name="integrityKeyLength"/> is 0 for AEAD ciphers.
        /// </summary>
        public static IkeV2SaKeys DeriveIkeSaKeys(IPrf prf, ReadOnlySpan<byte> skeyseed, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR,
            ulong spiI, ulong spiR, int encryptionKeyLength, int integrityKeyLength)
        {
            var seed = new byte[nonceI.Length + nonceR.Length + 16];
            nonceI.CopyTo(seed);
            nonceR.CopyTo(seed.AsSpan(nonceI.Length));
            CryptoBytes.WriteUInt64BigEndian(seed.AsSpan(nonceI.Length + nonceR.Length), spiI);
            CryptoBytes.WriteUInt64BigEndian(seed.AsSpan(nonceI.Length + nonceR.Length + 8), spiR);
            int p = prf.OutputLength;
            int total = p + 2 * integrityKeyLength + 2 * encryptionKeyLength + 2 * p;
            var all = PrfPlus(prf, skeyseed, seed, total);
            CryptoBytes.Zero(seed);
            int at = 0;
            byte[] Take(int n) { var r = all.AsSpan(at, n).ToArray(); at += n; return r; }
            var keys = new IkeV2SaKeys(
                skD: Take(p), skAi: Take(integrityKeyLength), skAr: Take(integrityKeyLength),
                skEi: Take(encryptionKeyLength), skEr: Take(encryptionKeyLength), skPi: Take(p), skPr: Take(p));
            CryptoBytes.Zero(all);
            return keys;
        }

        /// <summary>KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (RFC 7296 §2.17), <paramref name="length"/> bytes.</summary>
        public static byte[] ChildKeyMaterial(IPrf prf, ReadOnlySpan<byte> skD, ReadOnlySpan<byte> newSharedSecret, ReadOnlySpan<byte> nonceI,
            ReadOnlySpan<byte> nonceR, int length)
        {
            var seed = new byte[newSharedSecret.Length + nonceI.Length + nonceR.Length];
            newSharedSecret.CopyTo(seed);
            nonceI.CopyTo(seed.AsSpan(newSharedSecret.Length));
            nonceR.CopyTo(seed.AsSpan(newSharedSecret.Length + nonceI.Length));
            try { return PrfPlus(prf, skD, seed, length); }
            finally { CryptoBytes.Zero(seed); }
        }

        /// <summary>
        /// The octets a peer signs or MACs (RFC 7296 §2.15): its own first message (IKE_SA_INIT request or response) as sent,
        /// the other peer's nonce data, and prf(SK_px, IDx') where IDx' is the ID payload body without its generic header.
        /// </summary>
        public static byte[] SignedOctets(IPrf prf, ReadOnlySpan<byte> ownFirstMessage, ReadOnlySpan<byte> peerNonce, ReadOnlySpan<byte> skP,
            ReadOnlySpan<byte> idBody)
        {
            var macedId = prf.Compute(skP, idBody);
            var octets = new byte[ownFirstMessage.Length + peerNonce.Length + macedId.Length];
            ownFirstMessage.CopyTo(octets);
            peerNonce.CopyTo(octets.AsSpan(ownFirstMessage.Length));
            macedId.CopyTo(octets.AsSpan(ownFirstMessage.Length + peerNonce.Length));
            return octets;
        }

        /// <summary>AUTH for a shared key (RFC 7296 §2.15): prf(prf(Shared Secret, "Key Pad for IKEv2"), &lt;SignedOctets&gt;).</summary>
        public static byte[] SharedKeyAuth(IPrf prf, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> signedOctets)
        {
            var padded = prf.Compute(sharedSecret, KeyPad);
            try { return prf.Compute(padded, signedOctets); }
            finally { CryptoBytes.Zero(padded); }
        }

        private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            var r = new byte[a.Length + b.Length];
            a.CopyTo(r);
            b.CopyTo(r.AsSpan(a.Length));
            return r;
        }
    }

    /// <summary>The seven IKE SA secrets of RFC 7296 §2.14. Never logged; <see cref="Dispose"/> wipes them.</summary>
    public sealed class IkeV2SaKeys : IDisposable
    {
        public IkeV2SaKeys(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr)
        {
            SkD = skD; SkAi = skAi; SkAr = skAr; SkEi = skEi; SkEr = skEr; SkPi = skPi; SkPr = skPr;
        }

        public byte[] SkD { get; }
        public byte[] SkAi { get; }
        public byte[] SkAr { get; }
        public byte[] SkEi { get; }
        public byte[] SkEr { get; }
        public byte[] SkPi { get; }
        public byte[] SkPr { get; }

        public void Dispose()
        {
            foreach (var k in new[] { SkD, SkAi, SkAr, SkEi, SkEr, SkPi, SkPr }) CryptoBytes.Zero(k);
        }

        public override string ToString() => "IkeV2SaKeys (hidden)";
    }
}
