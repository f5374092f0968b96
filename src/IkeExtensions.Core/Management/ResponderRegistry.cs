using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Management
{
    /// <summary>
    /// The responders one PowerShell session started (Start-IkeResponder), by id: what Get-IkeResponder lists,
    /// Stop-IkeResponder stops, and the SA cmdlets resolve -Responder/-ResponderId against. Thread-safe. Sessions are keyed
    /// by the runspace's instance id (<see cref="ForSession"/>); <see cref="ReleaseSession"/> stops them when it closes.
    /// </summary>
    public sealed class ResponderRegistry : IDisposable
    {
        private static readonly ConcurrentDictionary<Guid, ResponderRegistry> Sessions = new ConcurrentDictionary<Guid, ResponderRegistry>();
        private readonly object gate = new object();
        private readonly SortedDictionary<int, IkeResponder> responders = new SortedDictionary<int, IkeResponder>();
        private int nextId;

        /// <summary>The registry of one session (created on first use).</summary>
        public static ResponderRegistry ForSession(Guid sessionId) => Sessions.GetOrAdd(sessionId, _ => new ResponderRegistry());

        /// <summary>Stops and forgets every responder of a session (its runspace closed). True when the session had a registry.</summary>
        public static bool ReleaseSession(Guid sessionId)
        {
            if (!Sessions.TryRemove(sessionId, out var registry)) return false;
            registry.Dispose();
            return true;
        }

        /// <summary>Starts an IKE service and registers it. Failures are <see cref="IkeManagementException"/>s.</summary>
        public IkeResponder Start(ResponderStartRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var early = new ConcurrentQueue<string>();
            IkeResponder? started = null;
            var options = new ResponderOptions
            {
                Address = request.LocalAddress,
                Port = request.Port,
                NatPort = request.NatTraversalPort,
                PresharedKey = request.PresharedKey ?? request.Policy?.Phase1Auth.Proposals.OfType<PreSharedKeyAuthProposal>().Select(p => p.Key).FirstOrDefault(k => k != null),
                NegotiationTimeout = request.NegotiationTimeout,
                IkeV1 = request.IkeVersion != IkeVersionSelection.IKEv2,
                IkeV2 = request.IkeVersion != IkeVersionSelection.IKEv1,
                Log = line => { if (started != null) started.Log(line); else early.Enqueue(line); },
            };
            IkeService service;
            try
            {
                if (request.Policy != null) options.Policy = request.Policy.ToEngineV1Policy();
                request.Configure?.Invoke(options);
                service = IkeService.StartResponder(options);
            }
            catch (Exception e) when (e is PolicyValidationException || e is PolicyConversionException)
            {
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, "The policy cannot run on the engine: " + e.Message, request.Policy, e);
            }
            catch (Exception e) when (e is ArgumentException || e is SocketException || e is InvalidOperationException)
            {
                string where = $"{request.LocalAddress}:{request.Port}";
                throw new IkeManagementException(IkeManagementError.ResponderStartFailed, $"Cannot start an IKE responder on {where}: {e.Message}", where, e);
            }
            lock (gate)
            {
                int id = ++nextId;
                string name = string.IsNullOrWhiteSpace(request.Name) ? $"IKE responder {service.LocalEndpoint}" : request.Name!.Trim();
                started = new IkeResponder(id, name, service, request.Policy?.Name, DateTime.UtcNow, early, request.IkeVersion);
                responders.Add(id, started);
                return started;
            }
        }

        /// <summary>Every registered responder (running or stopped), by id.</summary>
        public IReadOnlyList<IkeResponder> GetAll()
        {
            lock (gate) return responders.Values.ToList();
        }

        /// <summary>Responders whose name matches a pattern (wildcards allowed) or whose id is listed; both null = all.</summary>
        public IReadOnlyList<IkeResponder> Find(IReadOnlyCollection<string>? names, IReadOnlyCollection<int>? ids) =>
            GetAll().Where(r => (names == null || NamePattern.MatchesAny(names, r.Name)) && (ids == null || ids.Contains(r.Id))).ToList();

        /// <summary>
        /// One "not found" exception per name without wildcards that matches no responder and per id no responder has
        /// (Get-IkeResponder and Stop-IkeResponder write them as non-terminating errors).
        /// </summary>
        public IReadOnlyList<IkeManagementException> Missing(IReadOnlyCollection<string>? names, IReadOnlyCollection<int>? ids)
        {
            var all = GetAll();
            var missing = new List<object>();
            missing.AddRange(NamePattern.Unmatched(names, all.Select(r => r.Name)));
            if (ids != null) missing.AddRange(ids.Where(id => all.All(r => r.Id != id)).Select(id => (object)id));
            return missing.Select(m => new IkeManagementException(IkeManagementError.ResponderNotFound,
                $"No IKE responder '{m}' in this session (see Get-IkeResponder).", m)).ToList();
        }

        /// <summary>The responder with <paramref name="id"/>; without an id, the only running responder.</summary>
        public IkeResponder Resolve(int? id)
        {
            if (id is int wanted)
            {
                lock (gate)
                    if (responders.TryGetValue(wanted, out var r)) return r;
                throw new IkeManagementException(IkeManagementError.ResponderNotFound, $"No IKE responder with id {wanted} in this session (see Get-IkeResponder).", wanted);
            }
            var running = GetAll().Where(r => r.State == IkeResponderState.Running).ToList();
            if (running.Count == 1) return running[0];
            throw new IkeManagementException(IkeManagementError.ResponderAmbiguous, running.Count == 0
                ? "No IKE responder is running in this session; start one with Start-IkeResponder."
                : $"{running.Count} IKE responders are running; name one with -Responder or -ResponderId.", null);
        }

        /// <summary>The responders to query when none was named: every running one.</summary>
        public IReadOnlyList<IkeResponder> Running() => GetAll().Where(r => r.State == IkeResponderState.Running).ToList();

        /// <summary>Stops a responder (its SAs are deleted and peers told) and removes it from the registry.</summary>
        public async Task StopAsync(IkeResponder responder)
        {
            if (responder == null) throw new ArgumentNullException(nameof(responder));
            lock (gate) responders.Remove(responder.Id);
            await responder.StopAsync().ConfigureAwait(false);
        }

        public void Stop(IkeResponder responder) => StopAsync(responder).GetAwaiter().GetResult();

        public void Dispose()
        {
            foreach (var r in GetAll())
            {
                try { Stop(r); }
                catch (ObjectDisposedException) { }
            }
        }
    }
}
