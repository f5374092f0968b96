using System;
using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows
{
    /// <summary>The platform gate of the Windows interop: off Windows every WFP/IKEEXT operation fails with this error.</summary>
    internal static class WindowsPlatform
    {
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static void Require(string operation)
        {
            if (!IsWindows) throw NotSupported(operation);
        }

        public static PlatformNotSupportedException NotSupported(string operation) =>
            NotSupported(operation, "Use WfpStoreDouble to exercise the apply logic elsewhere.");

        /// <summary>The same error with another closing hint (e.g. the CLI's dry run); one line.</summary>
        public static PlatformNotSupportedException NotSupported(string operation, string hint) => new PlatformNotSupportedException(
            $"{operation} needs the Windows Filtering Platform (fwpuclnt.dll, the Base Filtering Engine service), which exists only on Windows; " +
            $"this host runs {RuntimeInformation.OSDescription.Trim()}. {hint}");
    }
}
