using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// MS-IKEE 3.11 IKE server internal addresses (INTERNAL_IP4/6_SERVER, 2.2.8) and MS-IKEE 3.16 P-CSCF addresses
    /// (P_CSCF_IP4/6_ADDRESS, RFC 7651) as configuration attributes in IKE_AUTH:
    /// the initiator sends CP(CFG_REQUEST) before SAi2, the responder answers CP(CFG_REPLY) before SAr2.
    /// "Any failures in this exchange MUST NOT affect the state of the IKE_SA" (3.11.5.1, 3.11.5.2): a bad attribute
    /// is logged and ignored, never refused.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        private static readonly ConfigurationAttributeType[] ServerAttributes =
            { ConfigurationAttributeType.InternalIp4Server, ConfigurationAttributeType.InternalIp6Server };
        private static readonly ConfigurationAttributeType[] PcscfAttributes =
            { ConfigurationAttributeType.PCscfIp4Address, ConfigurationAttributeType.PCscfIp6Address };

        /// <summary>The one address family an attribute type carries (4 or 16 bytes, MS-IKEE 2.2.8; RFC 7651 §3), or null for types we do not handle.</summary>
        private static AddressFamily? FamilyOf(ConfigurationAttributeType t) => t switch
        {
            ConfigurationAttributeType.InternalIp4Server => AddressFamily.InterNetwork,
            ConfigurationAttributeType.PCscfIp4Address => AddressFamily.InterNetwork,
            ConfigurationAttributeType.InternalIp6Server => AddressFamily.InterNetworkV6,
            ConfigurationAttributeType.PCscfIp6Address => AddressFamily.InterNetworkV6,
            _ => null,
        };

        private static int LengthOf(AddressFamily f) => f == AddressFamily.InterNetwork ? 4 : 16;

        /// <summary>Initiator, IKE_AUTH request (MS-IKEE 3.11): CP(CFG_REQUEST) with empty INTERNAL_IP4/6_SERVER and/or P_CSCF_IP4/6_ADDRESS.</summary>
        private void AddConfigurationRequest(IkeV2Session s, List<IkePayload> payloads)
        {
            var types = new List<ConfigurationAttributeType>();
            // 3.11.1: "The initiator SHOULD request this attribute for each IP version it supports" — we support both.
            if (_options.RequestInternalServerAddresses) types.AddRange(ServerAttributes);
            if (_options.RequestPcscfAddresses) types.AddRange(PcscfAttributes);
            if (types.Count == 0) return;
            s.RequestedAttributes = new HashSet<ConfigurationAttributeType>(types);
            // Length 0 in a request: we suggest no value (RFC 7296 §3.15.1; RFC 7651 §3 allows 0).
            payloads.Add(new ConfigurationPayload(ConfigurationType.Request,
                types.Select(t => new ConfigurationAttribute(t, ReadOnlyMemory<byte>.Empty)).ToArray()));
        }

        /// <summary>
        /// Responder, IKE_AUTH (MS-IKEE 3.11.5.1): for each INTERNAL_IP4/6_SERVER or P_CSCF_IP4/6_ADDRESS asked for,
        /// every configured address of that family in CP(CFG_REPLY). Nothing configured for what was asked: no CP at all.
        /// Attributes of other types are left to whoever handles them; ours with a wrong length are ignored (logged).
        /// </summary>
        private void AddConfigurationReply(IkeV2Session s, IReadOnlyList<IkePayload> request, List<IkePayload> payloads)
        {
            var cp = request.OfType<ConfigurationPayload>().FirstOrDefault();
            if (cp == null) return;
            if (cp.ConfigurationType != ConfigurationType.Request)
            {
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CP({cp.ConfigurationType}) in an IKE_AUTH request ignored: only CFG_REQUEST is answered there");
                return;
            }
            var asked = new HashSet<ConfigurationAttributeType>();
            foreach (var a in cp.Attributes)
            {
                var family = FamilyOf(a.Type);
                if (family == null) continue;
                // A request carries no value or a suggested one of the family's length (RFC 7296 §3.15.1, MS-IKEE 2.2.8).
                if (a.Value.Length != 0 && a.Value.Length != LengthOf(family.Value))
                {
                    Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CFG_REQUEST attribute {a.Type} with {a.Value.Length} bytes ignored (0 or {LengthOf(family.Value)} expected)");
                    continue;
                }
                asked.Add(a.Type);
            }
            var reply = new List<ConfigurationAttribute>();
            foreach (var t in asked.OrderBy(x => (ushort)x))
            {
                var configured = t == ConfigurationAttributeType.InternalIp4Server || t == ConfigurationAttributeType.InternalIp6Server
                    ? _options.InternalServerAddresses : _options.PcscfAddresses;
                foreach (var address in configured.Where(x => x.AddressFamily == FamilyOf(t)))
                    reply.Add(ConfigurationAttribute.ForAddress(t, address));
            }
            if (reply.Count == 0)
            {
                if (asked.Count > 0) Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CFG_REQUEST for {string.Join(", ", asked)}: nothing configured, no CFG_REPLY");
                return;
            }
            payloads.Add(new ConfigurationPayload(ConfigurationType.Reply, reply));
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} CFG_REPLY: {string.Join(", ", reply)}");
        }

        /// <summary>
        /// Initiator, IKE_AUTH response (MS-IKEE 3.11.5.2, 3.16.1): stores the server and P-CSCF addresses of the CFG_REPLY
        /// on the row. Only the types we asked for; a value of the wrong length is dropped with a log line, the rest kept.
        /// </summary>
        private void TakeConfigurationReply(IkeV2Session s, IReadOnlyList<IkePayload> response)
        {
            var cp = response.OfType<ConfigurationPayload>().FirstOrDefault();
            if (cp == null) return;
            if (cp.ConfigurationType != ConfigurationType.Reply || s.RequestedAttributes == null)
            {
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CP({cp.ConfigurationType}) in the IKE_AUTH response ignored: " +
                                    (s.RequestedAttributes == null ? "we sent no CFG_REQUEST" : "not a CFG_REPLY"));
                return;
            }
            var servers = new List<IPAddress>();
            var pcscf = new List<IPAddress>();
            foreach (var a in cp.Attributes)
            {
                var family = FamilyOf(a.Type);
                if (family == null || !s.RequestedAttributes.Contains(a.Type))
                {
                    Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CFG_REPLY attribute {(ushort)a.Type} not asked for by this extension, ignored");
                    continue;
                }
                if (a.Value.Length != LengthOf(family.Value))
                {
                    Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} CFG_REPLY attribute {a.Type} with {a.Value.Length} bytes dropped ({LengthOf(family.Value)} expected)");
                    continue;
                }
                var address = new IPAddress(a.Value.ToArray());
                var list = a.Type == ConfigurationAttributeType.InternalIp4Server || a.Type == ConfigurationAttributeType.InternalIp6Server ? servers : pcscf;
                if (!list.Contains(address)) list.Add(address);
            }
            s.Row.InternalServerAddresses = servers.ToArray();
            s.Row.PcscfAddresses = pcscf.ToArray();
            if (servers.Count + pcscf.Count > 0)
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} CFG_REPLY: server {string.Join(" ", servers)}; P-CSCF {string.Join(" ", pcscf)}");
        }
    }
}
