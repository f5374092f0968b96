using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IkeExtensions.Platform.Windows.Native;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>A compiled object cannot be written as the native struct (unsupported by the version-1 structs, a bad
    /// authority name, a missing key). Never holds key material.</summary>
    public sealed class WfpEncodingException : InvalidOperationException
    {
        public WfpEncodingException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>
    /// <see cref="IWfpNativeEncoder"/> for the policy compiler's objects (<see cref="WfpObjectDescription.Body"/> is a
    /// <see cref="WfpFilter"/> or <see cref="WfpProviderContext"/>, as <see cref="WfpObjectMapper"/> makes them).
    /// Filters: weight (FWP_EMPTY or FWP_UINT8 range), FWPM_FILTER_CONDITION0 array (UINT8/UINT16 values, IPv4 addresses
    /// as host-order FWP_UINT32, IPv6 as FWP_BYTE_ARRAY16, FWP_V4/V6_ADDR_MASK, FWP_RANGE0), action (and callout key) and
    /// rawContext. Provider contexts: IKE/AuthIP/IKEv2 MM → IKEEXT_POLICY1 with IKEEXT_PROPOSAL0 and
    /// IKEEXT_AUTHENTICATION_METHOD1 arrays; IKE/AuthIP QM transport → IPSEC_TRANSPORT_POLICY1 with IPSEC_PROPOSAL0 /
    /// IPSEC_SA_TRANSFORM0 and, for AuthIP, IKEEXT_EM_POLICY1. Everything is allocated from the call's arena.
    /// </summary>
    public sealed class WfpNativeEncoder : IWfpNativeEncoder
    {
        public const uint FWP_MATCH_EQUAL = 0;
        public const uint FWP_MATCH_RANGE = 5;
        public const uint IKEEXT_CERT_CONFIG_EXPLICIT_TRUST_LIST = 0;
        public const uint IKEEXT_IMPERSONATION_NONE = 0;
        public const uint IKEEXT_IMPERSONATION_SOCKET_PRINCIPAL = 1;

        /// <summary>fwpmu.h IPSEC_AUTH_TRANSFORM_ID_* = {IPSEC_AUTH_TYPE, IPSEC_AUTH_CONFIG}.</summary>
        public static readonly IReadOnlyDictionary<string, (uint Type, byte Config)> AuthTransformIds = new Dictionary<string, (uint, byte)>
        {
            ["IPSEC_AUTH_TRANSFORM_ID_HMAC_MD5_96"] = (0, 0),
            ["IPSEC_AUTH_TRANSFORM_ID_HMAC_SHA_1_96"] = (1, 1),
            ["IPSEC_AUTH_TRANSFORM_ID_HMAC_SHA_256_128"] = (2, 2),
            ["IPSEC_AUTH_TRANSFORM_ID_GCM_AES_128"] = (3, 3),
            ["IPSEC_AUTH_TRANSFORM_ID_GCM_AES_192"] = (4, 4),
            ["IPSEC_AUTH_TRANSFORM_ID_GCM_AES_256"] = (5, 5),
        };

        /// <summary>fwpmu.h IPSEC_CIPHER_TRANSFORM_ID_* = {IPSEC_CIPHER_TYPE, IPSEC_CIPHER_CONFIG}.</summary>
        public static readonly IReadOnlyDictionary<string, (uint Type, byte Config)> CipherTransformIds = new Dictionary<string, (uint, byte)>
        {
            ["IPSEC_CIPHER_TRANSFORM_ID_CBC_DES"] = (1, 1),
            ["IPSEC_CIPHER_TRANSFORM_ID_CBC_3DES"] = (2, 2),
            ["IPSEC_CIPHER_TRANSFORM_ID_AES_128"] = (3, 3),
            ["IPSEC_CIPHER_TRANSFORM_ID_AES_192"] = (4, 4),
            ["IPSEC_CIPHER_TRANSFORM_ID_AES_256"] = (5, 5),
            ["IPSEC_CIPHER_TRANSFORM_ID_GCM_AES_128"] = (3, 6),
            ["IPSEC_CIPHER_TRANSFORM_ID_GCM_AES_192"] = (4, 7),
            ["IPSEC_CIPHER_TRANSFORM_ID_GCM_AES_256"] = (5, 8),
        };

        public void EncodeFilter(WfpStoredObject filter, ref FWPM_FILTER0 native, NativeArena arena)
        {
            if (filter == null) throw new ArgumentNullException(nameof(filter));
            if (arena == null) throw new ArgumentNullException(nameof(arena));
            if (!(filter.Source?.Body is WfpFilter f))
                throw new WfpEncodingException($"filter '{filter.Name}' {{{filter.Key}}}: no compiled filter to encode (objects read back from BFE cannot be re-added)");
            if (f.Key != filter.Key || f.Layer.Key != filter.LayerKey || f.ProviderContextKey != filter.ProviderContextKey)
                throw new WfpEncodingException($"filter '{filter.Name}' {{{filter.Key}}}: the compiled filter does not match its description");

            native.weight = f.Weight.Range is WfpConstant range
                ? new FWP_VALUE0 { type = FwpValues.FWP_UINT8, u = new FWP_VALUE0_UNION { uint8 = checked((byte)range.Value) } }
                : new FWP_VALUE0 { type = FwpValues.FWP_EMPTY };
            var conditions = f.Conditions.Select(c => Condition(filter, c, arena)).ToList();
            native.numFilterConditions = (uint)conditions.Count;
            native.filterCondition = arena.Array(conditions);
            native.action = new FWPM_ACTION0 { type = checked((uint)f.Action.Type.Value) };
            if (f.Action.Callout != null) native.action.u.calloutKey = f.Action.Callout.Key;
            if (f.RawContext != null)
            {
                if (f.ProviderContextKey != null)
                    throw new WfpEncodingException($"filter '{filter.Name}' {{{filter.Key}}}: rawContext and a provider context share a union");
                native.u = new FWPM_FILTER0_CONTEXT { rawContext = f.RawContext.Value };
            }
        }

        public void EncodeProviderContext(WfpStoredObject providerContext, ref FWPM_PROVIDER_CONTEXT1 native, NativeArena arena)
        {
            if (providerContext == null) throw new ArgumentNullException(nameof(providerContext));
            if (arena == null) throw new ArgumentNullException(nameof(arena));
            if (!(providerContext.Source?.Body is WfpProviderContext c))
                throw new WfpEncodingException($"provider context '{providerContext.Name}' {{{providerContext.Key}}}: no compiled policy to encode (objects read back from BFE cannot be re-added)");
            string what = $"provider context '{providerContext.Name}' {{{providerContext.Key}}}";
            native.type = checked((uint)c.Type.Value);
            switch (native.type)
            {
                case WfpConstants.FWPM_IPSEC_IKE_MM_CONTEXT:
                case WfpConstants.FWPM_IPSEC_AUTHIP_MM_CONTEXT:
                case WfpConstants.FWPM_IPSEC_IKEV2_MM_CONTEXT:
                    var mm = c.MainModePolicy ?? throw new WfpEncodingException($"{what}: an MM context without a main mode policy");
                    native.u.ikeMmPolicy = arena.Struct(MainMode(what, c, mm, arena));
                    break;
                case WfpConstants.FWPM_IPSEC_IKE_QM_TRANSPORT_CONTEXT:
                case WfpConstants.FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT:
                    var qm = c.QuickModePolicy ?? throw new WfpEncodingException($"{what}: a QM context without a quick mode policy");
                    if (qm.EmPolicy != null && native.type != WfpConstants.FWPM_IPSEC_AUTHIP_QM_TRANSPORT_CONTEXT)
                        throw new WfpEncodingException($"{what}: only AuthIP has an extended mode policy");
                    native.u.ikeQmTransportPolicy = arena.Struct(QuickMode(what, c, qm, arena));
                    break;
                default:
                    throw new WfpEncodingException(
                        $"{what}: {c.Type.Name} needs FWPM_PROVIDER_CONTEXT2 (FwpmProviderContextAdd2, Windows 8+), which this layer does not write; use IKEv1 or AuthIP keying");
            }
        }

        private static FWPM_FILTER_CONDITION0 Condition(WfpStoredObject filter, WfpCondition c, NativeArena arena)
        {
            uint match = c.Match switch
            {
                "FWP_MATCH_EQUAL" => FWP_MATCH_EQUAL,
                "FWP_MATCH_RANGE" => FWP_MATCH_RANGE,
                _ => throw new WfpEncodingException($"filter '{filter.Name}': match type {c.Match} is not supported"),
            };
            var value = new FWP_CONDITION_VALUE0();
            switch (c.Value.Type)
            {
                case "FWP_V4_ADDR_MASK":
                    value.type = FwpValues.FWP_V4_ADDR_MASK;
                    value.u.v4AddrMask = arena.Struct(new FWP_V4_ADDR_AND_MASK { addr = HostOrder(c.Value.Address!), mask = V4Mask(c.Value.PrefixLength ?? 32) });
                    break;
                case "FWP_V6_ADDR_MASK":
                    value.type = FwpValues.FWP_V6_ADDR_MASK;
                    value.u.v6AddrMask = arena.Struct(new FWP_V6_ADDR_AND_MASK
                    {
                        addr = NativeBytes16.From(V6(c.Value.Address!)), prefixLength = checked((byte)(c.Value.PrefixLength ?? 128)),
                    });
                    break;
                case "FWP_RANGE_TYPE":
                    value.type = FwpValues.FWP_RANGE_TYPE;
                    value.u.rangeValue = arena.Struct(new FWP_RANGE0 { valueLow = Scalar(filter, c.Value.Low!, arena), valueHigh = Scalar(filter, c.Value.High!, arena) });
                    break;
                default:
                    var v = Scalar(filter, c.Value, arena);
                    value.type = v.type;
                    // FWP_VALUE0's union is the first part of FWP_CONDITION_VALUE0's: copy the member the type selects.
                    switch (v.type)
                    {
                        case FwpValues.FWP_UINT8: value.u.uint8 = v.u.uint8; break;
                        case FwpValues.FWP_UINT16: value.u.uint16 = v.u.uint16; break;
                        case FwpValues.FWP_UINT32: value.u.uint32 = v.u.uint32; break;
                        default: value.u.byteArray16 = v.u.byteArray16; break;
                    }
                    break;
            }
            return new FWPM_FILTER_CONDITION0 { fieldKey = c.Field.Key, matchType = match, conditionValue = value };
        }

        private static FWP_VALUE0 Scalar(WfpStoredObject filter, WfpValue v, NativeArena arena)
        {
            switch (v.Type)
            {
                case "FWP_UINT8": return new FWP_VALUE0 { type = FwpValues.FWP_UINT8, u = new FWP_VALUE0_UNION { uint8 = checked((byte)v.Number!.Value) } };
                case "FWP_UINT16": return new FWP_VALUE0 { type = FwpValues.FWP_UINT16, u = new FWP_VALUE0_UNION { uint16 = checked((ushort)v.Number!.Value) } };
                case "FWP_UINT32": return new FWP_VALUE0 { type = FwpValues.FWP_UINT32, u = new FWP_VALUE0_UNION { uint32 = HostOrder(v.Address!) } };
                case "FWP_BYTE_ARRAY16_TYPE":
                    return new FWP_VALUE0
                    {
                        type = FwpValues.FWP_BYTE_ARRAY16_TYPE,
                        u = new FWP_VALUE0_UNION { byteArray16 = arena.Struct(new FWP_BYTE_ARRAY16 { byteArray16 = NativeBytes16.From(V6(v.Address!)) }) },
                    };
                default: throw new WfpEncodingException($"filter '{filter.Name}': value type {v.Type} is not supported");
            }
        }

        /// <summary>WFP takes IPv4 addresses as host-order UINT32 (192.0.2.1 = 0xC0000201).</summary>
        private static uint HostOrder(IPAddress a)
        {
            if (a.AddressFamily != AddressFamily.InterNetwork) throw new WfpEncodingException($"{a} is not an IPv4 address");
            byte[] b = a.GetAddressBytes();
            return (uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3];
        }

        private static byte[] V6(IPAddress a)
        {
            if (a.AddressFamily != AddressFamily.InterNetworkV6) throw new WfpEncodingException($"{a} is not an IPv6 address");
            return a.GetAddressBytes();
        }

        private static uint V4Mask(int prefix) => prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFF : 0xFFFFFFFF << (32 - prefix);

        private static IKEEXT_POLICY1 MainMode(string what, WfpProviderContext c, IkeExtPolicy mm, NativeArena arena)
        {
            var proposals = mm.IkeProposals.Select(p => new IKEEXT_PROPOSAL0
            {
                cipherAlgorithm = new IKEEXT_CIPHER_ALGORITHM0 { algoIdentifier = checked((uint)p.CipherAlgorithm.Value) },
                integrityAlgorithm = new IKEEXT_INTEGRITY_ALGORITHM0 { algoIdentifier = checked((uint)p.IntegrityAlgorithm.Value) },
                maxLifetimeSeconds = p.MaxLifetimeSeconds,
                dhGroup = checked((uint)p.DhGroup.Value),
                quickModeLimit = p.QuickModeLimit,
            }).ToList();
            var methods = AuthMethods(what, c, mm.AuthenticationMethods, arena);
            return new IKEEXT_POLICY1
            {
                softExpirationTime = mm.SoftExpirationTime,
                numAuthenticationMethods = (uint)methods.Count,
                authenticationMethods = arena.Array(methods),
                initiatorImpersonationType = Impersonation(mm.InitiatorImpersonationType),
                numIkeProposals = (uint)proposals.Count,
                ikeProposals = arena.Array(proposals),
                flags = checked((uint)mm.Flags.Aggregate(0UL, (a, f) => a | f.Value)),
                maxDynamicFilters = mm.MaxDynamicFilters,
                retransmitDurationSecs = 0,
            };
        }

        private static IPSEC_TRANSPORT_POLICY1 QuickMode(string what, WfpProviderContext c, IpsecTransportPolicy qm, NativeArena arena)
        {
            var proposals = qm.IpsecProposals.Select(p =>
            {
                var transforms = p.SaTransforms.Select(t => Transform(what, t, arena)).ToList();
                return new IPSEC_PROPOSAL0
                {
                    lifetime = new IPSEC_SA_LIFETIME0 { lifetimeSeconds = p.LifetimeSeconds, lifetimeKilobytes = p.LifetimeKilobytes, lifetimePackets = p.LifetimePackets },
                    numSaTransforms = (uint)transforms.Count,
                    saTransforms = arena.Array(transforms),
                    pfsGroup = checked((uint)p.PfsGroup.Value),
                };
            }).ToList();
            IntPtr em = IntPtr.Zero;
            if (qm.EmPolicy is IkeExtEmPolicy e)
            {
                var methods = AuthMethods(what, c, e.AuthenticationMethods, arena);
                em = arena.Struct(new IKEEXT_EM_POLICY1
                {
                    numAuthenticationMethods = (uint)methods.Count,
                    authenticationMethods = arena.Array(methods),
                    initiatorImpersonationType = Impersonation(e.InitiatorImpersonationType),
                });
            }
            return new IPSEC_TRANSPORT_POLICY1
            {
                numIpsecProposals = (uint)proposals.Count,
                ipsecProposals = arena.Array(proposals),
                flags = qm.FlagsValue,
                ndAllowClearTimeoutSeconds = qm.NdAllowClearTimeoutSeconds,
                saIdleTimeout = new IPSEC_SA_IDLE_TIMEOUT0 { idleTimeoutSeconds = qm.IdleTimeoutSeconds, idleTimeoutSecondsFailOver = qm.IdleTimeoutSecondsFailOver },
                emPolicy = em,
            };
        }

        private static IPSEC_SA_TRANSFORM0 Transform(string what, IpsecSaTransform t, NativeArena arena)
        {
            IPSEC_AUTH_TRANSFORM0 Auth() => new IPSEC_AUTH_TRANSFORM0 { authTransformId = AuthId(what, t.AuthTransform) };
            IPSEC_CIPHER_TRANSFORM0 Cipher() => new IPSEC_CIPHER_TRANSFORM0 { cipherTransformId = CipherId(what, t.CipherTransform) };
            var native = new IPSEC_SA_TRANSFORM0 { ipsecTransformType = checked((uint)t.Type.Value) };
            switch (t.Type.Value)
            {
                case 1: native.u.ahTransform = arena.Struct(Auth()); break;
                case 2: native.u.espAuthTransform = arena.Struct(Auth()); break;
                case 3: native.u.espCipherTransform = arena.Struct(Cipher()); break;
                case 4: native.u.espAuthAndCipherTransform = arena.Struct(new IPSEC_AUTH_AND_CIPHER_TRANSFORM0 { authTransform = Auth(), cipherTransform = Cipher() }); break;
                default: throw new WfpEncodingException($"{what}: transform type {t.Type.Name} is not supported");
            }
            return native;
        }

        private static IPSEC_AUTH_TRANSFORM_ID0 AuthId(string what, string? name) =>
            name != null && AuthTransformIds.TryGetValue(name, out var id) ? new IPSEC_AUTH_TRANSFORM_ID0 { authType = id.Type, authConfig = id.Config }
                : throw new WfpEncodingException($"{what}: unknown auth transform {name ?? "(none)"}");

        private static IPSEC_CIPHER_TRANSFORM_ID0 CipherId(string what, string? name) =>
            name != null && CipherTransformIds.TryGetValue(name, out var id) ? new IPSEC_CIPHER_TRANSFORM_ID0 { cipherType = id.Type, cipherConfig = id.Config }
                : throw new WfpEncodingException($"{what}: unknown cipher transform {name ?? "(none)"}");

        private static uint Impersonation(string name) => name switch
        {
            "IKEEXT_IMPERSONATION_NONE" => IKEEXT_IMPERSONATION_NONE,
            "IKEEXT_IMPERSONATION_SOCKET_PRINCIPAL" => IKEEXT_IMPERSONATION_SOCKET_PRINCIPAL,
            _ => throw new WfpEncodingException($"unknown impersonation type {name}"),
        };

        private static List<IKEEXT_AUTHENTICATION_METHOD1> AuthMethods(string what, WfpProviderContext c, IReadOnlyList<IkeExtAuthMethod> methods, NativeArena arena)
        {
            var list = new List<IKEEXT_AUTHENTICATION_METHOD1>();
            foreach (var m in methods)
            {
                var native = new IKEEXT_AUTHENTICATION_METHOD1 { authenticationMethodType = checked((uint)m.Type.Value) };
                switch (m.Source)
                {
                    case PreSharedKeyAuthProposal psk:
                        native.u.presharedKeyAuthentication = new IKEEXT_PRESHARED_KEY_AUTHENTICATION1 { presharedKey = Secret(what, c, psk, arena) };
                        break;
                    case CertificateAuthProposal cert:
                        native.u.certificateAuthentication = Certificate(what, cert, arena);
                        break;
                    case KerberosAuthProposal k:
                        if (k.Proxy != null)
                            throw new WfpEncodingException($"{what}: a Kerberos proxy ({k.Proxy}) needs IKEEXT_KERBEROS_AUTHENTICATION1 (IKEEXT_POLICY2), which this layer does not write");
                        native.u.kerberosAuthentication = new IKEEXT_KERBEROS_AUTHENTICATION0 { flags = 0 };
                        break;
                    case CgaAuthProposal _:
                        // The model names CGA only; key container, CSP and modifier stay unset (IKEEXT picks the local CGA).
                        native.u.cgaAuthentication = new IKEEXT_IPV6_CGA_AUTHENTICATION0();
                        break;
                    default:
                        throw new WfpEncodingException($"{what}: authentication method {m.Type.Name} is not supported");
                }
                list.Add(native);
            }
            return list;
        }

        /// <summary>The key's bytes, copied straight from the secret into the arena (zeroed and freed with it).</summary>
        private static FWP_BYTE_BLOB Secret(string what, WfpProviderContext c, PreSharedKeyAuthProposal psk, NativeArena arena)
        {
            IkeExtensions.Tables.PreSharedKey key;
            try
            {
                key = WfpObjectMapper.RequireKey(PolicyName(c), c, psk);
            }
            catch (WfpMappingException e)
            {
                throw new WfpEncodingException($"{what}: {e.Message}");
            }
            var secret = key.Reveal();
            IntPtr p = arena.Alloc(secret.Length);
            for (int i = 0; i < secret.Length; i++) System.Runtime.InteropServices.Marshal.WriteByte(p, i, secret[i]);
            return new FWP_BYTE_BLOB { size = (uint)secret.Length, data = p };
        }

        private static string PolicyName(WfpProviderContext c)
        {
            int dash = c.Name.LastIndexOf(" - ", StringComparison.Ordinal);
            return dash > 0 ? c.Name.Substring(0, dash) : c.Name;
        }

        /// <summary>
        /// IKEEXT_CERTIFICATE_AUTHENTICATION1 with an explicit trust list in both directions holding the authority's
        /// X.500 name (the DER Name, as CERT_INFO.Subject holds it; as the win32 "Using Transport Mode" sample copies it).
        /// </summary>
        private static IKEEXT_CERTIFICATE_AUTHENTICATION1 Certificate(string what, CertificateAuthProposal cert, NativeArena arena)
        {
            if (cert.Authority == null)
                throw new WfpEncodingException($"{what}: a certificate proposal named only by thumbprint needs IKEEXT_CERTIFICATE_AUTHENTICATION2 (IKEEXT_POLICY2), which this layer does not write; give the root authority");
            var root = arena.Struct(new IKEEXT_CERT_ROOT_CONFIG0 { certData = arena.Blob(EncodeName(what, cert.Authority)) });
            return new IKEEXT_CERTIFICATE_AUTHENTICATION1
            {
                inboundConfigType = IKEEXT_CERT_CONFIG_EXPLICIT_TRUST_LIST,
                inbound = new IKEEXT_CERT_INBOUND_CONFIG { rootArray = new IKEEXT_CERT_INBOUND_ROOT_ARRAY { inboundRootArraySize = 1, inboundRootArray = root } },
                outboundConfigType = IKEEXT_CERT_CONFIG_EXPLICIT_TRUST_LIST,
                outbound = new IKEEXT_CERT_OUTBOUND_CONFIG { rootArray = new IKEEXT_CERT_OUTBOUND_ROOT_ARRAY { outboundRootArraySize = 1, outboundRootArray = root } },
                flags = 0,
            };
        }

        /// <summary>The DER X.500 Name of a distinguished name in Windows' string form ("CN=Root, O=Org, C=US").</summary>
        public static byte[] EncodeName(string what, string distinguishedName)
        {
            try
            {
                return new X500DistinguishedName(distinguishedName).RawData;
            }
            catch (CryptographicException e)
            {
                throw new WfpEncodingException($"{what}: the certificate authority '{distinguishedName}' is not a distinguished name (e.g. CN=Root CA, O=Contoso, C=US)", e);
            }
        }
    }
}
