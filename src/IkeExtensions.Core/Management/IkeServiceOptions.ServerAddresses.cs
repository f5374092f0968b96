using System.Collections.Generic;
using System.Net;
using IkeExtensions.Engine.V2;

namespace IkeExtensions.Management
{
    /// <summary>IKEv2 configuration attributes of MS-IKEE 3.11 (server internal addresses) and 3.16 (P-CSCF addresses).</summary>
    public abstract partial class IkeServiceOptions
    {
        /// <summary>Responder: internal server addresses answered to INTERNAL_IP4/6_SERVER requests (MS-IKEE 3.11.5.1).</summary>
        public IList<IPAddress> InternalServerAddresses { get; } = new List<IPAddress>();
        /// <summary>Responder: P-CSCF addresses answered to P_CSCF_IP4/6_ADDRESS requests (MS-IKEE 3.16, RFC 7651).</summary>
        public IList<IPAddress> PcscfAddresses { get; } = new List<IPAddress>();
        /// <summary>Initiator: ask for INTERNAL_IP4/6_SERVER in IKE_AUTH (MS-IKEE 3.11).</summary>
        public bool RequestInternalServerAddresses { get; set; }
        /// <summary>Initiator: ask for P_CSCF_IP4/6_ADDRESS in IKE_AUTH (MS-IKEE 3.16).</summary>
        public bool RequestPcscfAddresses { get; set; }

        internal IkeV2EngineOptions ApplyServerAddressesTo(IkeV2EngineOptions v2)
        {
            foreach (var a in InternalServerAddresses) v2.InternalServerAddresses.Add(a);
            foreach (var a in PcscfAddresses) v2.PcscfAddresses.Add(a);
            v2.RequestInternalServerAddresses = RequestInternalServerAddresses;
            v2.RequestPcscfAddresses = RequestPcscfAddresses;
            return v2;
        }
    }
}
