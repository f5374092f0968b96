using System;
using System.Linq;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire.V1;
using Xunit;

namespace IkeExtensions.Tests.EngineV2
{
    /// <summary>
    /// The policy file's Quick Mode PFS group is the IKEv2 child's D-H group (RFC 7296 §1.3.1/§1.3.3: CREATE_CHILD_SA
    /// carries [KEi] when the ESP proposal has a D-H transform). Found against strongSwan (tests/interop/ikev2-child-rekey.sh
    /// v2-sw-rekeys-child-pfs): `ikex responder --policy` with "pfsGroup":14 refused charon's child rekey with MODP_2048
    /// because the mapping to IKEv2 dropped the group.
    /// </summary>
    public sealed class IkeV2PolicyFileChildPfsTests
    {
        private static IkeV1Policy PolicyFile(int pfsGroup) => new IkeV1Policy(
            new[] { new MainModeProposal(IkeEncryptionAlgorithm.AesCbc, 256, IkeHashAlgorithm.Sha2_256, 14) },
            new[]
            {
                new QuickModeProposal(EspTransformId.Aes, 256, IpsecAuthenticationAlgorithm.HmacSha2_256, pfsGroup, lifetimeSeconds: 900),
                new QuickModeProposal(EspTransformId.AesGcm16, 128, IpsecAuthenticationAlgorithm.HmacSha2_256, pfsGroup, lifetimeSeconds: 900),
            });

        [Theory]
        [InlineData(0)]
        [InlineData(14)]
        public void Rfc7296_1_3_3_PolicyFileQuickModePfsGroup_BecomesTheIkeV2ChildDhGroup(int group)
        {
            var v2 = IkeV2Policy.FromV1(PolicyFile(group));
            Assert.Equal(2, v2.Child.Count);
            Assert.All(v2.Child, c => Assert.Equal(group, c.PfsGroup));
            Assert.All(v2.Child, c => Assert.Equal(900, c.LifetimeSeconds));
            Assert.Equal(group == 0 ? "aes256-sha256" : "aes256-sha256-modp2048", v2.Child[0].ToString());
        }

        [Fact]
        public void Rfc7296_1_3_3_ChildRekeyWithKe_IsAcceptedByAResponderWhosePolicyFileHasThatPfsGroup()
        {
            var a = new IkeV2Policy(new[] { IkeV2Proposal.Parse("aes256-sha256-modp2048") }, new[] { ChildProposalV2.Parse("aes256-sha256-modp2048") });
            var h = new TwoPeerV2Harness(a, IkeV2Policy.FromV1(PolicyFile(14)));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(2));
            Assert.True(h.A.EstablishedChildren.Count == 1 && h.B.EstablishedChildren.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            var old = h.A.EstablishedChildren[0];
            Assert.Equal(0, old.PfsGroup); // IKE_AUTH negotiates no D-H group (§1.2)

            Assert.True(h.A.Engine.RekeyChildSa(old.Id));
            h.Run(TimeSpan.FromSeconds(2));

            Assert.True(h.A.EstablishedChildren.Count == 1 && h.B.EstablishedChildren.Count == 1, string.Join("\n", h.A.Log.Concat(h.B.Log)));
            var na = h.A.EstablishedChildren[0];
            var nb = h.B.EstablishedChildren[0];
            Assert.Equal(old.Id, na.ReplacesChildSaId);
            Assert.Equal(na.InboundSpi, nb.OutboundSpi);
            Assert.Equal(14, na.PfsGroup); // the rekey carried KEi/KEr of group 14
            Assert.Equal(14, nb.PfsGroup);
            Assert.Equal(h.A.Engine.KeyMaterialOf(na.Id)!.Value.Inbound, h.B.Engine.KeyMaterialOf(nb.Id)!.Value.Outbound);
            Assert.DoesNotContain(h.A.Events.Concat(h.B.Events), e => e.Kind == EngineEventKind.QuickModeFailed);
        }
    }
}
