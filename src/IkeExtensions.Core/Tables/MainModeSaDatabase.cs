using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Tables
{
    /// <summary>
    /// The MMSAD (MS-IKEE 3.1.1): main mode SAs by Id and by cookie pair. The engine writes it from its own thread;
    /// readers (management, control socket) get snapshots.
    /// </summary>
    public sealed class MainModeSaDatabase
    {
        private readonly Dictionary<long, MainModeSa> _byId = new Dictionary<long, MainModeSa>();
        private readonly object _gate = new object();

        public int Count { get { lock (_gate) return _byId.Count; } }

        public IReadOnlyList<MainModeSa> Snapshot() { lock (_gate) return _byId.Values.OrderBy(s => s.Id).ToArray(); }

        public MainModeSa? Find(long id) { lock (_gate) return _byId.TryGetValue(id, out var s) ? s : null; }

        public MainModeSa? FindByCookies(ulong initiatorCookie, ulong responderCookie)
        {
            lock (_gate) return _byId.Values.FirstOrDefault(s => s.InitiatorCookie == initiatorCookie && s.ResponderCookie == responderCookie);
        }

        internal void Add(MainModeSa sa) { lock (_gate) _byId.Add(sa.Id, sa); }
        internal bool Remove(long id) { lock (_gate) return _byId.Remove(id); }
    }

    /// <summary>The SAD for quick mode SAs (MS-IKEE 3.1.1), by Id; SPIs are on the rows.</summary>
    public sealed class SecurityAssociationDatabase
    {
        private readonly Dictionary<long, QuickModeSa> _byId = new Dictionary<long, QuickModeSa>();
        private readonly object _gate = new object();

        public int Count { get { lock (_gate) return _byId.Count; } }

        public IReadOnlyList<QuickModeSa> Snapshot() { lock (_gate) return _byId.Values.OrderBy(s => s.Id).ToArray(); }

        public QuickModeSa? Find(long id) { lock (_gate) return _byId.TryGetValue(id, out var s) ? s : null; }

        public QuickModeSa? FindByInboundSpi(uint spi) { lock (_gate) return _byId.Values.FirstOrDefault(s => s.InboundSpi == spi); }

        internal void Add(QuickModeSa sa) { lock (_gate) _byId.Add(sa.Id, sa); }
        internal bool Remove(long id) { lock (_gate) return _byId.Remove(id); }
    }
}
