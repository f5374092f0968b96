using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Platform;
using IkeExtensions.Tables;

namespace IkeExtensions.Management
{
    /// <summary>
    /// A main mode SA as administrators see it (Get-NetIPsecMainModeSA names; the control socket's and --json's rows).
    /// Plain strings and numbers only: cookies in hex, no key material of any kind.
    /// </summary>
    public sealed partial class MainModeSaInfo
    {
        public long Id { get; set; }
        public string LocalEndpoint { get; set; } = "";
        public string RemoteEndpoint { get; set; } = "";
        public string? LocalFirstId { get; set; }
        public string? RemoteFirstId { get; set; }
        public string? CipherAlgorithm { get; set; }
        public string? HashAlgorithm { get; set; }
        public int GroupId { get; set; }
        public string? AuthenticationMethod { get; set; }
        public string KeyModule { get; set; } = "IKEv1";
        public int MaxQMSAs { get; set; }
        public int LifetimeSeconds { get; set; }
        public string InitiatorCookie { get; set; } = "";
        public string ResponderCookie { get; set; } = "";
        public string State { get; set; } = "";
        public bool IsInitiator { get; set; }
        public int QuickModeSaCount { get; set; }
        public IReadOnlyList<string> PeerVendorIds { get; set; } = Array.Empty<string>();
        public int? PeerWindowsVersion { get; set; }
        public bool IsWeak { get; set; }
        /// <summary>NAT-T revision selected through vendor IDs (MS-IKEE 3.2): None, Rfc3947 or Draft02.</summary>
        public string NatTraversalRevision { get; set; } = "None";
        /// <summary>NAT detected by the NAT-D hashes (RFC 3947 §3.2): in front of us, in front of the peer.</summary>
        public bool NatDetectedLocal { get; set; }
        public bool NatDetectedRemote { get; set; }
        /// <summary>The NAT-T ports the SA floated to (RFC 3947 §4); 0 when it did not float.</summary>
        public int LocalUdpEncapsulationPort { get; set; }
        public int RemoteUdpEncapsulationPort { get; set; }
        /// <summary>Extensions the peer announced or that were negotiated (MS-IKEE section 3), as flag names.</summary>
        public string Extensions { get; set; } = "None";
        /// <summary>IKE fragmentation (MS-IKEE 3.3.1): the peer receives fragments; this SA fragments.</summary>
        public bool FragmentationSupported { get; set; }
        public bool FragmentationActive { get; set; }
        /// <summary>Fast failover (MS-IKEE 3.5.1, 3.6.1): the peer is a cluster; the peer made initial contact.</summary>
        public bool FastFailover { get; set; }
        public bool InitialContact { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime? EstablishedAt { get; set; }
        /// <summary>IKEv2: subject of the peer's verified certificate; null with pre-shared keys.</summary>
        public string? RemoteCertificateSubject { get; set; }

        public static MainModeSaInfo From(MainModeSa sa)
        {
            if (sa == null) throw new ArgumentNullException(nameof(sa));
            var info = FromRow(sa);
            // IKEv1-only columns: the MS-IKEE vendor-ID extensions (section 3) and RFC 3947 NAT-T have no IKEv2 row.
            info.MaxQMSAs = sa.MaxQMSAs;
            info.PeerVendorIds = sa.PeerVendorIds.ToArray();
            info.PeerWindowsVersion = sa.PeerWindowsVersion;
            info.IsWeak = sa.IsWeak;
            info.NatTraversalRevision = sa.NatTraversalRevision.ToString();
            info.LocalUdpEncapsulationPort = sa.LocalUdpEncapsulationPort;
            info.RemoteUdpEncapsulationPort = sa.RemoteUdpEncapsulationPort;
            info.Extensions = sa.Extensions.ToString();
            info.FragmentationSupported = sa.FragmentationSupported;
            info.FragmentationActive = sa.FragmentationActive;
            info.FastFailover = sa.FastFailover;
            info.InitialContact = sa.InitialContact;
            return info;
        }

        /// <summary>An IKEv2 IKE SA (KeyModule "IKEv2") in the same row, so one listing shows both key modules.</summary>
        public static MainModeSaInfo From(IkeV2Sa sa)
        {
            if (sa == null) throw new ArgumentNullException(nameof(sa));
            var info = FromRow(sa);
            info.FillCorrelationAndServers(sa);
            info.FillLifecycle(sa); // rekey links, realm, Xbox, dead peer detection, NOTIFY_STATUS
            info.RemoteCertificateSubject = sa.RemoteCertificateSubject; // IKEv2 certificate authentication (RFC 7296 §3.6)
            // IKEv2 fragmentation (RFC 7383, MS-IKEE 3.15.1): negotiated in IKE_SA_INIT; used on this SA.
            info.FragmentationSupported = sa.FragmentationSupported;
            info.FragmentationActive = sa.FragmentationActive;
            info.LocalUdpEncapsulationPort = sa.LocalUdpEncapsulationPort; // NAT-T (RFC 7296 §2.23)
            info.RemoteUdpEncapsulationPort = sa.RemoteUdpEncapsulationPort;
            return info;
        }

        /// <summary>The columns both key modules share; the SPIs/cookies in hex (never key material).</summary>
        private static MainModeSaInfo FromRow(IIkeSaRow sa) => new MainModeSaInfo
        {
            Id = sa.Id,
            LocalEndpoint = sa.LocalEndpoint.ToString(),
            RemoteEndpoint = sa.RemoteEndpoint.ToString(),
            LocalFirstId = sa.LocalFirstId,
            RemoteFirstId = sa.RemoteFirstId,
            CipherAlgorithm = sa.CipherAlgorithm,
            HashAlgorithm = sa.HashAlgorithm,
            GroupId = sa.GroupId,
            AuthenticationMethod = sa.AuthenticationMethod,
            KeyModule = sa.KeyModule,
            LifetimeSeconds = sa.LifetimeSeconds,
            InitiatorCookie = sa.InitiatorCookie.ToString("x16", CultureInfo.InvariantCulture),
            ResponderCookie = sa.ResponderCookie.ToString("x16", CultureInfo.InvariantCulture),
            State = sa.StateName,
            IsInitiator = sa.IsInitiator,
            QuickModeSaCount = sa.QuickModeSaCount,
            NatDetectedLocal = sa.NatDetectedLocal,
            NatDetectedRemote = sa.NatDetectedRemote,
            CreatedAt = sa.CreatedAt,
            EstablishedAt = sa.EstablishedAt,
        };
    }

