using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Policy
{
    /// <summary>
    /// What the engine offers as initiator and accepts as responder for IKEv1: Main Mode transforms, Quick Mode ESP
    /// transforms and the encapsulation modes allowed. Lists are in preference order.
    /// </summary>
    public sealed class IkeV1Policy
    {
        public IkeV1Policy(IReadOnlyList<MainModeProposal> mainMode, IReadOnlyList<QuickModeProposal> quickMode,
            bool allowTransport = true, bool allowTunnel = true, int maxQuickModeSas = 0)
        {
            if (mainMode == null || mainMode.Count == 0) throw new ArgumentException("A policy needs at least one Main Mode proposal.", nameof(mainMode));
            if (quickMode == null || quickMode.Count == 0) throw new ArgumentException("A policy needs at least one Quick Mode proposal.", nameof(quickMode));
            if (mainMode.Count > 64 || quickMode.Count > 64) throw new ArgumentException("At most 64 proposals of each kind.");
            if (!allowTransport && !allowTunnel) throw new ArgumentException("A policy must allow transport or tunnel mode.");
            MainMode = mainMode;
            QuickMode = quickMode;
            AllowTransport = allowTransport;
            AllowTunnel = allowTunnel;
            MaxQuickModeSas = maxQuickModeSas;
        }

        public IReadOnlyList<MainModeProposal> MainMode { get; }
        public IReadOnlyList<QuickModeProposal> QuickMode { get; }
        public bool AllowTransport { get; }
        public bool AllowTunnel { get; }
        /// <summary>Quick Mode SAs one Main Mode SA may key before it is re-keyed (NetSecurity's MaxQMSAs); 0 = unlimited.</summary>
        public int MaxQuickModeSas { get; }

        /// <summary>
        /// The embedded default: modern suites first (AES-GCM is not in IKEv1; AES-CBC with SHA-2 and groups 14/19/20),
        /// then Windows' own defaults (AES-128/3DES with SHA-1 and DH group 2) for compatibility, which SAs report as weak.
        /// </summary>
        public static IkeV1Policy Default { get; } = new IkeV1Policy(
            new[]
            {
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14),
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 19),
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_384, 20),
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha2_256, 19),
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha2_256, 14),
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha1, 14),
                new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 128, IkeHashAlgorithm.Sha1, 2),
                new MainModeProposal(IkeEncryptionAlgorithm.TripleDesCbc, 0, IkeHashAlgorithm.Sha1, 2),
            },
            new[]
            {
                new QuickModeProposal(EspTransformId.Aes, 256, IpsecAuthenticationAlgorithm.HmacSha2_256),
                new QuickModeProposal(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha2_256),
                new QuickModeProposal(EspTransformId.Aes, 128, IpsecAuthenticationAlgorithm.HmacSha1),
                new QuickModeProposal(EspTransformId.TripleDes, 0, IpsecAuthenticationAlgorithm.HmacSha1),
            });

        public override string ToString() =>
            $"MM [{string.Join(", ", MainMode.Select(p => p.ToString()))}] QM [{string.Join(", ", QuickMode.Select(p => p.ToString()))}]";
    }
}
