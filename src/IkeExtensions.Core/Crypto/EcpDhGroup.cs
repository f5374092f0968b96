using System;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math.EC;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// An ECP Diffie-Hellman group per RFC 5903: group 19 = NIST P-256, group 20 = NIST P-384. The KE payload carries
    /// x | y, each coordinate left-padded to the field size (§7, no point-compression byte); the shared secret g^xy is
    /// the x coordinate of the product point alone (§7, §9 — RFC 5903 replaced RFC 4753, which used x | y).
    /// On net8.0 the key pair lives in the platform (<c>ECDiffieHellman</c>, OpenSSL/CNG); on netstandard2.0, and in
    /// tests of that path, BouncyCastle does the arithmetic. Peer points are validated here in both cases.
    /// </summary>
    public sealed class EcpDhGroup : IDhGroup
    {
        internal static EcpDhGroup Group19 { get; } = new EcpDhGroup(19, "P-256", 128, usePlatform: true);
        internal static EcpDhGroup Group20 { get; } = new EcpDhGroup(20, "P-384", 192, usePlatform: true);
        /// <summary>The netstandard2.0 implementation, reachable by the net8.0 tests so both paths meet the RFC 5903 vectors.</summary>
        internal static EcpDhGroup Group19BouncyCastle { get; } = new EcpDhGroup(19, "P-256", 128, usePlatform: false);
        internal static EcpDhGroup Group20BouncyCastle { get; } = new EcpDhGroup(20, "P-384", 192, usePlatform: false);

#if NET8_0_OR_GREATER
        private readonly bool _usePlatform;
#endif

        private EcpDhGroup(int id, string curveName, int strengthBits, bool usePlatform)
        {
            Id = id;
            CurveName = curveName;
            StrengthBits = strengthBits;
            Parameters = Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetByName(curveName)
                ?? throw new InvalidOperationException($"BouncyCastle does not know curve {curveName}.");
            CoordinateLength = (Parameters.Curve.FieldSize + 7) / 8;
            PublicValueLength = 2 * CoordinateLength;
#if NET8_0_OR_GREATER
            _usePlatform = usePlatform;
#else
            _ = usePlatform; // netstandard2.0 has no raw ECDH secret in the platform API: always BouncyCastle
#endif
        }

        public int Id { get; }
        /// <summary>NIST name of the curve ("P-256", "P-384").</summary>
        public string CurveName { get; }
        public int PublicValueLength { get; }
        public int StrengthBits { get; }
        public bool IsWeak => false;
        /// <summary>Bytes of one coordinate (and of the shared secret).</summary>
        public int CoordinateLength { get; }

        internal X9ECParameters Parameters { get; }

        public IDhKeyPair Generate(IRandomSource random)
        {
            if (random == null) throw new ArgumentNullException(nameof(random));
            byte[] d = NewPrivateScalar(random);
            try
            {
                return CreateKeyPair(d);
            }
            finally
            {
                CryptoBytes.Zero(d);
            }
        }

        /// <summary>A key pair with a fixed private scalar (big-endian), for the RFC 5903 §8 known-answer tests only.</summary>
        internal IDhKeyPair FromPrivateKey(ReadOnlySpan<byte> privateScalar)
        {
            var d = new BigInteger(1, privateScalar.ToArray());
            if (d.SignValue <= 0 || d.CompareTo(Parameters.N) >= 0) throw new ArgumentOutOfRangeException(nameof(privateScalar));
            byte[] fixedLength = ToFixedLength(d);
            try
            {
                return CreateKeyPair(fixedLength);
            }
            finally
            {
                CryptoBytes.Zero(fixedLength);
            }
        }

        private IDhKeyPair CreateKeyPair(byte[] d)
        {
#if NET8_0_OR_GREATER
            if (_usePlatform) return new EcpPlatformKeyPair(this, d);
#endif
            return new EcpBouncyCastleKeyPair(this, new BigInteger(1, d));
        }

        /// <summary>d uniform in [1, n-1] by rejection sampling (FIPS 186-4 B.4.2 style); n is close to 2^bits for both curves.</summary>
        private byte[] NewPrivateScalar(IRandomSource random)
        {
            BigInteger n = Parameters.N;
            byte[] buffer = new byte[CoordinateLength];
            int excessBits = buffer.Length * 8 - n.BitLength;
            while (true)
            {
                random.Fill(buffer);
                buffer[0] = unchecked((byte)(buffer[0] & (0xFF >> excessBits)));
                var d = new BigInteger(1, buffer);
                if (d.SignValue > 0 && d.CompareTo(n) < 0) return buffer;
            }
        }

        /// <summary>
        /// Checks a peer KE value: exactly 2 × coordinate bytes, both coordinates below the field prime, and the point on
        /// the curve (RFC 5903 §7 requires the check; NIST SP 800-56A §5.6.2.3.3 partial validation, sufficient because
        /// both curves have cofactor 1). Returns the point so the BouncyCastle path does not decode twice.
        /// </summary>
        internal ECPoint ValidatePeer(ReadOnlySpan<byte> peerPublicValue)
        {
            if (peerPublicValue.Length != PublicValueLength)
                throw new CryptoException($"DH group {Id}: public value is {peerPublicValue.Length} bytes, expected {PublicValueLength} (x | y).");
            var x = new BigInteger(1, peerPublicValue.Slice(0, CoordinateLength).ToArray());
            var y = new BigInteger(1, peerPublicValue.Slice(CoordinateLength).ToArray());
            BigInteger fieldPrime = Parameters.Curve.Field.Characteristic;
            if (x.CompareTo(fieldPrime) >= 0 || y.CompareTo(fieldPrime) >= 0)
                throw new CryptoException($"DH group {Id}: public value coordinate is not below the field prime.");
            try
            {
                ECPoint point = Parameters.Curve.ValidatePoint(x, y);
                if (point.IsInfinity) throw new CryptoException($"DH group {Id}: public value is the point at infinity.");
                return point;
            }
            catch (ArgumentException)
            {
                throw new CryptoException($"DH group {Id}: public value is not a point on {CurveName}.");
            }
        }

        internal byte[] ToFixedLength(BigInteger value)
            => Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(CoordinateLength, value);

        public override string ToString() => $"ECP group {Id} ({CurveName})";
    }

    /// <summary>RFC 5903 ECDH with BouncyCastle point arithmetic (the netstandard2.0 path).</summary>
    internal sealed class EcpBouncyCastleKeyPair : IDhKeyPair
    {
        private readonly EcpDhGroup _group;
        private readonly byte[] _publicValue;
        // Immutable BigInteger: cannot be wiped, Dispose drops the reference.
        private BigInteger? _d;

        public EcpBouncyCastleKeyPair(EcpDhGroup group, BigInteger d)
        {
            _group = group;
            _d = d;
            ECPoint q = group.Parameters.G.Multiply(d).Normalize();
            _publicValue = new byte[group.PublicValueLength];
            group.ToFixedLength(q.AffineXCoord.ToBigInteger()).CopyTo(_publicValue, 0);
            group.ToFixedLength(q.AffineYCoord.ToBigInteger()).CopyTo(_publicValue, group.CoordinateLength);
        }

        public IDhGroup Group => _group;

        public byte[] PublicValue => (byte[])_publicValue.Clone();

        public byte[] Agree(ReadOnlySpan<byte> peerPublicValue)
        {
            BigInteger d = _d ?? throw new ObjectDisposedException(nameof(IDhKeyPair));
            ECPoint peer = _group.ValidatePeer(peerPublicValue);
            ECPoint shared = peer.Multiply(d).Normalize();
            if (shared.IsInfinity) throw new CryptoException($"DH group {_group.Id}: degenerate shared secret.");
            return _group.ToFixedLength(shared.AffineXCoord.ToBigInteger());
        }

        public void Dispose() => _d = null;

        public override string ToString() => $"DH key pair ({_group}, BouncyCastle)";
    }
}
