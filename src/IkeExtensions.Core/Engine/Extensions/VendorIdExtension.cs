using System;
using System.Collections.Generic;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// Vendor IDs in Main Mode messages 1–2 (MS-IKEE 1.7): sends the versioned "MS NT5 ISAKMPOAKLEY" and reads every
    /// vendor ID the peer sends into the SA's extension flags (strongSwan's isakmp_vendor table). Extensions that are
    /// announced by their own vendor ID (NAT-T, fragmentation) send it themselves.
    /// </summary>
    internal sealed class VendorIdExtension : IMainModeExtension
    {
        private static readonly Dictionary<VendorIdKind, SaExtensions> Flags = new Dictionary<VendorIdKind, SaExtensions>
        {
            [VendorIdKind.MicrosoftImplementation] = SaExtensions.MicrosoftImplementation,
            [VendorIdKind.NatTraversalRfc3947] = SaExtensions.NatTraversalRfc3947,
            [VendorIdKind.NatTraversalDraft02] = SaExtensions.NatTraversalDraft02,
            [VendorIdKind.Fragmentation] = SaExtensions.Fragmentation,
            [VendorIdKind.IkeCgaVersion1] = SaExtensions.CgaCapable,
            [VendorIdKind.NegotiationDiscoveryCapable] = SaExtensions.NegotiationDiscovery,
            [VendorIdKind.NlbsPresent] = SaExtensions.NlbsPresent,
            [VendorIdKind.VidInitialContact] = SaExtensions.InitialContact,
            [VendorIdKind.MsMamieExists] = SaExtensions.AuthIp,
            [VendorIdKind.KeyModules] = SaExtensions.KeyModules,
            [VendorIdKind.AuthIpInitiatorDhGroup] = SaExtensions.AuthIp,
            [VendorIdKind.DeadPeerDetection] = SaExtensions.DeadPeerDetection,
        };

        private readonly EngineContext _ctx;
        public VendorIdExtension(EngineContext ctx) => _ctx = ctx;

        public void Build(Phase1Session s, int message, List<IkePayload> payloads)
        {
            if (message > 2) return;
            if (_ctx.Options.MicrosoftVendorIdVersion is uint v) payloads.Add(VendorIdPayload.For(VendorIdKind.MicrosoftImplementation, v));
            // KEY_MODS announces which keying modules this host runs (MS-IKEE 1.7 note 6): IKE only.
            if (_ctx.Options.MicrosoftVendorIdVersion.HasValue) payloads.Add(VendorIdPayload.For(VendorIdKind.KeyModules, 0));
        }

        public string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote)
        {
            var names = new List<string>(s.Row.PeerVendorIds);
            foreach (var p in payloads)
            {
                if (!(p is VendorIdPayload v)) continue;
                var known = v.Known;
                names.Add(known?.Description ?? "unknown " + HexFormat.ToHex(v.Data.Span));
                if (known == null) continue;
                if (Flags.TryGetValue(known.Value.Kind, out var flag)) s.Extensions |= flag;
                if (known.Value.Kind == VendorIdKind.MicrosoftImplementation && known.Value.Number is uint n)
                    s.Row.PeerWindowsVersion = (int)Math.Min(n, int.MaxValue);
            }
            s.Row.PeerVendorIds = names;
            s.Row.Extensions = s.Extensions;
            return null;
        }
    }
}
