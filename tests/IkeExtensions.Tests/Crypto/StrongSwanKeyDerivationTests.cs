using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IkeExtensions.Crypto;
using Xunit;

namespace IkeExtensions.Tests.Crypto
{
    /// <summary>
    /// Our RFC 2409 derivations against a real strongSwan 5.9.8 negotiation (aes256-sha1-modp2048, PSK
    /// "interop-lab-psk", Quick Mode with PFS). Values: Vectors/crypto/strongswan/ikev1-psk-aes256-sha1-modp2048.txt,
    /// extracted verbatim by extract.py from charon's level-4 log (excerpt and set-up in that folder's README.md).
    /// </summary>
    public class StrongSwanKeyDerivationTests
    {
        private static readonly Lazy<Dictionary<string, byte[]>> Values = new Lazy<Dictionary<string, byte[]>>(() =>
            File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Vectors", "crypto", "strongswan", "ikev1-psk-aes256-sha1-modp2048.txt"))
                .Where(line => line.Length > 0 && line[0] != '#')
                .Select(line => line.Split('=', 2))
                .ToDictionary(p => p[0], p => Convert.FromHexString(p[1].Trim())));

        private static byte[] V(string name) => Values.Value[name];
        private static ulong U64(string name) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(V(name));
        private static uint U32(string name) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(V(name));

        private static IkeV1KeyMaterial Keys() => IkeV1KeyMaterial.ForPreSharedKey(
            PrfAlgorithms.HmacSha1, HashAlgorithms.Sha1, BlockCiphers.Aes256Cbc, Encoding.ASCII.GetBytes("interop-lab-psk"),
            V("NI_B"), V("NR_B"), V("GXY"), U64("CKY_I"), U64("CKY_R"));

        [Fact]
        public void SkeyidFamilyAndExpandedAes256KeyEqualStrongSwans()
        {
            using IkeV1KeyMaterial keys = Keys();
            Assert.Equal(V("SKEYID"), keys.Skeyid);
            Assert.Equal(V("SKEYID_D"), keys.SkeyidD);
            Assert.Equal(V("SKEYID_A"), keys.SkeyidA);
            Assert.Equal(V("SKEYID_E"), keys.SkeyidE);
            Assert.Equal(V("KA"), keys.EncryptionKey);
        }

        [Fact]
        public void HashIAndHashREqualStrongSwansOverItsOwnInputs()
        {
            using IkeV1KeyMaterial keys = Keys();
            byte[] hashIData = V("HASH_I_DATA");
            // strongSwan's HASH_I input is g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b; check the parts we pass match it.
            Assert.Equal(V("GXI"), hashIData.AsSpan(0, 256).ToArray());
            Assert.Equal(V("GXR"), hashIData.AsSpan(256, 256).ToArray());
            byte[] saiB = hashIData.AsSpan(528, hashIData.Length - 528 - 8).ToArray();
            byte[] idiiB = hashIData.AsSpan(hashIData.Length - 8).ToArray();
            byte[] idirB = V("HASH_R_DATA").AsSpan(V("HASH_R_DATA").Length - 8).ToArray();
            Assert.Equal(V("HASH_I"), keys.HashI(V("GXI"), V("GXR"), U64("CKY_I"), U64("CKY_R"), saiB, idiiB));
            Assert.Equal(V("HASH_R"), keys.HashR(V("GXI"), V("GXR"), U64("CKY_I"), U64("CKY_R"), saiB, idirB));
        }

        [Fact]
        public void IvsAndMainMode5CiphertextEqualStrongSwans()
        {
            using IkeV1KeyMaterial keys = Keys();
            Assert.Equal(V("INITIAL_IV"), keys.InitialIv(V("GXI"), V("GXR")));
            Assert.Equal(V("MM5_IV"), V("INITIAL_IV"));
            byte[] padded = V("MM5_PLAIN").Concat(V("MM5_PADDING")).ToArray();
            Assert.Equal(V("MM5_ENCRYPTED"), keys.Encryption.Encrypt(padded, V("MM5_IV")));
            Assert.Equal(padded, keys.Encryption.Decrypt(V("MM5_ENCRYPTED"), V("MM5_IV")));
            Assert.Equal(V("QM_IV"), keys.Phase2Iv(V("LAST_P1_BLOCK"), U32("QM_MID")));
            Assert.Equal(V("INFO_IV"), keys.Phase2Iv(V("LAST_P1_BLOCK"), U32("INFO_MID")));
        }

        [Fact]
        public void QuickModeAndInformationalHashesEqualStrongSwans()
        {
            using IkeV1KeyMaterial keys = Keys();
            Assert.Equal(V("QM_HASH1"), keys.QuickModeHash1(U32("QM_MID"), AfterHashPayload(V("QM1_PLAIN"))));
            Assert.Equal(V("QM_HASH2"), keys.QuickModeHash2(U32("QM_MID"), V("QM_NI_B"), AfterHashPayload(V("QM2_PLAIN"))));
            Assert.Equal(V("INFO_HASH"), keys.InformationalHash(U32("INFO_MID"), AfterHashPayload(V("INFO_PLAIN"))));
        }

        [Fact]
        public void StrongSwansModp2048PublicValuesPassOurValidation()
        {
            using IDhKeyPair own = DhGroups.Modp2048.Generate(new DeterministicRandomSource("strongswan"));
            Assert.Equal(256, own.Agree(V("GXI")).Length);
            Assert.Equal(256, own.Agree(V("GXR")).Length);
        }

        /// <summary>The payloads after the leading HASH payload, up to the end of the chain (padding excluded).</summary>
        private static byte[] AfterHashPayload(byte[] plain)
        {
            int offset = 0;
            byte next;
            do
            {
                next = plain[offset];
                offset += (plain[offset + 2] << 8) | plain[offset + 3];
            }
            while (next != 0);
            int hashLength = (plain[2] << 8) | plain[3];
            return plain.AsSpan(hashLength, offset - hashLength).ToArray();
        }
    }
}
