using System;
using System.Linq;
using System.Net;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Policy;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>
    /// An IKE SA made by rekeying (RFC 7296 §1.3.2) keeps what the extensions negotiated for the peering: NAT traversal and
    /// its keep-alives (§2.23, RFC 3948 §2.3) and fragmentation (RFC 7383 §2.3) — the rekey exchange renegotiates neither.
    /// </summary>
    public sealed class IkeV2RekeyInheritanceTests
    {
        [Fact]
        public void Rfc7296_1_3_2_RekeyedIkeSa_BehindNat_KeepsFragmentationAndUdpEncapsulation_AndKeepsSendingKeepalives()
        {
            var h = new TwoPeerV2Harness(configureA: o => o.FragmentSize = 400, configureB: o => o.FragmentSize = 400);
            h.Nats.Add(new SimulatedNat(TwoPeerV2Harness.AddressA.Address, IPAddress.Parse("203.0.113.1"), true));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            var before = h.A.EstablishedIkeSas.Single();
            Assert.True(before.FragmentationSupported);
            Assert.Equal(4500, before.LocalUdpEncapsulationPort);

            Assert.True(h.A.Engine.RekeyIkeSa(before.Id));
            h.Run(TimeSpan.FromSeconds(3));
            var after = h.A.EstablishedIkeSas.Single();
            Assert.Equal(before.Id, after.ReplacesIkeSaId);
            Assert.True(after.FragmentationSupported);
            Assert.True(h.B.EstablishedIkeSas.Single().FragmentationSupported);
            Assert.Equal(4500, after.LocalUdpEncapsulationPort);
            Assert.Equal(4500, after.RemoteUdpEncapsulationPort);
            Assert.True(after.NatDetectedLocal);
            Assert.Equal(before.Id, IkeExtensions.Management.MainModeSaInfo.From(after).ReplacesIkeSaId); // what listings show

            // The old SA is gone; keep-alives (one 0xFF octet, RFC 3948 §2.3) must still leave the side behind the NAT.
            int sentBefore = h.Sent.Count;
            h.Run(TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(1));
            Assert.Contains(h.Sent.Skip(sentBefore), d => d.From.Address.Equals(TwoPeerV2Harness.AddressA.Address) && d.Data.Length == 1 && d.Data[0] == 0xFF);

            // And a big CREATE_CHILD_SA on the new SA still goes as fragments.
            h.A.Engine.Initiate(new InitiateRequest(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB, EncapsulationModeChoice.Transport));
            h.Run(TimeSpan.FromSeconds(3));
            Assert.Equal(2, h.A.EstablishedChildren.Count);
        }
    }
}
