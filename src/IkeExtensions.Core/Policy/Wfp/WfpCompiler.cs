using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Wfp
{
    /// <summary>Options for <see cref="WfpCompiler.Compile"/>.</summary>
    public sealed class WfpCompileOptions
    {
        /// <summary>Add the objects with the PERSISTENT flags (they survive reboots; default true for GPO/DSC use).</summary>
        public bool Persistent { get; set; } = true;
        /// <summary>The policy sublayer's weight (FWPM_SUBLAYER0.weight).</summary>
        public ushort SublayerWeight { get; set; } = 0x8000;
    }

    /// <summary>The ordered objects a policy becomes.</summary>
    public sealed class WfpCompilation
    {
        internal WfpCompilation(IpsecPolicy policy, IReadOnlyList<WfpObject> objects)
        {
            Policy = policy;
            Objects = objects;
        }

        public IpsecPolicy Policy { get; }
        public IReadOnlyList<WfpObject> Objects { get; }
        public IEnumerable<WfpFilter> Filters => Objects.OfType<WfpFilter>();
        public IEnumerable<WfpProviderContext> ProviderContexts => Objects.OfType<WfpProviderContext>();
    }

    /// <summary>
    /// Compiles a policy to WFP objects exactly as the seed scenarios prescribe (win32 FWP "Transport Mode", "Negotiation
    /// Discovery Transport Mode", "... in Boundary Mode"), IPv4 then IPv6 within each step:
    /// provider; sublayer; per keying module an MM provider context and its filters at FWPM_LAYER_IKEEXT_V{4,6}; per keying
    /// module a QM transport context (ND_SECURE / ND_BOUNDARY) and its filters at FWPM_LAYER_IPSEC_V{4,6}; the callout filter
    /// and ICMP exemption at INBOUND_TRANSPORT then OUTBOUND_TRANSPORT; for non-boundary negotiation discovery the callout
    /// filter and ICMP exemption at ALE_AUTH_RECV_ACCEPT. Policy filters carry the traffic selector's conditions (none for
    /// the seeds' "all unicast traffic").
    /// </summary>
    public static class WfpCompiler
    {
        private sealed class Family
        {
            public Family(string tag, AddressFamilies family, WfpId ikeExt, WfpId ipsec, WfpId inbound, WfpId outbound, WfpId ale,
                WfpId inboundCallout, WfpId outboundCallout, WfpId aleCallout, byte icmp, string icmpName)
            {
                Tag = tag; Value = family; IkeExt = ikeExt; Ipsec = ipsec; Inbound = inbound; Outbound = outbound; Ale = ale;
                InboundCallout = inboundCallout; OutboundCallout = outboundCallout; AleCallout = aleCallout; Icmp = icmp; IcmpName = icmpName;
            }

            public string Tag { get; }
            public AddressFamilies Value { get; }
            public WfpId IkeExt { get; }
            public WfpId Ipsec { get; }
            public WfpId Inbound { get; }
            public WfpId Outbound { get; }
            public WfpId Ale { get; }
            public WfpId InboundCallout { get; }
            public WfpId OutboundCallout { get; }
            public WfpId AleCallout { get; }
            public byte Icmp { get; }
            public string IcmpName { get; }
        }

        private static readonly Family V4 = new Family("v4", AddressFamilies.IPv4, WfpGuids.LayerIkeExtV4, WfpGuids.LayerIpsecV4, WfpGuids.LayerInboundTransportV4,
            WfpGuids.LayerOutboundTransportV4, WfpGuids.LayerAleAuthRecvAcceptV4, WfpGuids.CalloutInboundTransportV4, WfpGuids.CalloutOutboundTransportV4,
            WfpGuids.CalloutInboundInitiateSecureV4, WfpConstants.IPPROTO_ICMP, "IPPROTO_ICMP");

        private static readonly Family V6 = new Family("v6", AddressFamilies.IPv6, WfpGuids.LayerIkeExtV6, WfpGuids.LayerIpsecV6, WfpGuids.LayerInboundTransportV6,
            WfpGuids.LayerOutboundTransportV6, WfpGuids.LayerAleAuthRecvAcceptV6, WfpGuids.CalloutInboundTransportV6, WfpGuids.CalloutOutboundTransportV6,
            WfpGuids.CalloutInboundInitiateSecureV6, WfpConstants.IPPROTO_ICMPV6, "IPPROTO_ICMPV6");

        /// <summary>The provider all IkeExtensions policies share (its key does not depend on the policy).</summary>
        public static Guid ProviderKey { get; } = DeterministicGuid.Create(DeterministicGuid.IkeExtensionsNamespace, "provider");

        public static WfpCompilation Compile(IpsecPolicy policy, WfpCompileOptions? options = null)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            policy.EnsureValid();
            options ??= new WfpCompileOptions();
            var families = new[] { V4, V6 }.Where(f => (policy.AddressFamilies & f.Value) != 0).ToList();
            var objects = new List<WfpObject>();
            var persistent = options.Persistent ? new[] { new WfpConstant("FWPM_PROVIDER_FLAG_PERSISTENT", WfpConstants.FWPM_OBJECT_FLAG_PERSISTENT) } : new WfpConstant[0];
            Guid Key(string role) => DeterministicGuid.ForPolicyObject(policy.Name, role);
            IReadOnlyList<WfpConstant> Flags(string prefix, bool providerContext = false)
            {
                var list = new List<WfpConstant>();
                if (options.Persistent) list.Add(new WfpConstant(prefix + "_FLAG_PERSISTENT", WfpConstants.FWPM_OBJECT_FLAG_PERSISTENT));
                if (providerContext) list.Add(new WfpConstant("FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT", WfpConstants.FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT));
                return list;
            }

            objects.Add(new WfpProvider(ProviderKey, "IkeExtensions", "IPsec policies added by IkeExtensions (ikex, Add-IkePolicy).", persistent));
            Guid sublayer = Key("sublayer");
            objects.Add(new WfpSublayer(sublayer, policy.Name, "Filters of IPsec policy " + policy.Name, Flags("FWPM_SUBLAYER"), ProviderKey, options.SublayerWeight));

            WfpFilter Filter(string role, string what, WfpId layer, WfpWeight weight, IReadOnlyList<WfpCondition> conditions, WfpAction action,
                WfpConstant? rawContext = null, Guid? providerContext = null) =>
                new WfpFilter(Key(role), role, $"{policy.Name} - {what}", policy.Description, Flags("FWPM_FILTER", providerContext != null),
                    ProviderKey, sublayer, layer, weight, conditions, action, rawContext, providerContext);

            // At FWPM_LAYER_IKEEXT_V{4|6}: MM policy contexts and their filters (conditions empty: all traffic; action PERMIT).
            foreach (var module in policy.KeyingModules)
            {
                string role = $"mm-context/{module}";
                var type = MmType(module);
                objects.Add(new WfpProviderContext(Key(role), role, $"{policy.Name} - main mode ({module})", policy.Description, Flags("FWPM_PROVIDER_CONTEXT"),
                    ProviderKey, type, module, WfpPolicyTranslation.MainMode(policy, module), null));
                foreach (var f in families)
                    objects.Add(Filter($"mm-filter/{module}/{f.Tag}", $"main mode ({module}, {f.Tag})", f.IkeExt, WfpWeight.Auto,
                        WfpConditions.Addresses(policy.Traffic), WfpAction.Permit, providerContext: Key(role)));
            }

            // At FWPM_LAYER_IPSEC_V{4|6}: QM transport contexts (ND_SECURE / ND_BOUNDARY) and their filters.
            foreach (var module in policy.KeyingModules)
            {
                string role = $"qm-context/{module}";
                objects.Add(new WfpProviderContext(Key(role), role, $"{policy.Name} - quick mode ({module})", policy.Description, Flags("FWPM_PROVIDER_CONTEXT"),
                    ProviderKey, QmType(module), module, null, WfpPolicyTranslation.QuickMode(policy, module)));
                foreach (var f in families)
                    objects.Add(Filter($"qm-filter/{module}/{f.Tag}", $"quick mode ({module}, {f.Tag})", f.Ipsec, WfpWeight.Auto,
                        WfpConditions.Traffic(policy.Traffic), WfpAction.Permit, providerContext: Key(role)));
            }

            bool nd = policy.IsNegotiationDiscovery;
            var inboundContext = nd ? new WfpConstant("FWPM_CONTEXT_IPSEC_INBOUND_PERSIST_CONNECTION_SECURITY", WfpConstants.FWPM_CONTEXT_IPSEC_INBOUND_PERSIST_CONNECTION_SECURITY) : null;
            var outboundContext = nd ? new WfpConstant("FWPM_CONTEXT_IPSEC_OUTBOUND_NEGOTIATE_DISCOVER", WfpConstants.FWPM_CONTEXT_IPSEC_OUTBOUND_NEGOTIATE_DISCOVER) : null;

            void PerPacket(string step, string what, Func<Family, WfpId> layer, Func<Family, WfpId> callout, WfpConstant? rawContext)
            {
                foreach (var f in families)
                {
                    objects.Add(Filter($"{step}/{f.Tag}", $"{what} ({f.Tag})", layer(f), WfpWeight.Auto,
                        WfpConditions.Unicast(policy.Traffic, icmp: null), WfpAction.CalloutTerminating(callout(f)), rawContext));
                    if (policy.ExemptIcmp)
                        objects.Add(Filter($"{step}/{f.Tag}/icmp-exemption", $"{what}: ICMP exemption ({f.Tag})", layer(f), WfpWeight.IkeExemptions,
                            WfpConditions.Unicast(policy.Traffic, icmp: (f.Icmp, f.IcmpName)), WfpAction.Permit));
                }
            }

            PerPacket("inbound-transport", "inbound transport", f => f.Inbound, f => f.InboundCallout, inboundContext);
            PerPacket("outbound-transport", "outbound transport", f => f.Outbound, f => f.OutboundCallout, outboundContext);
            // Boundary mode adds nothing at ALE_AUTH_RECV_ACCEPT: it allows inbound clear-text connections.
            if (policy.Kind == PolicyKind.NegotiationDiscovery)
                PerPacket("ale-recv-accept", "inbound connections must be secure", f => f.Ale, f => f.AleCallout, null);
            return new WfpCompilation(policy, objects);
        }

        private static WfpConstant MmType(KeyingModule m) => m switch
        {
            KeyingModule.IKEv1 => new WfpConstant("FWPM_IPSEC_IKE_MM_CONTEXT", WfpConstants.FWPM_IPSEC_IKE_MM_CONTEXT),
            KeyingModule.AuthIP => new WfpConstant("FWPM_IPSEC_AUTHIP_MM_CONTEXT", WfpConstants.FWPM_IPSEC_AUTHIP_MM_CONTEXT),
            _ => new WfpConstant("FWPM_IPSEC_IKEV2_MM_CONTEXT", WfpConstants.FWPM_IPSEC_IKEV2_MM_CONTEXT),
        };

        private static WfpConstant QmType(KeyingModule m) => m switch
        {
            KeyingModule.IKEv1 => new WfpConstant("FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT", WfpConstants.FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT),
            KeyingModule.AuthIP => new WfpConstant("FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT", WfpConstants.FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT),
            _ => new WfpConstant("FWPM_IPSEC_IKEV2_QM_TRANSPORT_CONTEXT", WfpConstants.FWPM_IPSEC_IKEV2_QM_TRANSPORT_CONTEXT),
        };
    }
}
