using System;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>The four kinds of WFP object a plan holds, in the order they are added.</summary>
    public enum WfpDescriptionKind
    {
        Provider,
        Sublayer,
        ProviderContext,
        Filter,
    }

    /// <summary>
    /// A neutral description of one WFP object the applier should make exist: kind, key, display data and the
    /// references WFP checks (layer, sublayer, provider context). Everything kind-specific (filter conditions, action,
    /// weight; the provider context's type and IKE/IPsec policy) travels as <see cref="Payload"/>: canonical bytes the
    /// applier only fingerprints, so any change of them replaces the object. <see cref="Body"/> optionally carries the
    /// typed object those bytes were made from (e.g. the policy compiler's WfpFilter) for the native encoder.
    /// </summary>
    public sealed class WfpObjectDescription
    {
        private WfpObjectDescription(WfpDescriptionKind kind, Guid key, string name)
        {
            if (key == Guid.Empty) throw new ArgumentException("a WFP object needs a non-empty key", nameof(key));
            Kind = kind;
            Key = key;
            Name = name ?? throw new ArgumentNullException(nameof(name));
        }

        public WfpDescriptionKind Kind { get; }
        public Guid Key { get; }
        /// <summary>displayData.name.</summary>
        public string Name { get; }
        /// <summary>displayData.description.</summary>
        public string? Description { get; private set; }
        /// <summary>Filters: the layer (e.g. FWPM_LAYER_IKEEXT_V4).</summary>
        public Guid LayerKey { get; private set; }
        /// <summary>Filters: the sublayer; Guid.Empty lets WFP use the layer's default sublayer.</summary>
        public Guid SublayerKey { get; private set; }
        /// <summary>Filters: the provider context the filter carries (FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT).</summary>
        public Guid? ProviderContextKey { get; private set; }
        /// <summary>Sublayers: the sublayer weight.</summary>
        public ushort Weight { get; private set; }
        public byte[] Payload { get; private set; } = Array.Empty<byte>();
        public object? Body { get; private set; }

        public static WfpObjectDescription Provider(Guid key, string name, string? description = null) =>
            new WfpObjectDescription(WfpDescriptionKind.Provider, key, name) { Description = description };

        public static WfpObjectDescription Sublayer(Guid key, string name, ushort weight, string? description = null) =>
            new WfpObjectDescription(WfpDescriptionKind.Sublayer, key, name) { Weight = weight, Description = description };

        public static WfpObjectDescription ProviderContext(Guid key, string name, byte[] payload, object? body = null, string? description = null) =>
            new WfpObjectDescription(WfpDescriptionKind.ProviderContext, key, name)
            {
                Payload = payload ?? throw new ArgumentNullException(nameof(payload)), Body = body, Description = description,
            };

        public static WfpObjectDescription Filter(Guid key, string name, Guid layerKey, Guid sublayerKey, Guid? providerContextKey,
            byte[] payload, object? body = null, string? description = null)
        {
            if (layerKey == Guid.Empty) throw new ArgumentException("a filter needs a layer", nameof(layerKey));
            return new WfpObjectDescription(WfpDescriptionKind.Filter, key, name)
            {
                LayerKey = layerKey, SublayerKey = sublayerKey, ProviderContextKey = providerContextKey,
                Payload = payload ?? throw new ArgumentNullException(nameof(payload)), Body = body, Description = description,
            };
        }

        public override string ToString() => $"{Kind} '{Name}' {{{Key}}}";
    }
}