    /// <summary>A quick mode SA pair as administrators see it (Get-NetIPsecQuickModeSA names). SPIs in hex; never keys.</summary>
    public sealed partial class QuickModeSaInfo
    {
        public long Id { get; set; }
        public long MainModeSaId { get; set; }
        public string LocalEndpoint { get; set; } = "";
        public string RemoteEndpoint { get; set; } = "";
        public string State { get; set; } = "";
        public string EncapsulationMode { get; set; } = "";
        public string InboundSpi { get; set; } = "";
        public string OutboundSpi { get; set; } = "";
        public string? EncryptionAlgorithm { get; set; }
        public string? IntegrityAlgorithm { get; set; }
        public int PfsGroup { get; set; }
        public string? LocalTrafficSelector { get; set; }
        public string? RemoteTrafficSelector { get; set; }
        public int LifetimeSeconds { get; set; }
        public int LifetimeKilobytes { get; set; }
        public bool IsInitiator { get; set; }
        public bool IsWeak { get; set; }
        /// <summary>Original addresses the peer reported in NAT-OA payloads (RFC 3947 §5.2); null when none came.</summary>
        public string? PeerOriginalInitiatorAddress { get; set; }
        public string? PeerOriginalResponderAddress { get; set; }
        /// <summary>Idle timer (MS-IKEE 3.5.2): 60 s under a fast-failover peer, else 300 s.</summary>
        public int IdleTimeoutSeconds { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime? EstablishedAt { get; set; }

        public static QuickModeSaInfo From(QuickModeSa sa)
        {
            if (sa == null) throw new ArgumentNullException(nameof(sa));
            var info = FromRow(sa);
            // IKEv1-only columns: lifetime in kilobytes (RFC 2407 §4.5), NAT-OA (RFC 3947 §5.2), MS-IKEE 3.5.2 idle timer.
            info.LifetimeKilobytes = sa.LifetimeKilobytes;
            info.IsWeak = sa.IsWeak;
            info.PeerOriginalInitiatorAddress = sa.PeerOriginalInitiatorAddress?.ToString();
            info.PeerOriginalResponderAddress = sa.PeerOriginalResponderAddress?.ToString();
            info.IdleTimeoutSeconds = sa.IdleTimeoutSeconds;
            return info;
        }

        /// <summary>An IKEv2 child SA (RFC 7296 §1.3) in the same row as the IKEv1 Quick Mode SAs.</summary>
        public static QuickModeSaInfo From(ChildSaV2 sa)
        {
            if (sa == null) throw new ArgumentNullException(nameof(sa));
            var info = FromRow(sa);
            // NAT-T (RFC 7296 §2.23.1): the original addresses of a transport-mode child through a NAT.
            info.PeerOriginalInitiatorAddress = sa.PeerOriginalInitiatorAddress?.ToString();
            info.PeerOriginalResponderAddress = sa.PeerOriginalResponderAddress?.ToString();
            info.FillLifecycle(sa); // RFC 7296 §1.3.3 rekey links
            return info;
        }

        /// <summary>The columns both key modules share; SPIs in hex.</summary>
        private static QuickModeSaInfo FromRow(IIpsecSaRow sa) => new QuickModeSaInfo
        {
            Id = sa.Id,
            MainModeSaId = sa.MainModeSaId,
            LocalEndpoint = sa.LocalEndpoint.ToString(),
            RemoteEndpoint = sa.RemoteEndpoint.ToString(),
            State = sa.State.ToString(),
            EncapsulationMode = sa.EncapsulationMode,
            InboundSpi = sa.InboundSpi.ToString("x8", CultureInfo.InvariantCulture),
            OutboundSpi = sa.OutboundSpi.ToString("x8", CultureInfo.InvariantCulture),
            EncryptionAlgorithm = sa.EncryptionAlgorithm,
            IntegrityAlgorithm = sa.IntegrityAlgorithm,
            PfsGroup = sa.PfsGroup,
            LocalTrafficSelector = sa.LocalTrafficSelector?.ToString(),
            RemoteTrafficSelector = sa.RemoteTrafficSelector?.ToString(),
            LifetimeSeconds = sa.LifetimeSeconds,
            IsInitiator = sa.IsInitiator,
            CreatedAt = sa.CreatedAt,
            EstablishedAt = sa.EstablishedAt,
        };
    }

