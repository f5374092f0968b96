using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Management
{
    /// <summary>
    /// PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>; <c>`</c> escapes) for name and address
    /// filters, case-insensitive, without a System.Management.Automation reference so the façade stays testable.
    /// </summary>
    public static class NamePattern
    {
        public static bool HasWildcards(string pattern) => pattern != null && pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/> (a null or empty pattern list matches everything).</summary>
        public static bool MatchesAny(IReadOnlyCollection<string>? patterns, string? text) =>
            patterns == null || patterns.Count == 0 || patterns.Any(p => IsMatch(p, text ?? ""));

        public static bool IsMatch(string pattern, string text) => Match((pattern ?? "").ToUpperInvariant(), 0, (text ?? "").ToUpperInvariant(), 0);

        /// <summary>The patterns without wildcards that matched none of <paramref name="names"/> (each is a "not found" error).</summary>
        public static IReadOnlyList<string> Unmatched(IReadOnlyCollection<string>? patterns, IEnumerable<string> names)
        {
            if (patterns == null) return Array.Empty<string>();
            var all = names.ToList();
            return patterns.Where(p => !HasWildcards(p) && !all.Any(n => IsMatch(p, n))).ToList();
        }

        private static bool Match(string p, int pi, string t, int ti)
        {
            while (pi < p.Length)
            {
                char c = p[pi];
                if (c == '*')
                {
                    for (int k = ti; k <= t.Length; k++)
                        if (Match(p, pi + 1, t, k)) return true;
                    return false;
                }
                if (ti >= t.Length) return false;
                if (c == '?') { pi++; ti++; continue; }
                if (c == '[')
                {
                    int close = p.IndexOf(']', pi + 1);
                    if (close < 0) return false;
                    if (!InSet(p.Substring(pi + 1, close - pi - 1), t[ti])) return false;
                    pi = close + 1;
                    ti++;
                    continue;
                }
                if (c == '`' && pi + 1 < p.Length) c = p[++pi];
                if (c != t[ti]) return false;
                pi++;
                ti++;
            }
            return ti == t.Length;
        }

        private static bool InSet(string set, char c)
        {
            for (int i = 0; i < set.Length; i++)
            {
                if (i + 2 < set.Length && set[i + 1] == '-')
                {
                    if (c >= set[i] && c <= set[i + 2]) return true;
                    i += 2;
                }
                else if (set[i] == c) return true;
            }
            return false;
        }
    }
}
