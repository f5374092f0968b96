using System;
using System.Collections.Generic;

namespace IkeExtensions.Wire
{
    internal static class WireLengths
    {
        /// <summary>Sum of encoded lengths by index: no enumerator and, with a non-capturing selector, no allocation on the encode path.</summary>
        public static int Total<T>(IReadOnlyList<T> items, Func<T, int> length)
        {
            int n = 0;
            for (int i = 0; i < items.Count; i++) n += length(items[i]);
            return n;
        }
    }
}
