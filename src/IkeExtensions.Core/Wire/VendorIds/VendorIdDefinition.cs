using System;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace IkeExtensions.Wire.VendorIds
{
    /// <summary>What may follow the 16-byte hash of a vendor ID.</summary>
    public enum VendorIdSuffix
    {
        /// <summary>Exactly the 16-byte hash.</summary>
        None,
        /// <summary>A 4-byte big-endian number (version, module, group, type) is required.</summary>
        Number,
        /// <summary>Either 16 bytes, or 16 plus a 4-byte number (MS NT5 ISAKMPOAKLEY is matched on its prefix by strongSwan).</summary>
        OptionalNumber,
        /// <summary>Either 16 bytes or 16 plus 4 bytes of capability flags (FRAGMENTATION).</summary>
        OptionalFlags,
        /// <summary>Any bytes may follow (Security Realm ID).</summary>
        Data,
    }

    /// <summary>One known vendor ID: its name, the string it hashes (or its fixed bytes) and what may follow.</summary>
    public sealed class VendorIdDefinition
    {
        internal VendorIdDefinition(VendorIdKind kind, string name, byte[] prefix, VendorIdSuffix suffix, bool microsoft, Func<uint, string>? describeNumber)
        {
            Kind = kind;
            Name = name;
            _prefix = prefix;
            Suffix = suffix;
            IsMicrosoft = microsoft;
            DescribeNumber = describeNumber;
        }

        private readonly byte[] _prefix;

        public VendorIdKind Kind { get; }
        /// <summary>The name as MS-IKEE (or the defining document) writes the string, e.g. "MS NT5 ISAKMPOAKLEY".</summary>
        public string Name { get; }
        /// <summary>The identifying bytes: for most entries the 16-byte MD5 hash of <see cref="Name"/>; a few fixed values are shorter (XAUTH: 8).</summary>
        public ReadOnlySpan<byte> Prefix => _prefix;
        public VendorIdSuffix Suffix { get; }
        /// <summary>Listed in MS-IKEE's product-behaviour table.</summary>
        public bool IsMicrosoft { get; }
        internal Func<uint, string>? DescribeNumber { get; }

        /// <summary>The wire bytes, with <paramref name="number"/> appended where the definition takes one.</summary>
        public byte[] ToBytes(uint? number = null)
        {
            bool append = number.HasValue && Suffix != VendorIdSuffix.None && Suffix != VendorIdSuffix.Data;
            if (Suffix == VendorIdSuffix.Number && !number.HasValue)
                throw new ArgumentException($"The \"{Name}\" vendor ID needs a 4-byte value.", nameof(number));
            var bytes = new byte[_prefix.Length + (append ? 4 : 0)];
            _prefix.CopyTo(bytes, 0);
            if (append)
            {
                uint n = number!.Value;
                int at = _prefix.Length;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), n);
            }
            return bytes;
        }

        internal static byte[] Md5(string text)
        {
            var md5 = new MD5Digest();
            byte[] input = Encoding.ASCII.GetBytes(text);
            md5.BlockUpdate(input, 0, input.Length);
            var hash = new byte[16];
            md5.DoFinal(hash, 0);
            return hash;
        }
    }
}
