using System;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Crypto;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine
{
    /// <summary>What an initiator asks for: a peer, the ESP mode and, for tunnel mode or narrowed transport, client IDs.</summary>
    public sealed class InitiateRequest
    {
        public InitiateRequest(IPEndPoint local, IPEndPoint peer, EncapsulationModeChoice mode = EncapsulationModeChoice.Transport,
            TrafficSelector? localTrafficSelector = null, TrafficSelector? remoteTrafficSelector = null)
        {
            Local = local ?? throw new ArgumentNullException(nameof(local));
            Peer = peer ?? throw new ArgumentNullException(nameof(peer));
            if (local.AddressFamily != peer.AddressFamily) throw new ArgumentException("Local and peer addresses must be of the same family.");
            if ((localTrafficSelector == null) != (remoteTrafficSelector == null))
                throw new ArgumentException("Give both traffic selectors or neither.");
            if (mode == EncapsulationModeChoice.Tunnel && localTrafficSelector == null)
                throw new ArgumentException("Tunnel mode needs local and remote traffic selectors (the inner networks).");
            Mode = mode;
            LocalTrafficSelector = localTrafficSelector;
            RemoteTrafficSelector = remoteTrafficSelector;
        }

        public IPEndPoint Local { get; }
        public IPEndPoint Peer { get; }
        public EncapsulationModeChoice Mode { get; }
        /// <summary>The peer's NAT-T port, where Main Mode moves when a NAT is detected (RFC 3947 §4).</summary>
        public int PeerNatPort { get; set; } = 4500;

        /// <summary>Run a fresh Main Mode even when one with the peer is established (the load generator measures whole handshakes).</summary>
        public bool ForceNewMainMode { get; set; }
        public TrafficSelector? LocalTrafficSelector { get; }
        public TrafficSelector? RemoteTrafficSelector { get; }
    }

    /// <summary>Retransmission state of the message we sent last (RFC 2408 §5.1; only initiators retransmit, MS-IKEE 3.1.5).</summary>
    internal sealed class Retransmission
    {
        public byte[]? Message;
        public bool CarriesId;
        public DateTime NextAt;
        public int Count;
        public bool Active;
    }

    /// <summary>Engine-private state of one Main Mode SA: the row, the secrets and the exchange's progress.</summary>
    internal sealed class Phase1Session : IDisposable
    {
        public Phase1Session(MainModeSa row, bool isInitiator) { Row = row; IsInitiator = isInitiator; }

        public MainModeSa Row { get; }
        public bool IsInitiator { get; }
        /// <summary>Main Mode message we expect next (1..6); 7 once established.</summary>
        public int Step;
        public MainModeProposal? Chosen;
        public byte[] SaInitiatorBody = Array.Empty<byte>();
        public IDhKeyPair? Dh;
        public byte[] PeerPublic = Array.Empty<byte>();
        public byte[] OwnPublic = Array.Empty<byte>();
        public byte[] NonceI = Array.Empty<byte>();
        public byte[] NonceR = Array.Empty<byte>();
        public Phase1Protection? Protection;
        public byte[]? LastReceivedDigest;
        public byte[]? LastResponse;
        public bool LastResponseCarriesId;
        public readonly Retransmission Retransmit = new Retransmission();
        public DateTime Deadline;
        public DateTime? ExpiresAt;
        /// <summary>Past its lifetime: keys no new Quick Modes, removed once its Quick Mode SAs are gone.</summary>
        public bool Expired;
        /// <summary>Set when a delete was requested (reason); the SA goes once its Quick Mode SAs and pending deletes are done.</summary>
        public string? Deleting;
        public InitiateRequest? PendingQuickMode;
        public Extensions.SaExtensions Extensions;
        public Extensions.SaConditions Conditions;
        /// <summary>The peer's NAT-T port to float to (RFC 3947 §4: 4500).</summary>
        public int PeerNatPort = 4500;
        public DateTime? NextKeepAlive;
        public bool PeerIsWindows => (Extensions & IkeExtensions.Engine.Extensions.SaExtensions.MicrosoftImplementation) != 0;
        public readonly List<QuickModeSession> QuickModes = new List<QuickModeSession>();
        public PeerAuthorizationEntry? Peer;
        public bool HalfOpenCounted;
        public bool OneMessageCounted;
        public PreSharedKey? Psk => Peer?.PresharedKey;

        public void Dispose()
        {
            Dh?.Dispose();
            Protection?.Dispose();
        }
    }

    /// <summary>Engine-private state of one Quick Mode exchange and the SA pair it keys.</summary>
    internal sealed class QuickModeSession
    {
        public QuickModeSession(QuickModeSa row, Phase1Session parent) { Row = row; Parent = parent; }

        public QuickModeSa Row { get; }
        public Phase1Session Parent { get; }
        public int Step;
        public byte[] Iv = Array.Empty<byte>();
        public byte[] NonceI = Array.Empty<byte>();
        public byte[] NonceR = Array.Empty<byte>();
        public IDhKeyPair? Dh;
        public QuickModeProposal? Chosen;
        public EncapsulationMode Mode;
        public IdentificationPayload? IdCi;
        public IdentificationPayload? IdCr;
        public byte[]? LastReceivedDigest;
        public byte[]? LastResponse;
        public bool LastResponseCarriesId;
        public readonly Retransmission Retransmit = new Retransmission();
        public DateTime Deadline;
        public DateTime? SoftExpiresAt;
        /// <summary>Last traffic reported on this SA (or its establishment); drives the MS-IKEE 3.5.2 idle timer.</summary>
        public DateTime? IdleSince;
        public DateTime? ExpiresAt;
        public InitiateRequest? Request;
        /// <summary>ESP keying material, inbound then outbound; held here for a keying consumer, never displayed.</summary>
        public byte[]? InboundKeys;
        public byte[]? OutboundKeys;
    }
}
