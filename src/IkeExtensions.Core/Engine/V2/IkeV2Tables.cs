using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Tables;

namespace IkeExtensions.Engine.V2
{
    public enum IkeV2SaState
    {
        /// <summary>IKE_SA_INIT sent or answered.</summary>
        SaInit,
        /// <summary>IKE_AUTH in flight.</summary>
        Authenticating,
        Established,
        /// <summary>A delete of the IKE SA is in flight.</summary>
        Deleting,
        Failed,
        Deleted,
    }

    /// <summary>
    /// An IKEv2 IKE SA, with the property names NetSecurity's Get-NetIPsecMainModeSA uses (and the IKEv1
    /// <see cref="MainModeSa"/> row has), so the same listings show both: <see cref="KeyModule"/> tells them apart.
    /// Keys are not here.
    /// </summary>
    public sealed partial class IkeV2Sa : IIkeSaRow
    {
        internal IkeV2Sa(long id, IPEndPoint local, IPEndPoint remote, ulong initiatorSpi, bool isInitiator, DateTime createdAt)
        {
            Id = id;
            LocalEndpoint = local;
            RemoteEndpoint = remote;
            InitiatorSpi = initiatorSpi;
            IsInitiator = isInitiator;
            CreatedAt = createdAt;
        }

        public long Id { get; }
        public IPEndPoint LocalEndpoint { get; internal set; }
        public IPEndPoint RemoteEndpoint { get; internal set; }
        public ulong InitiatorSpi { get; }
        public ulong ResponderSpi { get; internal set; }
        /// <summary>The IKEv1 row's names for the SPIs, so listings need no special case.</summary>
        public ulong InitiatorCookie => InitiatorSpi;
        public ulong ResponderCookie => ResponderSpi;
        /// <summary>We are the original initiator (RFC 7296 §2.2).</summary>
        public bool IsInitiator { get; }
        public IkeV2SaState State { get; internal set; }
        string IIkeSaRow.StateName => State.ToString();
        public string KeyModule => "IKEv2";
        public string? LocalFirstId { get; internal set; }
        public string? RemoteFirstId { get; internal set; }
        public string? CipherAlgorithm { get; internal set; }
        /// <summary>The integrity algorithm (none with AEAD ciphers).</summary>
        public string? HashAlgorithm { get; internal set; }
        public string? PrfAlgorithm { get; internal set; }
        public int GroupId { get; internal set; }
        public string? AuthenticationMethod { get; internal set; }
        public int LifetimeSeconds { get; internal set; }
        public bool NatDetectedLocal { get; internal set; }
        public bool NatDetectedRemote { get; internal set; }
        /// <summary>Established child SAs (the IKEv1 row calls them Quick Mode SAs).</summary>
        public int ChildSaCount { get; internal set; }
        public int QuickModeSaCount => ChildSaCount;
        public DateTime CreatedAt { get; }
        public DateTime? EstablishedAt { get; internal set; }
        /// <summary>The last time the peer answered one of our requests or sent one (liveness, RFC 7296 §2.4).</summary>
        public DateTime? LastHeardAt { get; internal set; }
        public string? FailureReason { get; internal set; }

        public IkeV2Sa Snapshot() => (IkeV2Sa)MemberwiseClone();

        public override string ToString() =>
            $"IKEv2#{Id} {LocalEndpoint} <-> {RemoteEndpoint} {State} {CipherAlgorithm}/{HashAlgorithm}/{PrfAlgorithm}/group{GroupId} spi {InitiatorSpi:x16}/{ResponderSpi:x16}";
    }

    /// <summary>An IKEv2 child SA pair (ESP), named like <see cref="QuickModeSa"/>. Keys are held by the engine only.</summary>
    public sealed partial class ChildSaV2 : IIpsecSaRow
    {
        internal ChildSaV2(long id, long ikeSaId, IPEndPoint local, IPEndPoint remote, bool isInitiator, DateTime createdAt)
        {
            Id = id;
            IkeSaId = ikeSaId;
            LocalEndpoint = local;
            RemoteEndpoint = remote;
            IsInitiator = isInitiator;
            CreatedAt = createdAt;
        }

        public long Id { get; }
        public long IkeSaId { get; internal set; }
        /// <summary>The IKEv1 row's name for the parent SA.</summary>
        public long MainModeSaId => IkeSaId;
        public IPEndPoint LocalEndpoint { get; }
        public IPEndPoint RemoteEndpoint { get; }
        /// <summary>We initiated the exchange that created this child.</summary>
        public bool IsInitiator { get; }
        public string KeyModule => "IKEv2";
        public QuickModeSaState State { get; internal set; }
        public string EncapsulationMode { get; internal set; } = "";
        public uint InboundSpi { get; internal set; }
        public uint OutboundSpi { get; internal set; }
        public string? EncryptionAlgorithm { get; internal set; }
        public string? IntegrityAlgorithm { get; internal set; }
        public int PfsGroup { get; internal set; }
        public TrafficSelectorV2? LocalTrafficSelector { get; internal set; }
        public TrafficSelectorV2? RemoteTrafficSelector { get; internal set; }
        object? IIpsecSaRow.LocalTrafficSelector => LocalTrafficSelector;
        object? IIpsecSaRow.RemoteTrafficSelector => RemoteTrafficSelector;
        public int LifetimeSeconds { get; internal set; }
        public DateTime CreatedAt { get; }
        public DateTime? EstablishedAt { get; internal set; }
        public string? FailureReason { get; internal set; }

        public ChildSaV2 Snapshot() => (ChildSaV2)MemberwiseClone();

        public override string ToString() =>
            $"CHILD#{Id} (IKEv2#{IkeSaId}) {EncapsulationMode} {State} {EncryptionAlgorithm}/{IntegrityAlgorithm} spi in {InboundSpi:x8} out {OutboundSpi:x8} " +
            $"{LocalTrafficSelector} === {RemoteTrafficSelector}";
    }

    /// <summary>IKE SAs by Id; the engine writes from its thread, readers get snapshots.</summary>
    public sealed class IkeV2SaDatabase
    {
        private readonly Dictionary<long, IkeV2Sa> _byId = new Dictionary<long, IkeV2Sa>();
        private readonly object _gate = new object();
        public int Count { get { lock (_gate) return _byId.Count; } }
        public IReadOnlyList<IkeV2Sa> Snapshot() { lock (_gate) return _byId.Values.OrderBy(s => s.Id).Select(s => s.Snapshot()).ToArray(); }
        public IkeV2Sa? Find(long id) { lock (_gate) return _byId.TryGetValue(id, out var s) ? s.Snapshot() : null; }
        internal void Add(IkeV2Sa sa) { lock (_gate) _byId.Add(sa.Id, sa); }
        internal bool Remove(long id) { lock (_gate) return _byId.Remove(id); }
    }

    /// <summary>Child SAs by Id.</summary>
    public sealed class ChildSaV2Database
    {
        private readonly Dictionary<long, ChildSaV2> _byId = new Dictionary<long, ChildSaV2>();
        private readonly object _gate = new object();
        public int Count { get { lock (_gate) return _byId.Count; } }
        public IReadOnlyList<ChildSaV2> Snapshot() { lock (_gate) return _byId.Values.OrderBy(s => s.Id).Select(s => s.Snapshot()).ToArray(); }
        public ChildSaV2? Find(long id) { lock (_gate) return _byId.TryGetValue(id, out var s) ? s.Snapshot() : null; }
        internal void Add(ChildSaV2 sa) { lock (_gate) _byId.Add(sa.Id, sa); }
        internal bool Remove(long id) { lock (_gate) return _byId.Remove(id); }
    }
}
