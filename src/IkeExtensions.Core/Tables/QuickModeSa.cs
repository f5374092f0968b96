using System;
using System.Net;

namespace IkeExtensions.Tables
{
    public enum QuickModeSaState
    {
        Negotiating,
        Established,
        Failed,
        Deleted,
    }

    /// <summary>A traffic selector of a quick mode SA: address range, IP protocol and port (RFC 2407 §4.6.2 client IDs).</summary>
    public sealed class TrafficSelector
    {
        public TrafficSelector(IPAddress start, IPAddress end, byte protocol = 0, ushort port = 0)
        {
            Start = start;
            End = end;
            Protocol = protocol;
            Port = port;
        }

        public IPAddress Start { get; }
        public IPAddress End { get; }
        public byte Protocol { get; }
        public ushort Port { get; }
        public override string ToString() => (Start.Equals(End) ? Start.ToString() : $"{Start}-{End}") +
            (Protocol == 0 ? "" : $" proto {Protocol}") + (Port == 0 ? "" : $" port {Port}");
    }

    /// <summary>
    /// A row of the SAD for an IKEv1 quick mode SA pair (MS-IKEE 3.1.1), with NetSecurity-like names. Keys are held by
    /// the engine and exported only to a keying consumer, never through this object.
    /// </summary>
    public sealed class QuickModeSa : IIpsecSaRow
    {
        internal QuickModeSa(long id, long mainModeSaId, IPEndPoint local, IPEndPoint remote, bool isInitiator, uint messageId, DateTime createdAt)
        {
            Id = id;
            MainModeSaId = mainModeSaId;
            LocalEndpoint = local;
            RemoteEndpoint = remote;
            IsInitiator = isInitiator;
            MessageId = messageId;
            CreatedAt = createdAt;
        }

        public long Id { get; }
        public long MainModeSaId { get; }
        public IPEndPoint LocalEndpoint { get; }
        public IPEndPoint RemoteEndpoint { get; }
        public bool IsInitiator { get; }
        public uint MessageId { get; }
        public QuickModeSaState State { get; internal set; }
        public string EncapsulationMode { get; internal set; } = "";
        /// <summary>SPI the peer sends to (ours).</summary>
        public uint InboundSpi { get; internal set; }
        /// <summary>SPI we send to (the peer's).</summary>
        public uint OutboundSpi { get; internal set; }
        public string? EncryptionAlgorithm { get; internal set; }
        public string? IntegrityAlgorithm { get; internal set; }
        public int PfsGroup { get; internal set; }
        public TrafficSelector? LocalTrafficSelector { get; internal set; }
        public TrafficSelector? RemoteTrafficSelector { get; internal set; }
        object? IIpsecSaRow.LocalTrafficSelector => LocalTrafficSelector;
        object? IIpsecSaRow.RemoteTrafficSelector => RemoteTrafficSelector;
        public int LifetimeSeconds { get; internal set; }
        public int LifetimeKilobytes { get; internal set; }
        public bool IsWeak { get; internal set; }
        /// <summary>Idle timer of this SA (MS-IKEE 3.5.2): 60 s under a fast-failover peer, else 300 s.</summary>
        public int IdleTimeoutSeconds { get; internal set; }
        /// <summary>Original addresses the peer reported in NAT-OA payloads (RFC 3947 §5.2), for transport-mode checksum fix-up.</summary>
        public IPAddress? PeerOriginalInitiatorAddress { get; internal set; }
        public IPAddress? PeerOriginalResponderAddress { get; internal set; }
        // ---- negotiation discovery (MS-IKEE 3.7.1 SAD; set from EXCHANGE_INFO by NegotiationDiscoveryExtension) ----
        /// <summary>MS-IKEE 3.7.1: the SA matches an inbound negotiation discovery rule on the remote host (IKE_EXCHANGE_INFO_ND_BOUNDARY, 3.7.5.3/3.7.5.4).</summary>
        public bool Boundary { get; internal set; }
        /// <summary>MS-IKEE 3.7.1: an encryption SA usable for flows with Guaranteed Encryption (IKE_EXCHANGE_INFO_GUARANTEE_ENCRYPTION, 3.7.5.3).</summary>
        public bool GuaranteedEncryption { get; internal set; }
        // ---- end negotiation discovery ----
        public DateTime CreatedAt { get; }
        public DateTime? EstablishedAt { get; internal set; }
        public string? FailureReason { get; internal set; }

        /// <summary>A copy as the row is now (rows are updated in place by the engine; events carry copies).</summary>
        public QuickModeSa Snapshot() => (QuickModeSa)MemberwiseClone();

        public override string ToString() =>
            $"QM#{Id} (MM#{MainModeSaId}) {EncapsulationMode} {State} in {InboundSpi:x8} out {OutboundSpi:x8} {LocalTrafficSelector} <-> {RemoteTrafficSelector}";
    }
}
