using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Options of the MS-IKEE 3.11 (server internal addresses) and 3.16 (P-CSCF addresses) configuration attributes.</summary>
    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>
        /// Initiator: ask for INTERNAL_IP4_SERVER and INTERNAL_IP6_SERVER in a CFG_REQUEST in IKE_AUTH (MS-IKEE 3.11:
        /// the IRAC SHOULD request them, one per IP version it supports — both here). Off by default so peers
        /// that do not know the private attributes see the same IKE_AUTH as before.
        /// </summary>
        public bool RequestInternalServerAddresses { get; set; }
        /// <summary>Initiator: ask for P_CSCF_IP4_ADDRESS and P_CSCF_IP6_ADDRESS (MS-IKEE 3.16, RFC 7651) in the CFG_REQUEST.</summary>
        public bool RequestPcscfAddresses { get; set; }
        /// <summary>Responder (IRAS): our internal server addresses, returned in CFG_REPLY when asked (MS-IKEE 3.11.5.1); empty: none.</summary>
        public IList<IPAddress> InternalServerAddresses { get; } = new List<IPAddress>();
        /// <summary>Responder: P-CSCF server addresses, returned in CFG_REPLY when asked (MS-IKEE 3.16, RFC 7651); empty: none.</summary>
        public IList<IPAddress> PcscfAddresses { get; } = new List<IPAddress>();
    }
}
