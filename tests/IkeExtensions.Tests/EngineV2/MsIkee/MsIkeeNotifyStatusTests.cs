using System;
using System.Linq;
using System.Net;
using IkeExtensions.Engine;
using IkeExtensions.Engine.V2;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using Xunit;
using static IkeExtensions.Tests.EngineV2.MsIkee.MsIkeeV2TestSupport;

namespace IkeExtensions.Tests.EngineV2.MsIkee
{
    /// <summary>MS-IKEE 2.2.7: the private error notify 0x3039 NOTIFY_STATUS carrying an MS-ERREF code.</summary>
    public sealed class MsIkeeNotifyStatusTests
    {
        [Fact]
        public void MsIkee_2_2_7_NotifyStatus_CodecAndNames()
        {
            var n = MsNotifyStatus.Create(13825);
            Assert.Equal((NotifyTypeV2)12345, n.MessageType);
            Assert.Equal(new byte[] { 0, 0, 0x36, 0x01 }, n.Data.ToArray());
            Assert.True(MsNotifyStatus.TryRead(n, out uint code));
            Assert.Equal(13825u, code);
            Assert.Equal("ERROR_IPSEC_IKE_NO_POLICY (13825)", MsNotifyStatus.Describe(code));
            Assert.Equal("ERROR_IPSEC_IKE_AUTH_FAIL (13801)", MsNotifyStatus.Describe(13801));
            Assert.Equal("Windows error 0x0000abcd (43981)", MsNotifyStatus.Describe(0xabcd));
            Assert.False(MsNotifyStatus.TryRead(new NotifyPayload(NotifyTypeV2.MsNotifyStatus, new byte[3]), out _));
            Assert.False(MsNotifyStatus.TryRead(new NotifyPayload(NotifyTypeV2.NoProposalChosen, new byte[4]), out _));
        }

        [Fact]
        public void MsIkee_2_2_7_NoProposalChosen_CarriesNoPolicyStatus_InitiatorRecordsItsName()
        {
            var h = new TwoPeerV2Harness(MakePolicy("aes128-sha256-ecp256"), MakePolicy("aes256-sha384-ecp384"), configureB: o => o.SendMsNotifyStatus = true);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            var response = Sent(h, TwoPeerV2Harness.AddressB, ExchangeType.IkeSaInit).First(); // again for each retransmission (RFC 7296 §2.21.1 grace)
            var notifies = response.FindAll<NotifyPayload>().ToList();
            // The RFC 7296 error first, the private reason after it.
            Assert.Equal(NotifyTypeV2.NoProposalChosen, notifies[0].MessageType);
            Assert.Equal(NotifyTypeV2.MsNotifyStatus, notifies[1].MessageType);
            Assert.Equal(new byte[] { 0, 0, 0x36, 0x01 }, notifies[1].Data.ToArray());
            var failed = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            var row = (IkeV2Sa)failed.Sa!;
            Assert.Equal(MsNotifyStatus.ErrorIpsecIkeNoPolicy, row.PeerNotifyStatus);
            Assert.Equal("ERROR_IPSEC_IKE_NO_POLICY (13825)", row.PeerNotifyStatusName);
            Assert.Contains(h.A.Log, l => l.Contains("peer's failure reason (MS-IKEE NOTIFY_STATUS): ERROR_IPSEC_IKE_NO_POLICY (13825)"));
        }

        [Fact]
        public void MsIkee_2_2_7_AuthenticationFailed_CarriesAuthFailStatus_InsideSk()
        {
            var h = new TwoPeerV2Harness(pskA: "one key", pskB: "another key", configureB: o => o.SendMsNotifyStatus = true);
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            var failed = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("AUTHENTICATION_FAILED", failed.Reason);
            Assert.Equal(MsNotifyStatus.ErrorIpsecIkeAuthFail, ((IkeV2Sa)failed.Sa!).PeerNotifyStatus);
        }

        [Fact]
        public void MsIkee_2_2_7_NotSentUnlessEnabled()
        {
            var h = new TwoPeerV2Harness(MakePolicy("aes128-sha256-ecp256"), MakePolicy("aes256-sha384-ecp384"));
            h.Initiate();
            h.Run(TimeSpan.FromSeconds(3));
            var response = Sent(h, TwoPeerV2Harness.AddressB, ExchangeType.IkeSaInit).First(); // again for each retransmission (RFC 7296 §2.21.1 grace)
            Assert.Equal(new[] { NotifyTypeV2.NoProposalChosen }, response.FindAll<NotifyPayload>().Select(n => n.MessageType));
            Assert.Null(((IkeV2Sa)h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed).Sa!).PeerNotifyStatus);
        }

        [Fact]
        public void MsIkee_2_2_7_MalformedNotifyStatus_IsIgnored_TheStandardErrorStillFails()
        {
            var h = new TwoPeerV2Harness();
            var row = h.Initiate();
            // A forged IKE_SA_INIT response: NO_PROPOSAL_CHOSEN plus a 0x3039 whose data is 3 bytes, not 4.
            var header = new IsakmpHeader(row.InitiatorSpi, 0, PayloadType.None, 2, 0, ExchangeType.IkeSaInit, HeaderFlags.Response, 0, 0);
            var forged = new IkeMessage(header, new IkePayload[]
            {
                new NotifyPayload(NotifyTypeV2.NoProposalChosen),
                new NotifyPayload(NotifyTypeV2.MsNotifyStatus, new byte[] { 0, 0x36, 0x01 }),
            }).Encode();
            h.A.Engine.Receive(TwoPeerV2Harness.AddressA, TwoPeerV2Harness.AddressB, forged);
            // Unprotected, so it only ends the negotiation when no valid response follows (RFC 7296 §2.21.1): none does here.
            h.Drop = (from, to, data) => true;
            h.Run(TimeSpan.FromSeconds(3));
            var failed = h.A.Events.Single(e => e.Kind == EngineEventKind.MainModeFailed);
            Assert.Contains("NoProposalChosen", failed.Reason);
            Assert.Null(((IkeV2Sa)failed.Sa!).PeerNotifyStatus);
            Assert.Contains(h.A.Log, l => l.Contains("NOTIFY_STATUS (0x3039) with 3 bytes of data, not 4: ignored"));
        }
    }
}
