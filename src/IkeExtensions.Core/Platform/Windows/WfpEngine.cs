using System;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>Opens a local BFE session (FwpmEngineOpen0), dynamic or not.</summary>
    internal static class WfpEngine
    {
        public static WfpEngineHandle Open(bool dynamicSession, string sessionName)
        {
            WindowsPlatform.Require("Opening a WFP engine session");
            using var arena = new NativeArena();
            var session = new FWPM_SESSION0
            {
                displayData = new FWPM_DISPLAY_DATA0 { name = arena.String(sessionName) },
                flags = dynamicSession ? FwpValues.FWPM_SESSION_FLAG_DYNAMIC : 0,
            };
            uint rc = FwpUclnt.FwpmEngineOpen0(IntPtr.Zero, FwpValues.RPC_C_AUTHN_WINNT, IntPtr.Zero, arena.Struct(session), out IntPtr handle);
            if (rc != 0) throw new WfpException(rc, "FwpmEngineOpen0 failed (is the Base Filtering Engine running, and is this process elevated?)");
            return new WfpEngineHandle(handle);
        }

        public static void Check(uint rc, string call)
        {
            if (rc != 0) throw new WfpException(rc, call + " failed");
        }
    }
}
