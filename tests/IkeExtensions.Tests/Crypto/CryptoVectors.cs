using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace IkeExtensions.Tests.Crypto
{
    /// <summary>
    /// Vectors/crypto/ikev1_kat.txt: the stdout of Vectors/crypto/ikev1_kat.py (Python hmac/hashlib/pow and mpmath,
    /// sharing no code with the engine). Long values (MODP primes and public values) are read from it; short ones are
    /// pasted into the tests.
    /// </summary>
    internal static class CryptoVectors
    {
        private static readonly Lazy<Dictionary<string, byte[]>> Kat = new Lazy<Dictionary<string, byte[]>>(() =>
            File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Vectors", "crypto", "ikev1_kat.txt"))
                .Where(line => line.Contains('='))
                .Select(line => line.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => Convert.FromHexString(parts[1].Trim())));

        public static byte[] FromKat(string name) => Kat.Value[name];

        public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
    }
}
