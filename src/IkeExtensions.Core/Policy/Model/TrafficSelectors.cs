using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace IkeExtensions.Policy.Model
{
    public enum PolicyAddressKind
    {
        Any,
        Single,
        Subnet,
        Range,
    }

    /// <summary>
    /// One -LocalAddress/-RemoteAddress entry: "Any", an address, a subnet ("10.0.0.0/24", "10.0.0.0/255.255.255.0",
    /// "2001:db8::/32") or a range ("10.0.0.1-10.0.0.9"). Subnets are normalized (host bits cleared).
    /// </summary>
    public sealed class PolicyAddress : IEquatable<PolicyAddress>
    {
        public static PolicyAddress Any { get; } = new PolicyAddress(PolicyAddressKind.Any, null, null, 0);

        private PolicyAddress(PolicyAddressKind kind, IPAddress? first, IPAddress? last, int prefix)
        {
            Kind = kind;
            First = first;
            Last = last;
            PrefixLength = prefix;
        }

        public PolicyAddressKind Kind { get; }
        /// <summary>The address, the subnet's network address or the range's start; null for Any.</summary>
        public IPAddress? First { get; }
        /// <summary>The range's end (Range only).</summary>
        public IPAddress? Last { get; }
        public int PrefixLength { get; }

        /// <summary>The family, or None for Any.</summary>
        public AddressFamilies Family => First == null ? AddressFamilies.None
            : First.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFamilies.IPv6 : AddressFamilies.IPv4;

        public static PolicyAddress Single(IPAddress address) => new PolicyAddress(PolicyAddressKind.Single, address, null, Bits(address));

        public static bool TryParse(string text, out PolicyAddress address, out string problem)
        {
            address = Any;
            problem = "";
            string t = (text ?? "").Trim();
            if (string.Equals(t, "Any", StringComparison.OrdinalIgnoreCase) || t == "*") return true;
            int dash = t.IndexOf('-');
            if (dash > 0)
            {
                if (!TryIp(t.Substring(0, dash), out var a) || !TryIp(t.Substring(dash + 1), out var b))
                    return Fail($"'{t}' is not an address range (first-last)", out problem);
                if (a.AddressFamily != b.AddressFamily) return Fail($"'{t}' mixes IPv4 and IPv6", out problem);
                if (Compare(a, b) > 0) return Fail($"'{t}': the range's start is after its end", out problem);
                address = new PolicyAddress(PolicyAddressKind.Range, a, b, 0);
                return true;
            }
            int slash = t.IndexOf('/');
            if (slash < 0)
            {
                if (!TryIp(t, out var single)) return Fail($"'{t}' is not an IPv4 or IPv6 address, subnet, range or Any", out problem);
                address = Single(single);
                return true;
            }
            if (!TryIp(t.Substring(0, slash), out var network)) return Fail($"'{t}' is not a subnet (address/prefix or address/mask)", out problem);
            string right = t.Substring(slash + 1);
            int bits = Bits(network), prefix;
            if (int.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out int p)) prefix = p;
            else if (network.AddressFamily == AddressFamily.InterNetwork && TryIp(right, out var mask) && mask.AddressFamily == AddressFamily.InterNetwork && TryMaskLength(mask, out int m)) prefix = m;
            else return Fail($"'{t}': '{right}' is not a prefix length or a contiguous IPv4 mask", out problem);
            if (prefix > bits) return Fail($"'{t}': prefix /{prefix} is out of range (0-{bits})", out problem);
            address = new PolicyAddress(PolicyAddressKind.Subnet, Mask(network, prefix), null, prefix);
            return true;
        }

        public static PolicyAddress Parse(string text) =>
            TryParse(text, out var a, out string problem) ? a : throw new FormatException(problem);

        public override string ToString() => Kind switch
        {
            PolicyAddressKind.Any => "Any",
            PolicyAddressKind.Single => First!.ToString(),
            PolicyAddressKind.Subnet => $"{First}/{PrefixLength}",
            _ => $"{First}-{Last}",
        };

        public bool Equals(PolicyAddress? other) => other != null && ToString() == other.ToString();
        public override bool Equals(object? obj) => Equals(obj as PolicyAddress);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

        private static bool Fail(string message, out string problem)
        {
            problem = message;
            return false;
        }

        private static bool TryIp(string s, out IPAddress a) =>
            IPAddress.TryParse(s.Trim(), out a!) && (a.AddressFamily == AddressFamily.InterNetwork || a.AddressFamily == AddressFamily.InterNetworkV6);

        private static int Bits(IPAddress a) => a.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

        internal static int Compare(IPAddress a, IPAddress b)
        {
            byte[] x = a.GetAddressBytes(), y = b.GetAddressBytes();
            for (int i = 0; i < x.Length; i++)
                if (x[i] != y[i]) return x[i].CompareTo(y[i]);
            return 0;
        }

        private static IPAddress Mask(IPAddress a, int prefix)
        {
            byte[] bytes = a.GetAddressBytes();
            for (int i = prefix; i < bytes.Length * 8; i++) bytes[i / 8] = (byte)(bytes[i / 8] & ~(0x80 >> (i % 8)));
            return new IPAddress(bytes);
        }

        private static bool TryMaskLength(IPAddress mask, out int length)
        {
            byte[] b = mask.GetAddressBytes();
            length = 0;
            bool zeroSeen = false;
            for (int i = 0; i < 32; i++)
            {
                bool one = (b[i / 8] & (0x80 >> (i % 8))) != 0;
                if (one && zeroSeen) return false;
                if (one) length++;
                else zeroSeen = true;
            }
            return true;
        }
    }

    /// <summary>A port or port range (-LocalPort/-RemotePort); Any = 0-65535.</summary>
    public readonly struct PortRange : IEquatable<PortRange>
    {
        public PortRange(ushort low, ushort high)
        {
            if (low > high) throw new ArgumentException("A port range's start must not be after its end.");
            Low = low;
            High = high;
        }

        public ushort Low { get; }
        public ushort High { get; }
        public bool IsSingle => Low == High;

        public static bool TryParse(string text, out PortRange range)
        {
            range = default;
            string t = (text ?? "").Trim();
            int dash = t.IndexOf('-');
            string a = dash < 0 ? t : t.Substring(0, dash), b = dash < 0 ? t : t.Substring(dash + 1);
            if (!ushort.TryParse(a.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ushort low) ||
                !ushort.TryParse(b.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ushort high) || low > high) return false;
            range = new PortRange(low, high);
            return true;
        }

        public override string ToString() => IsSingle ? Low.ToString(CultureInfo.InvariantCulture) : $"{Low}-{High}";
        public bool Equals(PortRange other) => Low == other.Low && High == other.High;
        public override bool Equals(object? obj) => obj is PortRange p && Equals(p);
        public override int GetHashCode() => (Low << 16) | High;
    }

    /// <summary>
    /// Which traffic the policy protects: addresses (empty = Any), IP protocol (null = Any) and ports (TCP/UDP only;
    /// empty = Any). The seed scenarios protect all unicast traffic: <see cref="All"/>.
    /// </summary>
    public sealed class PolicyTrafficSelector
    {
        public static PolicyTrafficSelector All { get; } = new PolicyTrafficSelector();

        public PolicyTrafficSelector(IEnumerable<PolicyAddress>? localAddresses = null, IEnumerable<PolicyAddress>? remoteAddresses = null,
            byte? protocol = null, IEnumerable<PortRange>? localPorts = null, IEnumerable<PortRange>? remotePorts = null)
        {
            LocalAddresses = (localAddresses ?? Array.Empty<PolicyAddress>()).Where(a => a.Kind != PolicyAddressKind.Any).ToList();
            RemoteAddresses = (remoteAddresses ?? Array.Empty<PolicyAddress>()).Where(a => a.Kind != PolicyAddressKind.Any).ToList();
            Protocol = protocol;
            LocalPorts = (localPorts ?? Array.Empty<PortRange>()).ToList();
            RemotePorts = (remotePorts ?? Array.Empty<PortRange>()).ToList();
        }

        public IReadOnlyList<PolicyAddress> LocalAddresses { get; }
        public IReadOnlyList<PolicyAddress> RemoteAddresses { get; }
        public byte? Protocol { get; }
        public IReadOnlyList<PortRange> LocalPorts { get; }
        public IReadOnlyList<PortRange> RemotePorts { get; }

        public bool IsAll => LocalAddresses.Count == 0 && RemoteAddresses.Count == 0 && Protocol == null && LocalPorts.Count == 0 && RemotePorts.Count == 0;

        /// <summary>The families named by explicit addresses (None when all are Any).</summary>
        public AddressFamilies ExplicitFamilies => LocalAddresses.Concat(RemoteAddresses).Aggregate(AddressFamilies.None, (f, a) => f | a.Family);

        /// <summary>"TCP", "UDP", "ICMPv4", "ICMPv6", "Any" or 0-255.</summary>
        public static bool TryParseProtocol(string text, out byte? protocol)
        {
            protocol = null;
            switch ((text ?? "").Trim().ToUpperInvariant())
            {
                case "ANY": return true;
                case "TCP": protocol = 6; return true;
                case "UDP": protocol = 17; return true;
                case "ICMPV4": protocol = 1; return true;
                case "ICMPV6": protocol = 58; return true;
            }
            if (!byte.TryParse((text ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out byte p)) return false;
            protocol = p;
            return true;
        }

        public static string ProtocolName(byte? protocol) => protocol switch
        {
            null => "Any",
            6 => "TCP",
            17 => "UDP",
            1 => "ICMPv4",
            58 => "ICMPv6",
            _ => protocol.Value.ToString(CultureInfo.InvariantCulture),
        };
    }
}
