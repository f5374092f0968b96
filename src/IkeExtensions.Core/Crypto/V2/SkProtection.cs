using System;
using IkeExtensions.Wire;

namespace IkeExtensions.Crypto.V2
{
    /// <summary>Encryption transforms the SK payload supports (IANA IKEv2 transform type 1 ids).</summary>
    public enum SkEncryption : ushort
    {
        AesCbc = 12,
        /// <summary>AES-GCM with a 16-octet ICV (RFC 5282).</summary>
        AesGcm16 = 20,
    }

    /// <summary>Integrity transforms (IANA IKEv2 transform type 3 ids); None with AEAD ciphers.</summary>
    public enum SkIntegrity : ushort
    {
        None = 0,
        HmacSha2_256_128 = 12,
        HmacSha2_384_192 = 13,
        HmacSha2_512_256 = 14,
    }

    /// <summary>
    /// Protection of IKEv2 messages with the Encrypted payload (RFC 7296 §3.14): AES-CBC with an HMAC-SHA2 ICV over the
    /// whole message, or AES-GCM-16 (RFC 5282: 8-octet explicit IV, 4-octet salt from the key material, AAD = the message
    /// from the IKE header to the end of the SK generic header). One instance holds both directions' keys; it never
    /// throws on peer input (<see cref="TryUnprotect"/> returns false).
    /// </summary>
    public sealed class SkProtection : IDisposable
    {
        private const int GcmSaltLength = 4;
        private const int GcmIvLength = 8;
        private const int GcmIcvLength = 16;

        private readonly byte[] _outEncryption, _outIntegrity, _inEncryption, _inIntegrity;
        private readonly IBlockCipher? _cbc;
        private readonly IPrf? _mac;

        /// <param name="encryption">The cipher.</param>
        /// <param name="keyBits">AES key size, 128/192/256.</param>
        /// <param name="integrity">HMAC for CBC; None for GCM.</param>
        /// <param name="outEncryption">SK_e of the direction we send (SK_ei for the original initiator), including the GCM salt.</param>
        /// <param name="outIntegrity">SK_a we send with (empty for GCM).</param>
        /// <param name="inEncryption">SK_e of the direction we receive.</param>
        /// <param name="inIntegrity">SK_a we verify with.</param>
        public SkProtection(SkEncryption encryption, int keyBits, SkIntegrity integrity, byte[] outEncryption, byte[] outIntegrity, byte[] inEncryption, byte[] inIntegrity)
        {
            Encryption = encryption;
            KeyBits = keyBits;
            Integrity = integrity;
            int encLength = EncryptionKeyLength(encryption, keyBits);
            if (outEncryption.Length != encLength || inEncryption.Length != encLength) throw new ArgumentException("Encryption key length does not match the transform.");
            if (encryption == SkEncryption.AesGcm16)
            {
                if (integrity != SkIntegrity.None) throw new ArgumentException("AES-GCM carries its own ICV: no integrity transform.", nameof(integrity));
            }
            else
            {
                _cbc = keyBits switch
                {
                    128 => BlockCiphers.Aes128Cbc,
                    192 => BlockCiphers.Aes192Cbc,
                    256 => BlockCiphers.Aes256Cbc,
                    _ => throw new ArgumentOutOfRangeException(nameof(keyBits), "AES keys are 128, 192 or 256 bits."),
                };
                _mac = Hmac(integrity) ?? throw new ArgumentException("AES-CBC needs an integrity transform.", nameof(integrity));
                int integLength = IntegrityKeyLength(integrity);
                if (outIntegrity.Length != integLength || inIntegrity.Length != integLength) throw new ArgumentException("Integrity key length does not match the transform.");
            }
            _outEncryption = (byte[])outEncryption.Clone();
            _outIntegrity = (byte[])outIntegrity.Clone();
            _inEncryption = (byte[])inEncryption.Clone();
            _inIntegrity = (byte[])inIntegrity.Clone();
        }

        public SkEncryption Encryption { get; }
        public int KeyBits { get; }
        public SkIntegrity Integrity { get; }

        /// <summary>Run AES-GCM through BouncyCastle even where the platform has AesGcm (tests cover both paths).</summary>
        internal bool ForceBouncyCastleGcm { get; set; }

