using System.Threading;

namespace IkeExtensions.Engine
{
    /// <summary>Counters an administrator reads (Get-IkeStatistics, `ikex sa list`). Incremented by the engine thread, read anywhere.</summary>
    public sealed class EngineStatistics
    {
        private long _dosCookies, _dosDropped;
        private int _dosActive;
        private long _received, _malformed, _dropped, _sent, _retransmitted, _mmOk, _mmFailed, _qmOk, _qmFailed, _refusedAggressive;

        public long DatagramsReceived => Interlocked.Read(ref _received);
        public long MalformedDropped => Interlocked.Read(ref _malformed);
        /// <summary>Well-formed but unexpected or unauthenticated messages that were dropped.</summary>
        public long OtherDropped => Interlocked.Read(ref _dropped);
        public long DatagramsSent => Interlocked.Read(ref _sent);
        public long Retransmissions => Interlocked.Read(ref _retransmitted);
        public long MainModeEstablished => Interlocked.Read(ref _mmOk);
        public long MainModeFailed => Interlocked.Read(ref _mmFailed);
        public long QuickModeEstablished => Interlocked.Read(ref _qmOk);
        public long QuickModeFailed => Interlocked.Read(ref _qmFailed);
        public long AggressiveModeRefused => Interlocked.Read(ref _refusedAggressive);

        /// <summary>MS-IKEE 3.9: whether DoS protection is on now, cookies sent, attempts dropped by the per-source limit.</summary>
        public bool DosProtectionActive => Volatile.Read(ref _dosActive) != 0;
        public long DosCookiesSent => Interlocked.Read(ref _dosCookies);
        public long DosDropped => Interlocked.Read(ref _dosDropped);
        internal void DosCookieSent() => Interlocked.Increment(ref _dosCookies);
        internal void DosDrop() => Interlocked.Increment(ref _dosDropped);
        internal void DosProtection(bool on) => Volatile.Write(ref _dosActive, on ? 1 : 0);

        internal void Received() => Interlocked.Increment(ref _received);
        internal void Malformed() => Interlocked.Increment(ref _malformed);
        internal void Dropped() => Interlocked.Increment(ref _dropped);
        internal void Sent() => Interlocked.Increment(ref _sent);
        internal void Retransmitted() => Interlocked.Increment(ref _retransmitted);
        internal void MainModeOk() => Interlocked.Increment(ref _mmOk);
        internal void MainModeFail() => Interlocked.Increment(ref _mmFailed);
        internal void QuickModeOk() => Interlocked.Increment(ref _qmOk);
        internal void QuickModeFail() => Interlocked.Increment(ref _qmFailed);
        internal void AggressiveRefused() => Interlocked.Increment(ref _refusedAggressive);

        public override string ToString() =>
            $"received {DatagramsReceived}, sent {DatagramsSent}, retransmitted {Retransmissions}, malformed {MalformedDropped}, dropped {OtherDropped}, " +
            $"MM ok {MainModeEstablished} failed {MainModeFailed}, QM ok {QuickModeEstablished} failed {QuickModeFailed}, aggressive refused {AggressiveModeRefused}, DoS protection {(DosProtectionActive ? "on" : "off")} (cookies {DosCookiesSent}, dropped {DosDropped})";
    }
}
