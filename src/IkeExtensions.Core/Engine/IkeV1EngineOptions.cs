using System;
using IkeExtensions.Crypto;
using IkeExtensions.Policy;
using IkeExtensions.Tables;

namespace IkeExtensions.Engine
{
    /// <summary>Everything the IKEv1 engine is given: injected clock and randomness, policy, PAD and its limits.</summary>
    public sealed class IkeV1EngineOptions
    {
        public IkeV1EngineOptions(IClock clock, IRandomSource random, IkeV1Policy policy, PeerAuthorizationDatabase pad)
        {
            Clock = clock ?? throw new ArgumentNullException(nameof(clock));
            Random = random ?? throw new ArgumentNullException(nameof(random));
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            Pad = pad ?? throw new ArgumentNullException(nameof(pad));
        }

        public IClock Clock { get; }
        public IRandomSource Random { get; }
        public IkeV1Policy Policy { get; }
        public PeerAuthorizationDatabase Pad { get; }

        /// <summary>Our certificate and key for RSA signature authentication (RFC 2409 §5.1); null = pre-shared keys only.</summary>
        public IkeExtensions.Crypto.Certificates.CertificateCredential? LocalCertificate { get; set; }

        /// <summary>
        /// Our CGA, its RSA key and self-signed certificate for AUTH_CGA (MS-IKEE 3.4.3); null = no CGA authentication.
        /// When set, Main Mode messages 1 and 2 carry the "IKE CGA version 1" vendor ID (3.4.4.1, 3.4.5.1) and AUTH_CGA is
        /// offered to and accepted from peers whose PAD entry accepts CGA. Negotiations using it run from this address.
        /// </summary>
        public IkeExtensions.Crypto.Cga.CgaCredential? LocalCga { get; set; }

        /// <summary>Speak NAT traversal (MS-IKEE 3.2). Needs a NAT-T port the host listens on.</summary>
        public bool NatTraversal { get; set; } = true;
        /// <summary>NAT-T revisions we speak (MS-IKEE 3.2: both by default; Windows before XP SP2 spoke only the draft).</summary>
        public bool NatTraversalRfc3947 { get; set; } = true;
        public bool NatTraversalDraft02 { get; set; } = true;
        /// <summary>Our NAT-T port (the host sets the port it bound; RFC 3947 uses 4500).</summary>
        public int LocalNatPort { get; set; } = 4500;

        /// <summary>This host is a node of a load-balanced cluster: send "NLBS_PRESENT" (MS-IKEE 3.6.4.1).</summary>
        public bool NlbClusterMember { get; set; }
        /// <summary>
        /// Delete Quick Mode SAs idle for 1 (fast failover) or 5 minutes (MS-IKEE 3.5.6.1). Needs a data path reporting
        /// traffic through <see cref="IkeV1Engine.ReportTraffic"/>; off by default because none is attached here.
        /// </summary>
        public bool EnforceQuickModeIdleTimer { get; set; }

        /// <summary>Answer Main Mode #1 from peers (the responder role).</summary>
        public bool AcceptAsResponder { get; set; } = true;
        /// <summary>First retransmission delay; doubles each time (RFC 2408 §5.1). Only initiators retransmit (MS-IKEE 3.1.5).</summary>
        public TimeSpan RetransmitInitial { get; set; } = TimeSpan.FromSeconds(1);
        public int RetransmitLimit { get; set; } = 5;
        /// <summary>A negotiation that makes no progress for this long is dropped (half-open state is bounded in time).</summary>
        public TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>Half-open responder negotiations kept at most (bounded memory); beyond it new Main Mode #1 are dropped.</summary>
        public int MaxHalfOpen { get; set; } = 10000;
        /// <summary>Rekey quick mode SAs this fraction of their lifetime in (initiator side).</summary>
        public double RekeyFraction { get; set; } = 0.9;
        /// <summary>Version sent in the "MS NT5 ISAKMPOAKLEY" vendor ID (MS-IKEE 1.7 note 6; 9 = Windows 8 and later); null sends none.</summary>
        public uint? MicrosoftVendorIdVersion { get; set; } = 9;
        /// <summary>Nonce length in bytes (RFC 2409 §5: 8–256).</summary>
        public int NonceLength { get; set; } = 32;

        // ---- IKE fragmentation (MS-IKEE 3.3) ----

        /// <summary>
        /// IKE fragmentation (MS-IKEE 3.3): send the "FRAGMENTATION" vendor ID in Main Mode messages 1 and 2, fragment
        /// messages carrying an ID payload when needed, and reassemble the peer's fragments. Off: no vendor ID, nothing
        /// fragmented, fragments dropped.
        /// </summary>
        public bool IkeFragmentation { get; set; } = true;

        /// <summary>
        /// Fragment every message carrying an ID payload that does not fit one minimum-MTU datagram, from the first
        /// transmission and whether or not the peer announced support (strongSwan's <c>fragmentation = force</c>; for interop
        /// and tests). Needs <see cref="IkeFragmentation"/>.
        /// </summary>
        public bool ForceFragmentation { get; set; }

        private TimeSpan _fragmentationTimer = TimeSpan.FromSeconds(2);
        /// <summary>
        /// MS-IKEE 3.3.2 fragmentation timer, 1–5 s (note 16: Windows uses the sum of its first two retransmission times):
        /// a message carrying ID that is retransmitted after being outstanding this long goes out fragmented.
        /// </summary>
        public TimeSpan FragmentationTimer
        {
            get => _fragmentationTimer;
            set => _fragmentationTimer = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromSeconds(5) ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "MS-IKEE 3.3.2: the fragmentation timer SHOULD be between 1 and 5 seconds.");
        }

        private TimeSpan _fragmentReassemblyTimeout = TimeSpan.FromSeconds(70);
        /// <summary>MS-IKEE 3.3.2 fragment reassembly timer: at most 90 s; Windows uses 70 s (note 17).</summary>
        public TimeSpan FragmentReassemblyTimeout
        {
            get => _fragmentReassemblyTimeout;
            set => _fragmentReassemblyTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromSeconds(90) ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "MS-IKEE 3.3.2: the fragment reassembly timer MUST NOT exceed 90 seconds.");
        }

        private int? _fragmentMtu;
        /// <summary>
        /// Size of each fragment's IP datagram (IP + UDP [+ non-ESP marker] + ISAKMP + Fragment headers + data); null =
        /// the protocol minimum MTU MS-IKEE 3.3.1/3.3.6.1 prescribe: 576 bytes for IPv4, 1280 for IPv6.
        /// </summary>
        public int? FragmentMtu
        {
            get => _fragmentMtu;
            set => _fragmentMtu = value == null || (value >= 128 && value <= ushort.MaxValue) ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "A fragment MTU is 128 to 65535 bytes.");
        }

        /// <summary>Bytes one reassembled message may reach (UDP bounds an IKE message to 64 KB, MS-IKEE 2.2.3.1).</summary>
        public int MaxFragmentedMessageSize { get; set; } = ushort.MaxValue;
        /// <summary>Fragment data queued for reassembly from one peer address at most; its oldest queues go first.</summary>
        public int MaxReassemblyBytesPerPeer { get; set; } = 128 * 1024;
        /// <summary>Fragment data queued for reassembly in all at most; the oldest queues go first.</summary>
        public int MaxReassemblyBytes { get; set; } = 1024 * 1024;
        /// <summary>Fragment IDs being reassembled at once at most (all peers); the oldest queue goes first.</summary>
        public int MaxReassemblyQueues { get; set; } = 64;
    }
}
