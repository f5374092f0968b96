using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>
    /// Reads Windows' own IKE/AuthIP main mode SAs (IkeextSaCreateEnumHandle0 / IkeextSaEnum1 / IkeextSaDestroyEnumHandle0)
    /// and IPsec SA contexts (IPsecSaContextEnum1), handing each entry (an IKEEXT_SA_DETAILS1* or IPSEC_SA_CONTEXT1*,
    /// valid only during the call) to a mapper; the management layer maps them to its rows. Off Windows:
    /// PlatformNotSupportedException. Key material is never read by our mappers: only transform identifiers.
    /// </summary>
    public sealed class IkeextSaReader : IDisposable
    {
        private const uint Batch = 128;
        private WfpEngineHandle? engine;

        /// <summary>Each IKEEXT_SA_DETAILS1 (IkeextSaEnum1) through <paramref name="map"/>.</summary>
        public IReadOnlyList<T> ReadMainModeSas<T>(Func<IntPtr, T> map) =>
            Enumerate(WfpEnumKind.IkeextSa, "Enumerating IKEEXT main mode SAs", map);

        /// <summary>Each IPSEC_SA_CONTEXT1 (IPsecSaContextEnum1) through <paramref name="map"/>.</summary>
        public IReadOnlyList<T> ReadQuickModeSas<T>(Func<IntPtr, T> map) =>
            Enumerate(WfpEnumKind.IpsecSaContext, "Enumerating IPsec SA contexts", map);

        public void Dispose()
        {
            engine?.Dispose();
            engine = null;
        }

        private List<T> Enumerate<T>(WfpEnumKind kind, string operation, Func<IntPtr, T> map)
        {
            WindowsPlatform.Require(operation);
            engine ??= WfpEngine.Open(dynamicSession: false, "IkeExtensions SA reader");
            IntPtr e = engine.DangerousGetHandle();
            uint rc = kind == WfpEnumKind.IkeextSa
                ? FwpUclnt.IkeextSaCreateEnumHandle0(e, IntPtr.Zero, out IntPtr raw)
                : FwpUclnt.IPsecSaContextCreateEnumHandle0(e, IntPtr.Zero, out raw);
            WfpEngine.Check(rc, operation);
            using var handle = new WfpEnumHandle(engine, kind, raw);
            var result = new List<T>();
            while (true)
            {
                rc = kind == WfpEnumKind.IkeextSa
                    ? FwpUclnt.IkeextSaEnum1(e, handle.DangerousGetHandle(), Batch, out IntPtr entries, out uint count)
                    : FwpUclnt.IPsecSaContextEnum1(e, handle.DangerousGetHandle(), Batch, out entries, out count);
                WfpEngine.Check(rc, operation);
                using (new WfpMemory(entries))
                    for (int i = 0; i < count; i++) result.Add(map(Marshal.ReadIntPtr(entries, i * IntPtr.Size)));
                if (count < Batch) break;
            }
            return result;
        }
    }
}
