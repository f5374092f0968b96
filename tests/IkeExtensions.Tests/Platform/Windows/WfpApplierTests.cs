using System;
using System.Linq;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using Xunit;
using static IkeExtensions.Tests.Platform.Windows.WfpTestPlans;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>The apply/sync logic against <see cref="WfpStoreDouble"/>, which enforces WFP's rules.</summary>
    public sealed class WfpApplierTests
    {
        [Fact]
        public void Apply_adds_every_object_in_one_committed_transaction()
        {
            using var store = new WfpStoreDouble();
            var result = new WfpApplier(store).Apply(TransportMode(), WfpPersistence.Persistent);
            Assert.Equal(10, result.Added.Count);
            Assert.Empty(result.Replaced);
            Assert.Empty(result.Removed);
            Assert.Equal(10, store.Engine.ObjectCount);
            Assert.Equal(1, store.Commits);
            Assert.False(store.InTransaction);
            Assert.All(store.EnumerateFilters(Provider), f => Assert.True(f.Persistent));
            Assert.Equal(MmContext, store.EnumerateFilters(Provider).Single(f => f.Key == FilterKey(1)).ProviderContextKey);
        }

        [Fact]
        public void Reapplying_the_same_plan_changes_nothing()
        {
            using var store = new WfpStoreDouble();
            var applier = new WfpApplier(store);
            applier.Apply(TransportMode(), WfpPersistence.Persistent);
            var before = store.Engine.Snapshot();
            int mutations = store.Mutations, commits = store.Commits;

            var again = applier.Apply(TransportMode(), WfpPersistence.Persistent);

            Assert.False(again.Changed);
            Assert.Equal(10, again.Unchanged.Count);
            Assert.Equal(mutations, store.Mutations);
            Assert.Equal(commits, store.Commits);
            Assert.Equal(before, store.Engine.Snapshot());
        }

        [Fact]
        public void Sync_removes_our_stale_objects()
        {
            using var store = new WfpStoreDouble();
            var applier = new WfpApplier(store);
            applier.Apply(TransportMode(), WfpPersistence.Persistent);

            var result = applier.Apply(TransportMode().Without(FilterKey(6)).Without(FilterKey(5)), WfpPersistence.Persistent);

            Assert.Equal(new[] { FilterKey(5), FilterKey(6) }, result.Removed.OrderBy(k => k));
            Assert.Empty(result.Added);
            Assert.Empty(result.Replaced);
            Assert.Equal(8, store.Engine.ObjectCount);
        }

        [Fact]
        public void A_changed_provider_context_is_replaced_with_the_filters_that_reference_it()
        {
            using var store = new WfpStoreDouble();
            var applier = new WfpApplier(store);
            applier.Apply(TransportMode(), WfpPersistence.Persistent);

            var result = applier.Apply(TransportMode(qmPolicy: "qm:esp-sha256-aes256"), WfpPersistence.Persistent);

            // The double refuses to delete a context in use, so the QM filters must go (and come back) with it.
            Assert.Equal(new[] { QmContext, FilterKey(3), FilterKey(4) }.OrderBy(k => k), result.Replaced.OrderBy(k => k));
            Assert.Empty(result.Removed);
            Assert.Equal(7, result.Unchanged.Count);
            Assert.Equal(10, store.Engine.ObjectCount);
        }

        [Fact]
        public void A_failure_midway_leaves_the_state_exactly_as_before()
        {
            using var store = new WfpStoreDouble();
            var applier = new WfpApplier(store);
            applier.Apply(TransportMode().Take(4).ToList(), WfpPersistence.Persistent);
            var before = store.Engine.Snapshot();

            store.RejectAdd(5);
            var e = Assert.Throws<WfpApplyException>(() => applier.Apply(TransportMode(qmPolicy: "qm:changed"), WfpPersistence.Persistent));

            Assert.Contains("aborted", e.Message);
            Assert.IsType<WfpException>(e.InnerException);
            Assert.Equal(before, store.Engine.Snapshot());
            Assert.False(store.InTransaction);
            Assert.Equal(1, store.Aborts);
        }

        [Fact]
        public void A_failure_on_a_fresh_host_leaves_nothing_behind()
        {
            using var store = new WfpStoreDouble();
            store.RejectAdd(5);
            Assert.Throws<WfpApplyException>(() => new WfpApplier(store).Apply(TransportMode(), WfpPersistence.Persistent));
            Assert.Equal(0, store.Engine.ObjectCount);
        }

        [Fact]
        public void Objects_of_other_providers_are_never_touched()
        {
            var engine = new WfpDoubleEngine();
            var other = new Guid("0badc0de-0000-4000-8000-000000000001");
            var otherFilter = new Guid("0badc0de-0000-4000-8000-000000000002");
            using (var foreign = new WfpStoreDouble(engine))
            {
                foreign.AddProvider(new WfpStoredObject(WfpDescriptionKind.Provider, other, "someone else", null, Guid.Empty, Guid.Empty, null, 0, true, new byte[] { 1 }));
                foreign.AddFilter(new WfpStoredObject(WfpDescriptionKind.Filter, otherFilter, "their filter", other, IkeextV4, Guid.Empty, null, 0, true, new byte[] { 2 }));
            }
            var theirs = engine.Snapshot().Where(l => l.Contains("0badc0de")).ToList();

            using var store = new WfpStoreDouble(engine);
            var applier = new WfpApplier(store);
            applier.Apply(TransportMode(), WfpPersistence.Persistent);
            applier.Apply(TransportMode().Without(FilterKey(1)), WfpPersistence.Persistent);
            applier.Remove(Provider);

            Assert.Equal(theirs, engine.Snapshot());
        }

        [Fact]
        public void A_plan_key_taken_by_another_provider_fails_without_touching_it()
        {
            var engine = new WfpDoubleEngine();
            var other = new Guid("0badc0de-0000-4000-8000-000000000001");
            using (var foreign = new WfpStoreDouble(engine))
            {
                foreign.AddProvider(new WfpStoredObject(WfpDescriptionKind.Provider, other, "someone else", null, Guid.Empty, Guid.Empty, null, 0, true, new byte[] { 1 }));
                foreign.AddFilter(new WfpStoredObject(WfpDescriptionKind.Filter, FilterKey(3), "their filter", other, IpsecV4, Guid.Empty, null, 0, true, new byte[] { 2 }));
            }
            var before = engine.Snapshot();
            using var store = new WfpStoreDouble(engine);
            var e = Assert.Throws<WfpApplyException>(() => new WfpApplier(store).Apply(TransportMode(), WfpPersistence.Persistent));
            Assert.Equal(FwpErrors.FWP_E_ALREADY_EXISTS, ((WfpException)e.InnerException!).ErrorCode);
            Assert.Equal(before, engine.Snapshot());
        }

        [Fact]
        public void A_filter_referencing_a_missing_provider_context_fails_naming_it()
        {
            using var store = new WfpStoreDouble();
            var missing = new Guid("deadbeef-0000-4000-8000-00000000beef");
            var plan = TransportMode();
            plan.Add(WfpObjectDescription.Filter(FilterKey(9), "dangling", IpsecV4, Sublayer, missing, Bytes("permit")));

            var e = Assert.Throws<WfpApplyException>(() => new WfpApplier(store).Apply(plan, WfpPersistence.Persistent));

            Assert.Contains(missing.ToString(), e.Message);
            Assert.Contains("FWP_E_PROVIDER_CONTEXT_NOT_FOUND", e.Message);
            Assert.Equal(0, store.Engine.ObjectCount);
        }

        [Fact]
        public void Dynamic_objects_live_only_as_long_as_their_session()
        {
            var engine = new WfpDoubleEngine();
            using (var session = new WfpStoreDouble(engine, dynamicSession: true))
            {
                var result = new WfpApplier(session).Apply(TransportMode(), WfpPersistence.Dynamic);
                Assert.Equal(10, result.Added.Count);
                Assert.All(session.EnumerateFilters(Provider), f => Assert.False(f.Persistent));
                Assert.False(new WfpApplier(session).Apply(TransportMode(), WfpPersistence.Dynamic).Changed);
            }
            Assert.Equal(0, engine.ObjectCount);
        }

        [Fact]
        public void Persistent_objects_survive_a_restart_and_the_session_must_match_the_lifetime()
        {
            var engine = new WfpDoubleEngine();
            using (var store = new WfpStoreDouble(engine))
                new WfpApplier(store).Apply(TransportMode(), WfpPersistence.Persistent);
            engine.Restart();
            Assert.Equal(10, engine.ObjectCount);

            using var dynamicSession = new WfpStoreDouble(engine, dynamicSession: true);
            Assert.Throws<InvalidOperationException>(() => new WfpApplier(dynamicSession).Apply(TransportMode(), WfpPersistence.Persistent));
            using var persistentSession = new WfpStoreDouble(engine);
            Assert.Throws<InvalidOperationException>(() => new WfpApplier(persistentSession).Apply(TransportMode(), WfpPersistence.Dynamic));
        }

        [Fact]
        public void Remove_deletes_all_of_ours_in_dependency_order()
        {
            using var store = new WfpStoreDouble();
            var applier = new WfpApplier(store);
            applier.Apply(TransportMode(), WfpPersistence.Persistent);
            var result = applier.Remove(Provider);
            Assert.Equal(10, result.Removed.Count);
            Assert.Equal(0, store.Engine.ObjectCount);
            Assert.False(applier.Remove(Provider).Changed);
        }

        [Fact]
        public void Plans_need_one_provider_and_unique_keys()
        {
            using var store = new WfpStoreDouble();
            var applier = new WfpApplier(store);
            Assert.Throws<ArgumentException>(() => applier.Apply(TransportMode().Without(Provider), WfpPersistence.Persistent));
            var dup = TransportMode();
            dup.Add(WfpObjectDescription.Filter(FilterKey(1), "again", IkeextV4, Sublayer, null, Bytes("x")));
            Assert.Throws<ArgumentException>(() => applier.Apply(dup, WfpPersistence.Persistent));
            Assert.Equal(0, store.Mutations);
        }
    }
}
