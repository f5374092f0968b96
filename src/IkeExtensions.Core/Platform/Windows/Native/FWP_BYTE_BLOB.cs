using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    // Interop structs keep the Windows header names (type and member) so the layout oracle compares name for name.

    /// <summary>fwptypes.h FWP_BYTE_BLOB { UINT32 size; UINT8* data; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_BYTE_BLOB
    {
        public uint size;
        public IntPtr data;
    }

    /// <summary>fwptypes.h FWP_BYTE_ARRAY16 { UINT8 byteArray16[16]; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWP_BYTE_ARRAY16
    {
        public NativeBytes16 byteArray16;
    }
}
