using System.Net;
using System.Net.Sockets;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine
{
    /// <summary>Quick Mode client IDs (RFC 2409 §5.5, RFC 2407 §4.6.2) to and from traffic selectors.</summary>
    internal static class ClientIds
    {
        public static IdentificationPayload FromSelector(TrafficSelector ts)
        {
            bool v6 = ts.Start.AddressFamily == AddressFamily.InterNetworkV6;
            byte[] start = ts.Start.GetAddressBytes(), end = ts.End.GetAddressBytes();
            if (ts.Start.Equals(ts.End))
                return new IdentificationPayload(v6 ? IdentificationType.Ipv6Address : IdentificationType.Ipv4Address, ts.Protocol, ts.Port, start);
            // A range that is exactly a prefix is sent as a subnet, as peers expect; anything else as a range.
            int prefix = PrefixLength(start, end);
            if (prefix >= 0)
            {
                var data = new byte[start.Length * 2];
                start.CopyTo(data, 0);
                for (int i = 0; i < prefix; i++) data[start.Length + i / 8] |= (byte)(0x80 >> (i % 8));
                return new IdentificationPayload(v6 ? IdentificationType.Ipv6AddressSubnet : IdentificationType.Ipv4AddressSubnet, ts.Protocol, ts.Port, data);
            }
            var range = new byte[start.Length * 2];
            start.CopyTo(range, 0);
            end.CopyTo(range, start.Length);
            return new IdentificationPayload(v6 ? IdentificationType.Ipv6AddressRange : IdentificationType.Ipv4AddressRange, ts.Protocol, ts.Port, range);
        }

        public static TrafficSelector? ToSelector(IdentificationPayload id)
        {
            var d = id.Data.Span;
            switch (id.IdType)
            {
                case IdentificationType.Ipv4Address when d.Length == 4:
                case IdentificationType.Ipv6Address when d.Length == 16:
                    var a = new IPAddress(d.ToArray());
                    return new TrafficSelector(a, a, id.ProtocolId, id.Port);
                case IdentificationType.Ipv4AddressSubnet when d.Length == 8:
                case IdentificationType.Ipv6AddressSubnet when d.Length == 32:
                {
                    int n = d.Length / 2;
                    byte[] lo = new byte[n], hi = new byte[n];
                    for (int i = 0; i < n; i++)
                    {
                        lo[i] = (byte)(d[i] & d[n + i]);
                        hi[i] = unchecked((byte)(lo[i] | ~d[n + i]));
                    }
                    return new TrafficSelector(new IPAddress(lo), new IPAddress(hi), id.ProtocolId, id.Port);
                }
                case IdentificationType.Ipv4AddressRange when d.Length == 8:
                case IdentificationType.Ipv6AddressRange when d.Length == 32:
                    return new TrafficSelector(new IPAddress(d.Slice(0, d.Length / 2).ToArray()), new IPAddress(d.Slice(d.Length / 2).ToArray()), id.ProtocolId, id.Port);
                default:
                    return null;
            }
        }

        /// <summary>The prefix length when [start, end] is exactly one prefix, else -1.</summary>
        private static int PrefixLength(byte[] start, byte[] end)
        {
            int bits = start.Length * 8;
            for (int p = 0; p <= bits; p++)
            {
                bool ok = true;
                for (int i = 0; i < bits && ok; i++)
                {
                    bool s = (start[i / 8] >> (7 - i % 8) & 1) == 1, e = (end[i / 8] >> (7 - i % 8) & 1) == 1;
                    ok = i < p ? s == e : (!s && e);
                }
                if (ok) return p;
            }
            return -1;
        }
    }
}
