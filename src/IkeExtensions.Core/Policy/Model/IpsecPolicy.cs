using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Policy.Model
{
    /// <summary>
    /// An IPsec transport-mode policy of one of the three seed kinds (win32 FWP scenarios) in NetSecurity terms: crypto
    /// sets, auth sets, keying modules, traffic, ICMP exemption and Guarantee Encryption. Compiled to WFP objects by
    /// <c>Wfp.WfpCompiler</c>, read and written by <c>Json.IpsecPolicyJson</c>, and turned into the engine's policy and
    /// PAD entry by <see cref="IpsecPolicyEngineAdapter"/>. Mutable like a NetSecurity CIM object; <see cref="Validate"/>
    /// names every problem.
    /// </summary>
    public sealed class IpsecPolicy
    {
        public const int DefaultNdAllowClearTimeoutSeconds = 10;
        public const int DefaultSaIdleTimeoutSeconds = 300;
        public const int DefaultSaIdleTimeoutFailOverSeconds = 60;

        public IpsecPolicy(string name, PolicyKind kind, MainModeCryptoSet mainModeCrypto, QuickModeCryptoSet quickModeCrypto, AuthSet phase1Auth)
        {
            Name = name ?? "";
            Kind = kind;
            MainModeCrypto = mainModeCrypto ?? throw new ArgumentNullException(nameof(mainModeCrypto));
            QuickModeCrypto = quickModeCrypto ?? throw new ArgumentNullException(nameof(quickModeCrypto));
            Phase1Auth = phase1Auth ?? throw new ArgumentNullException(nameof(phase1Auth));
            NdAllowClearTimeoutSeconds = kind == PolicyKind.Transport ? 0 : DefaultNdAllowClearTimeoutSeconds;
        }

        /// <summary>Unique name; also the seed of the deterministic WFP object keys (renaming a policy changes its keys).</summary>
        public string Name { get; set; }
        public string Description { get; set; } = "";
        public PolicyKind Kind { get; set; }
        public AddressFamilies AddressFamilies { get; set; } = AddressFamilies.Both;
        /// <summary>Permit ICMP/ICMPv6 in the clear (filters at FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS).</summary>
        public bool ExemptIcmp { get; set; }
        /// <summary>MS-IKEE 3.7.1 SPD flag: traffic may use only encrypting SAs (every quick mode proposal must encrypt).</summary>
        public bool GuaranteeEncryption { get; set; }
        /// <summary>Keying modules in preference order (default IKEv1).</summary>
        public IReadOnlyList<KeyingModule> KeyingModules { get; set; } = new[] { KeyingModule.IKEv1 };
        public MainModeCryptoSet MainModeCrypto { get; set; }
        public QuickModeCryptoSet QuickModeCrypto { get; set; }
        public AuthSet Phase1Auth { get; set; }
        /// <summary>AuthIP extended mode (user) authentication; null = none.</summary>
        public AuthSet? Phase2Auth { get; set; }
        public PolicyTrafficSelector Traffic { get; set; } = PolicyTrafficSelector.All;
        /// <summary>IPSEC_TRANSPORT_POLICY ndAllowClearTimeoutSeconds (negotiation discovery kinds; 0 for Transport).</summary>
        public int NdAllowClearTimeoutSeconds { get; set; }
        public int SaIdleTimeoutSeconds { get; set; } = DefaultSaIdleTimeoutSeconds;
        public int SaIdleTimeoutFailOverSeconds { get; set; } = DefaultSaIdleTimeoutFailOverSeconds;

        /// <summary>NetSecurity -InboundSecurity: Require, except Request in boundary mode (clear inbound allowed).</summary>
        public SecurityRequirement InboundSecurity => Kind == PolicyKind.NegotiationDiscoveryBoundary ? SecurityRequirement.Request : SecurityRequirement.Require;

        /// <summary>NetSecurity -OutboundSecurity: Require for Transport, Request for the negotiation discovery kinds.</summary>
        public SecurityRequirement OutboundSecurity => Kind == PolicyKind.Transport ? SecurityRequirement.Require : SecurityRequirement.Request;

        public bool IsNegotiationDiscovery => Kind != PolicyKind.Transport;

        /// <summary>Every problem, in a stable order; empty when the policy is usable.</summary>
        public IReadOnlyList<PolicyValidationError> Validate() => PolicyValidator.Validate(this);

        /// <summary>Throws <see cref="PolicyValidationException"/> listing every problem.</summary>
        public IpsecPolicy EnsureValid()
        {
            var errors = Validate();
            if (errors.Count > 0) throw new PolicyValidationException(errors);
            return this;
        }

        /// <summary>
        /// The policy of a seed scenario ("Secure all unicast data traffic[, except ICMP,] using IPsec transport mode[ and
        /// enable negotiation discovery[ in boundary mode]]"): modern crypto, Kerberos (the NetSecurity default phase 1
        /// auth), IKEv1 keying.
        /// </summary>
        public static IpsecPolicy CreateSeed(PolicyKind kind, AddressFamilies families = AddressFamilies.Both, bool exemptIcmp = false, string? name = null)
        {
            var mm = new MainModeCryptoSet("Main mode crypto", new[]
            {
                new MainModeCryptoProposal(Encryption.AES256, Hash.SHA256, DhGroup.DH14),
                new MainModeCryptoProposal(Encryption.AES256, Hash.SHA384, DhGroup.DH20),
                new MainModeCryptoProposal(Encryption.AES128, Hash.SHA256, DhGroup.DH19),
            });
            var qm = new QuickModeCryptoSet("Quick mode crypto", new[]
            {
                QuickModeCryptoProposal.Esp(Encryption.AES256, Hash.SHA256),
                QuickModeCryptoProposal.Esp(Encryption.AES128, Hash.SHA256),
                QuickModeCryptoProposal.Esp(Encryption.AESGCM256, Hash.AESGMAC256),
            });
            var auth = new AuthSet("Phase 1 auth", new AuthProposal[] { new KerberosAuthProposal(KerberosPrincipal.Machine) });
            string title = kind switch
            {
                PolicyKind.Transport => "Transport Mode",
                PolicyKind.NegotiationDiscovery => "Negotiation Discovery Transport Mode",
                _ => "Negotiation Discovery Transport Mode in Boundary Mode",
            };
            string nd = kind switch
            {
                PolicyKind.Transport => "",
                PolicyKind.NegotiationDiscovery => ", and enable negotiation discovery",
                _ => " and enable negotiation discovery in boundary mode",
            };
            return new IpsecPolicy(name ?? "IkeExtensions " + title, kind, mm, qm, auth)
            {
                Description = $"Secure all unicast data traffic{(exemptIcmp ? ", except ICMP," : "")} using IPsec transport mode{nd}.",
                AddressFamilies = families,
                ExemptIcmp = exemptIcmp,
            };
        }

        public override string ToString() =>
            $"{Name}: {Kind.KindName()} ({AddressFamilies.FamilyName()}; {string.Join(",", KeyingModules)}{(ExemptIcmp ? "; ICMP exempt" : "")})";
    }

    /// <summary>Named validation problems (each has a test).</summary>
    public enum PolicyErrorCode
    {
        NameMissing,
        NoAddressFamily,
        NoKeyingModule,
        DuplicateKeyingModule,
        MainModeProposalsEmpty,
        MainModeGcm,
        MainModeGmac,
        MainModeEncryptionMissing,
        MainModeHashMissing,
        MainModeGroupMissing,
        MainModeSameAsMainMode,
        MainModeLifetimeOutOfRange,
        MaxQuickModeSasOutOfRange,
        QuickModeProposalsEmpty,
        QuickModeEncapsulationMissing,
        QuickModeEmptyTransform,
        QuickModeGcmWithoutGmac,
        QuickModeGmacWithCbc,
        QuickModeHashNotSupported,
        QuickModeLifetimeOutOfRange,
        QuickModeKilobytesOutOfRange,
        AhWithIkeV2,
        AuthProposalsEmpty,
        NoAuthForKeyingModule,
        CertificateWithoutAuthority,
        CertificateThumbprintInvalid,
        CgaNeedsIpv6,
        MixedAddressFamilies,
        AddressFamilyMismatch,
        PortsNeedTcpOrUdp,
        GuaranteeEncryptionNeedsCipher,
        TimeoutOutOfRange,
    }

    /// <summary>One problem: its code, where it is (a JSON-like path such as "quickModeCryptoSet.proposals[2]") and a sentence.</summary>
    public sealed class PolicyValidationError
    {
        public PolicyValidationError(PolicyErrorCode code, string path, string message)
        {
            Code = code;
            Path = path;
            Message = message;
        }

        public PolicyErrorCode Code { get; }
        public string Path { get; }
        public string Message { get; }
        public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
    }

    /// <summary>A policy that cannot be used; <see cref="Exception.Message"/> is the first problem (one line) and how many more.</summary>
    public sealed class PolicyValidationException : Exception
    {
        public PolicyValidationException(IReadOnlyList<PolicyValidationError> errors)
            : base(errors.Count == 0 ? "invalid policy" : errors[0] + (errors.Count > 1 ? $" (and {errors.Count - 1} more problem(s))" : ""))
        {
            Errors = errors;
        }

        public IReadOnlyList<PolicyValidationError> Errors { get; }
        public IEnumerable<PolicyErrorCode> Codes => Errors.Select(e => e.Code);
    }
}