        /// <summary>SK_e length: the AES key plus, for GCM, the 4-octet salt (RFC 5282 §7.1).</summary>
        public static int EncryptionKeyLength(SkEncryption encryption, int keyBits) => keyBits / 8 + (encryption == SkEncryption.AesGcm16 ? GcmSaltLength : 0);

        /// <summary>SK_a length: the HMAC's output length (RFC 4868 §2.1.1: the key is as long as the hash).</summary>
        public static int IntegrityKeyLength(SkIntegrity integrity) => integrity switch
        {
            SkIntegrity.HmacSha2_256_128 => 32,
            SkIntegrity.HmacSha2_384_192 => 48,
            SkIntegrity.HmacSha2_512_256 => 64,
            _ => 0,
        };

        /// <summary>ICV length on the wire.</summary>
        public static int IcvLength(SkEncryption encryption, SkIntegrity integrity) => encryption == SkEncryption.AesGcm16 ? GcmIcvLength : integrity switch
        {
            SkIntegrity.HmacSha2_256_128 => 16,
            SkIntegrity.HmacSha2_384_192 => 24,
            SkIntegrity.HmacSha2_512_256 => 32,
            _ => 0,
        };

        internal static IPrf? Hmac(SkIntegrity integrity) => integrity switch
        {
            SkIntegrity.HmacSha2_256_128 => PrfAlgorithms.HmacSha2_256,
            SkIntegrity.HmacSha2_384_192 => PrfAlgorithms.HmacSha2_384,
            SkIntegrity.HmacSha2_512_256 => PrfAlgorithms.HmacSha2_512,
            _ => null,
        };

        private int IvLength => Encryption == SkEncryption.AesGcm16 ? GcmIvLength : 16;
        private int Icv => IcvLength(Encryption, Integrity);

        /// <summary>
        /// Builds a whole datagram: <paramref name="header"/> (its next-payload and length fields are filled here), then
        /// the SK payload holding <paramref name="innerPayloads"/> (an encoded payload chain whose first payload is
        /// <paramref name="firstInner"/>). The IV comes from <paramref name="random"/>.
        /// </summary>
        public byte[] Protect(IsakmpHeader header, PayloadType firstInner, ReadOnlySpan<byte> innerPayloads, IRandomSource random) =>
            ProtectCore(header, PayloadType.Encrypted, firstInner, 0, 0, innerPayloads, random);

        /// <summary>
        /// Builds one Encrypted Fragment message (RFC 7383 §2.5): like <see cref="Protect"/>, but the payload is SKF (53),
        /// whose header carries Fragment Number and Total Fragments after the generic header; both are covered by the ICV
        /// (and are part of the AEAD associated data). <paramref name="nextPayload"/> is the first inner payload in
        /// fragment 1 and None in the others.
        /// </summary>
        public byte[] ProtectFragment(IsakmpHeader header, PayloadType nextPayload, ushort fragmentNumber, ushort totalFragments,
            ReadOnlySpan<byte> chunk, IRandomSource random) =>
            ProtectCore(header, PayloadType.EncryptedFragment, nextPayload, fragmentNumber, totalFragments, chunk, random);

        /// <summary>
        /// How many plaintext octets fit an SK/SKF payload whose IV, ciphertext (with padding and pad length) and ICV
        /// may take <paramref name="protectedBodyLength"/> octets; 0 or less when nothing fits.
        /// </summary>
        public int MaxInnerLength(int protectedBodyLength)
        {
            int cipher = protectedBodyLength - IvLength - Icv;
            if (Encryption != SkEncryption.AesGcm16) cipher -= cipher % 16;
            return cipher - 1; // the Pad Length octet
        }

