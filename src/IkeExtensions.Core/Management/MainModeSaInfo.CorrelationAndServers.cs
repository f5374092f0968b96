using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Engine.V2;

namespace IkeExtensions.Management
{
    /// <summary>IKEv2 columns of MS-IKEE 3.10.1 (correlation), 3.11.1 (server internal addresses) and 3.16.1 (P-CSCF).</summary>
    public sealed partial class MainModeSaInfo
    {
        /// <summary>MS-IKEE 3.10.1: id of the IKE SA this one was correlated with; null when none.</summary>
        public long? CorrelatedWith { get; set; }
        public DateTime? CorrelatedAt { get; set; }
        /// <summary>MS-IKEE 3.11.1: the server's internal IPv4/IPv6 addresses received in CFG_REPLY.</summary>
        public IReadOnlyList<string> InternalServerAddresses { get; set; } = Array.Empty<string>();
        /// <summary>MS-IKEE 3.16.1: the P-CSCF addresses received in CFG_REPLY.</summary>
        public IReadOnlyList<string> PcscfAddresses { get; set; } = Array.Empty<string>();

        private void FillCorrelationAndServers(IkeV2Sa sa)
        {
            CorrelatedWith = sa.CorrelatedWith;
            CorrelatedAt = sa.CorrelatedAt;
            InternalServerAddresses = sa.InternalServerAddresses.Select(a => a.ToString()).ToArray();
            PcscfAddresses = sa.PcscfAddresses.Select(a => a.ToString()).ToArray();
        }
    }
}
