using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwptypes.h FWP_VALUE0 { FWP_DATA_TYPE type; union {...}; }: 8 bytes on x86, 16 on x64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_VALUE0
    {
        public uint type;
        public FWP_VALUE0_UNION u;
    }

    /// <summary>The anonymous union of FWP_VALUE0: scalars up to 32 bits inline, everything wider by pointer.</summary>
    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct FWP_VALUE0_UNION
    {
        [FieldOffset(0)] public byte uint8;
        [FieldOffset(0)] public ushort uint16;
        [FieldOffset(0)] public uint uint32;
        [FieldOffset(0)] public IntPtr uint64;
        [FieldOffset(0)] public sbyte int8;
        [FieldOffset(0)] public short int16;
        [FieldOffset(0)] public int int32;
        [FieldOffset(0)] public IntPtr int64;
        [FieldOffset(0)] public float float32;
        [FieldOffset(0)] public IntPtr double64;
        [FieldOffset(0)] public IntPtr byteArray16;
        [FieldOffset(0)] public IntPtr byteBlob;
        [FieldOffset(0)] public IntPtr sid;
        [FieldOffset(0)] public IntPtr sd;
        [FieldOffset(0)] public IntPtr tokenInformation;
        [FieldOffset(0)] public IntPtr tokenAccessInformation;
        [FieldOffset(0)] public IntPtr unicodeString;
        [FieldOffset(0)] public IntPtr byteArray6;
    }
}
