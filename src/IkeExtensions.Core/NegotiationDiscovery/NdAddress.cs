using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IkeExtensions.NegotiationDiscovery
{
    /// <summary>
    /// An IPv4 or IPv6 address as two 64-bit halves, for per-packet lookups without allocation. IPv4 addresses are held
    /// in their IPv4-mapped form (::ffff:a.b.c.d), so one ordering covers both families.
    /// </summary>
    public readonly struct NdAddress : IEquatable<NdAddress>, IComparable<NdAddress>
    {
        private const ulong MappedPrefix = 0x0000_FFFF_0000_0000UL;

        public NdAddress(ulong high, ulong low)
        {
            High = high;
            Low = low;
        }

        public ulong High { get; }
        public ulong Low { get; }

        public bool IsV4 => High == 0 && (Low & 0xFFFF_FFFF_0000_0000UL) == MappedPrefix;

        /// <summary>The IPv4 address as a host-order DWORD (MS-IKEE 3.1.1 "IPv4 source address {DWORD}").</summary>
        public uint V4 => unchecked((uint)Low);

        public static NdAddress FromV4(uint address) => new NdAddress(0, MappedPrefix | address);

        public static NdAddress From(IPAddress address)
        {
            if (address == null) throw new ArgumentNullException(nameof(address));
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            byte[] b = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork) return FromV4(BinaryPrimitives.ReadUInt32BigEndian(b));
            if (address.AddressFamily != AddressFamily.InterNetworkV6) throw new ArgumentException("Not an IPv4 or IPv6 address.", nameof(address));
            return new NdAddress(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(8)));
        }

        public static NdAddress Parse(string text)
        {
            if (!IPAddress.TryParse(text, out var a) || (a.AddressFamily != AddressFamily.InterNetwork && a.AddressFamily != AddressFamily.InterNetworkV6))
                throw new FormatException($"'{text}' is not an IPv4 or IPv6 address");
            return From(a);
        }

        public IPAddress ToIPAddress()
        {
            if (IsV4)
            {
                var v4 = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(v4, V4);
                return new IPAddress(v4);
            }
            var b = new byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(b, High);
            BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(8), Low);
            return new IPAddress(b);
        }

        public bool Equals(NdAddress other) => High == other.High && Low == other.Low;
        public override bool Equals(object? obj) => obj is NdAddress a && Equals(a);
        public override int GetHashCode() => unchecked((int)((High * 0x9E3779B97F4A7C15UL ^ Low * 0xC2B2AE3D27D4EB4FUL) >> 32));
        public int CompareTo(NdAddress other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);
        public static bool operator ==(NdAddress a, NdAddress b) => a.Equals(b);
        public static bool operator !=(NdAddress a, NdAddress b) => !a.Equals(b);
        public override string ToString() => ToIPAddress().ToString();
    }

    /// <summary>An inclusive address range of an SPD rule: "any", one address, "a-b" or a CIDR prefix.</summary>
    public readonly struct NdAddressRange
    {
        public NdAddressRange(NdAddress start, NdAddress end)
        {
            if (start.IsV4 != end.IsV4 || start.CompareTo(end) > 0) throw new ArgumentException("A range runs from a lower to a higher address of one family.");
            Start = start;
            End = end;
            IsAny = false;
        }

        private NdAddressRange(bool any)
        {
            Start = default;
            End = new NdAddress(ulong.MaxValue, ulong.MaxValue);
            IsAny = any;
        }

        public static NdAddressRange Any { get; } = new NdAddressRange(true);
        public NdAddress Start { get; }
        public NdAddress End { get; }
        public bool IsAny { get; }

        public bool Contains(in NdAddress a) => IsAny || (a.CompareTo(Start) >= 0 && a.CompareTo(End) <= 0);

        /// <summary>True when every address of [start, end] is in this range (an SA's traffic selector against a rule).</summary>
        public bool Covers(in NdAddress start, in NdAddress end) => IsAny || (start.CompareTo(Start) >= 0 && end.CompareTo(End) <= 0);

        public static NdAddressRange Parse(string? text)
        {
            if (text == null) return Any;
            text = text.Trim();
            if (text.Length == 0 || string.Equals(text, "any", StringComparison.OrdinalIgnoreCase) || text == "*") return Any;
            int dash = text.IndexOf('-');
            if (dash > 0) return new NdAddressRange(NdAddress.Parse(text.Substring(0, dash).Trim()), NdAddress.Parse(text.Substring(dash + 1).Trim()));
            int slash = text.IndexOf('/');
            if (slash < 0)
            {
                var one = NdAddress.Parse(text);
                return new NdAddressRange(one, one);
            }
            var baseAddress = NdAddress.Parse(text.Substring(0, slash));
            if (!int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) ||
                prefix > (baseAddress.IsV4 ? 32 : 128))
                throw new FormatException($"'{text}' has no valid prefix length");
            int hostBits = (baseAddress.IsV4 ? 32 : 128) - prefix;
            // Host bits counted in the 128-bit mapped form.
            ulong maskHigh = hostBits >= 128 ? ulong.MaxValue : hostBits > 64 ? (1UL << (hostBits - 64)) - 1 : 0;
            ulong maskLow = hostBits >= 64 ? ulong.MaxValue : hostBits == 0 ? 0 : (1UL << hostBits) - 1;
            var start = new NdAddress(baseAddress.High & ~maskHigh, baseAddress.Low & ~maskLow);
            var end = new NdAddress(start.High | maskHigh, start.Low | maskLow);
            return new NdAddressRange(start, end);
        }

        public override string ToString() => IsAny ? "any" : Start.Equals(End) ? Start.ToString() : $"{Start}-{End}";
    }
}
