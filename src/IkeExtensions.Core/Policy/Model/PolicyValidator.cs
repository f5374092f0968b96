using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Policy.Model
{
    /// <summary>
    /// The rules behind <see cref="IpsecPolicy.Validate"/>: NetSecurity's documented limits (GCM/GMAC quick mode only, AH
    /// not with IKEv2, lifetime ranges), WFP's (no SHA-384 in quick mode), the keying modules' auth methods, and one IP
    /// family for explicit addresses. Paths use the JSON field names.
    /// </summary>
    internal static class PolicyValidator
    {
        // NetSecurity: MM -MaxMinutes 0-2879 (0 is not a usable lifetime); QM -MaxMinutes 5-2879, -MaxKiloBytes 20480-2147483647.
        private const int MaxLifetimeSeconds = 2879 * 60;
        private const int MinQuickModeSeconds = 5 * 60;
        private const int MinKilobytes = 20480;

        public static IReadOnlyList<PolicyValidationError> Validate(IpsecPolicy p)
        {
            var errors = new List<PolicyValidationError>();
            void Add(PolicyErrorCode code, string path, string message) => errors.Add(new PolicyValidationError(code, path, message));

            if (string.IsNullOrWhiteSpace(p.Name)) Add(PolicyErrorCode.NameMissing, "name", "a policy needs a name (it also seeds the WFP object keys)");
            if ((p.AddressFamilies & AddressFamilies.Both) == 0) Add(PolicyErrorCode.NoAddressFamily, "addressFamily", "the policy applies to neither IPv4 nor IPv6");
            var modules = p.KeyingModules ?? new KeyingModule[0];
            if (modules.Count == 0) Add(PolicyErrorCode.NoKeyingModule, "keyingModules", "at least one keying module (IKEv1, AuthIP, IKEv2) is needed");
            foreach (var dup in modules.GroupBy(m => m).Where(g => g.Count() > 1))
                Add(PolicyErrorCode.DuplicateKeyingModule, "keyingModules", $"{dup.Key} is listed more than once");

            MainMode(p, modules, Add);
            QuickMode(p, modules, Add);
            Auth(p, modules, Add);
            Traffic(p, Add);

            if (p.NdAllowClearTimeoutSeconds < 0 || p.SaIdleTimeoutSeconds < 0 || p.SaIdleTimeoutFailOverSeconds < 0)
                Add(PolicyErrorCode.TimeoutOutOfRange, "timeouts", "timeouts must not be negative");
            return errors;
        }

        private delegate void Report(PolicyErrorCode code, string path, string message);

        private static void MainMode(IpsecPolicy p, IReadOnlyList<KeyingModule> modules, Report add)
        {
            var set = p.MainModeCrypto;
            const string path = "mainModeCryptoSet";
            if (set.Proposals.Count == 0) add(PolicyErrorCode.MainModeProposalsEmpty, path + ".proposals", "the main mode proposal list is empty: at least one proposal is needed");
            bool needsGroup = modules.Any(m => m != KeyingModule.AuthIP);
            for (int i = 0; i < set.Proposals.Count; i++)
            {
                var m = set.Proposals[i];
                string at = $"{path}.proposals[{i}]";
                if (m.Encryption.IsGcm()) add(PolicyErrorCode.MainModeGcm, at + ".encryption", $"{m.Encryption} is not allowed in main mode (AES-GCM is quick mode only)");
                else if (m.Encryption == Encryption.None) add(PolicyErrorCode.MainModeEncryptionMissing, at + ".encryption", "main mode needs a cipher");
                if (m.Hash.IsGmac()) add(PolicyErrorCode.MainModeGmac, at + ".hash", $"{m.Hash} is not allowed in main mode (AES-GMAC is quick mode only)");
                else if (m.Hash == Hash.None) add(PolicyErrorCode.MainModeHashMissing, at + ".hash", "main mode needs a hash");
                if (m.KeyExchange == DhGroup.SameAsMainMode) add(PolicyErrorCode.MainModeSameAsMainMode, at + ".keyExchange", "SameAsMainMode is a PFS setting, not a main mode group");
                else if (m.KeyExchange == DhGroup.None && needsGroup)
                    add(PolicyErrorCode.MainModeGroupMissing, at + ".keyExchange", "IKEv1 and IKEv2 need a Diffie-Hellman group (None is AuthIP only)");
            }
            if (set.LifetimeSeconds < 60 || set.LifetimeSeconds > MaxLifetimeSeconds)
                add(PolicyErrorCode.MainModeLifetimeOutOfRange, path + ".lifetimeSeconds", $"{set.LifetimeSeconds} is out of range (60-{MaxLifetimeSeconds} seconds)");
            if (set.MaxQuickModeSas < 0) add(PolicyErrorCode.MaxQuickModeSasOutOfRange, path + ".maxQuickModeSas", "must not be negative (0 = unlimited)");
        }

        private static void QuickMode(IpsecPolicy p, IReadOnlyList<KeyingModule> modules, Report add)
        {
            var set = p.QuickModeCrypto;
            const string path = "quickModeCryptoSet";
            if (set.Proposals.Count == 0) add(PolicyErrorCode.QuickModeProposalsEmpty, path + ".proposals", "the quick mode proposal list is empty: at least one proposal is needed");
            for (int i = 0; i < set.Proposals.Count; i++)
            {
                var q = set.Proposals[i];
                string at = $"{path}.proposals[{i}]";
                bool ah = (q.Encapsulation & Encapsulation.AH) != 0, esp = (q.Encapsulation & Encapsulation.ESP) != 0;
                if (!ah && !esp) add(PolicyErrorCode.QuickModeEncapsulationMissing, at + ".encapsulation", "a quick mode proposal needs AH, ESP or both");
                if (ah && q.AhHash == Hash.None) add(PolicyErrorCode.QuickModeEmptyTransform, at + ".ahHash", "AH needs an integrity algorithm");
                if (esp && q.Encryption == Encryption.None && q.EspHash == Hash.None) add(PolicyErrorCode.QuickModeEmptyTransform, at, "ESP needs a cipher, an integrity algorithm or both");
                if (esp && q.Encryption.IsGcm() && q.EspHash != q.Encryption.MatchingGmac())
                    add(PolicyErrorCode.QuickModeGcmWithoutGmac, at + ".espHash", $"{q.Encryption} needs espHash {q.Encryption.MatchingGmac()} (GCM authenticates itself)");
                if (esp && q.EspHash.IsGmac() && q.Encryption != Encryption.None && !q.Encryption.IsGcm())
                    add(PolicyErrorCode.QuickModeGmacWithCbc, at + ".espHash", $"{q.EspHash} goes with {q.EspHash.ToString().Replace("GMAC", "GCM")} or no cipher, not {q.Encryption}");
                foreach (var (h, field) in new[] { (esp ? q.EspHash : Hash.None, "espHash"), (ah ? q.AhHash : Hash.None, "ahHash") })
                    if (h == Hash.SHA384) add(PolicyErrorCode.QuickModeHashNotSupported, $"{at}.{field}", "SHA384 is main mode only (WFP has no IPsec SHA-384 transform)");
                if (ah && modules.Contains(KeyingModule.IKEv2)) add(PolicyErrorCode.AhWithIkeV2, at + ".encapsulation", "AH is not allowed with IKEv2 transport mode");
                if (q.LifetimeSeconds < MinQuickModeSeconds || q.LifetimeSeconds > MaxLifetimeSeconds)
                    add(PolicyErrorCode.QuickModeLifetimeOutOfRange, at + ".lifetimeSeconds", $"{q.LifetimeSeconds} is out of range ({MinQuickModeSeconds}-{MaxLifetimeSeconds} seconds)");
                if (q.LifetimeKilobytes < MinKilobytes)
                    add(PolicyErrorCode.QuickModeKilobytesOutOfRange, at + ".lifetimeKilobytes", $"{q.LifetimeKilobytes} is out of range ({MinKilobytes}-2147483647)");
                if (p.GuaranteeEncryption && !q.Encrypts)
                    add(PolicyErrorCode.GuaranteeEncryptionNeedsCipher, at, "guaranteeEncryption is set but this proposal does not encrypt (ESP with a cipher)");
            }
        }

        private static void Auth(IpsecPolicy p, IReadOnlyList<KeyingModule> modules, Report add)
        {
            var proposals = p.Phase1Auth.Proposals;
            if (proposals.Count == 0) add(PolicyErrorCode.AuthProposalsEmpty, "phase1AuthSet.proposals", "the authentication proposal list is empty: at least one proposal is needed");
            else
                foreach (var m in modules.Distinct())
                    if (!proposals.Any(a => a.UsableWith(m)))
                        add(PolicyErrorCode.NoAuthForKeyingModule, "phase1AuthSet.proposals", $"no proposal can be used with {m} ({Usable(m)})");
            var all = proposals.Select((a, i) => (a, $"phase1AuthSet.proposals[{i}]"))
                .Concat((p.Phase2Auth?.Proposals ?? new AuthProposal[0]).Select((a, i) => (a, $"phase2AuthSet.proposals[{i}]")));
            foreach (var (a, at) in all)
            {
                if (a is CertificateAuthProposal c)
                {
                    if (c.Authority == null && c.Thumbprint == null)
                        add(PolicyErrorCode.CertificateWithoutAuthority, at, "a certificate proposal needs an authority (CA subject name) or a thumbprint");
                    if (c.Thumbprint != null && (c.Thumbprint.Length != 40 || !c.Thumbprint.All(Hex)))
                        add(PolicyErrorCode.CertificateThumbprintInvalid, at + ".thumbprint", "a thumbprint is 40 hexadecimal digits (SHA-1)");
                }
                if (a is CgaAuthProposal && (p.AddressFamilies & AddressFamilies.IPv6) == 0)
                    add(PolicyErrorCode.CgaNeedsIpv6, at, "CGA authentication applies only to IPv6, but the policy is IPv4 only");
            }
        }

        private static void Traffic(IpsecPolicy p, Report add)
        {
            var t = p.Traffic;
            var families = t.ExplicitFamilies;
            if (families == AddressFamilies.Both)
                add(PolicyErrorCode.MixedAddressFamilies, "traffic", "the addresses mix IPv4 and IPv6: use one family per policy");
            else if (families != AddressFamilies.None && p.AddressFamilies != families)
                add(PolicyErrorCode.AddressFamilyMismatch, "addressFamily", $"the addresses are {families} but addressFamily is {p.AddressFamilies.FamilyName()}");
            if ((t.LocalPorts.Count > 0 || t.RemotePorts.Count > 0) && t.Protocol != 6 && t.Protocol != 17)
                add(PolicyErrorCode.PortsNeedTcpOrUdp, "traffic.protocol", "ports need protocol TCP or UDP");
        }

        private static string Usable(KeyingModule m) => m switch
        {
            KeyingModule.IKEv1 => "it takes PreSharedKey, Certificate, Cga or Kerberos",
            KeyingModule.AuthIP => "it takes Certificate, Cga or Kerberos",
            _ => "it takes Certificate only",
        };

        private static bool Hex(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
