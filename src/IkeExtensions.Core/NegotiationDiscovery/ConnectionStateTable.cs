using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>One flow as management shows it.</summary>
    public sealed class NdFlowEntry
    {
        public string Family { get; internal set; } = "";
        public string Local { get; internal set; } = "";
        public string Remote { get; internal set; } = "";
        public byte Protocol { get; internal set; }
        public FlowKind Kind { get; internal set; }
        /// <summary>Local port or ICMP type.</summary>
        public ushort LocalPort { get; internal set; }
        /// <summary>Remote port or ICMP code.</summary>
        public ushort RemotePort { get; internal set; }
        public bool Secure { get; internal set; }
        public bool GuaranteedEncryption { get; internal set; }
        public bool Acquire { get; internal set; }
        public string? Rule { get; internal set; }

        public override string ToString()
        {
            var p = new NdPacket(NdAddress.Parse(Local), NdAddress.Parse(Remote), Protocol, LocalPort, RemotePort);
            return $"{p} Secure={Secure} GuaranteedEncryption={GuaranteedEncryption} Acquire={Acquire}" + (Rule == null ? "" : $" rule {Rule}");
        }
    }

    /// <summary>
    /// The connection (flow) state table of MS-IKEE 3.1.1 with the 3.7.1 flags: a V4 table (16-byte keys) and a V6 table
    /// (40-byte keys), each an open-addressing <see cref="FlowTable{TKey}"/>. The 32-bit state word holds the
    /// <see cref="FlowFlags"/> (bits 0–7) and the index + 1 of the SPD rule the flow matched (bits 8–23), so later packets
    /// skip the SPD walk.
    /// </summary>
    public sealed class ConnectionStateTable
    {
        internal const int RuleShift = 8;

        public ConnectionStateTable(int capacity = 1024)
        {
            V4 = new FlowTable<FlowKeyV4>(capacity);
            V6 = new FlowTable<FlowKeyV6>(16);
        }

        public FlowTable<FlowKeyV4> V4 { get; }
        public FlowTable<FlowKeyV6> V6 { get; }
        public int Count => V4.Count + V6.Count;

        internal static uint Encode(int rule, FlowFlags flags) => ((uint)(rule + 1) << RuleShift) | (byte)flags;
        internal static int RuleOf(uint state) => (int)((state >> RuleShift) & 0xFFFF) - 1;
        internal static FlowFlags FlagsOf(uint state) => (FlowFlags)unchecked((byte)state);

        /// <summary>The flags of the packet's flow, if the flow is in the table.</summary>
        public bool TryGet(in NdPacket p, out FlowFlags flags)
        {
            int i;
            if (p.IsV6)
            {
                i = V6.IndexOf(p.KeyV6());
                flags = i < 0 ? FlowFlags.None : FlagsOf(V6.StateAt(i));
            }
            else
            {
                i = V4.IndexOf(p.KeyV4());
                flags = i < 0 ? FlowFlags.None : FlagsOf(V4.StateAt(i));
            }
            return i >= 0;
        }

        /// <summary>Forgets a flow (its connection ended).</summary>
        public bool Remove(in NdPacket p) => p.IsV6 ? V6.Remove(p.KeyV6()) : V4.Remove(p.KeyV4());

        public void Clear()
        {
            V4.Clear();
            V6.Clear();
        }

        public IReadOnlyList<NdFlowEntry> Snapshot(NdSecurityPolicy? policy = null)
        {
            string? RuleName(uint state)
            {
                int r = RuleOf(state);
                return policy == null || r < 0 || r >= policy.Rules.Count ? null : policy.Rules[r].Name;
            }

            var rows = new List<NdFlowEntry>();
            foreach (var (k, s) in V4.Entries())
                rows.Add(Row("IPv4", NdAddress.FromV4(k.Local), NdAddress.FromV4(k.Remote), k.Protocol, k.Kind, k.Ports, s, RuleName(s)));
            foreach (var (k, s) in V6.Entries())
                rows.Add(Row("IPv6", new NdAddress(k.LocalHigh, k.LocalLow), new NdAddress(k.RemoteHigh, k.RemoteLow), unchecked((byte)k.ProtocolAndKind),
                    (FlowKind)(k.ProtocolAndKind >> 8), k.Ports, s, RuleName(s)));
            return rows.OrderBy(r => r.Local, StringComparer.Ordinal).ThenBy(r => r.Remote, StringComparer.Ordinal).ThenBy(r => r.Protocol)
                .ThenBy(r => r.LocalPort).ThenBy(r => r.RemotePort).ToList();
        }

        private static NdFlowEntry Row(string family, NdAddress local, NdAddress remote, byte protocol, FlowKind kind, uint ports, uint state, string? rule)
        {
            var f = FlagsOf(state);
            return new NdFlowEntry
            {
                Family = family, Local = local.ToString(), Remote = remote.ToString(), Protocol = protocol, Kind = kind,
                LocalPort = (ushort)(ports >> 16), RemotePort = unchecked((ushort)ports),
                Secure = (f & FlowFlags.Secure) != 0, GuaranteedEncryption = (f & FlowFlags.GuaranteedEncryption) != 0, Acquire = (f & FlowFlags.Acquire) != 0,
                Rule = rule,
            };
        }
    }
}
