using System;
using IkeExtensions.Platform.Windows.Native;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>A WFP call failed: <see cref="ErrorCode"/> is the DWORD it returned (FWP_E_* or Win32).</summary>
    public sealed class WfpException : Exception
    {
        public WfpException(uint errorCode, string message)
            : base($"{message} ({FwpErrors.Name(errorCode)}, 0x{errorCode:X8})")
        {
            ErrorCode = errorCode;
        }

        public uint ErrorCode { get; }
        public string ErrorName => FwpErrors.Name(ErrorCode);
    }

    /// <summary>A plan could not be applied; the transaction was aborted, so WFP holds exactly what it held before.</summary>
    public sealed class WfpApplyException : Exception
    {
        public WfpApplyException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
