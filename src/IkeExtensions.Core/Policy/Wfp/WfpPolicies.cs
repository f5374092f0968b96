using System.Collections.Generic;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Wfp
{
    /// <summary>IKEEXT_POLICY (the MM provider context's policy): auth methods, proposals, flags.</summary>
    public sealed class IkeExtPolicy
    {
        public IkeExtPolicy(IReadOnlyList<IkeExtAuthMethod> authenticationMethods, IReadOnlyList<IkeExtProposal> ikeProposals)
        {
            AuthenticationMethods = authenticationMethods;
            IkeProposals = ikeProposals;
        }

        public uint SoftExpirationTime => 0;
        public IReadOnlyList<IkeExtAuthMethod> AuthenticationMethods { get; }
        public string InitiatorImpersonationType => "IKEEXT_IMPERSONATION_NONE";
        public IReadOnlyList<IkeExtProposal> IkeProposals { get; }
        public IReadOnlyList<WfpConstant> Flags { get; } = new WfpConstant[0];
        public uint MaxDynamicFilters => 0;
    }

    /// <summary>IKEEXT_PROPOSAL0.</summary>
    public sealed class IkeExtProposal
    {
        public IkeExtProposal(WfpConstant cipher, WfpConstant integrity, uint maxLifetimeSeconds, WfpConstant dhGroup, uint quickModeLimit)
        {
            CipherAlgorithm = cipher;
            IntegrityAlgorithm = integrity;
            MaxLifetimeSeconds = maxLifetimeSeconds;
            DhGroup = dhGroup;
            QuickModeLimit = quickModeLimit;
        }

        public WfpConstant CipherAlgorithm { get; }
        public WfpConstant IntegrityAlgorithm { get; }
        public uint MaxLifetimeSeconds { get; }
        public WfpConstant DhGroup { get; }
        public uint QuickModeLimit { get; }
    }

    /// <summary>
    /// IKEEXT_AUTHENTICATION_METHOD: the method type and what the compiled object may show. A pre-shared key is never
    /// shown (only its length); the Windows layer takes the secret from <see cref="Source"/>.
    /// </summary>
    public sealed class IkeExtAuthMethod
    {
        public IkeExtAuthMethod(WfpConstant type, AuthProposal source)
        {
            Type = type;
            Source = source;
        }

        public WfpConstant Type { get; }
        public AuthProposal Source { get; }
    }

    /// <summary>IKEEXT_EM_POLICY (AuthIP extended mode).</summary>
    public sealed class IkeExtEmPolicy
    {
        public IkeExtEmPolicy(IReadOnlyList<IkeExtAuthMethod> authenticationMethods, string impersonation)
        {
            AuthenticationMethods = authenticationMethods;
            InitiatorImpersonationType = impersonation;
        }

        public IReadOnlyList<IkeExtAuthMethod> AuthenticationMethods { get; }
        public string InitiatorImpersonationType { get; }
    }

    /// <summary>IPSEC_TRANSPORT_POLICY (the QM provider context's policy).</summary>
    public sealed class IpsecTransportPolicy
    {
        public IpsecTransportPolicy(IReadOnlyList<IpsecProposal> proposals, IReadOnlyList<WfpConstant> flags, uint ndAllowClearTimeoutSeconds,
            uint idleTimeoutSeconds, uint idleTimeoutSecondsFailOver, IkeExtEmPolicy? emPolicy)
        {
            IpsecProposals = proposals;
            Flags = flags;
            NdAllowClearTimeoutSeconds = ndAllowClearTimeoutSeconds;
            IdleTimeoutSeconds = idleTimeoutSeconds;
            IdleTimeoutSecondsFailOver = idleTimeoutSecondsFailOver;
            EmPolicy = emPolicy;
        }

        public IReadOnlyList<IpsecProposal> IpsecProposals { get; }
        public IReadOnlyList<WfpConstant> Flags { get; }
        public uint FlagsValue
        {
            get
            {
                uint v = 0;
                foreach (var f in Flags) v |= (uint)f.Value;
                return v;
            }
        }

        public uint NdAllowClearTimeoutSeconds { get; }
        public uint IdleTimeoutSeconds { get; }
        public uint IdleTimeoutSecondsFailOver { get; }
        public IkeExtEmPolicy? EmPolicy { get; }
    }

    /// <summary>IPSEC_PROPOSAL0: lifetime, transforms, PFS group.</summary>
    public sealed class IpsecProposal
    {
        public IpsecProposal(uint lifetimeSeconds, uint lifetimeKilobytes, IReadOnlyList<IpsecSaTransform> transforms, WfpConstant pfsGroup)
        {
            LifetimeSeconds = lifetimeSeconds;
            LifetimeKilobytes = lifetimeKilobytes;
            SaTransforms = transforms;
            PfsGroup = pfsGroup;
        }

        public uint LifetimeSeconds { get; }
        public uint LifetimeKilobytes { get; }
        public uint LifetimePackets => WfpConstants.IpsecLifetimePackets;
        public IReadOnlyList<IpsecSaTransform> SaTransforms { get; }
        public WfpConstant PfsGroup { get; }
    }

    /// <summary>IPSEC_SA_TRANSFORM0: type plus the predefined auth/cipher transform IDs (fwpmu.h IPSEC_*_TRANSFORM_ID_*).</summary>
    public sealed class IpsecSaTransform
    {
        public IpsecSaTransform(WfpConstant type, string? authTransform, string? cipherTransform)
        {
            Type = type;
            AuthTransform = authTransform;
            CipherTransform = cipherTransform;
        }

        public WfpConstant Type { get; }
        public string? AuthTransform { get; }
        public string? CipherTransform { get; }
    }
}
