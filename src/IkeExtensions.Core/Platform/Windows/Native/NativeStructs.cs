using System;
using System.Collections.Generic;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>Every C struct this assembly marshals to or from fwpuclnt.dll: the layout oracle test measures each,
    /// x64 and x86, against the Windows headers.</summary>
    public static class NativeStructs
    {
        public static IReadOnlyList<Type> All { get; } = new[]
        {
            typeof(FWP_BYTE_BLOB), typeof(FWP_BYTE_ARRAY16), typeof(FWP_VALUE0), typeof(FWP_CONDITION_VALUE0),
            typeof(FWP_V4_ADDR_AND_MASK), typeof(FWP_V6_ADDR_AND_MASK), typeof(FWP_RANGE0),
            typeof(FWPM_DISPLAY_DATA0), typeof(FWPM_SESSION0), typeof(FWPM_PROVIDER0), typeof(FWPM_SUBLAYER0),
            typeof(FWPM_SUBLAYER_ENUM_TEMPLATE0), typeof(FWPM_ACTION0), typeof(FWPM_FILTER_CONDITION0), typeof(FWPM_FILTER0),
            typeof(FWPM_FILTER_ENUM_TEMPLATE0), typeof(FWPM_PROVIDER_CONTEXT0), typeof(FWPM_PROVIDER_CONTEXT1),
            typeof(FWPM_PROVIDER_CONTEXT_ENUM_TEMPLATE0),
            typeof(IKEEXT_CIPHER_ALGORITHM0), typeof(IKEEXT_INTEGRITY_ALGORITHM0), typeof(IKEEXT_PROPOSAL0),
            typeof(IKEEXT_POLICY0), typeof(IKEEXT_POLICY1), typeof(IKEEXT_EM_POLICY1),
            typeof(IKEEXT_AUTHENTICATION_METHOD1), typeof(IKEEXT_PRESHARED_KEY_AUTHENTICATION1), typeof(IKEEXT_KERBEROS_AUTHENTICATION0),
            typeof(IKEEXT_NTLM_V2_AUTHENTICATION0), typeof(IKEEXT_EAP_AUTHENTICATION0), typeof(IKEEXT_IPV6_CGA_AUTHENTICATION0),
            typeof(IKEEXT_CERTIFICATE_AUTHENTICATION1), typeof(IKEEXT_CERT_ROOT_CONFIG0),
            typeof(IKEEXT_TRAFFIC0), typeof(IKEEXT_COOKIE_PAIR0), typeof(IKEEXT_CREDENTIALS1), typeof(IKEEXT_CREDENTIAL_PAIR1),
            typeof(IKEEXT_CREDENTIAL1), typeof(IKEEXT_CERTIFICATE_CREDENTIAL1), typeof(IKEEXT_NAME_CREDENTIAL0),
            typeof(IKEEXT_SA_DETAILS1), typeof(IKEEXT_SA_ENUM_TEMPLATE0), typeof(IPSEC_V4_UDP_ENCAPSULATION0),
            typeof(IPSEC_SA_LIFETIME0), typeof(IPSEC_AUTH_TRANSFORM_ID0), typeof(IPSEC_CIPHER_TRANSFORM_ID0),
            typeof(IPSEC_AUTH_TRANSFORM0), typeof(IPSEC_CIPHER_TRANSFORM0), typeof(IPSEC_AUTH_AND_CIPHER_TRANSFORM0),
            typeof(IPSEC_SA_TRANSFORM0), typeof(IPSEC_PROPOSAL0), typeof(IPSEC_SA_IDLE_TIMEOUT0), typeof(IPSEC_TRANSPORT_POLICY1),
            typeof(IPSEC_SA_CONTEXT1), typeof(IPSEC_SA_CONTEXT_ENUM_TEMPLATE0), typeof(IPSEC_SA_DETAILS1),
            typeof(IPSEC_VIRTUAL_IF_TUNNEL_INFO0), typeof(IPSEC_TRAFFIC1), typeof(IPSEC_SA_BUNDLE1), typeof(IPSEC_SA0),
        };
    }
}
