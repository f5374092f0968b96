using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// The rules of the MS-IKEE 3.11 (INTERNAL_IP4/6_SERVER, 2.2.8) and 3.16 (P_CSCF_IP4/6_ADDRESS, RFC 7651)
    /// configuration attributes, apart from the engine: what a CFG_REQUEST asks, what a CFG_REPLY answers and which
    /// values of a reply are kept. Lengths: 0 (or a suggested value) in a request, 4 (IPv4) or 16 (IPv6) in a reply.
    /// </summary>
    internal static class ServerAddressAttributes
    {
        public static readonly ConfigurationAttributeType[] Server =
            { ConfigurationAttributeType.InternalIp4Server, ConfigurationAttributeType.InternalIp6Server };
        public static readonly ConfigurationAttributeType[] Pcscf =
            { ConfigurationAttributeType.PCscfIp4Address, ConfigurationAttributeType.PCscfIp6Address };

        /// <summary>The address family an attribute type carries, or null for types this extension does not handle.</summary>
        public static AddressFamily? FamilyOf(ConfigurationAttributeType t) => t switch
        {
            ConfigurationAttributeType.InternalIp4Server => AddressFamily.InterNetwork,
            ConfigurationAttributeType.PCscfIp4Address => AddressFamily.InterNetwork,
            ConfigurationAttributeType.InternalIp6Server => AddressFamily.InterNetworkV6,
            ConfigurationAttributeType.PCscfIp6Address => AddressFamily.InterNetworkV6,
            _ => null,
        };

        public static bool IsServer(ConfigurationAttributeType t) =>
            t == ConfigurationAttributeType.InternalIp4Server || t == ConfigurationAttributeType.InternalIp6Server;

        /// <summary>4 bytes for IPv4, 16 for IPv6 (MS-IKEE 2.2.8 table; RFC 7651 §3: no prefix length).</summary>
        public static int LengthOf(AddressFamily f) => f == AddressFamily.InterNetwork ? 4 : 16;

        /// <summary>CFG_REQUEST attributes, all with length 0 (we suggest no value).</summary>
        public static ConfigurationAttribute[] BuildRequest(bool servers, bool pcscf) =>
            (servers ? Server : Array.Empty<ConfigurationAttributeType>()).Concat(pcscf ? Pcscf : Array.Empty<ConfigurationAttributeType>())
            .Select(t => new ConfigurationAttribute(t, ReadOnlyMemory<byte>.Empty)).ToArray();

        /// <summary>
        /// Which of our attribute types a CFG_REQUEST asks for. Other types are not ours (left alone); ours with a length
        /// other than 0 or the family's are ignored and reported in <paramref name="ignored"/>.
        /// </summary>
        public static HashSet<ConfigurationAttributeType> ReadRequest(IEnumerable<ConfigurationAttribute> attributes, List<string> ignored)
        {
            var asked = new HashSet<ConfigurationAttributeType>();
            foreach (var a in attributes)
            {
                var family = FamilyOf(a.Type);
                if (family == null) continue;
                if (a.Value.Length != 0 && a.Value.Length != LengthOf(family.Value))
                {
                    ignored.Add($"{a.Type} with {a.Value.Length} bytes (0 or {LengthOf(family.Value)} expected)");
                    continue;
                }
                asked.Add(a.Type);
            }
            return asked;
        }

        /// <summary>CFG_REPLY attributes (MS-IKEE 3.11.5.1): every configured address of each asked type's family.</summary>
        public static List<ConfigurationAttribute> BuildReply(IEnumerable<ConfigurationAttributeType> asked, IEnumerable<IPAddress> servers, IEnumerable<IPAddress> pcscf)
        {
            var reply = new List<ConfigurationAttribute>();
            foreach (var t in asked.Distinct().OrderBy(x => (ushort)x))
                foreach (var address in (IsServer(t) ? servers : pcscf).Where(x => x.AddressFamily == FamilyOf(t)))
                    reply.Add(ConfigurationAttribute.ForAddress(t, address));
            return reply;
        }

        /// <summary>
        /// The addresses a CFG_REPLY carries (MS-IKEE 3.11.5.2), for the types we asked for only. Values of the wrong
        /// length are dropped and reported in <paramref name="dropped"/>; unasked or unknown types are skipped.
        /// </summary>
        public static (IPAddress[] Servers, IPAddress[] Pcscf) ReadReply(IEnumerable<ConfigurationAttribute> attributes,
            ICollection<ConfigurationAttributeType> requested, List<string> dropped)
        {
            var servers = new List<IPAddress>();
            var pcscf = new List<IPAddress>();
            foreach (var a in attributes)
            {
                var family = FamilyOf(a.Type);
                if (family == null || !requested.Contains(a.Type)) continue;
                if (a.Value.Length != LengthOf(family.Value))
                {
                    dropped.Add($"{a.Type} with {a.Value.Length} bytes ({LengthOf(family.Value)} expected)");
                    continue;
                }
                var address = new IPAddress(a.Value.ToArray());
                var list = IsServer(a.Type) ? servers : pcscf;
                if (!list.Contains(address)) list.Add(address);
            }
            return (servers.ToArray(), pcscf.ToArray());
        }
    }
}
