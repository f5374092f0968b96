using System;
using System.Globalization;
using IkeExtensions.Management;

namespace IkeExtensions.Engine.V2
{
    /// <summary>IKEv2 rows as the management DTOs the CLI and the control socket list (KeyModule "IKEv2").</summary>
    public static class IkeV2Listing
    {
        /// <summary>IKEv2 SA ids start here in a service that runs both engines, so one id names one SA in the combined listing.</summary>
        public const long ServiceIdBase = 100000;

        public static MainModeSaInfo ToInfo(IkeV2Sa sa)
        {
            if (sa == null) throw new ArgumentNullException(nameof(sa));
            return new MainModeSaInfo
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
                InitiatorCookie = sa.InitiatorSpi.ToString("x16", CultureInfo.InvariantCulture),
                ResponderCookie = sa.ResponderSpi.ToString("x16", CultureInfo.InvariantCulture),
                State = sa.State.ToString(),
                IsInitiator = sa.IsInitiator,
                QuickModeSaCount = sa.ChildSaCount,
                NatDetectedLocal = sa.NatDetectedLocal,
                NatDetectedRemote = sa.NatDetectedRemote,
                CreatedAt = sa.CreatedAt,
                EstablishedAt = sa.EstablishedAt,
            };
        }

        public static QuickModeSaInfo ToInfo(ChildSaV2 sa)
        {
            if (sa == null) throw new ArgumentNullException(nameof(sa));
            return new QuickModeSaInfo
            {
                Id = sa.Id,
                MainModeSaId = sa.IkeSaId,
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
    }

    /// <summary>How one IKEv2 negotiation started by <c>IkeService.NegotiateV2Async</c> ended.</summary>
    public sealed class IkeV2NegotiationResult
    {
        public IkeV2NegotiationResult(IkeV2Sa? ikeSa, ChildSaV2? childSa, string? failureReason, TimeSpan elapsed)
        {
            IkeSa = ikeSa;
            ChildSa = childSa;
            FailureReason = failureReason;
            Elapsed = elapsed;
        }

        public bool Succeeded => ChildSa != null && FailureReason == null;
        public IkeV2Sa? IkeSa { get; }
        public ChildSaV2? ChildSa { get; }
        public string? FailureReason { get; }
        public TimeSpan Elapsed { get; }
        public override string ToString() => Succeeded ? $"established {ChildSa} in {Elapsed.TotalMilliseconds:F0} ms" : "failed: " + FailureReason;
    }
}
