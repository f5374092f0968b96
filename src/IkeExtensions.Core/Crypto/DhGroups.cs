using System;
using System.Collections.Generic;

namespace IkeExtensions.Crypto
{
    /// <summary>
    /// The Diffie-Hellman groups this engine implements, by IANA number (IKEv1 Group Description attribute, RFC 2409
    /// Appendix A; the IKEv2 transform-type-4 registry shares the numbers). Group 1 (768-bit MODP) is broken by
    /// precomputation (Logjam) and is returned only when the caller explicitly allows weak groups.
    /// </summary>
    public static class DhGroups
    {
        /// <summary>Groups available without opting in to weak ones, strongest-first within each family: 14, 24, 2, 19, 20.</summary>
        public static IReadOnlyList<int> Supported { get; } = new[] { 14, 24, 2, 19, 20 };

        /// <summary>Groups implemented but only usable with <c>allowWeak: true</c>.</summary>
        public static IReadOnlyList<int> Weak { get; } = new[] { 1 };

        public static IDhGroup Modp768 => ModpDhGroup.Group1;
        public static IDhGroup Modp1024 => ModpDhGroup.Group2;
        public static IDhGroup Modp2048 => ModpDhGroup.Group14;
        public static IDhGroup Modp2048S256 => ModpDhGroup.Group24;
        public static IDhGroup EcpP256 => EcpDhGroup.Group19;
        public static IDhGroup EcpP384 => EcpDhGroup.Group20;

        /// <summary>A non-weak group by IANA number.</summary>
        public static bool TryGet(int id, out IDhGroup group) => TryGet(id, allowWeak: false, out group);

        /// <summary>A group by IANA number; group 1 only when <paramref name="allowWeak"/>.</summary>
        public static bool TryGet(int id, bool allowWeak, out IDhGroup group)
        {
            switch (id)
            {
                case 1 when allowWeak: group = ModpDhGroup.Group1; return true;
                case 2: group = ModpDhGroup.Group2; return true;
                case 14: group = ModpDhGroup.Group14; return true;
                case 24: group = ModpDhGroup.Group24; return true;
                case 19: group = EcpDhGroup.Group19; return true;
                case 20: group = EcpDhGroup.Group20; return true;
                default: group = null!; return false;
            }
        }

        /// <summary>A non-weak group by IANA number; <see cref="NotSupportedException"/> otherwise.</summary>
        public static IDhGroup Get(int id) => Get(id, allowWeak: false);

        /// <summary>A group by IANA number (group 1 only when <paramref name="allowWeak"/>); <see cref="NotSupportedException"/> otherwise.</summary>
        public static IDhGroup Get(int id, bool allowWeak)
            => TryGet(id, allowWeak, out IDhGroup group) ? group : throw new NotSupportedException($"DH group {id} is not supported{(id == 1 && !allowWeak ? " (weak; not allowed by policy)" : "")}.");

        /// <summary>True for groups below 80 bits of strength (group 1), which policies must opt in to.</summary>
        public static bool IsWeak(IDhGroup group) => group.StrengthBits < 80;
    }
}
