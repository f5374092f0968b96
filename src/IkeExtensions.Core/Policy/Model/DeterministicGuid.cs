using System;
using System.Security.Cryptography;
using System.Text;

namespace IkeExtensions.Policy.Model
{
    /// <summary>
    /// Name-based UUIDs (RFC 4122 §4.3, version 5 = SHA-1): the same namespace and name always give the same key, so
    /// re-compiling a policy gives the same WFP object keys and the Windows layer can apply and sync idempotently.
    /// </summary>
    public static class DeterministicGuid
    {
        /// <summary>The IkeExtensions namespace for WFP object keys (a fixed random UUID).</summary>
        public static readonly Guid IkeExtensionsNamespace = new Guid("5f0c3f8e-2b7a-4c61-9d0e-6a1b8e4f7c21");

        public static Guid Create(Guid ns, string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            byte[] nsBytes = ToNetworkOrder(ns.ToByteArray());
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            byte[] input = new byte[nsBytes.Length + nameBytes.Length];
            Buffer.BlockCopy(nsBytes, 0, input, 0, nsBytes.Length);
            Buffer.BlockCopy(nameBytes, 0, input, nsBytes.Length, nameBytes.Length);
            byte[] hash;
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 specifies; this is an identifier, not a signature
            using (var sha1 = SHA1.Create()) hash = sha1.ComputeHash(input);
#pragma warning restore CA5350
            byte[] uuid = new byte[16];
            Array.Copy(hash, uuid, 16);
            uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5
            uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC 4122 variant
            return new Guid(ToNetworkOrder(uuid));
        }

        /// <summary>A key in the IkeExtensions namespace for "policy name / object role".</summary>
        public static Guid ForPolicyObject(string policyName, string role) => Create(IkeExtensionsNamespace, policyName + "/" + role);

        // Guid.ToByteArray stores the first three fields little-endian; RFC 4122 hashes them big-endian. The swap is its own inverse.
        private static byte[] ToNetworkOrder(byte[] b)
        {
            byte[] r = (byte[])b.Clone();
            Array.Reverse(r, 0, 4);
            Array.Reverse(r, 4, 2);
            Array.Reverse(r, 6, 2);
            return r;
        }
    }
}
