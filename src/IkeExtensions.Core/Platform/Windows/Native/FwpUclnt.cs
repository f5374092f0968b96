using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>
    /// fwpuclnt.dll, as fwpmu.h declares it: every function returns a Win32/FWP_E_* DWORD (0 = success) except
    /// FwpmFreeMemory0; nothing sets the thread's last error. Handles come back as IntPtr and are wrapped at once in
    /// <see cref="WfpEngineHandle"/>/<see cref="WfpEnumHandle"/>; buffers WFP allocates go to <see cref="WfpMemory"/>.
    /// Structs are passed by pointer (IntPtr) to memory the caller lays out (see <see cref="NativeArena"/>), so no
    /// marshaller-generated copies are involved. Calling convention: WINAPI (stdcall on x86), the DllImport default.
    /// </summary>
    internal static class FwpUclnt
    {
        private const string Dll = "fwpuclnt.dll";

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmEngineOpen0(IntPtr serverName, uint authnService, IntPtr authIdentity, IntPtr session, out IntPtr engineHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmEngineClose0(IntPtr engineHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern void FwpmFreeMemory0(ref IntPtr p);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmTransactionBegin0(IntPtr engineHandle, uint flags);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmTransactionCommit0(IntPtr engineHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmTransactionAbort0(IntPtr engineHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderAdd0(IntPtr engineHandle, IntPtr provider, IntPtr sd);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderDeleteByKey0(IntPtr engineHandle, ref Guid key);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderGetByKey0(IntPtr engineHandle, ref Guid key, out IntPtr provider);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderCreateEnumHandle0(IntPtr engineHandle, IntPtr enumTemplate, out IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderEnum0(IntPtr engineHandle, IntPtr enumHandle, uint numEntriesRequested, out IntPtr entries, out uint numEntriesReturned);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderDestroyEnumHandle0(IntPtr engineHandle, IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmSubLayerAdd0(IntPtr engineHandle, IntPtr subLayer, IntPtr sd);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmSubLayerDeleteByKey0(IntPtr engineHandle, ref Guid key);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmSubLayerCreateEnumHandle0(IntPtr engineHandle, IntPtr enumTemplate, out IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmSubLayerEnum0(IntPtr engineHandle, IntPtr enumHandle, uint numEntriesRequested, out IntPtr entries, out uint numEntriesReturned);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmSubLayerDestroyEnumHandle0(IntPtr engineHandle, IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderContextAdd1(IntPtr engineHandle, IntPtr providerContext, IntPtr sd, out ulong id);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderContextDeleteByKey0(IntPtr engineHandle, ref Guid key);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderContextCreateEnumHandle0(IntPtr engineHandle, IntPtr enumTemplate, out IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderContextEnum1(IntPtr engineHandle, IntPtr enumHandle, uint numEntriesRequested, out IntPtr entries, out uint numEntriesReturned);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmProviderContextDestroyEnumHandle0(IntPtr engineHandle, IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmFilterAdd0(IntPtr engineHandle, IntPtr filter, IntPtr sd, out ulong id);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmFilterDeleteByKey0(IntPtr engineHandle, ref Guid key);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmFilterCreateEnumHandle0(IntPtr engineHandle, IntPtr enumTemplate, out IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmFilterEnum0(IntPtr engineHandle, IntPtr enumHandle, uint numEntriesRequested, out IntPtr entries, out uint numEntriesReturned);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint FwpmFilterDestroyEnumHandle0(IntPtr engineHandle, IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint IkeextSaCreateEnumHandle0(IntPtr engineHandle, IntPtr enumTemplate, out IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint IkeextSaEnum1(IntPtr engineHandle, IntPtr enumHandle, uint numEntriesRequested, out IntPtr entries, out uint numEntriesReturned);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint IkeextSaDestroyEnumHandle0(IntPtr engineHandle, IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint IPsecSaContextCreateEnumHandle0(IntPtr engineHandle, IntPtr enumTemplate, out IntPtr enumHandle);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint IPsecSaContextEnum1(IntPtr engineHandle, IntPtr enumHandle, uint numEntriesRequested, out IntPtr entries, out uint numEntriesReturned);

        [DllImport(Dll, ExactSpelling = true, SetLastError = false)]
        public static extern uint IPsecSaContextDestroyEnumHandle0(IntPtr engineHandle, IntPtr enumHandle);
    }
}