    /// <summary>The engine's and the UDP host's counters in one flat object.</summary>
    public sealed class IkeStatisticsInfo
    {
        public long DatagramsReceived { get; set; }
        public long DatagramsSent { get; set; }
        public long Retransmissions { get; set; }
        public long MalformedDropped { get; set; }
        public long OtherDropped { get; set; }
        public long MainModeEstablished { get; set; }
        public long MainModeFailed { get; set; }
        public long QuickModeEstablished { get; set; }
        public long QuickModeFailed { get; set; }
        public long AggressiveModeRefused { get; set; }
        public long NatKeepalivesDropped { get; set; }
        public long EspDropped { get; set; }
        public long InvalidDropped { get; set; }
        public long QueueFullDropped { get; set; }
        public long SocketErrors { get; set; }
        public int ActiveMainModeSas { get; set; }
        public int ActiveQuickModeSas { get; set; }
        /// <summary>IKEv2 negotiations (RFC 7296): IKE SAs and child SAs established and failed. The datagram counters above are
        /// totals over both versions; Active*Sas count IKEv2 SAs too (they are listed in the same tables).</summary>
        public long IkeV2SaEstablished { get; set; }
        public long IkeV2SaFailed { get; set; }
        public long ChildSaEstablished { get; set; }
        public long ChildSaFailed { get; set; }

