using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Platform.Windows.Native;
using Xunit;
using static IkeExtensions.Tests.Platform.Windows.WfpTestPlans;

namespace IkeExtensions.Tests.Platform.Windows
{
    /// <summary>The P/Invoke store off Windows: every operation fails loudly. Its marshalling is tested through the codec.</summary>
    public sealed class NativeWfpStoreTests
    {
        public static IEnumerable<object[]> Operations()
        {
            var o = WfpStoredObject.From(WfpObjectDescription.Provider(Provider, "p"), null, true, new byte[] { 1 });
            var ops = new (string, Action<IWfpStore>)[]
            {
                ("BeginTransaction", s => s.BeginTransaction()), ("Commit", s => s.Commit()), ("Abort", s => s.Abort()),
                ("AddProvider", s => s.AddProvider(o)), ("AddSublayer", s => s.AddSublayer(o)),
                ("AddProviderContext", s => s.AddProviderContext(o)), ("AddFilter", s => s.AddFilter(o)),
                ("GetProvider", s => s.GetProvider(Provider)), ("EnumerateProviders", s => s.EnumerateProviders()), ("EnumerateSublayers", s => s.EnumerateSublayers(Provider)),
                ("EnumerateProviderContexts", s => s.EnumerateProviderContexts(Provider)), ("EnumerateFilters", s => s.EnumerateFilters(Provider)),
                ("DeleteProvider", s => s.DeleteProvider(Provider)), ("DeleteSublayer", s => s.DeleteSublayer(Provider)),
                ("DeleteProviderContext", s => s.DeleteProviderContext(Provider)), ("DeleteFilter", s => s.DeleteFilter(Provider)),
            };
            foreach (var (name, op) in ops) yield return new object[] { name, op };
        }

        [Theory]
        [MemberData(nameof(Operations))]
        public void Off_windows_every_operation_throws_a_clear_platform_error(string name, Action<IWfpStore> operation)
        {
            Assert.False(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), "this suite runs on Linux CI");
            using var store = new NativeWfpStore();
            var e = Assert.Throws<PlatformNotSupportedException>(() => operation(store));
            Assert.Contains("Windows Filtering Platform", e.Message);
            Assert.Contains(RuntimeInformation.OSDescription.Trim(), e.Message);
            Assert.False(string.IsNullOrEmpty(name));
        }

        [Fact]
        public void Off_windows_the_applier_and_the_sa_reader_fail_loudly_too()
        {
            using var store = new NativeWfpStore();
            Assert.Throws<PlatformNotSupportedException>(() => new WfpApplier(store).Apply(TransportMode(), WfpPersistence.Persistent));
            using var reader = new IkeextSaReader();
            Assert.Contains("Windows Filtering Platform", Assert.Throws<PlatformNotSupportedException>(() => reader.ReadMainModeSas(p => p)).Message);
            Assert.Throws<PlatformNotSupportedException>(() => reader.ReadQuickModeSas(p => p));
        }

        [Fact]
        public void Codec_writes_and_reads_back_every_object_kind()
        {
            var plan = TransportMode();
            using var arena = new NativeArena();
            foreach (var d in plan)
            {
                var o = WfpStoredObject.From(d, Provider, persistent: true, WfpApplier.Fingerprint(d, Provider, true));
                WfpStoredObject back = d.Kind switch
                {
                    WfpDescriptionKind.Provider => WfpNativeCodec.ReadProvider(WfpNativeCodec.WriteProvider(o, arena)),
                    WfpDescriptionKind.Sublayer => WfpNativeCodec.ReadSublayer(WfpNativeCodec.WriteSublayer(o, arena)),
                    WfpDescriptionKind.ProviderContext => WfpNativeCodec.ReadProviderContext(WfpNativeCodec.WriteProviderContext(o, arena, new TestEncoder())),
                    _ => WfpNativeCodec.ReadFilter(WfpNativeCodec.WriteFilter(o, arena, null)),
                };
                Assert.Equal(o.ToString(), back.ToString());
            }
        }

        [Fact]
        public void Filter_with_a_provider_context_sets_the_flag_and_the_union()
        {
            var d = TransportMode()[4];
            var o = WfpStoredObject.From(d, Provider, persistent: false, new byte[] { 9 });
            using var arena = new NativeArena();
            var native = Marshal.PtrToStructure<FWPM_FILTER0>(WfpNativeCodec.WriteFilter(o, arena, null));
            Assert.Equal(FwpValues.FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT, native.flags);
            Assert.Equal(MmContext, native.u.providerContextKey);
            Assert.Equal(0x1002u, native.action.type);
            Assert.Equal(FwpValues.FWP_EMPTY, native.weight.type);
            Assert.Equal(Provider, Marshal.PtrToStructure<Guid>(native.providerKey));
            Assert.Equal("MM v4", Marshal.PtrToStringUni(native.displayData.name));
        }

        [Fact]
        public void Provider_contexts_need_an_encoder_for_their_policy()
        {
            var o = WfpStoredObject.From(TransportMode()[2], Provider, true, new byte[] { 1 });
            using var arena = new NativeArena();
            Assert.Contains("IWfpNativeEncoder", Assert.Throws<InvalidOperationException>(() => WfpNativeCodec.WriteProviderContext(o, arena, null)).Message);
        }

        private sealed class TestEncoder : IWfpNativeEncoder
        {
            public void EncodeFilter(WfpStoredObject filter, ref FWPM_FILTER0 native, NativeArena arena) { }

            public void EncodeProviderContext(WfpStoredObject providerContext, ref FWPM_PROVIDER_CONTEXT1 native, NativeArena arena)
            {
                native.type = 5;   // FWPM_IPSEC_IKE_MM_CONTEXT
                native.u.ikeMmPolicy = arena.Struct(new IKEEXT_POLICY1 { numIkeProposals = 0, flags = 0 });
            }
        }
    }
}
