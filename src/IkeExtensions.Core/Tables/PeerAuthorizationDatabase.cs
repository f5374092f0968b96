using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace IkeExtensions.Tables
{
    /// <summary>A pre-shared key. The bytes are reachable only through <see cref="Reveal"/>; ToString never shows them.</summary>
    public sealed class PreSharedKey
    {
        private readonly byte[] _key;

        public PreSharedKey(ReadOnlySpan<byte> key)
        {
            if (key.Length == 0) throw new ArgumentException("A pre-shared key must not be empty.", nameof(key));
            _key = key.ToArray();
        }

        public static PreSharedKey FromText(string text) =>
            new PreSharedKey(System.Text.Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

        public int Length => _key.Length;
        internal ReadOnlySpan<byte> Reveal() => _key;
        public override string ToString() => $"PreSharedKey ({_key.Length} bytes, hidden)";
    }

    /// <summary>
    /// One PAD entry (RFC 4301 §4.4.3, as MS-IKEE 3.1.1 uses it): which peers, and how they may authenticate — a
    /// pre-shared key, certificates chaining to trust anchors, CGA (MS-IKEE 3.4.1: AUTH_CGA in the list of acceptable
    /// methods), or several (CGA, then certificates, then the pre-shared key are offered, in that order).
    /// </summary>
    public sealed class PeerAuthorizationEntry
    {
        public PeerAuthorizationEntry(IPAddress? peer, PreSharedKey? presharedKey, string? name = null,
            IkeExtensions.Crypto.Certificates.CertificateChainValidator? certificates = null, bool acceptCga = false)
        {
            if (presharedKey == null && certificates == null && !acceptCga)
                throw new ArgumentException("A PAD entry needs a pre-shared key, trust anchors or CGA authentication.");
            if (acceptCga && peer != null && peer.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                throw new ArgumentException("CGA authentication applies only to IPv6 peers (MS-IKEE 1.6).", nameof(acceptCga));
            Peer = peer;
            PresharedKey = presharedKey;
            Certificates = certificates;
            AcceptsCga = acceptCga;
            Name = name ?? (peer?.ToString() ?? "any");
        }

        /// <summary>The peer's address; null matches any peer.</summary>
        public IPAddress? Peer { get; }
        public PreSharedKey? PresharedKey { get; }
        /// <summary>Trust anchors the peer's certificate must chain to (RSA signature authentication).</summary>
        public IkeExtensions.Crypto.Certificates.CertificateChainValidator? Certificates { get; }
        /// <summary>
        /// AUTH_CGA is acceptable (MS-IKEE 3.4.1): the peer proves its IPv6 address is a CGA of the key in its self-signed
        /// certificate (3.4.5.5). Needs our own <c>LocalCga</c>; used only with IPv6 peers.
        /// </summary>
        public bool AcceptsCga { get; }
        /// <summary>
        /// The identity the peer must claim (RFC 4301 §4.4.3.1, IKEv2 only so far): an IP address, an FQDN, an RFC 822
        /// address (with '@') or a distinguished name (with '='); null: any identity its credential proves.
        /// </summary>
        public string? RemoteIdentity { get; set; }
        public string Name { get; }
        public override string ToString() =>
            $"{Name}: " + string.Join(", ", new[] { PresharedKey != null ? "pre-shared key" : null, Certificates != null ? $"certificates ({Certificates.TrustAnchors.Count} trust anchors)" : null, AcceptsCga ? "CGA" : null }.Where(x => x != null));
    }

    /// <summary>The peer authorization database: an exact-address entry wins over the wildcard.</summary>
    public sealed class PeerAuthorizationDatabase
    {
        private readonly List<PeerAuthorizationEntry> _entries = new List<PeerAuthorizationEntry>();
        private readonly object _gate = new object();

        public void Add(PeerAuthorizationEntry entry)
        {
            lock (_gate) _entries.Add(entry ?? throw new ArgumentNullException(nameof(entry)));
        }

        public IReadOnlyList<PeerAuthorizationEntry> Entries
        {
            get { lock (_gate) return _entries.ToArray(); }
        }

        public PeerAuthorizationEntry? Find(IPAddress peer)
        {
            lock (_gate)
                return _entries.FirstOrDefault(e => e.Peer != null && e.Peer.Equals(Normalize(peer))) ?? _entries.FirstOrDefault(e => e.Peer == null);
        }

        private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
    }
}
