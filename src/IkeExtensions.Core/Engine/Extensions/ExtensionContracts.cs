using System.Collections.Generic;
using System.Net;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// One MS-IKEE or RFC extension of Main Mode, as its own unit (strongSwan's cooperating tasks): it adds payloads to the
    /// messages we build and reads the peer's, setting per-SA flags the others consult. Message numbers are Main Mode's
    /// (1, 3, 5 the initiator's; 2, 4, 6 the responder's).
    /// </summary>
    internal interface IMainModeExtension
    {
        /// <summary>Adds this extension's payloads to Main Mode message <paramref name="message"/> that we are building.</summary>
        void Build(Phase1Session s, int message, List<IkePayload> payloads);

        /// <summary>Reads the peer's Main Mode message; returns a failure reason, or null to continue.</summary>
        string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote);
    }

    /// <summary>An extension of Quick Mode (messages 1–3).</summary>
    internal interface IQuickModeExtension
    {
        void Build(QuickModeSession q, int message, List<IkePayload> payloads);
        string? Process(QuickModeSession q, int message, IReadOnlyList<IkePayload> payloads);
    }
}
