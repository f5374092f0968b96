using System.Collections.Generic;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Policy.Wfp
{
    /// <summary>Filter conditions: the seeds' NlatUnicast / IPPROTO_ICMP{V6} ones, plus the traffic selector's (same field = OR).</summary>
    internal static class WfpConditions
    {
        private const string Equal = "FWP_MATCH_EQUAL";
        private const string Range = "FWP_MATCH_RANGE";

        /// <summary>IP_LOCAL_ADDRESS_TYPE == NlatUnicast [, IP_PROTOCOL == ICMP] then the selector's addresses (and, for callout filters, protocol and ports).</summary>
        public static IReadOnlyList<WfpCondition> Unicast(PolicyTrafficSelector t, (byte Protocol, string Name)? icmp)
        {
            var list = new List<WfpCondition>
            {
                new WfpCondition(WfpGuids.ConditionIpLocalAddressType, Equal, WfpValue.UInt8(WfpConstants.NlatUnicast, "NlatUnicast")),
            };
            if (icmp is (byte protocol, string name))
            {
                list.Add(new WfpCondition(WfpGuids.ConditionIpProtocol, Equal, WfpValue.UInt8(protocol, name)));
                AddAddresses(list, t);
            }
            else AddTraffic(list, t);
            return list;
        }

        /// <summary>MM filters: addresses only (the IKEEXT layers have no protocol or ports).</summary>
        public static IReadOnlyList<WfpCondition> Addresses(PolicyTrafficSelector t)
        {
            var list = new List<WfpCondition>();
            AddAddresses(list, t);
            return list;
        }

        /// <summary>QM filters: addresses, protocol, ports.</summary>
        public static IReadOnlyList<WfpCondition> Traffic(PolicyTrafficSelector t)
        {
            var list = new List<WfpCondition>();
            AddTraffic(list, t);
            return list;
        }

        private static void AddTraffic(List<WfpCondition> list, PolicyTrafficSelector t)
        {
            AddAddresses(list, t);
            if (t.Protocol is byte p) list.Add(new WfpCondition(WfpGuids.ConditionIpProtocol, Equal, WfpValue.UInt8(p)));
            foreach (var r in t.LocalPorts) list.Add(Port(WfpGuids.ConditionIpLocalPort, r));
            foreach (var r in t.RemotePorts) list.Add(Port(WfpGuids.ConditionIpRemotePort, r));
        }

        private static void AddAddresses(List<WfpCondition> list, PolicyTrafficSelector t)
        {
            foreach (var a in t.LocalAddresses) list.Add(Address(WfpGuids.ConditionIpLocalAddress, a));
            foreach (var a in t.RemoteAddresses) list.Add(Address(WfpGuids.ConditionIpRemoteAddress, a));
        }

        private static WfpCondition Address(WfpId field, PolicyAddress a) => a.Kind switch
        {
            PolicyAddressKind.Subnet => new WfpCondition(field, Equal, WfpValue.Subnet(a.First!, a.PrefixLength)),
            PolicyAddressKind.Range => new WfpCondition(field, Range, WfpValue.Range(WfpValue.Ip(a.First!), WfpValue.Ip(a.Last!))),
            _ => new WfpCondition(field, Equal, WfpValue.Ip(a.First!)),
        };

        private static WfpCondition Port(WfpId field, PortRange r) => r.IsSingle
            ? new WfpCondition(field, Equal, WfpValue.UInt16(r.Low))
            : new WfpCondition(field, Range, WfpValue.Range(WfpValue.UInt16(r.Low), WfpValue.UInt16(r.High)));
    }
}
