using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Wfp
{
    /// <summary>Model crypto and auth → IKEEXT_POLICY / IPSEC_TRANSPORT_POLICY contents, by SDK names.</summary>
    internal static class WfpPolicyTranslation
    {
        public static IkeExtPolicy MainMode(IpsecPolicy p, KeyingModule module)
        {
            var set = p.MainModeCrypto;
            var proposals = set.Proposals.Select(m => new IkeExtProposal(Cipher(m.Encryption), Integrity(m.Hash), (uint)set.LifetimeSeconds,
                DhGroupConstant(m.KeyExchange), (uint)set.MaxQuickModeSas)).ToList();
            return new IkeExtPolicy(AuthMethods(p.Phase1Auth.Proposals, module), proposals);
        }

        public static IpsecTransportPolicy QuickMode(IpsecPolicy p, KeyingModule module)
        {
            var pfs = Pfs(p.QuickModeCrypto.PfsGroup);
            var proposals = p.QuickModeCrypto.Proposals.Select(q => new IpsecProposal((uint)q.LifetimeSeconds, (uint)q.LifetimeKilobytes, Transforms(q), pfs)).ToList();
            var flags = p.Kind switch
            {
                PolicyKind.NegotiationDiscovery => new[] { new WfpConstant("IPSEC_POLICY_FLAG_ND_SECURE", WfpConstants.IPSEC_POLICY_FLAG_ND_SECURE) },
                PolicyKind.NegotiationDiscoveryBoundary => new[] { new WfpConstant("IPSEC_POLICY_FLAG_ND_BOUNDARY", WfpConstants.IPSEC_POLICY_FLAG_ND_BOUNDARY) },
                _ => new WfpConstant[0],
            };
            IkeExtEmPolicy? em = null;
            if (module == KeyingModule.AuthIP && p.Phase2Auth != null && p.Phase2Auth.Proposals.Count > 0)
                em = new IkeExtEmPolicy(AuthMethods(p.Phase2Auth.Proposals, module),
                    p.Phase2Auth.Proposals.OfType<KerberosAuthProposal>().Any(k => k.Principal == KerberosPrincipal.User)
                        ? "IKEEXT_IMPERSONATION_SOCKET_PRINCIPAL" : "IKEEXT_IMPERSONATION_NONE");
            return new IpsecTransportPolicy(proposals, flags, (uint)p.NdAllowClearTimeoutSeconds, (uint)p.SaIdleTimeoutSeconds, (uint)p.SaIdleTimeoutFailOverSeconds, em);
        }

        private static IReadOnlyList<IkeExtAuthMethod> AuthMethods(IEnumerable<AuthProposal> proposals, KeyingModule module) =>
            proposals.Where(a => a.UsableWith(module)).Select(a => new IkeExtAuthMethod(AuthType(a), a)).ToList();

        private static WfpConstant AuthType(AuthProposal a) => a switch
        {
            PreSharedKeyAuthProposal _ => new WfpConstant("IKEEXT_PRESHARED_KEY", 0),
            CertificateAuthProposal c when c.Signing == CertificateSigning.ECDSA256 => new WfpConstant("IKEEXT_CERTIFICATE_ECDSA_P256", 7),
            CertificateAuthProposal c when c.Signing == CertificateSigning.ECDSA384 => new WfpConstant("IKEEXT_CERTIFICATE_ECDSA_P384", 8),
            CertificateAuthProposal _ => new WfpConstant("IKEEXT_CERTIFICATE", 1),
            KerberosAuthProposal _ => new WfpConstant("IKEEXT_KERBEROS", 2),
            _ => new WfpConstant("IKEEXT_IPV6_CGA", 6),
        };

        private static IReadOnlyList<IpsecSaTransform> Transforms(QuickModeCryptoProposal q)
        {
            var list = new List<IpsecSaTransform>();
            if ((q.Encapsulation & Encapsulation.AH) != 0)
                list.Add(new IpsecSaTransform(new WfpConstant("IPSEC_TRANSFORM_AH", 1), AuthTransform(q.AhHash), null));
            if ((q.Encapsulation & Encapsulation.ESP) != 0)
            {
                bool auth = q.EspHash != Hash.None, cipher = q.Encryption != Encryption.None;
                var type = auth && cipher ? new WfpConstant("IPSEC_TRANSFORM_ESP_AUTH_AND_CIPHER", 4)
                    : auth ? new WfpConstant("IPSEC_TRANSFORM_ESP_AUTH", 2) : new WfpConstant("IPSEC_TRANSFORM_ESP_CIPHER", 3);
                list.Add(new IpsecSaTransform(type, auth ? AuthTransform(q.EspHash) : null, cipher ? CipherTransform(q.Encryption) : null));
            }
            return list;
        }

        private static string AuthTransform(Hash h) => h switch
        {
            Hash.MD5 => "IPSEC_AUTH_TRANSFORM_ID_HMAC_MD5_96",
            Hash.SHA1 => "IPSEC_AUTH_TRANSFORM_ID_HMAC_SHA_1_96",
            Hash.SHA256 => "IPSEC_AUTH_TRANSFORM_ID_HMAC_SHA_256_128",
            Hash.AESGMAC128 => "IPSEC_AUTH_TRANSFORM_ID_GCM_AES_128",
            Hash.AESGMAC192 => "IPSEC_AUTH_TRANSFORM_ID_GCM_AES_192",
            _ => "IPSEC_AUTH_TRANSFORM_ID_GCM_AES_256",
        };

        private static string CipherTransform(Encryption e) => e switch
        {
            Encryption.DES => "IPSEC_CIPHER_TRANSFORM_ID_CBC_DES",
            Encryption.DES3 => "IPSEC_CIPHER_TRANSFORM_ID_CBC_3DES",
            Encryption.AES128 => "IPSEC_CIPHER_TRANSFORM_ID_AES_128",
            Encryption.AES192 => "IPSEC_CIPHER_TRANSFORM_ID_AES_192",
            Encryption.AES256 => "IPSEC_CIPHER_TRANSFORM_ID_AES_256",
            Encryption.AESGCM128 => "IPSEC_CIPHER_TRANSFORM_ID_GCM_AES_128",
            Encryption.AESGCM192 => "IPSEC_CIPHER_TRANSFORM_ID_GCM_AES_192",
            _ => "IPSEC_CIPHER_TRANSFORM_ID_GCM_AES_256",
        };

        private static WfpConstant Cipher(Encryption e) => e switch
        {
            Encryption.DES => new WfpConstant("IKEEXT_CIPHER_DES", 0),
            Encryption.DES3 => new WfpConstant("IKEEXT_CIPHER_3DES", 1),
            Encryption.AES128 => new WfpConstant("IKEEXT_CIPHER_AES_128", 2),
            Encryption.AES192 => new WfpConstant("IKEEXT_CIPHER_AES_192", 3),
            _ => new WfpConstant("IKEEXT_CIPHER_AES_256", 4),
        };

        private static WfpConstant Integrity(Hash h) => h switch
        {
            Hash.MD5 => new WfpConstant("IKEEXT_INTEGRITY_MD5", 0),
            Hash.SHA1 => new WfpConstant("IKEEXT_INTEGRITY_SHA1", 1),
            Hash.SHA256 => new WfpConstant("IKEEXT_INTEGRITY_SHA_256", 2),
            _ => new WfpConstant("IKEEXT_INTEGRITY_SHA_384", 3),
        };

        private static WfpConstant DhGroupConstant(DhGroup g) => g switch
        {
            DhGroup.DH1 => new WfpConstant("IKEEXT_DH_GROUP_1", 1),
            DhGroup.DH2 => new WfpConstant("IKEEXT_DH_GROUP_2", 2),
            DhGroup.DH14 => new WfpConstant("IKEEXT_DH_GROUP_14", 3),
            DhGroup.DH19 => new WfpConstant("IKEEXT_DH_ECP_256", 4),
            DhGroup.DH20 => new WfpConstant("IKEEXT_DH_ECP_384", 5),
            DhGroup.DH24 => new WfpConstant("IKEEXT_DH_GROUP_24", 6),
            _ => new WfpConstant("IKEEXT_DH_GROUP_NONE", 0),
        };

        private static WfpConstant Pfs(DhGroup g) => g switch
        {
            DhGroup.DH1 => new WfpConstant("IPSEC_PFS_1", 1),
            DhGroup.DH2 => new WfpConstant("IPSEC_PFS_2", 2),
            DhGroup.DH14 => new WfpConstant("IPSEC_PFS_2048", 3),
            DhGroup.DH19 => new WfpConstant("IPSEC_PFS_ECP_256", 4),
            DhGroup.DH20 => new WfpConstant("IPSEC_PFS_ECP_384", 5),
            DhGroup.SameAsMainMode => new WfpConstant("IPSEC_PFS_MM", 6),
            DhGroup.DH24 => new WfpConstant("IPSEC_PFS_24", 7),
            _ => new WfpConstant("IPSEC_PFS_NONE", 0),
        };
    }
}
