using System;

namespace IkeExtensions.Policy.Wfp
{
    /// <summary>An SDK identifier: its name (e.g. FWPM_LAYER_IKEEXT_V4) and its GUID from fwpmu.h.</summary>
    public sealed class WfpId : IEquatable<WfpId>
    {
        public WfpId(string name, string key)
        {
            Name = name;
            Key = new Guid(key);
        }

        public string Name { get; }
        public Guid Key { get; }
        public bool Equals(WfpId? other) => other != null && other.Key == Key;
        public override bool Equals(object? obj) => Equals(obj as WfpId);
        public override int GetHashCode() => Key.GetHashCode();
        public override string ToString() => Name;
    }

    /// <summary>Layer, callout and condition GUIDs (SDK fwpmu.h, as listed in shared/reference/netsecurity-wfp*.md).</summary>
    public static class WfpGuids
    {
        public static readonly WfpId LayerIkeExtV4 = new WfpId("FWPM_LAYER_IKEEXT_V4", "b14b7bdb-dbbd-473e-bed4-8b4708d4f270");
        public static readonly WfpId LayerIkeExtV6 = new WfpId("FWPM_LAYER_IKEEXT_V6", "b64786b3-f687-4eb9-89d2-8ef32acdabe2");
        public static readonly WfpId LayerIpsecV4 = new WfpId("FWPM_LAYER_IPSEC_V4", "eda65c74-610d-4bc5-948f-3c4f89556867");
        public static readonly WfpId LayerIpsecV6 = new WfpId("FWPM_LAYER_IPSEC_V6", "13c48442-8d87-4261-9a29-59d2abc348b4");
        public static readonly WfpId LayerInboundTransportV4 = new WfpId("FWPM_LAYER_INBOUND_TRANSPORT_V4", "5926dfc8-e3cf-4426-a283-dc393f5d0f9d");
        public static readonly WfpId LayerInboundTransportV6 = new WfpId("FWPM_LAYER_INBOUND_TRANSPORT_V6", "634a869f-fc23-4b90-b0c1-bf620a36ae6f");
        public static readonly WfpId LayerOutboundTransportV4 = new WfpId("FWPM_LAYER_OUTBOUND_TRANSPORT_V4", "09e61aea-d214-46e2-9b21-b26b0b2f28c8");
        public static readonly WfpId LayerOutboundTransportV6 = new WfpId("FWPM_LAYER_OUTBOUND_TRANSPORT_V6", "e1735bde-013f-4655-b351-a49e15762df0");
        public static readonly WfpId LayerAleAuthRecvAcceptV4 = new WfpId("FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4", "e1cd9fe7-f4b5-4273-96c0-592e487b8650");
        public static readonly WfpId LayerAleAuthRecvAcceptV6 = new WfpId("FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6", "a3b42c97-9f04-4672-b87e-cee9c483257f");

        public static readonly WfpId CalloutInboundTransportV4 = new WfpId("FWPM_CALLOUT_IPSEC_INBOUND_TRANSPORT_V4", "5132900d-5e84-4b5f-80e4-01741e81ff10");
        public static readonly WfpId CalloutInboundTransportV6 = new WfpId("FWPM_CALLOUT_IPSEC_INBOUND_TRANSPORT_V6", "49d3ac92-2a6c-4dcf-955f-1c3be009dd99");
        public static readonly WfpId CalloutOutboundTransportV4 = new WfpId("FWPM_CALLOUT_IPSEC_OUTBOUND_TRANSPORT_V4", "4b46bf0a-4523-4e57-aa38-a87987c910d9");
        public static readonly WfpId CalloutOutboundTransportV6 = new WfpId("FWPM_CALLOUT_IPSEC_OUTBOUND_TRANSPORT_V6", "38d87722-ad83-4f11-a91f-df0fb077225b");
        public static readonly WfpId CalloutInboundInitiateSecureV4 = new WfpId("FWPM_CALLOUT_IPSEC_INBOUND_INITIATE_SECURE_V4", "7dff309b-ba7d-4aba-91aa-ae5c6640c944");
        public static readonly WfpId CalloutInboundInitiateSecureV6 = new WfpId("FWPM_CALLOUT_IPSEC_INBOUND_INITIATE_SECURE_V6", "a9a0d6d9-c58c-474e-8aeb-3cfe99d6d53d");

