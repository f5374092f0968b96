using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>One field of a native struct at a given pointer size: its C member path from the root struct
    /// ("displayData.name", anonymous levels omitted), absolute offset and size.</summary>
    public sealed class NativeFieldLayout
    {
        internal NativeFieldLayout(string managedPath, string cPath, int offset, int size, Type type, bool anonymous)
        {
            ManagedPath = managedPath;
            CPath = cPath;
            Offset = offset;
            Size = size;
            Type = type;
            IsAnonymous = anonymous;
        }

        public string ManagedPath { get; }
        public string CPath { get; }
        public int Offset { get; }
        public int Size { get; }
        public Type Type { get; }
        /// <summary>The field stands for a C anonymous union/struct: it has no C name of its own.</summary>
        public bool IsAnonymous { get; }
        public override string ToString() => $"{CPath}@{Offset}+{Size}";
    }

    /// <summary>
    /// The layout the runtime gives a blittable interop struct, computed from its managed declaration for any pointer
    /// size: sequential structs place each field at the next multiple of its alignment and round the size up to the
    /// largest alignment; explicit structs (our unions) take their [FieldOffset]s and the same rounding. Primitive
    /// alignment is the Windows one (8-byte integers 8-aligned on x86 too, as MSVC and the interop marshaller do).
    /// On a 64-bit process the tests check this model against Marshal.SizeOf/OffsetOf, and for both pointer sizes
    /// against what MinGW's compilers make of the Windows headers: so the declarations that the P/Invoke code marshals
    /// are checked for x86 as well without running a 32-bit process.
    /// </summary>
    public static class NativeLayout
    {
        public static int SizeOf(Type type, int pointerSize) => Measure(type, pointerSize).Size;

        public static int AlignmentOf(Type type, int pointerSize) => Measure(type, pointerSize).Align;

        /// <summary>Every field of <paramref name="root"/>, nested structs and union members included, with absolute offsets.</summary>
        public static IReadOnlyList<NativeFieldLayout> Fields(Type root, int pointerSize)
        {
            var list = new List<NativeFieldLayout>();
            Walk(root, pointerSize, 0, "", "", list);
            return list;
        }

        /// <summary>The instance fields of a struct in declaration (metadata) order.</summary>
        public static FieldInfo[] DeclaredFields(Type type) =>
            type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken).ToArray();

        private static void Walk(Type type, int ptr, int baseOffset, string managedPrefix, string cPrefix, List<NativeFieldLayout> list)
        {
            var offsets = FieldOffsets(type, ptr);
            foreach (var (field, offset) in offsets)
            {
                var ft = field.FieldType;
                bool anonymous = ft.GetCustomAttribute<NativeAnonymousAttribute>() != null;
                string managedPath = managedPrefix + field.Name;
                string cPath = anonymous ? cPrefix.TrimEnd('.') : cPrefix + field.Name;
                var (size, _) = Measure(ft, ptr);
                list.Add(new NativeFieldLayout(managedPath, cPath, baseOffset + offset, size, ft, anonymous));
                if (IsComposite(ft))
                    Walk(ft, ptr, baseOffset + offset, managedPath + ".", anonymous ? cPrefix : cPath + ".", list);
            }
        }

        private static bool IsComposite(Type t) =>
            t.IsValueType && !t.IsPrimitive && !t.IsEnum && t != typeof(Guid) && t != typeof(IntPtr) && t != typeof(UIntPtr)
            && t.GetCustomAttribute<NativeLeafAttribute>() == null;

        private static List<(FieldInfo Field, int Offset)> FieldOffsets(Type type, int ptr)
        {
            var result = new List<(FieldInfo, int)>();
            var layout = type.StructLayoutAttribute;
            bool isExplicit = layout != null && layout.Value == LayoutKind.Explicit;
            int pack = layout != null && layout.Pack > 0 ? layout.Pack : int.MaxValue;
            int offset = 0;
            foreach (var f in DeclaredFields(type))
            {
                var (size, align) = Measure(f.FieldType, ptr);
                align = Math.Min(align, pack);
                if (isExplicit)
                {
                    var fo = f.GetCustomAttribute<FieldOffsetAttribute>() ?? throw new InvalidOperationException($"{type.Name}.{f.Name} has no [FieldOffset]");
                    result.Add((f, fo.Value));
                }
                else
                {
                    offset = AlignUp(offset, align);
                    result.Add((f, offset));
                    offset += size;
                }
            }
            return result;
        }

        private static (int Size, int Align) Measure(Type t, int ptr)
        {
            if (ptr != 4 && ptr != 8) throw new ArgumentOutOfRangeException(nameof(ptr), "pointer size is 4 or 8");
            if (t.IsEnum) t = Enum.GetUnderlyingType(t);
            if (t == typeof(byte) || t == typeof(sbyte)) return (1, 1);
            if (t == typeof(short) || t == typeof(ushort) || t == typeof(char)) return (2, 2);
            if (t == typeof(int) || t == typeof(uint) || t == typeof(float)) return (4, 4);
            if (t == typeof(long) || t == typeof(ulong) || t == typeof(double)) return (8, 8);
            if (t == typeof(IntPtr) || t == typeof(UIntPtr)) return (ptr, ptr);
            if (t == typeof(Guid)) return (16, 4);
            if (!t.IsValueType || t.IsPrimitive) throw new NotSupportedException($"{t} is not a blittable interop field type");
            var layout = t.StructLayoutAttribute;
            int pack = layout != null && layout.Pack > 0 ? layout.Pack : int.MaxValue;
            int end = 0, maxAlign = 1;
            foreach (var (field, offset) in FieldOffsets(t, ptr))
            {
                var (size, align) = Measure(field.FieldType, ptr);
                maxAlign = Math.Max(maxAlign, Math.Min(align, pack));
                end = Math.Max(end, offset + size);
            }
            int total = AlignUp(end, maxAlign);
            if (layout != null && layout.Size > total) total = AlignUp(layout.Size, maxAlign);
            return (total, maxAlign);
        }

        private static int AlignUp(int value, int align) => (value + align - 1) / align * align;
    }
}
