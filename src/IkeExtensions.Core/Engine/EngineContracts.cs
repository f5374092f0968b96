using System;
using System.Net;

namespace IkeExtensions.Engine
{
    /// <summary>The engine's only notion of time; tests inject a fake one so runs are deterministic.</summary>
    public interface IClock
    {
        DateTime UtcNow { get; }
    }

    public sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();
        public DateTime UtcNow => DateTime.UtcNow;
    }

    public enum LogLevel { Debug, Info, Warning, Error }

    /// <summary>
    /// Everything the sans-IO engine asks of the world: datagrams to send, events to report, log lines. The UDP host,
    /// the in-memory test harness and the management façade implement it; nothing here touches a socket.
    /// </summary>
    public interface IEngineOutput
    {
        void Send(IPEndPoint local, IPEndPoint remote, ReadOnlyMemory<byte> datagram);
        void OnEvent(EngineEvent engineEvent);
        /// <summary>One line per negotiation event. Never carries key material.</summary>
        void Log(LogLevel level, string message);
    }

    public enum EngineEventKind
    {
        MainModeEstablished,
        MainModeFailed,
        MainModeDeleted,
        QuickModeEstablished,
        QuickModeFailed,
        QuickModeDeleted,
    }

    /// <summary>What happened, with the SA it happened to (a snapshot; SA rows are plain objects).</summary>
    public sealed class EngineEvent
    {
        public EngineEvent(EngineEventKind kind, object? sa, string? reason = null)
        {
            Kind = kind;
            // A copy, so a consumer on another thread sees the SA as it was when the event happened.
            Sa = sa switch
            {
                Tables.MainModeSa m => m.Snapshot(),
                Tables.QuickModeSa q => q.Snapshot(),
                _ => sa,
            };
            Reason = reason;
        }

        public EngineEventKind Kind { get; }
        public object? Sa { get; }
        public string? Reason { get; }
        public override string ToString() => $"{Kind}" + (Reason == null ? "" : ": " + Reason);
    }
}