        private byte[] ProtectCore(IsakmpHeader header, PayloadType payloadType, PayloadType firstInner, ushort fragmentNumber, ushort totalFragments,
            ReadOnlySpan<byte> innerPayloads, IRandomSource random)
        {
            int block = Encryption == SkEncryption.AesGcm16 ? 1 : 16;
            int padLength = (block - (innerPayloads.Length + 1) % block) % block;
            int plainLength = innerPayloads.Length + padLength + 1;
            int skBody = IvLength + plainLength + Icv;
            // SK: generic header only; SKF: generic header, Fragment Number, Total Fragments (RFC 7383 §2.5).
            int hdr = payloadType == PayloadType.EncryptedFragment ? 8 : 4;
            int total = IsakmpHeader.Size + hdr + skBody;
            if (total > IkeMessage.MaxLength) throw new InvalidOperationException($"The protected message would be {total} bytes.");

            var datagram = new byte[total];
            header.With(nextPayload: payloadType, length: (uint)total).Write(datagram);
            int sk = IsakmpHeader.Size;
            datagram[sk + 1] = 0; // SK is the last payload; its flags are 0
            datagram[sk + 2] = (byte)((hdr + skBody) >> 8);
            datagram[sk + 3] = unchecked((byte)(hdr + skBody));
            // Next Payload of SK names the first inner payload (RFC 7296 §3.14).
            datagram[sk] = (byte)firstInner;
            if (hdr == 8)
            {
                datagram[sk + 4] = (byte)(fragmentNumber >> 8);
                datagram[sk + 5] = unchecked((byte)fragmentNumber);
                datagram[sk + 6] = (byte)(totalFragments >> 8);
                datagram[sk + 7] = unchecked((byte)totalFragments);
            }

            var iv = datagram.AsSpan(sk + hdr, IvLength);
            random.Fill(iv);
            var plain = new byte[plainLength];
            innerPayloads.CopyTo(plain);
            plain[plainLength - 1] = (byte)padLength; // padding octets stay zero
            var ciphertext = datagram.AsSpan(sk + hdr + IvLength, plainLength);
            var icv = datagram.AsSpan(sk + hdr + IvLength + plainLength, Icv);

            if (Encryption == SkEncryption.AesGcm16)
            {
                var nonce = GcmNonce(_outEncryption, iv);
                var key = _outEncryption.AsSpan(0, _outEncryption.Length - GcmSaltLength);
                GcmEncrypt(key, nonce, plain, datagram.AsSpan(0, sk + hdr), ciphertext, icv);
            }
            else
            {
                _cbc!.Encrypt(_outEncryption, iv, plain, ciphertext);
                var mac = _mac!.Compute(_outIntegrity, datagram.AsSpan(0, total - Icv));
                mac.AsSpan(0, Icv).CopyTo(icv);
            }
            CryptoBytes.Zero(plain);
            return datagram;
        }

        /// <summary>
        /// Checks and decrypts the SK payload that ends <paramref name="datagram"/> and starts (generic header) at
        /// <paramref name="skOffset"/>. Returns the inner payload chain without padding; false (and a reason) for a
        /// failed ICV, bad padding or bad lengths.
        /// </summary>
        /// <param name="payloadHeaderLength">4 for SK; 8 for SKF (RFC 7383 §2.5: Fragment Number and Total Fragments follow the generic header).</param>
        public bool TryUnprotect(ReadOnlySpan<byte> datagram, int skOffset, out byte[] plaintext, out string error, int payloadHeaderLength = 4)
        {
            plaintext = Array.Empty<byte>();
            int hdr = payloadHeaderLength;
            int body = datagram.Length - skOffset - hdr;
            int cipherLength = body - IvLength - Icv;
            if (skOffset < IsakmpHeader.Size || body < IvLength + Icv + 1 || (Encryption == SkEncryption.AesCbc && cipherLength % 16 != 0))
            {
                error = "SK payload length does not fit the transform";
                return false;
            }
            var iv = datagram.Slice(skOffset + hdr, IvLength);
            var ciphertext = datagram.Slice(skOffset + hdr + IvLength, cipherLength);
            var icv = datagram.Slice(datagram.Length - Icv, Icv);
            var plain = new byte[cipherLength];
            if (Encryption == SkEncryption.AesGcm16)
            {
                var nonce = GcmNonce(_inEncryption, iv);
                var key = _inEncryption.AsSpan(0, _inEncryption.Length - GcmSaltLength);
                if (!GcmDecrypt(key, nonce, ciphertext, datagram.Slice(0, skOffset + hdr), icv, plain))
                {
                    error = "ICV check failed";
                    return false;
                }
            }
            else
            {
                var mac = _mac!.Compute(_inIntegrity, datagram.Slice(0, datagram.Length - Icv));
                if (!CryptoBytes.FixedTimeEquals(mac.AsSpan(0, Icv), icv))
                {
                    error = "ICV check failed";
                    return false;
                }
                _cbc!.Decrypt(_inEncryption, iv, ciphertext, plain);
            }
            int pad = plain[plain.Length - 1];
            if (pad + 1 > plain.Length)
            {
                CryptoBytes.Zero(plain);
                error = "pad length exceeds the plaintext";
                return false;
            }
            plaintext = plain.AsSpan(0, plain.Length - pad - 1).ToArray();
            CryptoBytes.Zero(plain);
            error = "";
            return true;
        }

