using System;
using System.Collections.Generic;
using System.IO;
using System.Net;

namespace IkeExtensions.Tests.Capture
{
    /// <summary>Builds capture files byte by byte, independently of the production reader and writer.</summary>
    internal sealed class ByteWriter
    {
        private readonly List<byte> _bytes = new List<byte>();
        private readonly bool _bigEndian;

        public ByteWriter(bool bigEndian) { _bigEndian = bigEndian; }

        public int Length => _bytes.Count;
        public ByteWriter U8(int v) { _bytes.Add(unchecked((byte)v)); return this; }
        public ByteWriter U16(int v) => Ordered(BitConverter.GetBytes(unchecked((ushort)v)));
        public ByteWriter U32(uint v) => Ordered(BitConverter.GetBytes(v));
        public ByteWriter U64(ulong v) => Ordered(BitConverter.GetBytes(v));
        public ByteWriter Bytes(byte[] b) { _bytes.AddRange(b); return this; }
        public ByteWriter Pad4() { while (_bytes.Count % 4 != 0) _bytes.Add(0); return this; }
        public byte[] ToArray() => _bytes.ToArray();

        private ByteWriter Ordered(byte[] b)
        {
            if (BitConverter.IsLittleEndian == _bigEndian) Array.Reverse(b);
            _bytes.AddRange(b);
            return this;
        }
    }

    internal static class CaptureBuilders
    {
        public static readonly DateTimeOffset Epoch = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public static string VectorPath(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", "capture", name);

        public static byte[] ClassicPcap(bool bigEndian, bool nano, uint linkType, params (uint Sec, uint Frac, byte[] Data)[] records)
        {
            var w = new ByteWriter(bigEndian).U32(nano ? 0xA1B23C4Du : 0xA1B2C3D4u).U16(2).U16(4).U32(0).U32(0).U32(65535).U32(linkType);
            foreach (var r in records) w.U32(r.Sec).U32(r.Frac).U32((uint)r.Data.Length).U32((uint)r.Data.Length).Bytes(r.Data);
            return w.ToArray();
        }

        public static byte[] Block(bool bigEndian, uint type, Action<ByteWriter> body)
        {
            var b = new ByteWriter(bigEndian);
            body(b);
            b.Pad4();
            uint length = (uint)(b.Length + 12);
            return new ByteWriter(bigEndian).U32(type).U32(length).Bytes(b.ToArray()).U32(length).ToArray();
        }

        public static byte[] Shb(bool bigEndian) =>
            Block(bigEndian, 0x0A0D0D0A, b => b.U32(0x1A2B3C4D).U16(1).U16(0).U64(ulong.MaxValue));

        /// <summary>IDB with optional if_tsresol (9) and if_tsoffset (14) options.</summary>
        public static byte[] Idb(bool bigEndian, int linkType, uint snapLength = 0, byte? tsresol = null, long? tsoffset = null) =>
            Block(bigEndian, 1, b =>
            {
                b.U16(linkType).U16(0).U32(snapLength);
                if (tsresol.HasValue) b.U16(9).U16(1).U8(tsresol.Value).Pad4();
                if (tsoffset.HasValue) b.U16(14).U16(8).U64(unchecked((ulong)tsoffset.Value));
                if (tsresol.HasValue || tsoffset.HasValue) b.U16(0).U16(0);
            });

        public static byte[] Epb(bool bigEndian, uint iface, ulong ts, byte[] data) =>
            Block(bigEndian, 6, b => b.U32(iface).U32((uint)(ts >> 32)).U32(unchecked((uint)ts)).U32((uint)data.Length).U32((uint)data.Length).Bytes(data));

        public static byte[] Spb(bool bigEndian, byte[] data, uint? originalLength = null) =>
            Block(bigEndian, 3, b => b.U32(originalLength ?? (uint)data.Length).Bytes(data));

        public static byte[] ObsoletePb(bool bigEndian, ushort iface, ulong ts, byte[] data) =>
            Block(bigEndian, 2, b => b.U16(iface).U16(0).U32((uint)(ts >> 32)).U32(unchecked((uint)ts)).U32((uint)data.Length).U32((uint)data.Length).Bytes(data));

        public static byte[] Concat(params byte[][] parts)
        {
            var all = new List<byte>();
            foreach (var p in parts) all.AddRange(p);
            return all.ToArray();
        }

        /// <summary>Ethernet II frame, with optional VLAN tags (each given by its TPID).</summary>
        public static byte[] Ethernet(ushort etherType, byte[] payload, params ushort[] vlanTpids)
        {
            var w = new ByteWriter(true).Bytes(new byte[] { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 });
            foreach (var tpid in vlanTpids) w.U16(tpid).U16(100);
            return w.U16(etherType).Bytes(payload).ToArray();
        }

        /// <summary>A hand-made IPv4+UDP packet (checksums left zero; the reader does not verify them).</summary>
        public static byte[] Ipv4Udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload, byte[]? options = null, ushort flagsFragment = 0)
        {
            options ??= Array.Empty<byte>();
            int ihl = 5 + options.Length / 4;
            int total = ihl * 4 + 8 + payload.Length;
            return new ByteWriter(true).U8(0x40 | ihl).U8(0).U16(total).U16(0x1234).U16(flagsFragment).U8(64).U8(17).U16(0)
                .Bytes(src).Bytes(dst).Bytes(options)
                .U16(sport).U16(dport).U16(8 + payload.Length).U16(0).Bytes(payload).ToArray();
        }

