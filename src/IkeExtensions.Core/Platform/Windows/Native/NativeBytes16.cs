using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>A C <c>UINT8 x[16]</c> member (IPv6 addresses, FWP_BYTE_ARRAY16): 16 bytes, alignment 1.
    /// Spelled out as fields because the Core project compiles without unsafe code (no fixed buffers).</summary>
    [NativeLeaf]
    [StructLayout(LayoutKind.Sequential)]
    public struct NativeBytes16
    {
        public byte b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15;

        public static NativeBytes16 From(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length != 16) throw new ArgumentException("16 bytes expected", nameof(bytes));
            return new NativeBytes16
            {
                b0 = bytes[0], b1 = bytes[1], b2 = bytes[2], b3 = bytes[3], b4 = bytes[4], b5 = bytes[5], b6 = bytes[6], b7 = bytes[7],
                b8 = bytes[8], b9 = bytes[9], b10 = bytes[10], b11 = bytes[11], b12 = bytes[12], b13 = bytes[13], b14 = bytes[14], b15 = bytes[15],
            };
        }

        public byte[] ToArray() => new[] { b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15 };
    }
}
