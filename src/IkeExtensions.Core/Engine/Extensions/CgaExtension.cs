using System.Collections.Generic;
using System.Linq;
using System.Net;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.Extensions
{
    /// <summary>
    /// CGA authentication (MS-IKEE 3.4), the Main Mode side that is not authentication proper (that is in
    /// <see cref="Phase1Authentication"/>): a host with a CGA sends the "IKE CGA version 1" vendor ID in messages 1 and 2
    /// (3.4.4.1, 3.4.5.1), sets CGA_CAPABLE when the peer's message 1 or 2 carries it (3.4.1, 3.4.5.1), and holds a
    /// negotiation that chose authentication method 0xFDED to the conditions under which it means AUTH_CGA.
    /// </summary>
    internal sealed class CgaExtension : IMainModeExtension
    {
        private readonly EngineContext _ctx;
        public CgaExtension(EngineContext ctx) => _ctx = ctx;

        public void Build(Phase1Session s, int message, List<IkePayload> payloads)
        {
            // 3.4.4.1: message 1 of a CGA authentication-supporting host; 3.4.5.1: message 2 (required when AUTH_CGA was
            // selected; sent whenever we hold a CGA, since the vendor ID advertises the capability, MS-IKEE 1.3.3).
            if ((message == 1 || message == 2) && _ctx.Options.LocalCga != null)
                payloads.Add(VendorIdPayload.For(VendorIdKind.IkeCgaVersion1));
        }

        public string? Process(Phase1Session s, int message, IReadOnlyList<IkePayload> payloads, IPEndPoint local, IPEndPoint remote)
        {
            if (message == 1 || message == 2)
            {
                // 3.4.5.1: "the host MUST set the CGA_CAPABLE flag for the corresponding MMSAD entry" (VendorIdExtension reads
                // it too; setting it here keeps this unit independent of the order of extensions).
                if (payloads.OfType<VendorIdPayload>().Any(v => v.Known?.Kind == VendorIdKind.IkeCgaVersion1))
                {
                    s.Extensions |= SaExtensions.CgaCapable;
                    s.Row.Extensions = s.Extensions;
                }
                if (!Phase1Authentication.UsesCga(s)) return null;
                // 3.4.1: CGA_CAPABLE "indicates if the authentication type 0xFDED MUST be interpreted as the AUTH_CGA
                // authentication method"; without the vendor ID the value is some other private method.
                if ((s.Extensions & SaExtensions.CgaCapable) == 0)
                    return $"authentication method 0xFDED {(message == 1 ? "proposed" : "selected")} without the \"IKE CGA version 1\" vendor ID: not AUTH_CGA (MS-IKEE 3.4.1 CGA_CAPABLE)";
                var cga = _ctx.Options.LocalCga;
                if (cga == null) return "AUTH_CGA chosen but this host has no CGA (MS-IKEE 1.5.2)";
                if (!Phase1Authentication.IsIpv6(remote.Address))
                    return $"AUTH_CGA chosen with {remote.Address}, but CGA authentication applies only to IPv6 (MS-IKEE 1.6)";
                if (!Phase1Authentication.IsLocalCga(cga, local.Address))
                    return $"AUTH_CGA chosen on {local.Address}, but the host MUST use its CGA {cga.Address} for this negotiation (MS-IKEE {(message == 1 ? "3.4.5.1" : "3.4.4.1")})";
                _ctx.Log(LogLevel.Debug, $"MM#{s.Row.Id}: AUTH_CGA negotiated from our CGA {cga.Address} (MS-IKEE 3.4)");
                return null;
            }
            if ((message == 5 || message == 6) && Phase1Authentication.UsesCga(s))
            {
                // The peer's ID_IPV6_CGA names no address; its verified CGA is the address it negotiated from (3.4.5.5).
                s.Row.RemoteFirstId = $"{remote.Address} (CGA)";
            }
            return null;
        }
    }
}
