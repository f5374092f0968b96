using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwptypes.h FWP_CONDITION_VALUE0: FWP_VALUE0's union plus the address-mask and range pointers.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_CONDITION_VALUE0
    {
        public uint type;
        public FWP_CONDITION_VALUE0_UNION u;
    }

    [NativeAnonymous]
    [StructLayout(LayoutKind.Explicit)]
    public struct FWP_CONDITION_VALUE0_UNION
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
        [FieldOffset(0)] public IntPtr v4AddrMask;
        [FieldOffset(0)] public IntPtr v6AddrMask;
        [FieldOffset(0)] public IntPtr rangeValue;
    }

    /// <summary>fwptypes.h FWP_V4_ADDR_AND_MASK { UINT32 addr; UINT32 mask; } (host byte order).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_V4_ADDR_AND_MASK
    {
        public uint addr;
        public uint mask;
    }

    /// <summary>fwptypes.h FWP_V6_ADDR_AND_MASK { UINT8 addr[16]; UINT8 prefixLength; }: 17 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_V6_ADDR_AND_MASK
    {
        public NativeBytes16 addr;
        public byte prefixLength;
    }

    /// <summary>fwptypes.h FWP_RANGE0 { FWP_VALUE0 valueLow; FWP_VALUE0 valueHigh; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_RANGE0
    {
        public FWP_VALUE0 valueLow;
        public FWP_VALUE0 valueHigh;
    }
}
