namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Sa
    {
        /// <summary>The IKE SA this one replaced by rekeying (RFC 7296 §1.3.2); null for one made by IKE_SA_INIT.</summary>
        public long? ReplacesIkeSaId { get; internal set; }
        /// <summary>The IKE SA that replaced this one; its children moved there.</summary>
        public long? ReplacedByIkeSaId { get; internal set; }
    }

    public sealed partial class ChildSaV2
    {
        /// <summary>The child SA this one replaced by rekeying (RFC 7296 §1.3.3).</summary>
        public long? ReplacesChildSaId { get; internal set; }
        /// <summary>The child SA that replaced this one; this one stays until it is deleted.</summary>
        public long? ReplacedByChildSaId { get; internal set; }
    }
}