        public static IkeStatisticsInfo From(EngineStatistics engine, UdpHostStatistics? host, int mainModeSas, int quickModeSas, EngineStatistics? ikeV2 = null) => new IkeStatisticsInfo
        {
            DatagramsReceived = engine.DatagramsReceived + (ikeV2?.DatagramsReceived ?? 0),
            DatagramsSent = engine.DatagramsSent + (ikeV2?.DatagramsSent ?? 0),
            Retransmissions = engine.Retransmissions + (ikeV2?.Retransmissions ?? 0),
            MalformedDropped = engine.MalformedDropped + (ikeV2?.MalformedDropped ?? 0),
            OtherDropped = engine.OtherDropped + (ikeV2?.OtherDropped ?? 0),
            // The IKEv2 engine reports its IKE SAs through the MainMode counters and its children through the QuickMode ones.
            IkeV2SaEstablished = ikeV2?.MainModeEstablished ?? 0,
            IkeV2SaFailed = ikeV2?.MainModeFailed ?? 0,
            ChildSaEstablished = ikeV2?.QuickModeEstablished ?? 0,
            ChildSaFailed = ikeV2?.QuickModeFailed ?? 0,
            MainModeEstablished = engine.MainModeEstablished,
            MainModeFailed = engine.MainModeFailed,
            QuickModeEstablished = engine.QuickModeEstablished,
            QuickModeFailed = engine.QuickModeFailed,
            AggressiveModeRefused = engine.AggressiveModeRefused,
            NatKeepalivesDropped = host?.NatKeepalivesDropped ?? 0,
            EspDropped = host?.EspDropped ?? 0,
            InvalidDropped = host?.InvalidDropped ?? 0,
            QueueFullDropped = host?.QueueFullDropped ?? 0,
            SocketErrors = host?.SocketErrors ?? 0,
            ActiveMainModeSas = mainModeSas,
            ActiveQuickModeSas = quickModeSas,
        };
    }

    /// <summary>What `list` returns: both SA tables and the counters.</summary>
    public sealed class SaListing
    {
        public IReadOnlyList<MainModeSaInfo> MainModeSas { get; set; } = Array.Empty<MainModeSaInfo>();
        public IReadOnlyList<QuickModeSaInfo> QuickModeSas { get; set; } = Array.Empty<QuickModeSaInfo>();
        public IkeStatisticsInfo Statistics { get; set; } = new IkeStatisticsInfo();
    }

    /// <summary>How one initiated negotiation ended (<see cref="IkeService.NegotiateAsync"/>).</summary>
    public sealed class NegotiationResult
    {
        internal NegotiationResult(MainModeSa? mainMode, QuickModeSa? quickMode, string? failureReason, TimeSpan elapsed)
        {
            MainModeSa = mainMode;
            QuickModeSa = quickMode;
            FailureReason = failureReason;
            Elapsed = elapsed;
        }

        public bool Succeeded => QuickModeSa != null && FailureReason == null;
        public MainModeSa? MainModeSa { get; }
        public QuickModeSa? QuickModeSa { get; }
        public string? FailureReason { get; }
        public TimeSpan Elapsed { get; }
        public override string ToString() => Succeeded ? $"established {QuickModeSa} in {Elapsed.TotalMilliseconds:F0} ms" : "failed: " + FailureReason;
    }
}