        public static readonly WfpId ConditionIpLocalAddressType = new WfpId("FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE", "6ec7f6c4-376b-45d7-9e9c-d337cedcd237");
        public static readonly WfpId ConditionIpProtocol = new WfpId("FWPM_CONDITION_IP_PROTOCOL", "3971ef2b-623e-4f9a-8cb1-6e79b806b9a7");
        public static readonly WfpId ConditionIpLocalAddress = new WfpId("FWPM_CONDITION_IP_LOCAL_ADDRESS", "d9ee00de-c1ef-4617-bfe3-ffd8f5a08957");
        public static readonly WfpId ConditionIpRemoteAddress = new WfpId("FWPM_CONDITION_IP_REMOTE_ADDRESS", "b235ae9a-1d64-49b8-a44c-5ff3d9095045");
        public static readonly WfpId ConditionIpLocalPort = new WfpId("FWPM_CONDITION_IP_LOCAL_PORT", "0c1ba1af-5765-453f-af22-a8f791ac775b");
        public static readonly WfpId ConditionIpRemotePort = new WfpId("FWPM_CONDITION_IP_REMOTE_PORT", "c35a604d-d22b-4e1a-91b4-68f674ee674b");

        public static readonly WfpId KeyingModuleIke = new WfpId("FWPM_KEYING_MODULE_IKE", "a9bbf787-82a8-45bb-a400-5d7e5952c7a9");
        public static readonly WfpId KeyingModuleAuthIp = new WfpId("FWPM_KEYING_MODULE_AUTHIP", "11e3dae0-dd26-4590-857d-ab4b28d1a095");
        public static readonly WfpId KeyingModuleIkeV2 = new WfpId("FWPM_KEYING_MODULE_IKEV2", "041792cc-8f07-419d-a394-716968cb1647");
    }

    /// <summary>Numeric SDK constants the compiled objects use (fwptypes.h, fwpmtypes.h, ipsectypes.h, nldef.h).</summary>
    public static class WfpConstants
    {
        public const uint FWP_ACTION_PERMIT = 0x1002;
        public const uint FWP_ACTION_CALLOUT_TERMINATING = 0x5003;
        public const byte NlatUnicast = 1;
        public const byte IPPROTO_ICMP = 1;
        public const byte IPPROTO_ICMPV6 = 58;
        public const byte FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS = 0xC;
        public const ulong FWPM_CONTEXT_IPSEC_INBOUND_PERSIST_CONNECTION_SECURITY = 0x2;
        public const ulong FWPM_CONTEXT_IPSEC_OUTBOUND_NEGOTIATE_DISCOVER = 0x1;
        public const uint IPSEC_POLICY_FLAG_ND_SECURE = 0x2;
        public const uint IPSEC_POLICY_FLAG_ND_BOUNDARY = 0x4;
        public const uint FWPM_FILTER_FLAG_PERSISTENT = 0x1;
        public const uint FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT = 0x4;
        /// <summary>FWPM_PROVIDER_FLAG_PERSISTENT, FWPM_SUBLAYER_FLAG_PERSISTENT and FWPM_PROVIDER_CONTEXT_FLAG_PERSISTENT.</summary>
        public const uint FWPM_OBJECT_FLAG_PERSISTENT = 0x1;
        public const uint IpsecLifetimePackets = 0x7FFFFFFF;

        /// <summary>FWPM_PROVIDER_CONTEXT_TYPE values.</summary>
        public const uint FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT = 1;
        public const uint FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT = 3;
        public const uint FWPM_IPSEC_IKE_MM_CONTEXT = 5;
        public const uint FWPM_IPSEC_AUTHIP_MM_CONTEXT = 6;
        public const uint FWPM_IPSEC_IKEV2_MM_CONTEXT = 10;
        public const uint FWPM_IPSEC_IKEV2_QM_TRANSPORT_CONTEXT = 12;
    }
}
