using System;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Crypto.Cga
{
    /// <summary>
    /// The CGA Parameters data structure of RFC 3972 §3: Modifier (16 octets) | Subnet Prefix (8) | Collision Count (1) |
    /// Public Key (a DER-encoded SubjectPublicKeyInfo, variable) | Extension Fields (optional, variable). MS-IKEE 3.4.1
    /// keeps the same fields as its "CGA ID" data structure; ID_IPV6_CGA (MS-IKEE 2.2.5) carries only the modifier,
    /// collision count and extension fields — the receiver supplies the prefix (from the peer's address) and the key
    /// (from the peer's certificate). Immutable; the byte arrays are copied in and out.
    /// </summary>
    public sealed class CgaParameters
    {
        public const int ModifierLength = 16;
        public const int SubnetPrefixLength = 8;
        /// <summary>Modifier, subnet prefix and collision count: the fixed part before the public key.</summary>
        public const int FixedLength = ModifierLength + SubnetPrefixLength + 1;
        /// <summary>Largest encoding accepted from a peer (an 8192-bit RSA key and room for extension fields).</summary>
        public const int MaxEncodedLength = 4096;

        private readonly byte[] _modifier;
        private readonly byte[] _subnetPrefix;
        private readonly byte[] _publicKey;
        private readonly byte[] _extensionFields;

        /// <param name="publicKey">DER SubjectPublicKeyInfo (RFC 3972 §3 "Public Key"); it must be exactly one DER SEQUENCE.</param>
        public CgaParameters(ReadOnlySpan<byte> modifier, ReadOnlySpan<byte> subnetPrefix, byte collisionCount, ReadOnlySpan<byte> publicKey,
            ReadOnlySpan<byte> extensionFields = default)
        {
            if (modifier.Length != ModifierLength) throw new ArgumentException("The CGA modifier is 16 octets (RFC 3972 §3).", nameof(modifier));
            if (subnetPrefix.Length != SubnetPrefixLength) throw new ArgumentException("The CGA subnet prefix is 8 octets (RFC 3972 §3).", nameof(subnetPrefix));
            if (DerSequenceLength(publicKey) != publicKey.Length)
                throw new ArgumentException("The CGA public key must be one DER-encoded SubjectPublicKeyInfo (RFC 3972 §3).", nameof(publicKey));
            _modifier = modifier.ToArray();
            _subnetPrefix = subnetPrefix.ToArray();
            CollisionCount = collisionCount;
            _publicKey = publicKey.ToArray();
            _extensionFields = extensionFields.ToArray();
        }

        public ReadOnlySpan<byte> Modifier => _modifier;
        public ReadOnlySpan<byte> SubnetPrefix => _subnetPrefix;
        public byte CollisionCount { get; }
        /// <summary>DER SubjectPublicKeyInfo.</summary>
        public ReadOnlySpan<byte> PublicKey => _publicKey;
        public ReadOnlySpan<byte> ExtensionFields => _extensionFields;

        public int EncodedLength => FixedLength + _publicKey.Length + _extensionFields.Length;

        /// <summary>The RFC 3972 §3 encoding (the input of Hash1).</summary>
        public byte[] Encode()
        {
            var data = new byte[EncodedLength];
            _modifier.CopyTo(data, 0);
            _subnetPrefix.CopyTo(data, ModifierLength);
            data[ModifierLength + SubnetPrefixLength] = CollisionCount;
            _publicKey.CopyTo(data, FixedLength);
            _extensionFields.CopyTo(data, FixedLength + _publicKey.Length);
            return data;
        }

        /// <summary>
        /// Parses an RFC 3972 §3 encoding. The public key's length comes from its DER header; what follows it is the
        /// extension fields. Never throws on untrusted input.
        /// </summary>
        public static bool TryDecode(ReadOnlySpan<byte> data, out CgaParameters? parameters, out string reason)
        {
            parameters = null;
            if (data.Length > MaxEncodedLength) { reason = $"CGA parameters of {data.Length} bytes exceed {MaxEncodedLength}"; return false; }
            if (data.Length < FixedLength + 2) { reason = "CGA parameters are shorter than modifier, prefix, collision count and a key"; return false; }
            var key = data.Slice(FixedLength);
            int keyLength = DerSequenceLength(key);
            if (keyLength < 0) { reason = "the CGA public key is not a DER SEQUENCE (SubjectPublicKeyInfo)"; return false; }
            parameters = new CgaParameters(data.Slice(0, ModifierLength), data.Slice(ModifierLength, SubnetPrefixLength), data[ModifierLength + SubnetPrefixLength],
                key.Slice(0, keyLength), key.Slice(keyLength));
            reason = "";
            return true;
        }

        /// <summary>
        /// Rebuilds the full parameters from what ID_IPV6_CGA carries (modifier, collision count, extension fields —
        /// MS-IKEE 2.2.5), the subnet prefix of the peer's address (MS-IKEE 3.4) and the peer's public key (the
        /// certificate's SubjectPublicKeyInfo, MS-IKEE 3.4.5.5).
        /// </summary>
        public static CgaParameters FromIdentification(CgaIdentification id, ReadOnlySpan<byte> subnetPrefix, ReadOnlySpan<byte> publicKey) =>
            new CgaParameters(id.Modifier.Span, subnetPrefix, id.CollisionCount, publicKey, id.ExtensionFields.Span);

        /// <summary>The part ID_IPV6_CGA carries (MS-IKEE 2.2.5 / 3.4.5.4).</summary>
        public CgaIdentification ToIdentification() => new CgaIdentification((byte[])_modifier.Clone(), CollisionCount, (byte[])_extensionFields.Clone());

        /// <summary>RFC 3972 §3: Hash1 = the 64 leftmost bits of SHA-1 over the whole CGA Parameters.</summary>
        public byte[] Hash1()
        {
            var digest = HashAlgorithms.Sha1.Compute(Encode());
            var h = new byte[8];
            Array.Copy(digest, h, 8);
            return h;
        }

        /// <summary>
        /// RFC 3972 §3: Hash2 = the 112 leftmost bits of SHA-1 over the CGA Parameters with the subnet prefix and collision
        /// count set to zero (modifier | 9 zero octets | public key | extension fields).
        /// </summary>
        public byte[] Hash2() => Hash2Of(_modifier, _publicKey, _extensionFields);

        internal static byte[] Hash2Of(ReadOnlySpan<byte> modifier, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> extensionFields)
        {
            var input = new byte[FixedLength + publicKey.Length + extensionFields.Length];
            modifier.CopyTo(input);
            publicKey.CopyTo(input.AsSpan(FixedLength));
            extensionFields.CopyTo(input.AsSpan(FixedLength + publicKey.Length));
            var digest = HashAlgorithms.Sha1.Compute(input);
            var h = new byte[14];
            Array.Copy(digest, h, 14);
            return h;
        }

        public CgaParameters WithModifier(ReadOnlySpan<byte> modifier) => new CgaParameters(modifier, _subnetPrefix, CollisionCount, _publicKey, _extensionFields);
        public CgaParameters WithSubnetPrefix(ReadOnlySpan<byte> prefix) => new CgaParameters(_modifier, prefix, CollisionCount, _publicKey, _extensionFields);
        public CgaParameters WithCollisionCount(byte count) => new CgaParameters(_modifier, _subnetPrefix, count, _publicKey, _extensionFields);
        public CgaParameters WithPublicKey(ReadOnlySpan<byte> publicKey) => new CgaParameters(_modifier, _subnetPrefix, CollisionCount, publicKey, _extensionFields);

        public override string ToString() =>
            $"CGA parameters modifier={HexFormat.ToHex(_modifier)} prefix={HexFormat.ToHex(_subnetPrefix)} collisions={CollisionCount} key={_publicKey.Length} bytes extensions={_extensionFields.Length} bytes";

        /// <summary>Total length (header and contents) of the DER SEQUENCE at the start of <paramref name="der"/>; -1 if there is none.</summary>
        internal static int DerSequenceLength(ReadOnlySpan<byte> der)
        {
            if (der.Length < 2 || der[0] != 0x30) return -1;
            int first = der[1];
            if (first < 0x80) return 2 + first <= der.Length ? 2 + first : -1;
            int n = first & 0x7F;
            if (n == 0 || n > 2 || der.Length < 2 + n) return -1; // indefinite lengths are not DER; keys here are < 64 KB
            int length = 0;
            for (int i = 0; i < n; i++) length = (length << 8) | der[2 + i];
            if (length < 0x80 || (n == 2 && length < 0x100)) return -1; // not the minimal (DER) length form
            int total = 2 + n + length;
            return total <= der.Length ? total : -1;
        }
    }
}
