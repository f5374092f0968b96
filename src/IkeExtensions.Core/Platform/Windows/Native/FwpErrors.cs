using System.Collections.Generic;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>The FWP_E_* results (winerror.h) the store and its test double produce, with their names.</summary>
    public static class FwpErrors
    {
        public const uint FWP_E_FILTER_NOT_FOUND = 0x80320003;
        public const uint FWP_E_LAYER_NOT_FOUND = 0x80320004;
        public const uint FWP_E_PROVIDER_NOT_FOUND = 0x80320005;
        public const uint FWP_E_PROVIDER_CONTEXT_NOT_FOUND = 0x80320006;
        public const uint FWP_E_SUBLAYER_NOT_FOUND = 0x80320007;
        public const uint FWP_E_NOT_FOUND = 0x80320008;
        public const uint FWP_E_ALREADY_EXISTS = 0x80320009;
        public const uint FWP_E_IN_USE = 0x8032000A;
        public const uint FWP_E_DYNAMIC_SESSION_IN_PROGRESS = 0x8032000B;
        public const uint FWP_E_NO_TXN_IN_PROGRESS = 0x8032000D;
        public const uint FWP_E_TXN_IN_PROGRESS = 0x8032000E;
        public const uint FWP_E_TXN_ABORTED = 0x8032000F;
        public const uint FWP_E_LIFETIME_MISMATCH = 0x80320016;
        public const uint ERROR_ACCESS_DENIED = 5;
        public const uint ERROR_NO_MORE_ITEMS = 259;

        private static readonly Dictionary<uint, string> Names = new Dictionary<uint, string>
        {
            [FWP_E_FILTER_NOT_FOUND] = nameof(FWP_E_FILTER_NOT_FOUND),
            [FWP_E_LAYER_NOT_FOUND] = nameof(FWP_E_LAYER_NOT_FOUND),
            [FWP_E_PROVIDER_NOT_FOUND] = nameof(FWP_E_PROVIDER_NOT_FOUND),
            [FWP_E_PROVIDER_CONTEXT_NOT_FOUND] = nameof(FWP_E_PROVIDER_CONTEXT_NOT_FOUND),
            [FWP_E_SUBLAYER_NOT_FOUND] = nameof(FWP_E_SUBLAYER_NOT_FOUND),
            [FWP_E_NOT_FOUND] = nameof(FWP_E_NOT_FOUND),
            [FWP_E_ALREADY_EXISTS] = nameof(FWP_E_ALREADY_EXISTS),
            [FWP_E_IN_USE] = nameof(FWP_E_IN_USE),
            [FWP_E_DYNAMIC_SESSION_IN_PROGRESS] = nameof(FWP_E_DYNAMIC_SESSION_IN_PROGRESS),
            [FWP_E_NO_TXN_IN_PROGRESS] = nameof(FWP_E_NO_TXN_IN_PROGRESS),
            [FWP_E_TXN_IN_PROGRESS] = nameof(FWP_E_TXN_IN_PROGRESS),
            [FWP_E_TXN_ABORTED] = nameof(FWP_E_TXN_ABORTED),
            [FWP_E_LIFETIME_MISMATCH] = nameof(FWP_E_LIFETIME_MISMATCH),
            [ERROR_ACCESS_DENIED] = nameof(ERROR_ACCESS_DENIED),
        };

        public static string Name(uint code) => Names.TryGetValue(code, out var n) ? n : "0x" + code.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Flag and enum values the marshalling code writes (fwptypes.h, fwpmtypes.h, fwpmu.h).</summary>
    public static class FwpValues
    {
        public const uint FWPM_SESSION_FLAG_DYNAMIC = 0x1;
        public const uint FWPM_PROVIDER_FLAG_PERSISTENT = 0x1;
        public const uint FWPM_SUBLAYER_FLAG_PERSISTENT = 0x1;
        public const uint FWPM_PROVIDER_CONTEXT_FLAG_PERSISTENT = 0x1;
        public const uint FWPM_FILTER_FLAG_PERSISTENT = 0x1;
        public const uint FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT = 0x4;
        public const uint RPC_C_AUTHN_WINNT = 10;
        public const uint RPC_C_AUTHN_DEFAULT = 0xFFFFFFFF;

        public const uint FWP_EMPTY = 0;
        public const uint FWP_UINT8 = 1;
        public const uint FWP_UINT16 = 2;
        public const uint FWP_UINT32 = 3;
        public const uint FWP_UINT64 = 4;
        public const uint FWP_BYTE_ARRAY16_TYPE = 11;
        public const uint FWP_V4_ADDR_MASK = 0x100;
        public const uint FWP_V6_ADDR_MASK = 0x101;
        public const uint FWP_RANGE_TYPE = 0x102;

        public const uint FWP_IP_VERSION_V4 = 0;
        public const uint FWP_IP_VERSION_V6 = 1;
    }
}
