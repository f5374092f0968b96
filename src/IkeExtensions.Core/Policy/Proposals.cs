using System;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Policy
{
    /// <summary>One Main Mode transform (RFC 2409 Appendix A attributes).</summary>
    public sealed class MainModeProposal
    {
        public MainModeProposal(IkeEncryptionAlgorithm encryption, int keyBits, IkeHashAlgorithm hash, int dhGroup,
            IkeAuthenticationMethod authentication = IkeAuthenticationMethod.PreSharedKey, int lifetimeSeconds = 28800)
        {
            if (lifetimeSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(lifetimeSeconds), "A lifetime must be positive.");
            Encryption = encryption;
            KeyBits = keyBits;
            Hash = hash;
            DhGroup = dhGroup;
            Authentication = authentication;
            LifetimeSeconds = lifetimeSeconds;
        }

        public IkeEncryptionAlgorithm Encryption { get; }
        /// <summary>AES key size; 0 for ciphers with a fixed key (3DES, DES).</summary>
        public int KeyBits { get; }
        public IkeHashAlgorithm Hash { get; }
        public int DhGroup { get; }
        public IkeAuthenticationMethod Authentication { get; }
        public int LifetimeSeconds { get; }

        /// <summary>DES, 3DES, MD5, SHA-1 or DH groups 1/2: accepted for Windows compatibility but reported as weak on the SA.</summary>
        public bool IsWeak => Algorithms.IsWeak(Encryption, Hash, DhGroup);

        public MainModeProposal WithAuthentication(IkeAuthenticationMethod method) =>
            new MainModeProposal(Encryption, KeyBits, Hash, DhGroup, method, LifetimeSeconds);

        public override string ToString() => $"{Algorithms.Name(Encryption, KeyBits)}-{Hash}-group{DhGroup}/{Authentication}";
    }

    /// <summary>One Quick Mode ESP transform (RFC 2407 §4.4.4, §4.5).</summary>
    public sealed class QuickModeProposal
    {
        public QuickModeProposal(EspTransformId encryption, int keyBits, IpsecAuthenticationAlgorithm integrity, int pfsGroup = 0,
            int lifetimeSeconds = 3600, int lifetimeKilobytes = 0)
        {
            if (lifetimeSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(lifetimeSeconds), "A lifetime must be positive.");
            if (lifetimeKilobytes < 0) throw new ArgumentOutOfRangeException(nameof(lifetimeKilobytes), "A lifetime must not be negative.");
            Encryption = encryption;
            KeyBits = keyBits;
            Integrity = integrity;
            PfsGroup = pfsGroup;
            LifetimeSeconds = lifetimeSeconds;
            LifetimeKilobytes = lifetimeKilobytes;
        }

        public EspTransformId Encryption { get; }
        public int KeyBits { get; }
        public IpsecAuthenticationAlgorithm Integrity { get; }
        /// <summary>DH group for perfect forward secrecy (RFC 2409 §5.5); 0 = no PFS.</summary>
        public int PfsGroup { get; }
        public int LifetimeSeconds { get; }
        /// <summary>0 = no kilobyte lifetime.</summary>
        public int LifetimeKilobytes { get; }

        public bool IsWeak => Encryption == EspTransformId.Des || Encryption == EspTransformId.TripleDes ||
                              Integrity == IpsecAuthenticationAlgorithm.HmacMd5 || PfsGroup == 1 || PfsGroup == 2;

        /// <summary>Bytes of keying material for one direction: cipher key plus integrity key (RFC 2409 §5.5).</summary>
        public int KeyMaterialLength => Algorithms.EspKeyBytes(Encryption, KeyBits) + Algorithms.IntegrityKeyBytes(Integrity);

        public override string ToString() =>
            $"ESP {Encryption}{(KeyBits > 0 ? "-" + KeyBits : "")}-{Integrity}" + (PfsGroup > 0 ? $"-pfs{PfsGroup}" : "");
    }

    public enum EncapsulationModeChoice
    {
        Transport,
        Tunnel,
    }

    internal static class Algorithms
    {
        public static bool IsWeak(IkeEncryptionAlgorithm e, IkeHashAlgorithm h, int group) =>
            e == IkeEncryptionAlgorithm.DesCbc || e == IkeEncryptionAlgorithm.TripleDesCbc ||
            h == IkeHashAlgorithm.Md5 || h == IkeHashAlgorithm.Sha1 || group == 1 || group == 2;

        /// <summary>Algorithms no policy gets unless it names them explicitly (issue: DES, MD5 and group 1).</summary>
        public static bool NeedsExplicitPolicy(IkeEncryptionAlgorithm e, IkeHashAlgorithm h, int group) =>
            e == IkeEncryptionAlgorithm.DesCbc || h == IkeHashAlgorithm.Md5 || group == 1;

        public static string Name(IkeEncryptionAlgorithm e, int keyBits) => e switch
        {
            IkeEncryptionAlgorithm.AesCbc => "AES-CBC-" + keyBits,
            IkeEncryptionAlgorithm.TripleDesCbc => "3DES",
            IkeEncryptionAlgorithm.DesCbc => "DES",
            _ => e.ToString(),
        };

        public static int EspKeyBytes(EspTransformId e, int keyBits) => e switch
        {
            EspTransformId.Aes => keyBits / 8,
            EspTransformId.TripleDes => 24,
            EspTransformId.Des => 8,
            EspTransformId.Null => 0,
            _ => keyBits / 8,
        };

        public static int IntegrityKeyBytes(IpsecAuthenticationAlgorithm a) => a switch
        {
            IpsecAuthenticationAlgorithm.HmacMd5 => 16,
            IpsecAuthenticationAlgorithm.HmacSha1 => 20,
            IpsecAuthenticationAlgorithm.HmacSha2_256 => 32,
            IpsecAuthenticationAlgorithm.HmacSha2_384 => 48,
            IpsecAuthenticationAlgorithm.HmacSha2_512 => 64,
            _ => 0,
        };
    }
}
