using System;
using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Configuration attributes the initiator received in CFG_REPLY (MS-IKEE 3.11.1, 3.16.1).</summary>
    public sealed partial class IkeV2Sa
    {
        /// <summary>MS-IKEE 3.11.1: the internal IPv4 and IPv6 addresses of the server (INTERNAL_IP4/6_SERVER).</summary>
        public IReadOnlyList<IPAddress> InternalServerAddresses { get; internal set; } = Array.Empty<IPAddress>();
        /// <summary>MS-IKEE 3.16.1: the IPv4 and IPv6 addresses of the P-CSCF servers (P_CSCF_IP4/6_ADDRESS, RFC 7651).</summary>
        public IReadOnlyList<IPAddress> PcscfAddresses { get; internal set; } = Array.Empty<IPAddress>();
    }
}
