using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// MS-IKEE 3.11 IKE server internal addresses (INTERNAL_IP4/6_SERVER, 2.2.8) and MS-IKEE 3.16 P-CSCF addresses
    /// (P_CSCF_IP4/6_ADDRESS, RFC 7651) as configuration attributes in IKE_AUTH:
    /// the initiator sends CP(CFG_REQUEST) before SAi2, the responder answers CP(CFG_REPLY) before SAr2
    /// (rules in <see cref="ServerAddressAttributes"/>). "Any failures in this exchange MUST NOT affect the state of
    /// the IKE_SA" (3.11.5.1, 3.11.5.2): a bad attribute is logged and ignored, never refused.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        /// <summary>Initiator, IKE_AUTH request (3.11: "the IRAC SHOULD request", 3.11.1: for each IP version it supports — both).</summary>
        private void AddConfigurationRequest(IkeV2Session s, List<IkePayload> payloads)
        {
            var attributes = ServerAddressAttributes.BuildRequest(_options.RequestInternalServerAddresses, _options.RequestPcscfAddresses);
            if (attributes.Length == 0) return;
            s.RequestedAttributes = new HashSet<ConfigurationAttributeType>(attributes.Select(a => a.Type));
            payloads.Add(new ConfigurationPayload(ConfigurationType.Request, attributes));
        }

        /// <summary>
        /// Responder, IKE_AUTH (3.11.5.1): "see whether the server has an internal IPv4 address or an internal IPv6 address;
        /// if either or both are present, add these attributes in CFG_REPLY". Nothing configured for what was asked: no CP.
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
            var ignored = new List<string>();
            var asked = ServerAddressAttributes.ReadRequest(cp.Attributes, ignored);
            foreach (var why in ignored) Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CFG_REQUEST attribute ignored: {why}");
            var reply = ServerAddressAttributes.BuildReply(asked, _options.InternalServerAddresses, _options.PcscfAddresses);
            if (reply.Count == 0)
            {
                if (asked.Count > 0) Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} CFG_REQUEST for {string.Join(", ", asked)}: nothing configured, no CFG_REPLY");
                return;
            }
            payloads.Add(new ConfigurationPayload(ConfigurationType.Reply, reply));
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} CFG_REPLY: {string.Join(", ", reply)}");
        }

        /// <summary>Initiator, IKE_AUTH response (3.11.5.2, 3.16.1): the server and P-CSCF addresses of the CFG_REPLY go on the row.</summary>
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
            var dropped = new List<string>();
            var (servers, pcscf) = ServerAddressAttributes.ReadReply(cp.Attributes, s.RequestedAttributes, dropped);
            foreach (var why in dropped) Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} CFG_REPLY attribute dropped: {why}");
            s.Row.InternalServerAddresses = servers;
            s.Row.PcscfAddresses = pcscf;
            if (servers.Length + pcscf.Length > 0)
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} CFG_REPLY: server {string.Join(" ", (object[])servers)}; P-CSCF {string.Join(" ", (object[])pcscf)}");
        }
    }
}