        /// <summary>A hand-made IPv6 packet; <paramref name="extensions"/> are (type, raw bytes including next-header byte placeholder).</summary>
        public static byte[] Ipv6Udp(IPAddress src, IPAddress dst, int sport, int dport, byte[] payload, params (byte Type, byte[] Body)[] extensions)
        {
            var udp = new ByteWriter(true).U16(sport).U16(dport).U16(8 + payload.Length).U16(0).Bytes(payload).ToArray();
            // Chain: IPv6 next header -> ext[0] -> ... -> UDP(17). Each body's first byte is overwritten with the next type.
            var chain = new List<byte>();
            for (int i = 0; i < extensions.Length; i++)
            {
                var body = (byte[])extensions[i].Body.Clone();
                body[0] = i + 1 < extensions.Length ? extensions[i + 1].Type : (byte)17;
                chain.AddRange(body);
            }
            chain.AddRange(udp);
            byte first = extensions.Length > 0 ? extensions[0].Type : (byte)17;
            return new ByteWriter(true).U32(0x60000000).U16(chain.Count).U8(first).U8(64)
                .Bytes(src.GetAddressBytes()).Bytes(dst.GetAddressBytes()).Bytes(chain.ToArray()).ToArray();
        }
    }

    /// <summary>An Internet checksum written differently from the production one (64-bit sum, fold at the end).</summary>
    internal static class ReferenceChecksum
    {
        public static ushort OnesComplementSum(params byte[][] parts)
        {
            ulong sum = 0;
            foreach (var data in parts)
            {
                var padded = data.Length % 2 == 0 ? data : Concat(data, new byte[1]);
                for (int i = 0; i < padded.Length; i += 2) sum += (ulong)(padded[i] * 256 + padded[i + 1]);
            }
            while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)sum;
        }

        private static byte[] Concat(byte[] a, byte[] b) => CaptureBuilders.Concat(a, b);

        /// <summary>The UDP pseudo-header (RFC 768 for IPv4, RFC 8200 §8.1 for IPv6); the address length picks the layout.</summary>
        public static byte[] PseudoHeader(byte[] src, byte[] dst, int udpLength) =>
            src.Length == 4
                ? Concat(Concat(src, dst), new byte[] { 0, 17, (byte)(udpLength >> 8), unchecked((byte)udpLength) })
                : Concat(Concat(src, dst), new byte[] { 0, 0, (byte)(udpLength >> 8), unchecked((byte)udpLength), 0, 0, 0, 17 });
    }
}
