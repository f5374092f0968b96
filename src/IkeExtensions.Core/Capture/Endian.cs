using System;
using System.Buffers.Binary;

namespace IkeExtensions.Capture
{
    /// <summary>Reads in the byte order a pcap/pcapng section declared. Callers check lengths first.</summary>
    internal static class Endian
    {
        public static ushort U16(ReadOnlySpan<byte> s, bool bigEndian) =>
            bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

        public static uint U32(ReadOnlySpan<byte> s, bool bigEndian) =>
            bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

        public static long S64(ReadOnlySpan<byte> s, bool bigEndian) =>
            bigEndian ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s);
    }
}
