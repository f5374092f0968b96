using System.CommandLine;
using IkeExtensions.Management;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// IKEv2 configuration attributes of MS-IKEE 3.11 (INTERNAL_IP4/6_SERVER) and 3.16 (P_CSCF_IP4/6_ADDRESS):
    /// `ikex responder --server-address IP --pcscf-address IP` (repeatable) answers them,
    /// `ikex initiate --ike-version 2 --request-server-addresses --request-pcscf-addresses` asks for them.
    /// </summary>
    internal static class ServerAddressOptions
    {
        internal sealed class Responder
        {
            public Option<string[]> Server { get; } = new Option<string[]>("--server-address")
            { Description = "IKEv2: an internal address of this server, sent in CFG_REPLY when asked (MS-IKEE 3.11); repeatable." };
            public Option<string[]> Pcscf { get; } = new Option<string[]>("--pcscf-address")
            { Description = "IKEv2: a P-CSCF address sent in CFG_REPLY when asked (MS-IKEE 3.16, RFC 7651); repeatable." };
            public Option[] All => new Option[] { Server, Pcscf };

            public void Apply(ParseResult r, IkeServiceOptions options)
            {
                var servers = r.GetValue(Server) ?? System.Array.Empty<string>();
                var pcscf = r.GetValue(Pcscf) ?? System.Array.Empty<string>();
                if ((servers.Length > 0 || pcscf.Length > 0) && !options.IkeV2)
                    throw new CliInputException("--server-address and --pcscf-address are IKEv2 attributes: use --ike-version 2 or both");
                foreach (var s in servers) options.InternalServerAddresses.Add(CliSupport.ParseAddress(s, "--server-address"));
                foreach (var s in pcscf) options.PcscfAddresses.Add(CliSupport.ParseAddress(s, "--pcscf-address"));
            }
        }

        internal sealed class Initiator
        {
            public Option<bool> Server { get; } = new Option<bool>("--request-server-addresses")
            { Description = "IKEv2: ask for the server's internal IPv4/IPv6 addresses in IKE_AUTH (MS-IKEE 3.11)." };
            public Option<bool> Pcscf { get; } = new Option<bool>("--request-pcscf-addresses")
            { Description = "IKEv2: ask for P-CSCF IPv4/IPv6 addresses in IKE_AUTH (MS-IKEE 3.16)." };
            public Option[] All => new Option[] { Server, Pcscf };

            public void Apply(ParseResult r, IkeServiceOptions options)
            {
                bool server = r.GetValue(Server), pcscf = r.GetValue(Pcscf);
                if ((server || pcscf) && !options.IkeV2)
                    throw new CliInputException("--request-server-addresses and --request-pcscf-addresses need --ike-version 2");
                options.RequestInternalServerAddresses = server;
                options.RequestPcscfAddresses = pcscf;
            }
        }
    }
}