        private static byte[] GcmNonce(byte[] keyWithSalt, ReadOnlySpan<byte> iv)
        {
            var nonce = new byte[GcmSaltLength + GcmIvLength];
            keyWithSalt.AsSpan(keyWithSalt.Length - GcmSaltLength).CopyTo(nonce);
            iv.CopyTo(nonce.AsSpan(GcmSaltLength));
            return nonce;
        }

        private void GcmEncrypt(ReadOnlySpan<byte> key, byte[] nonce, ReadOnlySpan<byte> plain, ReadOnlySpan<byte> aad, Span<byte> ciphertext, Span<byte> tag)
        {
#if NET8_0_OR_GREATER
            if (!ForceBouncyCastleGcm)
            {
                using var gcm = new System.Security.Cryptography.AesGcm(key, GcmIcvLength);
                gcm.Encrypt(nonce, plain, ciphertext, tag, aad);
                return;
            }
#endif
            var cipher = BouncyGcm(key, nonce, aad, forEncryption: true);
            var output = new byte[cipher.GetOutputSize(plain.Length)];
            var input = plain.ToArray();
            int n = cipher.ProcessBytes(input, 0, input.Length, output, 0);
            cipher.DoFinal(output, n);
            output.AsSpan(0, plain.Length).CopyTo(ciphertext);
            output.AsSpan(plain.Length, GcmIcvLength).CopyTo(tag);
            CryptoBytes.Zero(input);
            CryptoBytes.Zero(output);
        }

        private bool GcmDecrypt(ReadOnlySpan<byte> key, byte[] nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> tag, Span<byte> plain)
        {
#if NET8_0_OR_GREATER
            if (!ForceBouncyCastleGcm)
            {
                using var gcm = new System.Security.Cryptography.AesGcm(key, GcmIcvLength);
                try { gcm.Decrypt(nonce, ciphertext, tag, plain, aad); return true; }
                catch (System.Security.Cryptography.CryptographicException) { return false; }
            }
#endif
            var cipher = BouncyGcm(key, nonce, aad, forEncryption: false);
            var input = new byte[ciphertext.Length + tag.Length];
            ciphertext.CopyTo(input);
            tag.CopyTo(input.AsSpan(ciphertext.Length));
            var output = new byte[cipher.GetOutputSize(input.Length)];
            try
            {
                int n = cipher.ProcessBytes(input, 0, input.Length, output, 0);
                cipher.DoFinal(output, n);
            }
            catch (Org.BouncyCastle.Crypto.InvalidCipherTextException) { return false; }
            output.AsSpan(0, ciphertext.Length).CopyTo(plain);
            CryptoBytes.Zero(output);
            return true;
        }

        private static Org.BouncyCastle.Crypto.Modes.GcmBlockCipher BouncyGcm(ReadOnlySpan<byte> key, byte[] nonce, ReadOnlySpan<byte> aad, bool forEncryption)
        {
            var cipher = new Org.BouncyCastle.Crypto.Modes.GcmBlockCipher(new Org.BouncyCastle.Crypto.Engines.AesEngine());
            cipher.Init(forEncryption, new Org.BouncyCastle.Crypto.Parameters.AeadParameters(
                new Org.BouncyCastle.Crypto.Parameters.KeyParameter(key.ToArray()), GcmIcvLength * 8, nonce, aad.ToArray()));
            return cipher;
        }

        public void Dispose()
        {
            CryptoBytes.Zero(_outEncryption);
            CryptoBytes.Zero(_outIntegrity);
            CryptoBytes.Zero(_inEncryption);
            CryptoBytes.Zero(_inIntegrity);
        }

        public override string ToString() => $"SK {Encryption}-{KeyBits}/{Integrity} (keys hidden)";
    }
}
