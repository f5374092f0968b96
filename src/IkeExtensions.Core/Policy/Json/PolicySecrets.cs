using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Json
{
    /// <summary>
    /// Protects secrets written into policy files (on Windows the interop layer supplies DPAPI; tests use a fake). The
    /// output is {"presharedKey": {"protected": Protect(key), "scheme": Scheme}}.
    /// </summary>
    public interface IPolicySecretProtector
    {
        /// <summary>A short name stored next to the data, e.g. "dpapi-machine".</summary>
        string Scheme { get; }
        string Protect(byte[] secret);
        /// <summary>The secret, or null when this protector cannot open the data (another machine's DPAPI blob, say).</summary>
        byte[]? Unprotect(string data);
    }

    /// <summary>How secrets are written. Default: omitted (or protected when a protector is given); clear text only with <see cref="IncludeSecrets"/>.</summary>
    public sealed class PolicyJsonWriteOptions
    {
        /// <summary>Write pre-shared keys in clear text ({"clear": "..."}): `ikex policy new --include-secrets`.</summary>
        public bool IncludeSecrets { get; set; }
        public IPolicySecretProtector? Protector { get; set; }
        public bool Indented { get; set; } = true;
    }

    /// <summary>How protected secrets are read.</summary>
    public sealed class PolicyJsonReadOptions
    {
        public IPolicySecretProtector? Protector { get; set; }
    }

    internal static class SecretText
    {
        /// <summary>The UTF-8 text of a key when it round-trips, else null (the key is then written as hex).</summary>
        public static string? AsText(byte[] key)
        {
            try
            {
                var utf8 = new System.Text.UTF8Encoding(false, true);
                string text = utf8.GetString(key);
                return System.Linq.Enumerable.SequenceEqual(utf8.GetBytes(text), key) ? text : null;
            }
            catch (System.ArgumentException)
            {
                return null;
            }
        }

        public static ProtectedSecret? Preserved(PreSharedKeyAuthProposal p) => p.ProtectedKey;
    }
}
