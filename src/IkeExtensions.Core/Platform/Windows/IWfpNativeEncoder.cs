using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// Turns a description's kind-specific part (<see cref="WfpObjectDescription.Body"/>/<see cref="WfpObjectDescription.Payload"/>)
    /// into native memory for <see cref="NativeWfpStore"/>: the policy compiler's filters and IKE/IPsec policies.
    /// The store fills everything else (keys, display data, flags, providerKey, providerData, layer, sublayer and the
    /// provider context key) and allocates from the same arena, which lives until the WFP call returns.
    /// </summary>
    public interface IWfpNativeEncoder
    {
        /// <summary>Sets weight, numFilterConditions/filterCondition, action and (without a provider context) rawContext.</summary>
        void EncodeFilter(WfpStoredObject filter, ref FWPM_FILTER0 native, NativeArena arena);

        /// <summary>Sets type and the policy pointer (e.g. an IKEEXT_POLICY1 for FWPM_IPSEC_IKE_MM_CONTEXT).</summary>
        void EncodeProviderContext(WfpStoredObject providerContext, ref FWPM_PROVIDER_CONTEXT1 native, NativeArena arena);
    }
}
