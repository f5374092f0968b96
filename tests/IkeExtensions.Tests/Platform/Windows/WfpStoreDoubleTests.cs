using System;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using Xunit;
using static IkeExtensions.Tests.Platform.Windows.WfpTestPlans;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>The double enforces WFP's rules with WFP's error codes (so the applier tests mean something).</summary>
    public sealed class WfpStoreDoubleTests
    {
        private static WfpStoredObject Obj(WfpObjectDescription d, bool persistent = true) =>
            WfpStoredObject.From(d, Provider, persistent, WfpApplier.Fingerprint(d, Provider, persistent));

        private static readonly WfpObjectDescription P = WfpObjectDescription.Provider(Provider, "p");
        private static readonly WfpObjectDescription S = WfpObjectDescription.Sublayer(Sublayer, "s", 1);
        private static readonly WfpObjectDescription C = WfpObjectDescription.ProviderContext(MmContext, "c", Bytes("mm"));
        private static readonly WfpObjectDescription F = WfpObjectDescription.Filter(FilterKey(1), "f", IkeextV4, Sublayer, MmContext, Bytes("f"));

        private static uint Code(Action a) => Assert.Throws<WfpException>(a).ErrorCode;

        [Fact]
        public void References_must_exist_before_they_are_used()
        {
            using var s = new WfpStoreDouble();
            Assert.Equal(FwpErrors.FWP_E_PROVIDER_NOT_FOUND, Code(() => s.AddSublayer(Obj(S))));
            s.AddProvider(Obj(P));
            Assert.Equal(FwpErrors.FWP_E_SUBLAYER_NOT_FOUND, Code(() => s.AddFilter(Obj(F))));
            s.AddSublayer(Obj(S));
            Assert.Equal(FwpErrors.FWP_E_PROVIDER_CONTEXT_NOT_FOUND, Code(() => s.AddFilter(Obj(F))));
            s.AddProviderContext(Obj(C));
            s.AddFilter(Obj(F));
            var unknownLayer = WfpObjectDescription.Filter(FilterKey(2), "g", Guid.NewGuid(), Sublayer, null, Bytes("g"));
            Assert.Equal(FwpErrors.FWP_E_LAYER_NOT_FOUND, Code(() => s.AddFilter(Obj(unknownLayer))));
        }

        [Fact]
        public void Keys_are_unique_and_objects_in_use_cannot_be_deleted()
        {
            using var s = new WfpStoreDouble();
            s.AddProvider(Obj(P));
            s.AddSublayer(Obj(S));
            s.AddProviderContext(Obj(C));
            s.AddFilter(Obj(F));
            Assert.Equal(FwpErrors.FWP_E_ALREADY_EXISTS, Code(() => s.AddFilter(Obj(F))));
            Assert.Equal(FwpErrors.FWP_E_IN_USE, Code(() => s.DeleteProviderContext(MmContext)));
            Assert.Equal(FwpErrors.FWP_E_IN_USE, Code(() => s.DeleteSublayer(Sublayer)));
            Assert.Equal(FwpErrors.FWP_E_IN_USE, Code(() => s.DeleteProvider(Provider)));
            s.DeleteFilter(FilterKey(1));
            s.DeleteProviderContext(MmContext);
            s.DeleteSublayer(Sublayer);
            s.DeleteProvider(Provider);
            Assert.Equal(FwpErrors.FWP_E_FILTER_NOT_FOUND, Code(() => s.DeleteFilter(FilterKey(1))));
        }

        [Fact]
        public void Transactions_do_not_nest_and_abort_restores_everything()
        {
            var engine = new WfpDoubleEngine();
            using var s = new WfpStoreDouble(engine);
            Assert.Equal(FwpErrors.FWP_E_NO_TXN_IN_PROGRESS, Code(s.Commit));
            s.AddProvider(Obj(P));
            var before = engine.Snapshot();
            s.BeginTransaction();
            Assert.Equal(FwpErrors.FWP_E_TXN_IN_PROGRESS, Code(s.BeginTransaction));
            using var other = new WfpStoreDouble(engine);
            Assert.Equal(FwpErrors.FWP_E_TXN_IN_PROGRESS, Code(other.BeginTransaction));
            s.AddSublayer(Obj(S));
            s.DeleteSublayer(Sublayer);
            s.AddProviderContext(Obj(C));
            s.Abort();
            Assert.Equal(before, engine.Snapshot());
            Assert.Equal(FwpErrors.FWP_E_NO_TXN_IN_PROGRESS, Code(s.Abort));
        }

        [Fact]
        public void Lifetimes_follow_the_session_and_references()
        {
            using var dyn = new WfpStoreDouble(dynamicSession: true);
            Assert.Equal(FwpErrors.FWP_E_DYNAMIC_SESSION_IN_PROGRESS, Code(() => dyn.AddProvider(Obj(P, persistent: true))));
            using var s = new WfpStoreDouble();
            s.AddProvider(Obj(P, persistent: false));
            Assert.Equal(FwpErrors.FWP_E_LIFETIME_MISMATCH, Code(() => s.AddSublayer(Obj(S, persistent: true))));
        }

        [Fact]
        public void Enumeration_returns_only_the_providers_objects()
        {
            using var s = new WfpStoreDouble();
            s.AddProvider(Obj(P));
            s.AddSublayer(Obj(S));
            var d = WfpObjectDescription.Filter(FilterKey(3), "no provider", IkeextV4, Guid.Empty, null, Bytes("x"));
            s.AddFilter(new WfpStoredObject(d.Kind, d.Key, d.Name, null, d.LayerKey, d.SublayerKey, null, 0, true, new byte[] { 1 }));
            Assert.Single(s.EnumerateSublayers(Provider));
            Assert.Empty(s.EnumerateFilters(Provider));
            Assert.Empty(s.EnumerateSublayers(Guid.NewGuid()));
        }
    }
}
