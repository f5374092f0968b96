using System;
using System.Linq;
using System.Net;
using System.Security;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Model;
using IkeExtensions.Tables;
using IkeExtensions.Tests.Platform;
using Xunit;

namespace IkeExtensions.Tests.Module.Facade
{
    /// <summary>
    /// The calls the engine cmdlets make (Start/Get/Stop-IkeResponder, Start-IkeNegotiation, Get/Remove-Ike*SA,
    /// Get-IkeStatistics), through <see cref="ResponderRegistry"/> and <see cref="IkeResponder"/>, over real UDP on loopback.
    /// </summary>
    public sealed class EngineCmdletFacadeTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (char c in text) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        private static ResponderStartRequest Request(string name, string psk = "facade-test-psk") => new ResponderStartRequest
        {
            Name = name, LocalAddress = IPAddress.Loopback, Port = 0, NatTraversalPort = 0, PresharedKey = SecureStringSecrets.ToPreSharedKey(Secure(psk)),
        };

        [Fact]
        public async Task StartIkeNegotiation_IkeVersionIKEv2_ListsTheIkeSaAndChild_CountsThem_AndRemovesThem_Rfc7296()
        {
            using var registry = new ResponderRegistry();
            IkeResponder a = registry.Start(Request("v2-a"));
            var b = registry.Start(new ResponderStartRequest
            {
                Name = "v2-b", LocalAddress = IPAddress.Loopback, Port = 0, NatTraversalPort = 0, IkeVersion = IkeVersionSelection.IKEv2,
                PresharedKey = SecureStringSecrets.ToPreSharedKey(Secure("facade-test-psk")),
            });
            Assert.Equal(IkeVersionSelection.Both, a.IkeVersion);
            Assert.Equal(IkeVersionSelection.IKEv2, b.IkeVersion);

            // IKEv1 towards the IKEv2-only responder is not answered; IKEv2 is.
            IkeNegotiationOutcome v1 = await a.NegotiateAsync(IPEndPoint.Parse(b.LocalEndpoint), EncapsulationModeChoice.Transport, false, TimeSpan.FromSeconds(3));
            Assert.False(v1.Succeeded);
            IkeNegotiationOutcome outcome = await a.NegotiateV2Async(IPEndPoint.Parse(b.LocalEndpoint), EncapsulationModeChoice.Transport, false, Patience);
            Assert.True(outcome.Succeeded, outcome.FailureReason);
            Assert.Equal("IKEv2", outcome.MainModeSa!.KeyModule);

            var ike = Assert.Single(a.GetMainModeSas(), r => r.KeyModule == "IKEv2");
            Assert.Equal(outcome.MainModeSaId, ike.Id);
            Assert.Contains(a.GetQuickModeSas(), r => r.Id == outcome.QuickModeSaId);
            Assert.Equal(a.GetMainModeSas().Count, a.MainModeSaCount); // both versions (the refused IKEv1 attempt is listed too)
            UdpIkeHostTests.SpinUntil(() => b.MainModeSaCount == 1 && b.QuickModeSaCount == 1);
            IkeStatisticsInfo stats = a.GetStatistics();
            Assert.Equal(1, stats.IkeV2SaEstablished);
            Assert.Equal(1, stats.ChildSaEstablished);
            Assert.Equal(0, stats.MainModeEstablished);
            Assert.True(stats.DatagramsSent >= 2, "IKEv2 datagrams count in the totals");

            // Remove-IkeQuickModeSA / Remove-IkeMainModeSA route IKEv2 ids to the IKEv2 engine; the peer follows.
            await a.RemoveQuickModeSaAsync(outcome.QuickModeSaId!.Value);
            UdpIkeHostTests.SpinUntil(() => b.QuickModeSaCount == 0);
            await a.RemoveMainModeSaAsync(outcome.MainModeSaId!.Value);
            UdpIkeHostTests.SpinUntil(() => b.MainModeSaCount == 0);

            // An IKEv1-only responder says so instead of trying.
            IkeResponder v1Only = registry.Start(new ResponderStartRequest
            {
                Name = "v1-only", LocalAddress = IPAddress.Loopback, Port = 0, NatTraversalPort = 0, IkeVersion = IkeVersionSelection.IKEv1,
                PresharedKey = SecureStringSecrets.ToPreSharedKey(Secure("facade-test-psk")),
            });
            var refused = await Assert.ThrowsAsync<IkeManagementException>(() => v1Only.NegotiateV2Async(IPEndPoint.Parse(b.LocalEndpoint), EncapsulationModeChoice.Transport, false, Patience));
            Assert.Equal(IkeManagementError.NotSupported, refused.Error);
            Assert.Contains("IKEv1 only", refused.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task StartNegotiateListRemoveStop_TheCmdletPath()
        {
            using var registry = new ResponderRegistry();
            IkeResponder a = registry.Start(Request("site-a"));
            IkeResponder b = registry.Start(Request("site-b"));
            Assert.Equal(new[] { 1, 2 }, registry.GetAll().Select(r => r.Id));
            Assert.Equal(IkeResponderState.Running, a.State);
            Assert.NotNull(a.NatTraversalEndpoint);

            // Start-IkeNegotiation
            IkeNegotiationOutcome outcome = await a.NegotiateAsync(IPEndPoint.Parse(b.LocalEndpoint), EncapsulationModeChoice.Transport, false, Patience);
            Assert.True(outcome.Succeeded, outcome.FailureReason);
            Assert.Equal(a.Id, outcome.ResponderId);
            Assert.Equal(outcome.MainModeSaId, outcome.MainModeSa!.Id);

            // Get-IkeMainModeSA / Get-IkeQuickModeSA (the peer side may lag one message behind)
            var mm = IkeSaQuery.MainModeSas(registry.Running(), new SaFilter { RemoteAddress = new[] { "127.0.0.1" } });
            Assert.Contains(mm, row => row.ResponderId == a.Id && row.Sa.Id == outcome.MainModeSaId);
            var qm = IkeSaQuery.QuickModeSas(new[] { a }, new SaFilter { MainModeSaIds = new[] { outcome.MainModeSaId!.Value } });
            Assert.Equal(outcome.QuickModeSaId, Assert.Single(qm).Sa.Id);
            Assert.Empty(IkeSaQuery.MainModeSas(new[] { a }, new SaFilter { Ids = new[] { 999L } }));

            // Get-IkeStatistics
            IkeStatisticsInfo stats = a.GetStatistics();
            Assert.Equal(1, stats.MainModeEstablished);
            Assert.Equal(1, stats.ActiveQuickModeSas);

            // Remove-IkeQuickModeSA, then Remove-IkeMainModeSA; an id the responder never had is SaNotFound
            await a.RemoveQuickModeSaAsync(outcome.QuickModeSaId!.Value);
            await a.RemoveMainModeSaAsync(outcome.MainModeSaId.Value);
            var unknown = await Assert.ThrowsAsync<IkeManagementException>(() => a.RemoveMainModeSaAsync(999));
            Assert.Equal(IkeManagementError.SaNotFound, unknown.Error);
            Assert.Equal(999L, unknown.Target);
            Assert.Equal(IkeManagementError.SaNotFound, (await Assert.ThrowsAsync<IkeManagementException>(() => a.RemoveQuickModeSaAsync(999))).Error);

            // Stop-IkeResponder
            registry.Stop(a);
            Assert.Equal(IkeResponderState.Stopped, a.State);
            Assert.Equal(new[] { b }, registry.GetAll());
            var stopped = Assert.Throws<IkeManagementException>(() => a.GetMainModeSas());
            Assert.Equal(IkeManagementError.ResponderStopped, stopped.Error);
            Assert.Contains(b.GetLog(), line => line.Contains("established", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(b.GetLog(), line => line.Contains("facade-test-psk", StringComparison.Ordinal));
        }

        [Fact]
        public async Task RemoveMainModeSa_AlreadyDeleting_IsSaNotFound_NotAFreshDelete_MsIkee38ReliableDelete()
        {
            using var registry = new ResponderRegistry();
            IkeResponder a = registry.Start(Request("site-a"));
            IkeResponder b = registry.Start(Request("site-b"));
            IkeNegotiationOutcome outcome = await a.NegotiateAsync(IPEndPoint.Parse(b.LocalEndpoint), EncapsulationModeChoice.Transport, false, Patience);
            Assert.True(outcome.Succeeded, outcome.FailureReason);
            long mmId = outcome.MainModeSaId!.Value;

            // The first delete is a delete; toward a Windows-style peer (MS-IKEE 3.8.4.1) the SA stays, Deleting, while its
            // Quick Mode SA lives.
            await a.RemoveMainModeSaAsync(mmId);
            var row = Assert.Single(IkeSaQuery.MainModeSas(new[] { a }, new SaFilter { Ids = new[] { mmId } }));
            Assert.Equal("Deleting", row.Sa.State);

            // Deleting it again is not success: the not-found error, naming the SA and saying it is already being deleted.
            var again = await Assert.ThrowsAsync<IkeManagementException>(() => a.RemoveMainModeSaAsync(mmId));
            Assert.Equal(IkeManagementError.SaNotFound, again.Error);
            Assert.Equal(mmId, again.Target);
            Assert.Contains($"Main Mode SA {mmId}", again.Message, StringComparison.Ordinal);
            Assert.Contains("already being deleted", again.Message, StringComparison.Ordinal);

            // Quick Mode SAs have no Deleting state: once deleted they are gone, and a second delete is plain not-found.
            await a.RemoveQuickModeSaAsync(outcome.QuickModeSaId!.Value);
            var qmAgain = await Assert.ThrowsAsync<IkeManagementException>(() => a.RemoveQuickModeSaAsync(outcome.QuickModeSaId.Value));
            Assert.Equal(IkeManagementError.SaNotFound, qmAgain.Error);
            Assert.Equal(outcome.QuickModeSaId.Value, qmAgain.Target);
        }

        [Fact]
        public async Task FailedNegotiation_IsAnOutcome_NotAnException()
        {
            using var registry = new ResponderRegistry();
            IkeResponder a = registry.Start(Request("a", "one key"));
            IkeResponder b = registry.Start(Request("b", "another key"));
            IkeNegotiationOutcome outcome = await a.NegotiateAsync(IPEndPoint.Parse(b.LocalEndpoint), EncapsulationModeChoice.Transport, false, TimeSpan.FromSeconds(10));
            Assert.False(outcome.Succeeded);
            Assert.False(string.IsNullOrEmpty(outcome.FailureReason));
            Assert.Null(outcome.QuickModeSa);
        }

        [Fact]
        public void Resolve_PicksTheOnlyRunningResponder_AndNamesTheProblemOtherwise()
        {
            using var registry = new ResponderRegistry();
            Assert.Equal(IkeManagementError.ResponderAmbiguous, Assert.Throws<IkeManagementException>(() => registry.Resolve(null)).Error);
            IkeResponder only = registry.Start(Request("only"));
            Assert.Same(only, registry.Resolve(null));
            Assert.Same(only, registry.Resolve(only.Id));
            Assert.Equal(IkeManagementError.ResponderNotFound, Assert.Throws<IkeManagementException>(() => registry.Resolve(42)).Error);
            registry.Start(Request("second"));
            Assert.Equal(IkeManagementError.ResponderAmbiguous, Assert.Throws<IkeManagementException>(() => registry.Resolve(null)).Error);
        }

        [Fact]
        public void FindAndMissing_FollowGetIkeResponderRules()
        {
            using var registry = new ResponderRegistry();
            registry.Start(Request("lab-a"));
            registry.Start(Request("lab-b"));
            registry.Start(Request("prod"));
            Assert.Equal(new[] { "lab-a", "lab-b" }, registry.Find(new[] { "LAB*" }, null).Select(r => r.Name));
            Assert.Equal(new[] { "prod" }, registry.Find(null, new[] { 3 }).Select(r => r.Name));
            var missing = registry.Missing(new[] { "lab*", "nope", "x*" }, new[] { 1, 7 });
            Assert.Equal(new object[] { "nope", 7 }, missing.Select(m => m.Target));
            Assert.All(missing, m => Assert.Equal(IkeManagementError.ResponderNotFound, m.Error));
        }

        [Fact]
        public void Start_WithoutAKey_OrOnAForeignAddress_IsResponderStartFailed()
        {
            using var registry = new ResponderRegistry();
            var noKey = Assert.Throws<IkeManagementException>(() => registry.Start(new ResponderStartRequest { LocalAddress = IPAddress.Loopback, Port = 0, NatTraversalPort = null }));
            Assert.Equal(IkeManagementError.ResponderStartFailed, noKey.Error);
            Assert.IsAssignableFrom<ArgumentException>(noKey.InnerException);
            var foreign = Request("foreign");
            foreign.LocalAddress = IPAddress.Parse("192.0.2.123");
            Assert.Equal(IkeManagementError.ResponderStartFailed, Assert.Throws<IkeManagementException>(() => registry.Start(foreign)).Error);
            Assert.Empty(registry.GetAll());
        }

        [Fact]
        public void Start_WithAPolicy_TakesItsPreSharedKey_AndRefusesOneTheEngineCannotRun()
        {
            using var registry = new ResponderRegistry();
            var psk = new PreSharedKeyAuthProposal(PreSharedKey.FromText("from-policy"));
            var policy = IkePolicyComposer.Compose(new PolicyComposition { Name = "lab", AuthProposals = new AuthProposal[] { psk } });
            var started = registry.Start(new ResponderStartRequest { LocalAddress = IPAddress.Loopback, Port = 0, NatTraversalPort = null, Policy = policy });
            Assert.Equal("lab", started.PolicyName);
            Assert.Null(started.NatTraversalEndpoint);

            var gcmOnly = IkePolicyComposer.Compose(new PolicyComposition
            {
                Name = "gcm", AuthProposals = new AuthProposal[] { psk },
                QuickModeProposals = new[] { IkePolicyComposer.QuickModeProposal(Encapsulation.ESP, Encryption.AESGCM256, Hash.AESGMAC256, Hash.None, 60, 100000) },
            });
            var refused = Assert.Throws<IkeManagementException>(() => registry.Start(new ResponderStartRequest { LocalAddress = IPAddress.Loopback, Port = 0, NatTraversalPort = null, Policy = gcmOnly }));
            Assert.Equal(IkeManagementError.PolicyInvalid, refused.Error);
        }

        [Fact]
        public void Sessions_AreSeparate_AndReleasingOneStopsItsResponders()
        {
            Guid session = Guid.NewGuid();
            IkeResponder r = ResponderRegistry.ForSession(session).Start(Request("session"));
            Assert.Empty(ResponderRegistry.ForSession(Guid.NewGuid()).GetAll());
            Assert.True(ResponderRegistry.ReleaseSession(session));
            Assert.Equal(IkeResponderState.Stopped, r.State);
            Assert.False(ResponderRegistry.ReleaseSession(session));
        }

        [Fact]
        public void WindowsSaReads_AreNotSupportedOffWindows()
        {
            if (OperatingSystem.IsWindows()) return;
            Assert.Equal(IkeManagementError.NotSupported, Assert.Throws<IkeManagementException>(() => IkeSaQuery.WindowsMainModeSas()).Error);
            Assert.Equal(IkeManagementError.NotSupported, Assert.Throws<IkeManagementException>(() => IkeSaQuery.WindowsQuickModeSas()).Error);
        }
    }
}
