using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tables;

namespace IkeExtensions.Management
{
    /// <summary>Whether a responder's engine still runs.</summary>
    public enum IkeResponderState
    {
        Running,
        Stopped,
    }

    /// <summary>Which IKE versions a responder answers (Start-IkeResponder -IkeVersion) or a negotiation uses (Start-IkeNegotiation).</summary>
    public enum IkeVersionSelection
    {
        /// <summary>IKEv1 (Main Mode + Quick Mode) and IKEv2 (RFC 7296) on the same sockets, told apart by the header's major version.</summary>
        Both,
        IKEv1,
        IKEv2,
    }

    /// <summary>What Start-IkeResponder asks for: where to listen, how peers authenticate, and the policy.</summary>
    public sealed class ResponderStartRequest
    {
        /// <summary>Display name; default "IKE responder &lt;address&gt;:&lt;port&gt;".</summary>
        public string? Name { get; set; }
        public IPAddress LocalAddress { get; set; } = IPAddress.Loopback;
        /// <summary>IKE port; 0 = ephemeral.</summary>
        public int Port { get; set; } = 500;
        /// <summary>NAT-T port; 0 = ephemeral, null = no NAT-T socket.</summary>
        public int? NatTraversalPort { get; set; } = 4500;
        /// <summary>The key every peer must know; when null, the policy's pre-shared key proposal (if it carries the key).</summary>
        public PreSharedKey? PresharedKey { get; set; }
        /// <summary>The policy whose main and quick mode proposals the engine offers and accepts; null = the engine default.</summary>
        public IpsecPolicy? Policy { get; set; }
        public TimeSpan? NegotiationTimeout { get; set; }
        /// <summary>The IKE versions answered (both by default, as `ikex responder`); the responder can initiate either of them.</summary>
        public IkeVersionSelection IkeVersion { get; set; } = IkeVersionSelection.Both;
        /// <summary>Tests set the clock, random source or log level here before the service starts.</summary>
        public Action<ResponderOptions>? Configure { get; set; }
    }

    /// <summary>
    /// A running IKE service started by Start-IkeResponder: the object Get-IkeResponder lists and Stop-IkeResponder stops.
    /// Properties are what the table view shows; the methods are the calls the SA and negotiation cmdlets make.
    /// </summary>
    public sealed class IkeResponder
    {
        private const int LogCapacity = 500;
        private readonly IkeService service;
        private readonly ConcurrentQueue<string> log = new ConcurrentQueue<string>();
        private int stopped;

        internal IkeResponder(int id, string name, IkeService service, string? policyName, DateTime startedAt, ConcurrentQueue<string>? earlyLog,
            IkeVersionSelection ikeVersion = IkeVersionSelection.IKEv1)
        {
            Id = id;
            IkeVersion = ikeVersion;
            Name = name;
            this.service = service;
            PolicyName = policyName;
            StartedAt = startedAt;
            LocalEndpoint = service.LocalEndpoint.ToString();
            NatTraversalEndpoint = service.NatEndpoint?.ToString();
            if (earlyLog != null) foreach (string line in earlyLog) log.Enqueue(line);
        }

        public int Id { get; }
        public string Name { get; }
        public string LocalEndpoint { get; }
        public string? NatTraversalEndpoint { get; }
        public string? PolicyName { get; }
        /// <summary>The IKE versions this responder answers.</summary>
        public IkeVersionSelection IkeVersion { get; }
        public DateTime StartedAt { get; }
        public IkeResponderState State => Volatile.Read(ref stopped) != 0 || !service.IsRunning ? IkeResponderState.Stopped : IkeResponderState.Running;
        /// <summary>IKE SAs of both versions (IKEv2 SAs are listed with the main-mode SAs, KeyModule IKEv2).</summary>
        public int MainModeSaCount => State == IkeResponderState.Running ? service.GetMainModeSas().Count + service.GetIkeV2Sas().Count : 0;
        /// <summary>IPsec SAs of both versions (IKEv1 quick-mode SAs and IKEv2 child SAs).</summary>
        public int QuickModeSaCount => State == IkeResponderState.Running ? service.GetQuickModeSas().Count + service.GetChildSasV2().Count : 0;

        /// <summary>The last log lines (at most 500), oldest first. Never key material.</summary>
        public IReadOnlyList<string> GetLog() => log.ToArray();

        /// <summary>Main-mode SAs and IKEv2 SAs (KeyModule tells them apart).</summary>
        public IReadOnlyList<MainModeSaInfo> GetMainModeSas() => Running().List().MainModeSas;

        /// <summary>Quick-mode SAs and IKEv2 child SAs.</summary>
        public IReadOnlyList<QuickModeSaInfo> GetQuickModeSas() => Running().List().QuickModeSas;

        public IkeStatisticsInfo GetStatistics()
        {
            return Running().List().Statistics;
        }

        /// <summary>
        /// Reliable delete (MS-IKEE 3.8) of one Main Mode SA with its Quick Mode SAs; <see cref="IkeManagementError.SaNotFound"/>
        /// when absent or already <c>Deleting</c> (a deleted SA lingers until its Quick Mode SAs and pending deletes are gone;
        /// deleting it again is not a fresh delete, so it is reported, naming the SA, rather than claimed).
        /// </summary>
        public async Task RemoveMainModeSaAsync(long id)
        {
            var s = Running();
            if (await s.RemoveMainModeSaAsync(id).ConfigureAwait(false)) return;
            bool deleting = s.List().MainModeSas.Any(r => r.Id == id && r.State == "Deleting");
            throw new IkeManagementException(IkeManagementError.SaNotFound, deleting
                ? $"Main Mode SA {id} of responder '{Name}' is already being deleted (MS-IKEE 3.8 reliable delete: it stays Deleting until its Quick Mode SAs and pending deletes are gone)."
                : $"Responder '{Name}' has no Main Mode SA {id}.", id);
        }

