using System;

namespace IkeExtensions.Crypto
{
    /// <summary>The engine's only source of randomness (cookies, nonces, SPIs, DH secrets); tests inject a seeded one.</summary>
    public interface IRandomSource
    {
        void Fill(Span<byte> destination);
    }

    /// <summary>A Diffie-Hellman group (RFC 2409 §6, RFC 3526, RFC 5114, RFC 5903) behind one provider interface.</summary>
    public interface IDhGroup
    {
        /// <summary>IANA group number: 1, 2, 14, 19, 20, 24.</summary>
        int Id { get; }
        /// <summary>Bytes of a public value on the wire (KE payload data).</summary>
        int PublicValueLength { get; }
        /// <summary>Bits of security, for sizing exponents and reporting weak groups.</summary>
        int StrengthBits { get; }
        /// <summary>Creates a key pair whose secret never leaves the object (not in ToString, not exported).</summary>
        IDhKeyPair Generate(IRandomSource random);
    }

    public interface IDhKeyPair : IDisposable
    {
        IDhGroup Group { get; }
        /// <summary>The public value exactly as the KE payload carries it (left-padded to the group length; ECP: x|y).</summary>
        byte[] PublicValue { get; }
        /// <summary>g^xy (ECP: the x coordinate), left-padded to the group length. Throws <see cref="CryptoException"/> for an invalid peer value.</summary>
        byte[] Agree(ReadOnlySpan<byte> peerPublicValue);
    }

    /// <summary>An HMAC-based PRF (RFC 2409 §4, RFC 2104).</summary>
    public interface IPrf
    {
        int OutputLength { get; }
        byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data);
    }

    /// <summary>A hash function (for IVs, NAT-D, vendor IDs).</summary>
    public interface IHash
    {
        int OutputLength { get; }
        byte[] Compute(ReadOnlySpan<byte> data);
    }

    /// <summary>A CBC block cipher without padding (IKEv1 pads itself, RFC 2409 Appendix B).</summary>
    public interface IBlockCipher
    {
        int BlockSize { get; }
        int KeyLength { get; }
        void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext);
        void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);
    }

    /// <summary>Bad peer input to a crypto operation (e.g. a DH public value outside the group). Caught inside the engine.</summary>
    public sealed class CryptoException : Exception
    {
        public CryptoException(string message) : base(message) { }
    }
}
