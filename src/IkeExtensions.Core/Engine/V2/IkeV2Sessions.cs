using System;
using System.Collections.Generic;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Everything the IKEv2 engine is given: injected clock and randomness, policy, PAD and its limits.</summary>
    public sealed partial class IkeV2EngineOptions
    {
        public IkeV2EngineOptions(IClock clock, IRandomSource random, IkeV2Policy policy, PeerAuthorizationDatabase pad)
        {
            Clock = clock ?? throw new ArgumentNullException(nameof(clock));
            Random = random ?? throw new ArgumentNullException(nameof(random));
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            Pad = pad ?? throw new ArgumentNullException(nameof(pad));
        }

        public IClock Clock { get; }
        public IRandomSource Random { get; }
        public IkeV2Policy Policy { get; }
        public PeerAuthorizationDatabase Pad { get; }

        /// <summary>Answer IKE_SA_INIT requests (the responder role).</summary>
        public bool AcceptAsResponder { get; set; } = true;
        /// <summary>First retransmission delay of a request; doubles each time (RFC 7296 §2.1: only the exchange initiator retransmits).</summary>
        public TimeSpan RetransmitInitial { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>Retransmissions of one request before the peer is declared dead and the IKE SA deleted (§2.4).</summary>
        public int RetransmitLimit { get; set; } = 5;
        /// <summary>An IKE SA that is not established this long after IKE_SA_INIT is dropped (half-open state is bounded, §2.6).</summary>
        public TimeSpan HalfOpenTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Half-open responder IKE SAs kept at most; beyond it new IKE_SA_INIT requests are dropped.</summary>
        public int MaxHalfOpen { get; set; } = 10000;
        /// <summary>Nonce length in bytes (RFC 7296 §2.10: at least 16 and at least half the PRF key size).</summary>
        public int NonceLength { get; set; } = 32;
        /// <summary>Our identity as an FQDN (ID_FQDN); null: our IP address (ID_IPV4_ADDR / ID_IPV6_ADDR).</summary>
        public string? LocalIdentity { get; set; }
        /// <summary>How many INVALID_KE_PAYLOAD / COOKIE round trips an IKE_SA_INIT may take before giving up.</summary>
        public int MaxInitRetries { get; set; } = 3;
        /// <summary>Id of the first SA row (IKE and child rows share one counter); a host running both engines keeps the ranges apart.</summary>
        public long FirstId { get; set; } = 1;
    }

    internal enum RequestKind { Init, Auth, CreateChild, DeleteChild, DeleteIke, Liveness, RekeyIke, RekeyChild }

    /// <summary>Our one outstanding request on an IKE SA (window size 1, RFC 7296 §2.3) and its retransmission state.</summary>
    internal sealed class OutstandingRequest
    {
        public OutstandingRequest(RequestKind kind, ExchangeType exchange, uint messageId, byte[] datagram)
        {
            Kind = kind;
            Exchange = exchange;
            MessageId = messageId;
            Datagram = datagram;
        }

        public RequestKind Kind { get; }
        public ExchangeType Exchange { get; }
        public uint MessageId { get; }
        public byte[] Datagram { get; }
        public int Count;
        /// <summary>Retransmissions allowed for this request; null: <see cref="IkeV2EngineOptions.RetransmitLimit"/>.</summary>
        public int? RetransmitLimit;
        public DateTime NextAt;
        public ChildSession? Child;
    }

    /// <summary>Engine-private state of one IKE SA: the row, the secrets, message IDs and its children.</summary>
    internal sealed partial class IkeV2Session : IDisposable
    {
        public IkeV2Session(IkeV2Sa row, bool isOriginalInitiator, PeerAuthorizationEntry peer)
        {
            Row = row;
            IsOriginalInitiator = isOriginalInitiator;
            Peer = peer;
        }

        public IkeV2Sa Row { get; }
        public bool IsOriginalInitiator { get; }
        public PeerAuthorizationEntry Peer { get; }
        public ulong OurSpi => IsOriginalInitiator ? Row.InitiatorSpi : Row.ResponderSpi;

        public IkeV2Proposal? Chosen;
        public int KeGroup;
        public IDhKeyPair? Dh;
        public byte[] OwnPublic = Array.Empty<byte>();
        public byte[] NonceI = Array.Empty<byte>();
        public byte[] NonceR = Array.Empty<byte>();
        /// <summary>IKE_SA_INIT request and response exactly as on the wire (RFC 7296 §2.15 signs them).</summary>
        public byte[] InitRequest = Array.Empty<byte>();
        public byte[] InitResponse = Array.Empty<byte>();
        public byte[]? Cookie;
        public int InitRetries;
        /// <summary>An unprotected error notify answered our IKE_SA_INIT; reported if no valid response follows (RFC 7296 §2.21.1).</summary>
        public string? InitRefusal;
        public IPrf? Prf;
        public IkeV2SaKeys? Keys;
        public SkProtection? Sk;

        /// <summary>Message ID of our next request, and of the peer's next request (RFC 7296 §2.2).</summary>
        public uint NextRequestId;
        public uint ExpectedRequestId;
        public OutstandingRequest? Pending;
        /// <summary>Requests waiting for the window (one outstanding request at a time).</summary>
        public readonly Queue<Action> Queued = new Queue<Action>();
        /// <summary>Our response to the peer's last request and a digest of that request, to answer retransmissions (§2.1).</summary>
        public byte[]? LastResponse;
        public byte[]? LastRequestDigest;

        public DateTime Deadline;
        public DateTime? ExpiresAt;
        public bool HalfOpenCounted;
        public readonly List<ChildSession> Children = new List<ChildSession>();
        /// <summary>The first child, asked for in IKE_AUTH (initiator).</summary>
        public InitiateRequest? FirstChildRequest;
        public ChildSession? FirstChild;
        /// <summary>Removed from the engine (events raised); late callbacks ignore it.</summary>
        public bool Gone;

        public void Dispose()
        {
            Dh?.Dispose();
            Dh = null;
            Keys?.Dispose();
            Sk?.Dispose();
            foreach (var c in Children) c.Wipe();
        }
    }

    /// <summary>Engine-private state of one child SA and the exchange creating it.</summary>
    internal sealed partial class ChildSession
    {
        public ChildSession(ChildSaV2 row, IkeV2Session parent)
        {
            Row = row;
            Parent = parent;
        }

        public ChildSaV2 Row { get; }
        /// <summary>The IKE SA the child belongs to; a rekeyed IKE SA hands its children to its successor (RFC 7296 §1.3.2).</summary>
        public IkeV2Session Parent { get; set; }
        public InitiateRequest? Request;
        public ChildProposalV2? Chosen;
        public EncapsulationModeChoice Mode;
        public byte[] NonceI = Array.Empty<byte>();
        public byte[] NonceR = Array.Empty<byte>();
        public IDhKeyPair? Dh;
        public List<TrafficSelectorV2> ProposedLocal = new List<TrafficSelectorV2>();
        public List<TrafficSelectorV2> ProposedRemote = new List<TrafficSelectorV2>();
        public DateTime? ExpiresAt;
        /// <summary>ESP keys (encryption key incl. salt, then integrity key), inbound and outbound; never displayed.</summary>
        public byte[]? InboundKeys;
        public byte[]? OutboundKeys;

        public void Wipe()
        {
            CryptoBytes.Zero(InboundKeys);
            CryptoBytes.Zero(OutboundKeys);
            Dh?.Dispose();
            Dh = null;
        }
    }
}
