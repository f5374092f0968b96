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

        /// <summary>Speak NAT traversal (MS-IKEE 3.2). Needs a NAT-T port the host listens on.</summary>
        public bool NatTraversal { get; set; } = true;
        /// <summary>NAT-T revisions we speak (MS-IKEE 3.2: both by default; Windows before XP SP2 spoke only the draft).</summary>
        public bool NatTraversalRfc3947 { get; set; } = true;
        public bool NatTraversalDraft02 { get; set; } = true;
        /// <summary>Our NAT-T port (the host sets the port it bound; RFC 3947 uses 4500).</summary>
        public int LocalNatPort { get; set; } = 4500;

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
    }
}
