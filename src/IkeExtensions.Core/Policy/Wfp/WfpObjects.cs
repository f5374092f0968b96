using System;
using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Policy.Wfp
{
    public enum WfpObjectKind
    {
        Provider,
        Sublayer,
        ProviderContext,
        Filter,
    }

    /// <summary>A named SDK constant with its value (e.g. FWP_ACTION_PERMIT = 0x1002).</summary>
    public sealed class WfpConstant
    {
        public WfpConstant(string name, ulong value)
        {
            Name = name;
            Value = value;
        }

        public string Name { get; }
        public ulong Value { get; }
        public override string ToString() => Name;
    }

    /// <summary>
    /// One object the policy becomes, in the order the Windows layer adds them (in one transaction). <see cref="Role"/>
    /// names the object's place in the seed recipe (e.g. "qm-filter/IKEv1/v4"); <see cref="Key"/> is a name-based UUID of
    /// the policy name and the role.
    /// </summary>
    public abstract class WfpObject
    {
        private protected WfpObject(WfpObjectKind kind, Guid key, string role, string name, string description, IReadOnlyList<WfpConstant> flags)
        {
            Kind = kind;
            Key = key;
            Role = role;
            Name = name;
            Description = description;
            Flags = flags;
        }

        public WfpObjectKind Kind { get; }
        public Guid Key { get; }
        public string Role { get; }
        /// <summary>displayData.name.</summary>
        public string Name { get; }
        /// <summary>displayData.description.</summary>
        public string Description { get; }
        public IReadOnlyList<WfpConstant> Flags { get; }
        public override string ToString() => $"{Kind} {Role} {Key}";
    }

    public sealed class WfpProvider : WfpObject
    {
        public WfpProvider(Guid key, string name, string description, IReadOnlyList<WfpConstant> flags)
            : base(WfpObjectKind.Provider, key, "provider", name, description, flags) { }
    }

    public sealed class WfpSublayer : WfpObject
    {
        public WfpSublayer(Guid key, string name, string description, IReadOnlyList<WfpConstant> flags, Guid providerKey, ushort weight)
            : base(WfpObjectKind.Sublayer, key, "sublayer", name, description, flags)
        {
            ProviderKey = providerKey;
            Weight = weight;
        }

        public Guid ProviderKey { get; }
        public ushort Weight { get; }
    }

    /// <summary>An MM or QM policy provider context: exactly one of <see cref="MainModePolicy"/> and <see cref="QuickModePolicy"/> is set.</summary>
    public sealed class WfpProviderContext : WfpObject
    {
        public WfpProviderContext(Guid key, string role, string name, string description, IReadOnlyList<WfpConstant> flags, Guid providerKey,
            WfpConstant type, Model.KeyingModule keyingModule, IkeExtPolicy? mainModePolicy, IpsecTransportPolicy? quickModePolicy)
            : base(WfpObjectKind.ProviderContext, key, role, name, description, flags)
        {
            ProviderKey = providerKey;
            Type = type;
            KeyingModule = keyingModule;
            MainModePolicy = mainModePolicy;
            QuickModePolicy = quickModePolicy;
        }

        public Guid ProviderKey { get; }
        /// <summary>FWPM_PROVIDER_CONTEXT_TYPE, e.g. FWPM_IPSEC_IKE_MM_CONTEXT.</summary>
        public WfpConstant Type { get; }
        public Model.KeyingModule KeyingModule { get; }
        public IkeExtPolicy? MainModePolicy { get; }
        public IpsecTransportPolicy? QuickModePolicy { get; }
    }

    /// <summary>A filter (FWPM_FILTER0). <see cref="RawContext"/> and <see cref="ProviderContextKey"/> share a union: at most one is set.</summary>
    public sealed class WfpFilter : WfpObject
    {
        public WfpFilter(Guid key, string role, string name, string description, IReadOnlyList<WfpConstant> flags, Guid providerKey, Guid sublayerKey,
            WfpId layer, WfpWeight weight, IReadOnlyList<WfpCondition> conditions, WfpAction action, WfpConstant? rawContext, Guid? providerContextKey)
            : base(WfpObjectKind.Filter, key, role, name, description, flags)
        {
            if (rawContext != null && providerContextKey != null) throw new ArgumentException("rawContext and providerContextKey share a union.");
            ProviderKey = providerKey;
            SublayerKey = sublayerKey;
            Layer = layer;
            Weight = weight;
            Conditions = conditions;
            Action = action;
            RawContext = rawContext;
            ProviderContextKey = providerContextKey;
        }

        public Guid ProviderKey { get; }
        public Guid SublayerKey { get; }
        public WfpId Layer { get; }
        public WfpWeight Weight { get; }
        public IReadOnlyList<WfpCondition> Conditions { get; }
        public WfpAction Action { get; }
        public WfpConstant? RawContext { get; }
        public Guid? ProviderContextKey { get; }
    }

    /// <summary>weight: FWP_EMPTY (the engine assigns one) or FWP_UINT8 (a weight range, e.g. FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS).</summary>
    public sealed class WfpWeight
    {
        public static WfpWeight Auto { get; } = new WfpWeight(null);
        public static WfpWeight IkeExemptions { get; } = new WfpWeight(new WfpConstant("FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS", WfpConstants.FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS));

        private WfpWeight(WfpConstant? range) => Range = range;

        /// <summary>Null for FWP_EMPTY.</summary>
        public WfpConstant? Range { get; }
        public string Type => Range == null ? "FWP_EMPTY" : "FWP_UINT8";
    }

    /// <summary>action: type and, for callouts, the callout key.</summary>
    public sealed class WfpAction
    {
        public static WfpAction Permit { get; } = new WfpAction(new WfpConstant("FWP_ACTION_PERMIT", WfpConstants.FWP_ACTION_PERMIT), null);

        public static WfpAction CalloutTerminating(WfpId callout) =>
            new WfpAction(new WfpConstant("FWP_ACTION_CALLOUT_TERMINATING", WfpConstants.FWP_ACTION_CALLOUT_TERMINATING), callout);

        private WfpAction(WfpConstant type, WfpId? callout)
        {
            Type = type;
            Callout = callout;
        }

        public WfpConstant Type { get; }
        public WfpId? Callout { get; }
    }

    /// <summary>A filter condition: field, match type (FWP_MATCH_EQUAL, FWP_MATCH_RANGE) and value.</summary>
    public sealed class WfpCondition
    {
        public WfpCondition(WfpId field, string match, WfpValue value)
        {
            Field = field;
            Match = match;
            Value = value;
        }

        public WfpId Field { get; }
        public string Match { get; }
        public WfpValue Value { get; }
    }

    /// <summary>
    /// An FWP_CONDITION_VALUE0: FWP_UINT8/UINT16 (<see cref="Number"/>, with a symbolic <see cref="Name"/> when the SDK
    /// has one), FWP_UINT32/BYTE_ARRAY16_TYPE (an address), FWP_V4_ADDR_MASK/V6_ADDR_MASK (address + prefix) or
    /// FWP_RANGE_TYPE (<see cref="Low"/>..<see cref="High"/>).
    /// </summary>
    public sealed class WfpValue
    {
        private WfpValue(string type) => Type = type;

        public string Type { get; }
        public ulong? Number { get; private set; }
        public string? Name { get; private set; }
        public IPAddress? Address { get; private set; }
        public int? PrefixLength { get; private set; }
        public WfpValue? Low { get; private set; }
        public WfpValue? High { get; private set; }

        public static WfpValue UInt8(byte value, string? name = null) => new WfpValue("FWP_UINT8") { Number = value, Name = name };
        public static WfpValue UInt16(ushort value) => new WfpValue("FWP_UINT16") { Number = value };

        public static WfpValue Ip(IPAddress address) =>
            new WfpValue(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "FWP_BYTE_ARRAY16_TYPE" : "FWP_UINT32") { Address = address };

        public static WfpValue Subnet(IPAddress network, int prefixLength) =>
            new WfpValue(network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "FWP_V6_ADDR_MASK" : "FWP_V4_ADDR_MASK") { Address = network, PrefixLength = prefixLength };

        public static WfpValue Range(WfpValue low, WfpValue high) => new WfpValue("FWP_RANGE_TYPE") { Low = low, High = high };
    }
}
