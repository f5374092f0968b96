using System;
using System.Collections.Generic;
using System.Net;

namespace IkeExtensions.Tables
{
    public enum MainModeSaState
    {
        /// <summary>Messages 1–2 exchanged or in flight.</summary>
        SaNegotiation,
        /// <summary>Messages 3–4: key exchange.</summary>
        KeyExchange,
        /// <summary>Messages 5–6: authentication.</summary>
        Authentication,
        Established,
        /// <summary>A delete was sent or received; kept until its Quick Mode SAs are gone (MS-IKEE 3.8.4.1).</summary>
        Deleting,
        Failed,
        Deleted,
    }

    /// <summary>
    /// A row of the main mode SA database (MS-IKEE 3.1.1), named as NetSecurity's Get-NetIPsecMainModeSA names its
    /// properties. A plain object: the engine fills it, administrators read it. Keys are not here.
    /// </summary>
    public sealed class MainModeSa : IIkeSaRow
    {
        internal MainModeSa(long id, IPEndPoint local, IPEndPoint remote, ulong initiatorCookie, bool isInitiator, DateTime createdAt)
        {
            Id = id;
            LocalEndpoint = local;
            RemoteEndpoint = remote;
            InitiatorCookie = initiatorCookie;
            IsInitiator = isInitiator;
            CreatedAt = createdAt;
        }

        public long Id { get; }
        public IPEndPoint LocalEndpoint { get; internal set; }
        public IPEndPoint RemoteEndpoint { get; internal set; }
        public ulong InitiatorCookie { get; }
        public ulong ResponderCookie { get; internal set; }
        public bool IsInitiator { get; }
        public MainModeSaState State { get; internal set; }
        public string KeyModule => "IKEv1";
        public string? LocalFirstId { get; internal set; }
        public string? RemoteFirstId { get; internal set; }
        public string? CipherAlgorithm { get; internal set; }
        public string? HashAlgorithm { get; internal set; }
        public int GroupId { get; internal set; }
        public string? AuthenticationMethod { get; internal set; }
        public int LifetimeSeconds { get; internal set; }
        public int MaxQMSAs { get; internal set; }
        /// <summary>Accepted for compatibility (3DES, SHA-1, DH group 2 …) but below current recommendations.</summary>
        public bool IsWeak { get; internal set; }
        public int LocalUdpEncapsulationPort { get; internal set; }
        public int RemoteUdpEncapsulationPort { get; internal set; }
        public int QuickModeSaCount { get; internal set; }
        public DateTime CreatedAt { get; }
        public DateTime? EstablishedAt { get; internal set; }
        public string? FailureReason { get; internal set; }
        public IReadOnlyList<string> PeerVendorIds { get; internal set; } = Array.Empty<string>();
        public int? PeerWindowsVersion { get; internal set; }
        /// <summary>Extensions the peer announced or that were negotiated (vendor IDs, MS-IKEE section 3).</summary>
        public IkeExtensions.Engine.Extensions.SaExtensions Extensions { get; internal set; }
        /// <summary>MS-IKEE 3.4.1 CGA_CAPABLE: the peer sent "IKE CGA version 1", so authentication method 0xFDED is AUTH_CGA.</summary>
        public bool CgaCapable => (Extensions & IkeExtensions.Engine.Extensions.SaExtensions.CgaCapable) != 0;
        /// <summary>NAT-T revision selected through vendor IDs (MS-IKEE 3.2).</summary>
        public IkeExtensions.Wire.V1.NatTraversalRevision NatTraversalRevision { get; internal set; }
        /// <summary>NAT detected between us and the peer (RFC 3947 §3.2): on our side, on theirs.</summary>
        public bool NatDetectedLocal { get; internal set; }
        /// <summary>The peer sent "NLBS_PRESENT": it is a fast-failover cluster (MS-IKEE 3.5.1).</summary>
        public bool FastFailover { get; internal set; }
        /// <summary>The peer sent "Vid-Initial-Contact": it has no other Main Mode SA with us (MS-IKEE 3.6.1).</summary>
        public bool InitialContact { get; internal set; }
        public bool NatDetectedRemote { get; internal set; }
        /// <summary>MS-IKEE 3.3.1 "Fragmentation supported": the peer sent the "FRAGMENTATION" vendor ID (3.3.5.1, 3.3.5.2).</summary>
        public bool FragmentationSupported { get; internal set; }
        /// <summary>MS-IKEE 3.3.1 "Fragmentation active": the peer sent us fragments (3.3.5.3 note 18), so ours are fragmented too.</summary>
        public bool FragmentationActive { get; internal set; }

        /// <summary>MS-IKEE 3.7.1 MMSAD "Negotiation Discovery Supported": the peer sent "MS-Negotiation Discovery Capable" (3.7.5.1, 3.7.5.2).</summary>
        public bool NegotiationDiscoverySupported => (Extensions & IkeExtensions.Engine.Extensions.SaExtensions.NegotiationDiscovery) != 0;

        string IIkeSaRow.StateName => State.ToString();

        /// <summary>A copy as the row is now (rows are updated in place by the engine; events carry copies).</summary>
        public MainModeSa Snapshot() => (MainModeSa)MemberwiseClone();

        public override string ToString() =>
            $"MM#{Id} {LocalEndpoint} <-> {RemoteEndpoint} {State} {CipherAlgorithm}/{HashAlgorithm}/group{GroupId} cookies {InitiatorCookie:x16}/{ResponderCookie:x16}";
    }
}
