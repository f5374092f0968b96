using System;

namespace IkeExtensions.Engine.V2
{
    /// <summary>IKEv2 fragmentation (RFC 7383; MS-IKEE 1.3.13, 2.2.11, 3.15) settings.</summary>
    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>
        /// Announce IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT (both roles, MS-IKEE 2.2.11.1) and, when the peer does too,
        /// fragment large encrypted messages and accept Encrypted Fragment payloads. False: neither.
        /// </summary>
        public bool FragmentationEnabled { get; set; } = true;

        /// <summary>
        /// Largest whole IP datagram a fragment may make, IP and UDP headers included (RFC 7383 §2.5.1); null: the
        /// minimum MTU of the address family, 576 bytes for IPv4 and 1280 for IPv6 (MS-IKEE 3.15.1 "Fragmentation
        /// Determination"). Messages whose datagram would be larger are fragmented once fragmentation was negotiated.
        /// </summary>
        public int? FragmentSize { get; set; }

        /// <summary>Fragments one message may be split into at most (Total Fragments); more are refused (MS-IKEE 3.15.1 flow state table).</summary>
        public int MaxFragmentsPerMessage { get; set; } = 64;

        /// <summary>Octets a reassembled message (the inner payloads) may take at most (MS-IKEE 3.15.1: "MUST NOT exceed the MAX limit").</summary>
        public int MaxReassembledSize { get; set; } = 64 * 1024;

        /// <summary>Messages being reassembled at once, over all IKE SAs; fragments starting another are dropped.</summary>
        public int MaxConcurrentReassemblies { get; set; } = 256;

        /// <summary>
        /// An incomplete message's fragments are discarded this long after its first fragment (MS-IKEE 3.3.2 fragment
        /// reassembly timer, which must not exceed 90 seconds; 3.15.2 refers to it).
        /// </summary>
        public TimeSpan FragmentReassemblyTimeout { get; set; } = TimeSpan.FromSeconds(30);
    }
}
