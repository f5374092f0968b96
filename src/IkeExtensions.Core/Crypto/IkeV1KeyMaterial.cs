using System;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// The keying material of one IKEv1 ISAKMP SA (RFC 2409 §5 and Appendix B) and the PRF computations that use it:
    /// HASH_I/HASH_R, the IVs, Quick Mode HASH(1..3) and KEYMAT (§5.5), informational HASH(1) (§5.7).
    /// Secrets (SKEYID, SKEYID_d/a/e, the encryption key) never appear in <see cref="ToString"/> or in exception
    /// messages; <see cref="Dispose"/> zeroes them. Not thread-safe for Dispose racing other calls (one SA, one owner).
    /// </summary>
    public sealed partial class IkeV1KeyMaterial : IDisposable
    {
        private byte[] _skeyid;
        private byte[] _skeyidD;
        private byte[] _skeyidA;
        private byte[] _skeyidE;
        private byte[] _encryptionKey;
        private IkeV1Encryption? _encryption;
        private bool _disposed;

        private IkeV1KeyMaterial(IPrf prf, IHash hash, IBlockCipher cipher, byte[] skeyid, ReadOnlySpan<byte> gxy, ulong ckyI, ulong ckyR)
        {
            Prf = prf;
            Hash = hash;
            Cipher = cipher;
            _skeyid = skeyid;

            // RFC 2409 §5: SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
            //              SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
            //              SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
            // The cookies are the 8-byte header fields as sent (network order); the constants are single octets.
            _skeyidD = DeriveChild(ReadOnlySpan<byte>.Empty, gxy, ckyI, ckyR, 0);
            _skeyidA = DeriveChild(_skeyidD, gxy, ckyI, ckyR, 1);
            _skeyidE = DeriveChild(_skeyidA, gxy, ckyI, ckyR, 2);
            _encryptionKey = ExpandEncryptionKey();
        }

        public IPrf Prf { get; }
        public IHash Hash { get; }
        public IBlockCipher Cipher { get; }

        /// <summary>
        /// Pre-shared key authentication (RFC 2409 §5): SKEYID = prf(pre-shared-key, Ni_b | Nr_b).
        /// Ni_b/Nr_b are the nonce payload bodies (no generic header); cookies are CKY-I/CKY-R from the ISAKMP header.
        /// </summary>
        public static IkeV1KeyMaterial ForPreSharedKey(IPrf prf, IHash hash, IBlockCipher cipher, ReadOnlySpan<byte> psk,
            ReadOnlySpan<byte> ni_b, ReadOnlySpan<byte> nr_b, ReadOnlySpan<byte> gxy, ulong ckyI, ulong ckyR)
        {
            Check(prf, hash, cipher);
            byte[] nonces = Concat(ni_b, nr_b);
            byte[] skeyid = prf.Compute(psk, nonces);
            CryptoBytes.Zero(nonces);
            return new IkeV1KeyMaterial(prf, hash, cipher, skeyid, gxy, ckyI, ckyR);
        }

        /// <summary>Signature authentication (RFC 2409 §5): SKEYID = prf(Ni_b | Nr_b, g^xy).</summary>
        public static IkeV1KeyMaterial ForSignatures(IPrf prf, IHash hash, IBlockCipher cipher,
            ReadOnlySpan<byte> ni_b, ReadOnlySpan<byte> nr_b, ReadOnlySpan<byte> gxy, ulong ckyI, ulong ckyR)
        {
            Check(prf, hash, cipher);
            byte[] nonces = Concat(ni_b, nr_b);
            byte[] skeyid = prf.Compute(nonces, gxy);
            CryptoBytes.Zero(nonces);
            return new IkeV1KeyMaterial(prf, hash, cipher, skeyid, gxy, ckyI, ckyR);
        }

        // Owned by this object and zeroed on Dispose: callers must neither keep nor modify these arrays.
        internal byte[] Skeyid => Live(_skeyid);
        internal byte[] SkeyidD => Live(_skeyidD);
        internal byte[] SkeyidA => Live(_skeyidA);
        internal byte[] SkeyidE => Live(_skeyidE);

        /// <summary>The cipher key: SKEYID_e, expanded per RFC 2409 Appendix B if short, truncated to the key length.</summary>
        internal byte[] EncryptionKey => Live(_encryptionKey);

        /// <summary>CBC encryption with IKEv1 padding under this SA's key (disposed with this object).</summary>
        public IkeV1Encryption Encryption
        {
            get
            {
                ThrowIfDisposed();
                return _encryption ??= new IkeV1Encryption(Cipher, _encryptionKey);
            }
        }

        /// <summary>HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) (RFC 2409 §5).</summary>
        public byte[] HashI(ReadOnlySpan<byte> gxi, ReadOnlySpan<byte> gxr, ulong ckyI, ulong ckyR, ReadOnlySpan<byte> saiBody, ReadOnlySpan<byte> idiiBody)
            => AuthHash(gxi, gxr, ckyI, ckyR, saiBody, idiiBody);

        /// <summary>
        /// HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) (RFC 2409 §5). Arguments are in the same
        /// initiator/responder order as <see cref="HashI"/>; the swap happens here. SAi_b is still the initiator's SA.
        /// </summary>
        public byte[] HashR(ReadOnlySpan<byte> gxi, ReadOnlySpan<byte> gxr, ulong ckyI, ulong ckyR, ReadOnlySpan<byte> saiBody, ReadOnlySpan<byte> idirBody)
            => AuthHash(gxr, gxi, ckyR, ckyI, saiBody, idirBody);

        private byte[] AuthHash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ulong cky1, ulong cky2, ReadOnlySpan<byte> sa, ReadOnlySpan<byte> id)
        {
            byte[] input = new byte[first.Length + second.Length + 16 + sa.Length + id.Length];
            var w = new ConcatWriter(input);
            w.Write(first);
            w.Write(second);
            w.WriteUInt64(cky1);
            w.WriteUInt64(cky2);
            w.Write(sa);
            w.Write(id);
            return PrfOver(Live(_skeyid), input);
        }

        /// <summary>Phase 1 IV = hash(g^xi | g^xr), truncated to the block size (RFC 2409 Appendix B).</summary>
        public byte[] InitialIv(ReadOnlySpan<byte> gxi, ReadOnlySpan<byte> gxr)
        {
            ThrowIfDisposed();
            return CryptoBytes.Truncate(Hash.Compute(Concat(gxi, gxr)), Cipher.BlockSize);
        }

        /// <summary>
        /// First IV of a phase 2 / informational exchange = hash(last phase 1 CBC block | M-ID), truncated to the block
        /// size (RFC 2409 Appendix B). The M-ID is the 4-byte header field in network order.
        /// </summary>
        public byte[] Phase2Iv(ReadOnlySpan<byte> lastPhase1CipherBlock, uint messageId)
        {
            ThrowIfDisposed();
            byte[] input = new byte[lastPhase1CipherBlock.Length + 4];
            var w = new ConcatWriter(input);
            w.Write(lastPhase1CipherBlock);
            w.WriteUInt32(messageId);
            return CryptoBytes.Truncate(Hash.Compute(input), Cipher.BlockSize);
        }

        private byte[] DeriveChild(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> gxy, ulong ckyI, ulong ckyR, byte index)
        {
            byte[] input = new byte[previous.Length + gxy.Length + 16 + 1];
            var w = new ConcatWriter(input);
            w.Write(previous);
            w.Write(gxy);
            w.WriteUInt64(ckyI);
            w.WriteUInt64(ckyR);
            w.Write(index);
            return PrfOver(_skeyid, input);
        }

        /// <summary>
        /// RFC 2409 Appendix B: if SKEYID_e is shorter than the cipher key, Ka = K1 | K2 | … with K1 = prf(SKEYID_e, 0)
        /// (one zero octet) and Kn = prf(SKEYID_e, Kn-1); either way the key is the first KeyLength bytes.
        /// </summary>
        private byte[] ExpandEncryptionKey()
        {
            int keyLength = Cipher.KeyLength;
            if (_skeyidE.Length >= keyLength) return _skeyidE.AsSpan(0, keyLength).ToArray();
            byte[] key = new byte[keyLength];
            int produced = 0;
            byte[] k = Prf.Compute(_skeyidE, new byte[1]);
            while (true)
            {
                int take = Math.Min(k.Length, keyLength - produced);
                k.AsSpan(0, take).CopyTo(key.AsSpan(produced));
                produced += take;
                if (produced == keyLength) break;
                byte[] next = Prf.Compute(_skeyidE, k);
                CryptoBytes.Zero(k);
                k = next;
            }
            CryptoBytes.Zero(k);
            return key;
        }

        private byte[] PrfOver(byte[] key, byte[] input)
        {
            try
            {
                return Prf.Compute(key, input);
            }
            finally
            {
                CryptoBytes.Zero(input); // often contains g^xy or nonces
            }
        }

        private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            byte[] result = new byte[a.Length + b.Length];
            a.CopyTo(result);
            b.CopyTo(result.AsSpan(a.Length));
            return result;
        }

        private static void Check(IPrf prf, IHash hash, IBlockCipher cipher)
        {
            if (prf == null) throw new ArgumentNullException(nameof(prf));
            if (hash == null) throw new ArgumentNullException(nameof(hash));
            if (cipher == null) throw new ArgumentNullException(nameof(cipher));
            if (hash.OutputLength < cipher.BlockSize) throw new ArgumentException("The hash is shorter than the cipher block (IVs are truncated hashes).", nameof(hash));
        }

        private byte[] Live(byte[] secret)
        {
            ThrowIfDisposed();
            return secret;
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(IkeV1KeyMaterial));
        }

        /// <summary>Algorithms and lengths only — never key bytes.</summary>
        public override string ToString()
            => _disposed
                ? $"IkeV1KeyMaterial(prf={Prf}, hash={Hash}, cipher={Cipher}, disposed)"
                : $"IkeV1KeyMaterial(prf={Prf}, hash={Hash}, cipher={Cipher}, SKEYID={_skeyid.Length} bytes, SKEYID_d={_skeyidD.Length} bytes, SKEYID_a={_skeyidA.Length} bytes, SKEYID_e={_skeyidE.Length} bytes, key={_encryptionKey.Length} bytes)";

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _encryption?.Dispose();
            CryptoBytes.Zero(_skeyid);
            CryptoBytes.Zero(_skeyidD);
            CryptoBytes.Zero(_skeyidA);
            CryptoBytes.Zero(_skeyidE);
            CryptoBytes.Zero(_encryptionKey);
        }
    }
}
