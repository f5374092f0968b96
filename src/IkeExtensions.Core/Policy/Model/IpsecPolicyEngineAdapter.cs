using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Policy.Model
{
    /// <summary>A policy the engine cannot run (e.g. no ESP proposal it implements); the message says what is missing.</summary>
    public sealed class PolicyConversionException : InvalidOperationException
    {
        public PolicyConversionException(string message) : base(message) { }
    }

    /// <summary>
    /// Feeds the engine from the same policy: <see cref="ToEngineV1Policy"/> gives the IKEv1 SPD proposals (what
    /// <c>ikex responder --policy</c> runs) and <see cref="ToPeerAuthorizationEntry"/> the PAD entry (pre-shared key, CGA).
    /// What the engine does not implement (AH, AES-GCM ESP, Kerberos, certificates named only by authority) is left out;
    /// <see cref="EngineOmissions"/> lists it.
    /// </summary>
    public static class IpsecPolicyEngineAdapter
    {
        /// <summary>The engine's IKEv1 policy: main mode and ESP transport-mode proposals in the policy's order.</summary>
        public static IkeV1Policy ToEngineV1Policy(this IpsecPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            policy.EnsureValid();
            var mm = policy.MainModeCrypto;
            var mainMode = mm.Proposals.Where(p => MainModeCipher(p.Encryption) != null && MainModeHash(p.Hash) != null && p.KeyExchange.Number() != 0)
                .Select(p =>
                {
                    var (cipher, bits) = MainModeCipher(p.Encryption)!.Value;
                    return new MainModeProposal(cipher, bits, MainModeHash(p.Hash)!.Value, p.KeyExchange.Number(), lifetimeSeconds: mm.LifetimeSeconds);
                }).ToList();
            if (mainMode.Count == 0) throw new PolicyConversionException($"policy '{policy.Name}': no main mode proposal the engine implements");

            var qm = policy.QuickModeCrypto;
            int pfs;
            if (qm.PfsGroup == DhGroup.SameAsMainMode)
            {
                var groups = mainMode.Select(p => p.DhGroup).Distinct().ToList();
                if (groups.Count != 1) throw new PolicyConversionException($"policy '{policy.Name}': PFS SameAsMainMode needs one main mode group for the engine (it has {string.Join(", ", groups)})");
                pfs = groups[0];
            }
            else pfs = qm.PfsGroup.Number();
            var quickMode = qm.Proposals.Where(EngineEsp)
                .Select(p =>
                {
                    var (cipher, bits) = EspCipher(p.Encryption)!.Value;
                    return new QuickModeProposal(cipher, bits, EspIntegrity(p.EspHash)!.Value, pfs, p.LifetimeSeconds, p.LifetimeKilobytes);
                }).ToList();
            if (quickMode.Count == 0) throw new PolicyConversionException($"policy '{policy.Name}': no quick mode proposal the engine implements (ESP with AES-CBC/3DES/DES and HMAC integrity)");
            return new IkeV1Policy(mainMode, quickMode, allowTransport: true, allowTunnel: false, maxQuickModeSas: mm.MaxQuickModeSas);
        }

        /// <summary>
        /// The PAD entry for the policy's peers (the single remote address when there is exactly one, otherwise any peer):
        /// the pre-shared key and CGA. Null when the policy has neither (certificates need trust anchors: --ca).
        /// </summary>
        public static PeerAuthorizationEntry? ToPeerAuthorizationEntry(this IpsecPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            var psk = policy.Phase1Auth.Proposals.OfType<PreSharedKeyAuthProposal>().Select(p => p.Key).FirstOrDefault(k => k != null);
            bool cga = policy.Phase1Auth.Proposals.OfType<CgaAuthProposal>().Any();
            var remote = policy.Traffic.RemoteAddresses;
            IPAddress? peer = remote.Count == 1 && remote[0].Kind == PolicyAddressKind.Single ? remote[0].First : null;
            if (cga && peer != null && peer.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) cga = false;
            if (psk == null && !cga) return null;
            return new PeerAuthorizationEntry(peer, psk, policy.Name, acceptCga: cga);
        }

        /// <summary>What <see cref="ToEngineV1Policy"/> and <see cref="ToPeerAuthorizationEntry"/> leave out, one line each.</summary>
        public static IReadOnlyList<string> EngineOmissions(this IpsecPolicy policy)
        {
            var list = new List<string>();
            foreach (var p in policy.MainModeCrypto.Proposals.Where(p => MainModeCipher(p.Encryption) == null || MainModeHash(p.Hash) == null || p.KeyExchange.Number() == 0))
                list.Add($"main mode proposal {p}: not implemented by the engine");
            foreach (var p in policy.QuickModeCrypto.Proposals.Where(p => !EngineEsp(p)))
                list.Add($"quick mode proposal {p}: not implemented by the engine (ESP with AES-CBC/3DES/DES and HMAC only)");
            foreach (var a in policy.Phase1Auth.Proposals.Where(a => a is KerberosAuthProposal || a is CertificateAuthProposal))
                list.Add($"{a}: " + (a is KerberosAuthProposal ? "Kerberos is for WFP only" : "certificates need trust anchors (--cert/--key/--ca)"));
            if (!policy.KeyingModules.Contains(KeyingModule.IKEv1)) list.Add("the engine speaks IKEv1; the policy does not list it");
            return list;
        }

        private static bool EngineEsp(QuickModeCryptoProposal p) =>
            p.Encapsulation == Encapsulation.ESP && EspCipher(p.Encryption) != null && EspIntegrity(p.EspHash) != null;

        private static (IkeEncryptionAlgorithm, int)? MainModeCipher(Encryption e) => e switch
        {
            Encryption.AES128 => (IkeEncryptionAlgorithm.AesCbc, 128),
            Encryption.AES192 => (IkeEncryptionAlgorithm.AesCbc, 192),
            Encryption.AES256 => (IkeEncryptionAlgorithm.AesCbc, 256),
            Encryption.DES3 => (IkeEncryptionAlgorithm.TripleDesCbc, 0),
            Encryption.DES => (IkeEncryptionAlgorithm.DesCbc, 0),
            _ => null,
        };

        private static IkeHashAlgorithm? MainModeHash(Hash h) => h switch
        {
            Hash.MD5 => IkeHashAlgorithm.Md5,
            Hash.SHA1 => IkeHashAlgorithm.Sha1,
            Hash.SHA256 => IkeHashAlgorithm.Sha2_256,
            Hash.SHA384 => IkeHashAlgorithm.Sha2_384,
            _ => null,
        };

        private static (EspTransformId, int)? EspCipher(Encryption e) => e switch
        {
            Encryption.AES128 => (EspTransformId.Aes, 128),
            Encryption.AES192 => (EspTransformId.Aes, 192),
            Encryption.AES256 => (EspTransformId.Aes, 256),
            Encryption.DES3 => (EspTransformId.TripleDes, 0),
            Encryption.DES => (EspTransformId.Des, 0),
            _ => null,
        };

        private static IpsecAuthenticationAlgorithm? EspIntegrity(Hash h) => h switch
        {
            Hash.MD5 => IpsecAuthenticationAlgorithm.HmacMd5,
            Hash.SHA1 => IpsecAuthenticationAlgorithm.HmacSha1,
            Hash.SHA256 => IpsecAuthenticationAlgorithm.HmacSha2_256,
            _ => null,
        };
    }
}
