using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>
    /// A QM SA as the packet path sees it (the SAD of MS-IKEE 3.7.1): its addresses and selectors, the Boundary and
    /// Guaranteed Encryption flags, and whether it is UDP-ESP (RFC 3947 §5).
    /// </summary>
    public readonly struct NdSaEntry
    {
        public NdSaEntry(long id, NdAddress local, NdAddress remote, bool boundary, bool guaranteedEncryption, bool udpEncapsulated,
            byte protocol = 0, ushort localPort = 0, ushort remotePort = 0)
        {
            Id = id;
            Local = local;
            Remote = remote;
            Boundary = boundary;
            GuaranteedEncryption = guaranteedEncryption;
            UdpEncapsulated = udpEncapsulated;
            Protocol = protocol;
            LocalPort = localPort;
            RemotePort = remotePort;
        }

        public long Id { get; }
        public NdAddress Local { get; }
        public NdAddress Remote { get; }
        public bool Boundary { get; }
        public bool GuaranteedEncryption { get; }
        public bool UdpEncapsulated { get; }
        public byte Protocol { get; }
        public ushort LocalPort { get; }
        public ushort RemotePort { get; }

        internal bool Matches(in NdPacket p) =>
            Local.Equals(p.Local) && (Protocol == 0 || Protocol == p.Protocol) &&
            (p.Kind != FlowKind.Ports || ((LocalPort == 0 || LocalPort == p.LocalPort) && (RemotePort == 0 || RemotePort == p.RemotePort)));

        public override string ToString() =>
            $"SA#{Id} {Local} <-> {Remote}" + (UdpEncapsulated ? " UDP-ESP" : "") + (Boundary ? " Boundary" : "") + (GuaranteedEncryption ? " GuaranteedEncryption" : "");
    }

    /// <summary>
    /// The established QM SAs by peer address, for the per-packet "does a QM SA match the packet" of 3.7.4.1/3.7.4.2: a
    /// dictionary lookup on a value-type key and a scan of that peer's few SAs; no allocation. Adding or removing an SA
    /// copies that peer's small array (SA events are rare next to packets). Not thread-safe.
    /// </summary>
    public sealed class NdSecurityAssociationTable
    {
        private readonly Dictionary<NdAddress, NdSaEntry[]> _byRemote = new Dictionary<NdAddress, NdSaEntry[]>();

        public int Count { get; private set; }

        public void Add(in NdSaEntry sa)
        {
            _byRemote.TryGetValue(sa.Remote, out var list);
            list ??= Array.Empty<NdSaEntry>();
            var grown = new NdSaEntry[list.Length + 1];
            list.CopyTo(grown, 0);
            grown[list.Length] = sa;
            _byRemote[sa.Remote] = grown;
            Count++;
        }

        public bool Remove(long id)
        {
            foreach (var kv in _byRemote)
            {
                int i = Array.FindIndex(kv.Value, s => s.Id == id);
                if (i < 0) continue;
                var rest = kv.Value.Where((_, j) => j != i).ToArray();
                if (rest.Length == 0) _byRemote.Remove(kv.Key);
                else _byRemote[kv.Key] = rest;
                Count--;
                return true;
            }
            return false;
        }

        public void Clear()
        {
            _byRemote.Clear();
            Count = 0;
        }

        /// <summary>
        /// A QM SA matching the packet. When several match (an SA and its renegotiated successor), the one whose Guaranteed
        /// Encryption equals <paramref name="guaranteedEncryption"/> is preferred, then the newest.
        /// </summary>
        public bool TryFind(in NdPacket p, bool guaranteedEncryption, out NdSaEntry sa)
        {
            sa = default;
            if (!_byRemote.TryGetValue(p.Remote, out var list)) return false;
            bool found = false;
            for (int i = list.Length - 1; i >= 0; i--)
            {
                if (!list[i].Matches(p)) continue;
                if (list[i].GuaranteedEncryption == guaranteedEncryption) { sa = list[i]; return true; }
                if (!found) { sa = list[i]; found = true; }
            }
            return found;
        }

        public IReadOnlyList<NdSaEntry> Snapshot() => _byRemote.Values.SelectMany(v => v).OrderBy(s => s.Id).ToArray();
    }
}
