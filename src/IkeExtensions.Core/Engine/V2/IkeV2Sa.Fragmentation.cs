namespace IkeExtensions.Engine.V2
{
    /// <summary>IKEv2 fragmentation state of an IKE SA row (MS-IKEE 3.15.1), shown in SA listings.</summary>
    public sealed partial class IkeV2Sa
    {
        /// <summary>Both peers sent IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT (RFC 7383 §2.3): either may send fragments.</summary>
        public bool FragmentationSupported { get; internal set; }

        /// <summary>This SA sent or reassembled at least one fragmented message.</summary>
        public bool FragmentationActive { get; internal set; }
    }
}
