using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using IkeExtensions.Tables;

namespace IkeExtensions.Management
{
    /// <summary>Turns a <see cref="SecureString"/> (how the cmdlets take secrets) into a <see cref="PreSharedKey"/>, clearing every copy.</summary>
    public static class SecureStringSecrets
    {
        /// <summary>The UTF-8 bytes of the string as a pre-shared key; the unmanaged and managed copies are zeroed.</summary>
        public static PreSharedKey ToPreSharedKey(SecureString secret)
        {
            if (secret == null) throw new ArgumentNullException(nameof(secret));
            if (secret.Length == 0) throw new ArgumentException("The pre-shared key is empty.", nameof(secret));
            IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
            char[] chars = new char[secret.Length];
            byte[]? bytes = null;
            try
            {
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                bytes = new UTF8Encoding(false, true).GetBytes(chars);
                return new PreSharedKey(bytes);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                Array.Clear(chars, 0, chars.Length);
                if (bytes != null) Array.Clear(bytes, 0, bytes.Length);
            }
        }
    }
}
