using System;

namespace IkeExtensions.Engine.V2
{
    /// <summary>MS-IKEE 3.10.1 IKE SA correlation state of an IKE SA row.</summary>
    public sealed partial class IkeV2Sa
    {
        /// <summary>
        /// MS-IKEE 3.10.1: the id of the other IKE SA this one has been correlated with. On SAoriginal it names the
        /// correlating SA (SAcurrent), which the responder tears down after the exchange (3.10.5.2), so that row is gone.
        /// </summary>
        public long? CorrelatedWith { get; internal set; }
        /// <summary>When the last successful correlation (3.10.5.1) was recorded on this row.</summary>
        public DateTime? CorrelatedAt { get; internal set; }
        /// <summary>On a correlating IKE SA (SAcurrent): the id of SAoriginal it was asked to correlate with.</summary>
        public long? CorrelationTarget { get; internal set; }
    }
}
