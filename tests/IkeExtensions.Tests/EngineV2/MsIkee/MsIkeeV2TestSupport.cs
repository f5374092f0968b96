using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reflection;
using IkeExtensions.Engine.V2;
using IkeExtensions.Wire;

namespace IkeExtensions.Tests.EngineV2.MsIkee
{
    /// <summary>Helpers shared by the MS-IKEE IKEv2 extension tests.</summary>
    internal static class MsIkeeV2TestSupport
    {
        public static IkeV2Policy MakePolicy(string ike, string child = "aes256-sha256") =>
            new IkeV2Policy(ike.Split(',').Select(IkeV2Proposal.Parse).ToArray(), child.Split(',').Select(ChildProposalV2.Parse).ToArray());

        /// <summary>The unencrypted messages one side sent (IKE_SA_INIT), decoded.</summary>
        public static List<IkeMessage> Sent(TwoPeerV2Harness h, IPEndPoint from, ExchangeType exchange) =>
            h.Wire.Where(w => w.From.Equals(from) && w.Data.Length > 18 && w.Data[18] == (byte)exchange)
                .Select(w => IkeMessage.TryDecode(w.Data, out var m, out _) ? m : null!)
                .Where(m => m != null).ToList();

        /// <summary>
        /// The engine's private state of the only IKE SA it has, to make it misbehave the way a non-conforming peer would
        /// (tests of the responder's rules need an initiator that breaks them).
        /// </summary>
        public static IkeV2Session OnlySession(IkeV2Engine engine)
        {
            var field = typeof(IkeV2Engine).GetField("_bySpi", BindingFlags.NonPublic | BindingFlags.Instance)!;
            var sessions = (Dictionary<ulong, IkeV2Session>)field.GetValue(engine)!;
            return sessions.Values.Single(s => !s.Gone);
        }

        public static string Logs(TwoPeerV2Harness h) => string.Join("\n", h.A.Log.Concat(h.B.Log));
    }
}
