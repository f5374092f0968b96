using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>fwpmtypes.h FWPM_DISPLAY_DATA0 { wchar_t* name; wchar_t* description; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FWPM_DISPLAY_DATA0
    {
        public IntPtr name;
        public IntPtr description;
    }
}
