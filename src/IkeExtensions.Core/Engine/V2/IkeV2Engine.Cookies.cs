using System;
using System.Buffers.Binary;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// Stateless COOKIE exchange of the responder (RFC 7296 §2.6): when too many IKE SAs are half open, an IKE_SA_INIT
    /// request without a valid cookie is answered with N(COOKIE) and forgotten, so a flood from spoofed addresses costs
    /// no state and no Diffie-Hellman. Cookie = VersionIDofSecret | SHA-256(Ni | IPi | SPIi | secret); the secret is drawn
    /// from the injected random source and replaced every <see cref="IkeV2EngineOptions.CookieSecretLifetime"/>, the
    /// previous one still accepted so cookies handed out just before a change keep working.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        private const int CookieSecretLength = 32;
        private byte[]? _cookieSecret;
        private byte[]? _previousCookieSecret;
        private byte _cookieSecretVersion;
        private DateTime _cookieSecretSince;

        /// <summary>True when the request may go on; false when it was answered with N(COOKIE) (or dropped) and must be forgotten.</summary>
        private bool PassesCookieCheck(IPEndPoint local, IPEndPoint remote, IkeMessage m)
        {
            if (_halfOpen < _options.CookieThreshold) return true;
            var nonce = m.Find<NoncePayload>();
            if (nonce == null) return true; // the normal path answers INVALID_SYNTAX without keeping state
            RotateCookieSecret();
            NotifyPayload? offered = m.Payloads.Count > 0 ? m.Payloads[0] as NotifyPayload : null;
            if (offered != null && offered.MessageType == NotifyTypeV2.Cookie && IsValidCookie(offered.Data.Span, nonce.Data.Span, remote.Address, m.Header.InitiatorSpi))
                return true;
            if (offered != null && offered.MessageType == NotifyTypeV2.Cookie)
                Log(LogLevel.Debug, $"IKE_SA_INIT from {remote} with a stale or forged COOKIE: asking again");
            var header = new IsakmpHeader(m.Header.InitiatorSpi, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Response, 0, 0);
            var cookie = MakeCookie(_cookieSecretVersion, _cookieSecret!, nonce.Data.Span, remote.Address, m.Header.InitiatorSpi);
            var bytes = new IkeMessage(header, new IkePayload[] { new NotifyPayload(NotifyTypeV2.Cookie, cookie) }).Encode();
            Statistics.DosCookieSent();
            Statistics.Sent();
            Log(LogLevel.Debug, $"IKE_SA_INIT from {remote}: {_halfOpen} half-open IKE SAs, COOKIE required (RFC 7296 §2.6)");
            _output.Send(local, remote, bytes);
            return false;
        }

        private void RotateCookieSecret()
        {
            var now = Now;
            var age = now - _cookieSecretSince;
            if (_cookieSecret != null && age < _options.CookieSecretLifetime) return;
            CryptoBytes.Zero(_previousCookieSecret);
            _previousCookieSecret = null;
            // The outgoing secret stays valid for one more period, unless it is already older than that.
            if (_cookieSecret != null && age < _options.CookieSecretLifetime + _options.CookieSecretLifetime) _previousCookieSecret = _cookieSecret;
            else CryptoBytes.Zero(_cookieSecret);
            _cookieSecret = new byte[CookieSecretLength];
            _options.Random.Fill(_cookieSecret);
            _cookieSecretVersion++;
            _cookieSecretSince = now;
        }

        private bool IsValidCookie(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> nonce, IPAddress initiator, ulong spiI)
        {
            if (cookie.Length != 1 + 32) return false;
            byte version = cookie[0];
            byte[]? secret = version == _cookieSecretVersion ? _cookieSecret
                : version == unchecked((byte)(_cookieSecretVersion - 1)) ? _previousCookieSecret : null;
            return secret != null && CryptoBytes.FixedTimeEquals(MakeCookie(version, secret, nonce, initiator, spiI), cookie);
        }

        private static byte[] MakeCookie(byte version, byte[] secret, ReadOnlySpan<byte> nonce, IPAddress initiator, ulong spiI)
        {
            byte[] address = initiator.GetAddressBytes();
            var input = new byte[nonce.Length + address.Length + 8 + secret.Length];
            nonce.CopyTo(input);
            address.CopyTo(input, nonce.Length);
            BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(nonce.Length + address.Length), spiI);
            secret.CopyTo(input, nonce.Length + address.Length + 8);
            byte[] hash = HashAlgorithms.Sha2_256.Compute(input);
            CryptoBytes.Zero(input);
            var cookie = new byte[1 + hash.Length];
            cookie[0] = version;
            hash.CopyTo(cookie, 1);
            return cookie;
        }
    }
}
