using System;
using Microsoft.Win32.SafeHandles;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>A BFE engine session (FwpmEngineOpen0), closed with FwpmEngineClose0. Closing a dynamic session
    /// deletes every object added through it.</summary>
    public sealed class WfpEngineHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        internal WfpEngineHandle(IntPtr handle) : base(ownsHandle: true) => SetHandle(handle);

        protected override bool ReleaseHandle() => FwpUclnt.FwpmEngineClose0(handle) == 0;
    }

    /// <summary>Which Destroy*EnumHandle0 function releases an enumeration handle.</summary>
    internal enum WfpEnumKind
    {
        Filter,
        SubLayer,
        ProviderContext,
        Provider,
        IkeextSa,
        IpsecSaContext,
    }

    /// <summary>An enumeration handle; it holds a reference on its engine handle so the engine outlives it.</summary>
    internal sealed class WfpEnumHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        private readonly WfpEngineHandle engine;
        private readonly WfpEnumKind kind;
        private readonly bool engineReferenced;

        internal WfpEnumHandle(WfpEngineHandle engine, WfpEnumKind kind, IntPtr handle) : base(ownsHandle: true)
        {
            this.engine = engine;
            this.kind = kind;
            bool added = false;
            engine.DangerousAddRef(ref added);
            engineReferenced = added;
            SetHandle(handle);
        }

        protected override bool ReleaseHandle()
        {
            IntPtr e = engine.DangerousGetHandle();
            uint rc = kind switch
            {
                WfpEnumKind.Filter => FwpUclnt.FwpmFilterDestroyEnumHandle0(e, handle),
                WfpEnumKind.SubLayer => FwpUclnt.FwpmSubLayerDestroyEnumHandle0(e, handle),
                WfpEnumKind.ProviderContext => FwpUclnt.FwpmProviderContextDestroyEnumHandle0(e, handle),
                WfpEnumKind.Provider => FwpUclnt.FwpmProviderDestroyEnumHandle0(e, handle),
                WfpEnumKind.IkeextSa => FwpUclnt.IkeextSaDestroyEnumHandle0(e, handle),
                _ => FwpUclnt.IPsecSaContextDestroyEnumHandle0(e, handle),
            };
            if (engineReferenced) engine.DangerousRelease();
            return rc == 0;
        }
    }

    /// <summary>A buffer WFP allocated for the caller (enumeration arrays, Get* results), freed with FwpmFreeMemory0.</summary>
    internal sealed class WfpMemory : SafeHandleZeroOrMinusOneIsInvalid
    {
        internal WfpMemory(IntPtr buffer) : base(ownsHandle: true) => SetHandle(buffer);

        public IntPtr Pointer => handle;

        protected override bool ReleaseHandle()
        {
            IntPtr p = handle;
            FwpUclnt.FwpmFreeMemory0(ref p);
            return true;
        }
    }
}