        /// <summary>Deletes one Quick Mode SA (peer told); <see cref="IkeManagementError.SaNotFound"/> when absent (a deleted Quick Mode SA goes at once).</summary>
        public async Task RemoveQuickModeSaAsync(long id)
        {
            if (!await Running().RemoveQuickModeSaAsync(id).ConfigureAwait(false))
                throw new IkeManagementException(IkeManagementError.SaNotFound, $"Responder '{Name}' has no Quick Mode SA {id}.", id);
        }

        /// <summary>Negotiates Main Mode (unless one is up) and a Quick Mode with <paramref name="peer"/>; never throws for a failed negotiation.</summary>
        public async Task<IkeNegotiationOutcome> NegotiateAsync(IPEndPoint peer, EncapsulationModeChoice mode, bool forceNewMainMode, TimeSpan timeout,
            CancellationToken cancellationToken = default)
        {
            var s = Running();
            var result = await s.NegotiateAsync(s.CreateRequest(peer, mode, forceNewMainMode: forceNewMainMode), timeout, cancellationToken).ConfigureAwait(false);
            return IkeNegotiationOutcome.From(this, peer, result);
        }

        /// <summary>
        /// IKE_SA_INIT + IKE_AUTH with its first child, or CREATE_CHILD_SA on an IKE SA already up with the peer unless
        /// <paramref name="forceNewIkeSa"/> (RFC 7296 §1.2, §1.3). Needs a responder started with IKEv2 enabled.
        /// </summary>
        public async Task<IkeNegotiationOutcome> NegotiateV2Async(IPEndPoint peer, EncapsulationModeChoice mode, bool forceNewIkeSa, TimeSpan timeout,
            CancellationToken cancellationToken = default)
        {
            var s = Running();
            if (IkeVersion == IkeVersionSelection.IKEv1)
                throw new IkeManagementException(IkeManagementError.NotSupported,
                    $"Responder {Id} ('{Name}') runs IKEv1 only; start one with -IkeVersion IKEv2 or Both to negotiate IKEv2.", this);
            var result = await s.NegotiateV2Async(s.CreateRequest(peer, mode, forceNewMainMode: forceNewIkeSa), timeout, cancellationToken).ConfigureAwait(false);
            return IkeNegotiationOutcome.From(this, peer, result);
        }

        internal void Log(string line)
        {
            log.Enqueue(line);
            while (log.Count > LogCapacity && log.TryDequeue(out _)) { }
        }

        internal async Task StopAsync()
        {
            if (Interlocked.Exchange(ref stopped, 1) != 0) return;
            await service.StopAsync().ConfigureAwait(false);
        }

        private IkeService Running()
        {
            if (State != IkeResponderState.Running)
                throw new IkeManagementException(IkeManagementError.ResponderStopped, $"Responder {Id} ('{Name}') is stopped.", this);
            return service;
        }

        public override string ToString() => $"{Name} ({LocalEndpoint}, {State})";
    }

    /// <summary>What Start-IkeNegotiation returns: the peer, both SAs (when they came up) and why it failed otherwise.</summary>
    public sealed class IkeNegotiationOutcome
    {
        public int ResponderId { get; private set; }
        public string RemoteEndpoint { get; private set; } = "";
        public bool Succeeded { get; private set; }
        public long? MainModeSaId { get; private set; }
        public long? QuickModeSaId { get; private set; }
        public string? FailureReason { get; private set; }
        public double ElapsedMilliseconds { get; private set; }
        public MainModeSaInfo? MainModeSa { get; private set; }
        public QuickModeSaInfo? QuickModeSa { get; private set; }

        internal static IkeNegotiationOutcome From(IkeResponder responder, IPEndPoint peer, NegotiationResult r) => new IkeNegotiationOutcome
        {
            ResponderId = responder.Id,
            RemoteEndpoint = peer.ToString(),
            Succeeded = r.Succeeded,
            MainModeSaId = r.MainModeSa?.Id,
            QuickModeSaId = r.QuickModeSa?.Id,
            FailureReason = r.FailureReason,
            ElapsedMilliseconds = Math.Round(r.Elapsed.TotalMilliseconds, 1),
            MainModeSa = r.MainModeSa == null ? null : MainModeSaInfo.From(r.MainModeSa),
            QuickModeSa = r.QuickModeSa == null ? null : QuickModeSaInfo.From(r.QuickModeSa),
        };

        /// <summary>IKEv2 (RFC 7296): the IKE SA in the main-mode columns, its child in the quick-mode ones (KeyModule IKEv2).</summary>
        internal static IkeNegotiationOutcome From(IkeResponder responder, IPEndPoint peer, IkeExtensions.Engine.V2.IkeV2NegotiationResult r) => new IkeNegotiationOutcome
        {
            ResponderId = responder.Id,
            RemoteEndpoint = peer.ToString(),
            Succeeded = r.Succeeded,
            MainModeSaId = r.IkeSa?.Id,
            QuickModeSaId = r.ChildSa?.Id,
            FailureReason = r.FailureReason,
            ElapsedMilliseconds = Math.Round(r.Elapsed.TotalMilliseconds, 1),
            MainModeSa = r.IkeSa == null ? null : MainModeSaInfo.From(r.IkeSa),
            QuickModeSa = r.ChildSa == null ? null : QuickModeSaInfo.From(r.ChildSa),
        };

        public override string ToString() => Succeeded ? $"QM SA {QuickModeSaId} with {RemoteEndpoint}" : $"{RemoteEndpoint}: {FailureReason}";
    }
}
