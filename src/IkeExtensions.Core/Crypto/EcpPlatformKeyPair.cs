#if NET8_0_OR_GREATER
using System;
using System.Security.Cryptography;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// RFC 5903 ECDH on the platform provider (OpenSSL on Linux, CNG on Windows). The private scalar comes from the
    /// engine's <see cref="IRandomSource"/> so seeded tests stay reproducible; the platform derives the public point.
    /// <c>DeriveRawSecretAgreement</c> (.NET 8+) returns the x coordinate unhashed, which is exactly RFC 5903's g^xy.
    /// </summary>
    internal sealed class EcpPlatformKeyPair : IDhKeyPair
    {
        private readonly EcpDhGroup _group;
        private readonly ECDiffieHellman _key;
        private readonly byte[] _publicValue;
        private bool _disposed;

        public EcpPlatformKeyPair(EcpDhGroup group, byte[] d)
        {
            _group = group;
            _key = Import(group, d);
            ECParameters exported = _key.ExportParameters(includePrivateParameters: false);
            _publicValue = new byte[group.PublicValueLength];
            LeftPad(exported.Q.X!, _publicValue.AsSpan(0, group.CoordinateLength));
            LeftPad(exported.Q.Y!, _publicValue.AsSpan(group.CoordinateLength));
        }

        private static ECCurve Curve(EcpDhGroup group)
            => group.Id == 19 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384;

        private static ECDiffieHellman Import(EcpDhGroup group, byte[] d)
        {
            try
            {
                // Current runtimes compute Q from D when Q is absent.
                return ECDiffieHellman.Create(new ECParameters { Curve = Curve(group), D = d });
            }
            catch (CryptographicException)
            {
                // A provider that insists on Q: compute it with BouncyCastle (slower, still correct).
                var scalar = new Org.BouncyCastle.Math.BigInteger(1, d);
                var q = group.Parameters.G.Multiply(scalar).Normalize();
                return ECDiffieHellman.Create(new ECParameters
                {
                    Curve = Curve(group),
                    D = d,
                    Q = new ECPoint
                    {
                        X = group.ToFixedLength(q.AffineXCoord.ToBigInteger()),
                        Y = group.ToFixedLength(q.AffineYCoord.ToBigInteger()),
                    },
                });
            }
        }

        private static void LeftPad(byte[] value, Span<byte> destination)
        {
            if (value.Length > destination.Length) throw new CryptographicException("Coordinate longer than the field size.");
            destination.Slice(0, destination.Length - value.Length).Clear();
            value.CopyTo(destination.Slice(destination.Length - value.Length));
        }

        public IDhGroup Group => _group;

        public byte[] PublicValue => (byte[])_publicValue.Clone();

        public byte[] Agree(ReadOnlySpan<byte> peerPublicValue)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(IDhKeyPair));
            // Our own validation first: identical rules on every platform and a CryptoException, not a provider error.
            _group.ValidatePeer(peerPublicValue);
            int c = _group.CoordinateLength;
            var peerParameters = new ECParameters
            {
                Curve = Curve(_group),
                Q = new ECPoint { X = peerPublicValue.Slice(0, c).ToArray(), Y = peerPublicValue.Slice(c).ToArray() },
            };
            try
            {
                using (ECDiffieHellman peer = ECDiffieHellman.Create(peerParameters))
                {
                    byte[] secret = _key.DeriveRawSecretAgreement(peer.PublicKey);
                    if (secret.Length == c) return secret;
                    byte[] padded = new byte[c];
                    LeftPad(secret, padded);
                    CryptoBytes.Zero(secret);
                    return padded;
                }
            }
            catch (CryptographicException)
            {
                throw new CryptoException($"DH group {_group.Id}: the platform rejected the peer public value.");
            }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _key.Dispose();
        }

        public override string ToString() => $"DH key pair ({_group}, platform)";
    }
}
#endif
