using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using IkeExtensions.Crypto;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// Denial-of-service protection (MS-IKEE 3.9). Counts negotiations that have received only Main Mode #1; above
    /// <see cref="EnterThreshold"/> the responder answers a new Main Mode #1 with NOTIFY_DOS_COOKIE and keeps no state
    /// until the initiator repeats message 1 with that cookie as its responder cookie. The cookie is the stateless
    /// construction of note 27 (SHA-1 over a 50-byte key, the initiator cookie, both addresses and a 150-second time
    /// slice; the previous slice is also accepted, note 28). Per source address at most <see cref="PerSourceLimit"/>
    /// such negotiations are kept; beyond that its new attempts are dropped (note 29).
    /// </summary>
    internal sealed class DosProtection
    {
        /// <summary>Note 29: Windows enters DoS protection above 500 one-message negotiations and leaves below 100.</summary>
        public const int EnterThreshold = 500;
        public const int LeaveThreshold = 100;
        /// <summary>Note 29: above 35 one-message negotiations from one address, new ones from it are dropped.</summary>
        public const int PerSourceLimit = 35;
        /// <summary>Note 27: COOKIE_KEY_TIME.</summary>
        public const int CookieSliceSeconds = 150;

        private readonly EngineContext _ctx;
        private readonly byte[] _cookieKey = new byte[50];
        private readonly Dictionary<IPAddress, int> _perSource = new Dictionary<IPAddress, int>();
        private int _total;

        public DosProtection(EngineContext ctx)
        {
            _ctx = ctx;
            ctx.Options.Random.Fill(_cookieKey);
        }

        public bool Active { get; private set; }
        public int OneMessageNegotiations => _total;

        public enum Decision
        {
            /// <summary>Create state and answer with a fresh responder cookie.</summary>
            Proceed,
            /// <summary>Create state; the responder cookie is the verified DoS cookie.</summary>
            ProceedWithCookie,
            /// <summary>A NOTIFY_DOS_COOKIE was sent; keep no state.</summary>
            CookieSent,
            Drop,
        }

        /// <summary>MS-IKEE 3.9.5.1/3.9.5.3: what to do with a Main Mode #1 (or #3 of the cookie exchange) for which no state exists.</summary>
        public Decision Admit(IPEndPoint local, IPEndPoint remote, ulong initiatorCookie, ulong responderCookie, out ulong cookie)
        {
            cookie = 0;
            if (_perSource.TryGetValue(remote.Address, out int n) && n >= PerSourceLimit)
            {
                _ctx.Statistics.DosDrop();
                return Decision.Drop;
            }
            if (responderCookie != 0 && (responderCookie == Cookie(local, remote, initiatorCookie, false) || responderCookie == Cookie(local, remote, initiatorCookie, true)))
            {
                cookie = responderCookie;
                return Decision.ProceedWithCookie;
            }
            if (!Active) return Decision.Proceed;
            cookie = Cookie(local, remote, initiatorCookie, false);
            _ctx.Statistics.DosCookieSent();
            return Decision.CookieSent;
        }

        /// <summary>A responder negotiation that has received only message 1 started (+1) or moved on / ended (−1).</summary>
        public void Count(IPAddress source, int delta)
        {
            _perSource.TryGetValue(source, out int n);
            n += delta;
            if (n <= 0) _perSource.Remove(source); else _perSource[source] = n;
            _total += delta;
            if (!Active && _total > EnterThreshold)
            {
                Active = true;
                _ctx.Statistics.DosProtection(true);
                _ctx.Log(LogLevel.Warning, $"DoS protection on: {_total} negotiations have received only message 1");
            }
            else if (Active && _total < LeaveThreshold)
            {
                Active = false;
                _ctx.Statistics.DosProtection(false);
                _ctx.Log(LogLevel.Warning, $"DoS protection off: {_total} negotiations have received only message 1");
            }
        }

        /// <summary>Note 27's construction (a stateless cookie; its bytes never leave this host except as the cookie itself).</summary>
        private ulong Cookie(IPEndPoint local, IPEndPoint remote, ulong initiatorCookie, bool previousSlice)
        {
            long seconds = (long)(_ctx.Now - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
            long slice = (seconds + CookieSliceSeconds) / CookieSliceSeconds * CookieSliceSeconds;
            if (previousSlice) slice -= CookieSliceSeconds;
            var input = new List<byte>(128);
            input.AddRange(_cookieKey);
            var b8 = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b8, initiatorCookie);
            input.AddRange(b8);
            input.AddRange(Address(remote, isLocal: false));
            input.AddRange(Address(local, isLocal: true));
            var b4 = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b4, unchecked((uint)slice));
            input.AddRange(b4);
            var hash = HashAlgorithms.Sha1.Compute(input.ToArray());
            return BinaryPrimitives.ReadUInt64BigEndian(hash);
        }

        /// <summary>Note 27's address blocks: a 4-byte prefix, the port, the address, zero padding (26 bytes after IPv4, 14 after IPv6).</summary>
        private static byte[] Address(IPEndPoint ep, bool isLocal)
        {
            bool v6 = ep.AddressFamily == AddressFamily.InterNetworkV6;
            byte[] ip = ep.Address.GetAddressBytes();
            var block = new byte[4 + 2 + ip.Length + (v6 ? 14 : 26)];
            if (v6 && !isLocal) { block[0] = 0x05; block[2] = 0x17; } else { block[0] = 0x01; block[2] = 0x02; }
            BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(4), (ushort)ep.Port);
            ip.CopyTo(block, 6);
            return block;
        }
    }
}
