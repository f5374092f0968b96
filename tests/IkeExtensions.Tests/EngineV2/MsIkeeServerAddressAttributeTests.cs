using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Management;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>
    /// MS-IKEE 3.11 (INTERNAL_IP4/6_SERVER, 2.2.8) and 3.16 (P_CSCF_IP4/6_ADDRESS, RFC 7651) configuration attributes
    /// in IKE_AUTH between two engines, and the attribute rules on their own.
    /// </summary>
    public sealed class MsIkeeServerAddressAttributeTests
    {
        private static readonly IPAddress Server4 = IPAddress.Parse("198.51.100.10");
        private static readonly IPAddress Server6 = IPAddress.Parse("2001:db8:10::1");
        private static readonly IPAddress Pcscf4 = IPAddress.Parse("203.0.113.53");
        private static readonly IPAddress Pcscf4b = IPAddress.Parse("203.0.113.54");
        private static readonly IPAddress Pcscf6 = IPAddress.Parse("2001:db8:53::1");

        private static void ConfigureServer(IkeV2EngineOptions o)
        {
            o.InternalServerAddresses.Add(Server4);
            o.InternalServerAddresses.Add(Server6);
            o.PcscfAddresses.Add(Pcscf4);
            o.PcscfAddresses.Add(Pcscf6);
            o.PcscfAddresses.Add(Pcscf4b);
        }

        private static TwoPeerV2Harness Run(Action<IkeV2EngineOptions>? a, Action<IkeV2EngineOptions>? b)
        {
            var h = new TwoPeerV2Harness(configureA: a, configureB: b);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(h.A.EstablishedIkeSas.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            Assert.Single(h.B.EstablishedIkeSas);
            Assert.Single(h.A.EstablishedChildren);
            return h;
        }

        [Fact]
        public void MsIkee_3_11_And_3_16_CfgRequestAndReply_BothAttributes_BothFamilies_StoredOnTheInitiatorRow()
        {
            var h = Run(a => { a.RequestInternalServerAddresses = true; a.RequestPcscfAddresses = true; }, ConfigureServer);
            var row = h.A.EstablishedIkeSas.Single();
            Assert.Equal(new[] { Server4, Server6 }, row.InternalServerAddresses);
            Assert.Equal(new[] { Pcscf4, Pcscf4b, Pcscf6 }, row.PcscfAddresses);
            // In the MainModeEstablished event already, and in the listing row / JSON export.
            var established = (IkeV2Sa)h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeEstablished).Sa!;
            Assert.Equal(row.InternalServerAddresses, established.InternalServerAddresses);
            var info = MainModeSaInfo.From(row);
            Assert.Equal(new[] { "198.51.100.10", "2001:db8:10::1" }, info.InternalServerAddresses);
            Assert.Equal(new[] { "203.0.113.53", "203.0.113.54", "2001:db8:53::1" }, info.PcscfAddresses);
            var json = JsonSerializer.Serialize(info, ManagementJson.Compact);
            Assert.Contains("2001:db8:10::1", json);
            Assert.Contains("203.0.113.54", json);
            // The responder (IRAS) stores nothing of its own reply.
            Assert.Empty(h.B.EstablishedIkeSas.Single().InternalServerAddresses);
        }

        [Fact]
        public void MsIkee_3_11_IkeAuthResponse_CfgReplyAfterAuthBeforeSAr2_With4And16ByteValues()
        {
            var h = Run(a => { a.RequestInternalServerAddresses = true; a.RequestPcscfAddresses = true; }, ConfigureServer);
            var inner = h.A.Engine.OpenForTests(h.Wire.Last(w => MsIkeeCorrelationTests.IsIkeAuth(w.Data, response: true)).Data);
            Assert.NotNull(inner);
            // 3.11: HDR, SK {IDr, AUTH, CP(CFG_REPLY), SAr2, TSi, TSr}.
            var types = inner!.Select(p => p.Type).ToList();
            Assert.Equal(types.IndexOf(PayloadType.Authentication) + 1, types.IndexOf(PayloadType.Configuration));
            Assert.True(types.IndexOf(PayloadType.Configuration) < types.IndexOf(PayloadType.SecurityAssociationV2));
            var cp = inner.OfType<ConfigurationPayload>().Single();
            Assert.Equal(ConfigurationType.Reply, cp.ConfigurationType);
            Assert.Equal(new[]
            {
                ((ushort)20, 4), ((ushort)20, 4), ((ushort)21, 16), ((ushort)0x5BA0, 4), ((ushort)0x5BA1, 16),
            }, cp.Attributes.Select(a => ((ushort)a.Type, a.Value.Length)));
        }

        [Fact]
        public void MsIkee_3_11_OnlyServerAddressesRequested_NoPcscfInTheReply()
        {
            var h = Run(a => a.RequestInternalServerAddresses = true, ConfigureServer);
            var row = h.A.EstablishedIkeSas.Single();
            Assert.Equal(new[] { Server4, Server6 }, row.InternalServerAddresses);
            Assert.Empty(row.PcscfAddresses);
        }

        [Fact]
        public void MsIkee_3_16_OnlyPcscfRequested_IPv4OnlyConfigured_ReplyHasTheIPv4Ones()
        {
            var h = Run(a => a.RequestPcscfAddresses = true, b => { b.PcscfAddresses.Add(Pcscf4); b.InternalServerAddresses.Add(Server4); });
            var row = h.A.EstablishedIkeSas.Single();
            Assert.Equal(new[] { Pcscf4 }, row.PcscfAddresses);
            Assert.Empty(row.InternalServerAddresses);
        }

        [Fact]
        public void MsIkee_3_11_5_1_ResponderWithoutConfiguration_AnswersNoAttributes_SaEstablishedAnyway()
        {
            var h = Run(a => { a.RequestInternalServerAddresses = true; a.RequestPcscfAddresses = true; }, null);
            var row = h.A.EstablishedIkeSas.Single();
            Assert.Empty(row.InternalServerAddresses);
            Assert.Empty(row.PcscfAddresses);
            Assert.Contains(h.B.Log, l => l.Contains("nothing configured, no CFG_REPLY"));
            Assert.DoesNotContain(h.A.Log, l => l.Contains("CFG_REPLY"));
        }

        [Fact]
        public void MsIkee_3_11_InitiatorNotAsking_ResponderSendsNothing()
        {
            var h = Run(null, ConfigureServer);
            Assert.Empty(h.A.EstablishedIkeSas.Single().InternalServerAddresses);
            Assert.DoesNotContain(h.A.Log.Concat(h.B.Log), l => l.Contains("CFG_"));
        }

        [Fact]
        public void MsIkee_3_11_CfgRequest_AsksBothFamiliesOfEachExtension_WithLengthZero()
        {
            var request = ServerAddressAttributes.BuildRequest(servers: true, pcscf: true);
            Assert.Equal(new[] { (ushort)0x5BA0, (ushort)0x5BA1, (ushort)20, (ushort)21 }, request.Select(a => (ushort)a.Type));
            Assert.All(request, a => Assert.Equal(0, a.Value.Length));
            Assert.Empty(ServerAddressAttributes.BuildRequest(false, false));
        }

        [Fact]
        public void MsIkee_2_2_8_CfgRequest_AttributesOfTheWrongLengthAreIgnored_OthersAnswered()
        {
            var ignored = new List<string>();
            var asked = ServerAddressAttributes.ReadRequest(new[]
            {
                new ConfigurationAttribute(ConfigurationAttributeType.InternalIp4Server, new byte[2]),        // neither 0 nor 4
                new ConfigurationAttribute(ConfigurationAttributeType.InternalIp6Server, ReadOnlyMemory<byte>.Empty),
                new ConfigurationAttribute(ConfigurationAttributeType.PCscfIp4Address, Pcscf4.GetAddressBytes()), // a suggested value
                new ConfigurationAttribute(ConfigurationAttributeType.PCscfIp6Address, new byte[17]),         // neither 0 nor 16
                new ConfigurationAttribute(ConfigurationAttributeType.InternalIp4Address, ReadOnlyMemory<byte>.Empty), // not ours
                new ConfigurationAttribute((ConfigurationAttributeType)0x5BA7, new byte[5]),                  // unknown private type
            }, ignored);
            Assert.Equal(new[] { ConfigurationAttributeType.PCscfIp4Address, ConfigurationAttributeType.InternalIp6Server }, asked.OrderBy(t => (ushort)t));
            Assert.Equal(2, ignored.Count);
            var reply = ServerAddressAttributes.BuildReply(asked, new[] { Server4, Server6 }, new[] { Pcscf4, Pcscf6 });
            Assert.Equal(new[] { (ConfigurationAttributeType.PCscfIp4Address, 4), (ConfigurationAttributeType.InternalIp6Server, 16) },
                reply.Select(a => (a.Type, a.Value.Length)));
        }

        [Fact]
        public void MsIkee_2_2_8_CfgReply_MalformedLengthsDropped_UnaskedAndUnknownSkipped_TheRestKept()
        {
            var dropped = new List<string>();
            var requested = new HashSet<ConfigurationAttributeType>(ServerAddressAttributes.Server);
            var (servers, pcscf) = ServerAddressAttributes.ReadReply(new[]
            {
                new ConfigurationAttribute(ConfigurationAttributeType.InternalIp4Server, new byte[3]),
                new ConfigurationAttribute(ConfigurationAttributeType.InternalIp4Server, ReadOnlyMemory<byte>.Empty),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp4Server, Server4),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp4Server, Server4),      // duplicate, kept once
                new ConfigurationAttribute(ConfigurationAttributeType.InternalIp6Server, new byte[17]),      // prefix length: not in 2.2.8
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp6Server, Server4),      // IPv4 value in the IPv6 type
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.InternalIp6Server, Server6),
                ConfigurationAttribute.ForAddress(ConfigurationAttributeType.PCscfIp4Address, Pcscf4),         // not asked for
                new ConfigurationAttribute((ConfigurationAttributeType)0x5BA7, new byte[4]),                   // unknown
            }, requested, dropped);
            Assert.Equal(new[] { Server4, Server6 }, servers);
            Assert.Empty(pcscf);
            Assert.Equal(4, dropped.Count);
        }
    }
}
