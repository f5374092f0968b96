using System;
using System.Net;

namespace IkeExtensions.Tables
{
    /// <summary>
    /// The columns an IKE SA row has in both key modules: the IKEv1 Main Mode SA (MS-IKEE 3.1.1 MMSAD) and the
    /// IKEv2 IKE SA (RFC 7296 §2) use the names NetSecurity's Get-NetIPsecMainModeSA uses, so management lists both
    /// through this one shape (<see cref="KeyModule"/> tells them apart) instead of mapping each row type twice.
    /// </summary>
    public interface IIkeSaRow
    {
        long Id { get; }
        IPEndPoint LocalEndpoint { get; }
        IPEndPoint RemoteEndpoint { get; }
        string? LocalFirstId { get; }
        string? RemoteFirstId { get; }
        string? CipherAlgorithm { get; }
        string? HashAlgorithm { get; }
        int GroupId { get; }
        string? AuthenticationMethod { get; }
        string KeyModule { get; }
        int LifetimeSeconds { get; }
        /// <summary>IKEv1 cookies (RFC 2408 §3.1); in IKEv2 the IKE SA SPIs (RFC 7296 §3.1).</summary>
        ulong InitiatorCookie { get; }
        ulong ResponderCookie { get; }
        /// <summary>The row's state enum value by name (the two key modules have different state machines).</summary>
        string StateName { get; }
        bool IsInitiator { get; }
        /// <summary>Established Quick Mode SAs (IKEv1) or child SAs (IKEv2).</summary>
        int QuickModeSaCount { get; }
        /// <summary>NAT detected in front of us / in front of the peer (RFC 3947 §3.2, RFC 7296 §2.23).</summary>
        bool NatDetectedLocal { get; }
        bool NatDetectedRemote { get; }
        DateTime CreatedAt { get; }
        DateTime? EstablishedAt { get; }
    }

    /// <summary>
    /// The columns an IPsec SA pair has in both key modules: the IKEv1 Quick Mode SA (MS-IKEE 3.1.1 SAD) and the
    /// IKEv2 child SA (RFC 7296 §1.3), named as Get-NetIPsecQuickModeSA names them.
    /// </summary>
    public interface IIpsecSaRow
    {
        long Id { get; }
        /// <summary>The parent: Main Mode SA (IKEv1) or IKE SA (IKEv2).</summary>
        long MainModeSaId { get; }
        IPEndPoint LocalEndpoint { get; }
        IPEndPoint RemoteEndpoint { get; }
        QuickModeSaState State { get; }
        string EncapsulationMode { get; }
        uint InboundSpi { get; }
        uint OutboundSpi { get; }
        string? EncryptionAlgorithm { get; }
        string? IntegrityAlgorithm { get; }
        int PfsGroup { get; }
        /// <summary>IKEv1 ID payload selector (RFC 2409 §5.5) or IKEv2 TS (RFC 7296 §3.13), shown by its ToString.</summary>
        object? LocalTrafficSelector { get; }
        object? RemoteTrafficSelector { get; }
        int LifetimeSeconds { get; }
        bool IsInitiator { get; }
        DateTime CreatedAt { get; }
        DateTime? EstablishedAt { get; }
    }
}
