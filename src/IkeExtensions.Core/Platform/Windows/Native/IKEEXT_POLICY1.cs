using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_POLICY1: the main mode policy behind an IKE/AuthIP MM provider context (version 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_POLICY1
    {
        public uint softExpirationTime;
        public uint numAuthenticationMethods;
        public IntPtr authenticationMethods;
        public uint initiatorImpersonationType;
        public uint numIkeProposals;
        public IntPtr ikeProposals;
        public uint flags;
        public uint maxDynamicFilters;
        public uint retransmitDurationSecs;
    }

    /// <summary>iketypes.h IKEEXT_POLICY0: IKEEXT_POLICY1 without retransmitDurationSecs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_POLICY0
    {
        public uint softExpirationTime;
        public uint numAuthenticationMethods;
        public IntPtr authenticationMethods;
        public uint initiatorImpersonationType;
        public uint numIkeProposals;
        public IntPtr ikeProposals;
        public uint flags;
        public uint maxDynamicFilters;
    }

    /// <summary>iketypes.h IKEEXT_EM_POLICY1 { UINT32 numAuthenticationMethods; IKEEXT_AUTHENTICATION_METHOD1* authenticationMethods; initiatorImpersonationType; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_EM_POLICY1
    {
        public uint numAuthenticationMethods;
        public IntPtr authenticationMethods;
        public uint initiatorImpersonationType;
    }
}
