using System;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace IkeExtensions.Crypto.Certificates
{
    /// <summary>
    /// IKEv1 RSA signatures (RFC 2409 §5.1): SIG_I/SIG_R is PKCS#1 v1.5 block type 1 over HASH_I/HASH_R itself, with no
    /// DigestInfo — the form Windows and strongSwan ("EMSA_PKCS1_NULL") use.
    /// </summary>
    public static class RsaIkeSignature
    {
        internal static byte[] Sign(RsaKeyParameters privateKey, ReadOnlySpan<byte> hash)
        {
            var engine = new Pkcs1Encoding(new RsaBlindedEngine());
            engine.Init(true, privateKey);
            var input = hash.ToArray();
            return engine.ProcessBlock(input, 0, input.Length);
        }

        /// <summary>True when <paramref name="signature"/> opens under the key to exactly <paramref name="hash"/>. Never throws on peer data.</summary>
        public static bool Verify(RsaKeyParameters publicKey, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
        {
            try
            {
                var engine = new Pkcs1Encoding(new RsaEngine());
                engine.Init(false, publicKey);
                var sig = signature.ToArray();
                var opened = engine.ProcessBlock(sig, 0, sig.Length);
                return CryptoBytes.FixedTimeEquals(opened, hash);
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
