using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>
    /// Unmanaged memory for one WFP call's input graph (a filter, its conditions, strings, blobs): every allocation is
    /// zeroed and freed together when the arena is disposed. Structs are written with Marshal.StructureToPtr, which for
    /// these blittable declarations is a copy in the layout the oracle checks.
    /// </summary>
    public sealed class NativeArena : IDisposable
    {
        private readonly List<IntPtr> blocks = new List<IntPtr>();

        public IntPtr Alloc(int size)
        {
            if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size));
            IntPtr p = Marshal.AllocHGlobal(size);
            blocks.Add(p);
            var zero = new byte[size];
            Marshal.Copy(zero, 0, p, size);
            return p;
        }

        public IntPtr Struct<T>(T value) where T : struct
        {
            IntPtr p = Alloc(Marshal.SizeOf<T>());
            Marshal.StructureToPtr(value, p, fDeleteOld: false);
            return p;
        }

        /// <summary>A contiguous C array of <paramref name="values"/>; IntPtr.Zero when empty.</summary>
        public IntPtr Array<T>(IReadOnlyList<T> values) where T : struct
        {
            if (values.Count == 0) return IntPtr.Zero;
            int size = Marshal.SizeOf<T>();
            IntPtr p = Alloc(checked(size * values.Count));
            for (int i = 0; i < values.Count; i++) Marshal.StructureToPtr(values[i], p + i * size, fDeleteOld: false);
            return p;
        }

        /// <summary>A NUL-terminated UTF-16 string (wchar_t*); IntPtr.Zero for null.</summary>
        public IntPtr String(string? value)
        {
            if (value == null) return IntPtr.Zero;
            var bytes = Encoding.Unicode.GetBytes(value + "\0");
            IntPtr p = Alloc(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }

        public FWP_BYTE_BLOB Blob(byte[]? data)
        {
            if (data == null || data.Length == 0) return default;
            IntPtr p = Alloc(data.Length);
            Marshal.Copy(data, 0, p, data.Length);
            return new FWP_BYTE_BLOB { size = (uint)data.Length, data = p };
        }

        public IntPtr Guid(Guid value) => Struct(value);

        public void Dispose()
        {
            foreach (var p in blocks) Marshal.FreeHGlobal(p);
            blocks.Clear();
        }

        /// <summary>Reads a wchar_t* (null stays null).</summary>
        public static string? ReadString(IntPtr p) => p == IntPtr.Zero ? null : Marshal.PtrToStringUni(p);

        /// <summary>Reads an FWP_BYTE_BLOB's bytes (empty for a null or zero-size blob).</summary>
        public static byte[] ReadBlob(FWP_BYTE_BLOB blob)
        {
            if (blob.data == IntPtr.Zero || blob.size == 0) return System.Array.Empty<byte>();
            var bytes = new byte[checked((int)blob.size)];
            Marshal.Copy(blob.data, bytes, 0, bytes.Length);
            return bytes;
        }

        /// <summary>Reads a GUID* (null stays null).</summary>
        public static Guid? ReadGuid(IntPtr p) => p == IntPtr.Zero ? (Guid?)null : Marshal.PtrToStructure<Guid>(p);
    }
}
