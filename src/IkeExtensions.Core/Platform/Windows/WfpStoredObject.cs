using System;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// A WFP object as a store holds it: the description's references plus what WFP records about ownership and
    /// lifetime (providerKey, the PERSISTENT flag) and <see cref="Tag"/>, the applier's fingerprint kept in the
    /// object's providerData so a later apply can tell unchanged objects from changed ones.
    /// </summary>
    public sealed class WfpStoredObject
    {
        public WfpStoredObject(WfpDescriptionKind kind, Guid key, string name, Guid? providerKey, Guid layerKey, Guid sublayerKey,
            Guid? providerContextKey, ushort weight, bool persistent, byte[] tag, WfpObjectDescription? source = null)
        {
            Kind = kind;
            Key = key;
            Name = name;
            ProviderKey = providerKey;
            LayerKey = layerKey;
            SublayerKey = sublayerKey;
            ProviderContextKey = providerContextKey;
            Weight = weight;
            Persistent = persistent;
            Tag = tag ?? Array.Empty<byte>();
            Source = source;
        }

        public WfpDescriptionKind Kind { get; }
        public Guid Key { get; }
        public string Name { get; }
        /// <summary>The owning provider (null for a provider, and for objects added without one).</summary>
        public Guid? ProviderKey { get; }
        public Guid LayerKey { get; }
        public Guid SublayerKey { get; }
        public Guid? ProviderContextKey { get; }
        public ushort Weight { get; }
        public bool Persistent { get; }
        public byte[] Tag { get; }
        /// <summary>The description it was made from, when added by this process (null when read back from BFE).</summary>
        public WfpObjectDescription? Source { get; }

        public static WfpStoredObject From(WfpObjectDescription d, Guid? providerKey, bool persistent, byte[] tag) =>
            new WfpStoredObject(d.Kind, d.Key, d.Name, d.Kind == WfpDescriptionKind.Provider ? null : providerKey, d.LayerKey, d.SublayerKey,
                d.ProviderContextKey, d.Weight, persistent, tag, d);

        public override string ToString() =>
            $"{Kind} '{Name}' {{{Key}}} provider={ProviderKey?.ToString() ?? "-"} layer={LayerKey} sublayer={SublayerKey} " +
            $"context={ProviderContextKey?.ToString() ?? "-"} weight={Weight} persistent={Persistent} tag={BitConverter.ToString(Tag)}";
    }
}
