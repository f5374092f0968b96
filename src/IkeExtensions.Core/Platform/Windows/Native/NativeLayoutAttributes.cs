using System;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>
    /// Marks a managed struct that stands for a C anonymous union or anonymous struct: its members are members of the
    /// enclosing C struct (offsetof(Parent, member) is valid C), so the layout oracle names them without this level.
    /// Unions are declared with LayoutKind.Explicit and every member at offset 0: no per-architecture offsets exist.
    /// </summary>
    [AttributeUsage(AttributeTargets.Struct, Inherited = false)]
    public sealed class NativeAnonymousAttribute : Attribute
    {
    }

    /// <summary>
    /// Marks a managed struct that stands for a C array member (e.g. UINT8 addr[16]): measured for size and alignment
    /// but not descended into by the layout oracle (its element fields have no C names).
    /// </summary>
    [AttributeUsage(AttributeTargets.Struct, Inherited = false)]
    public sealed class NativeLeafAttribute : Attribute
    {
    }
}
