using System;
using System.IO;
using System.Management.Automation;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.PowerShell
{
    /// <summary>
    /// The one place that turns engine and I/O exceptions into <see cref="ErrorRecord"/>s with an
    /// <see cref="ErrorIds"/> id and a fitting <see cref="ErrorCategory"/>. Cmdlets catch only what
    /// <see cref="IsInputError"/> accepts; anything else is a bug and terminates the pipeline.
    /// </summary>
    internal static class ErrorRecordFactory
    {
        /// <summary>True for exceptions caused by the caller's input (bad text, missing or unreadable file).</summary>
        internal static bool IsInputError(Exception exception) =>
            exception is ArgumentException
            || exception is FormatException
            || exception is IOException
            || exception is UnauthorizedAccessException
            || exception is NotSupportedException
            || exception is ItemNotFoundException;

        /// <summary>Maps an input error to a record; <paramref name="target"/> is the offending string or path.</summary>
        internal static ErrorRecord FromException(Exception exception, object? target)
        {
            switch (exception)
            {
                case ItemNotFoundException _:
                case FileNotFoundException _:
                case DirectoryNotFoundException _:
                    return new ErrorRecord(exception, ErrorIds.IkeMessagePathNotFound, ErrorCategory.ObjectNotFound, target);
                case UnauthorizedAccessException _:
                    return new ErrorRecord(exception, ErrorIds.IkeMessagePathAccessDenied, ErrorCategory.PermissionDenied, target);
                case IOException _:
                    return new ErrorRecord(exception, ErrorIds.IkeMessagePathUnreadable, ErrorCategory.ReadError, target);
                case ArgumentException _:
                case FormatException _:
                case NotSupportedException _:
                    return new ErrorRecord(exception, ErrorIds.IkeMessageInputInvalid, ErrorCategory.InvalidData, target);
                default:
                    return new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>A wildcard -Path that matched no file.</summary>
        internal static ErrorRecord PathNotFound(string path) =>
            new ErrorRecord(
                new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."),
                ErrorIds.IkeMessagePathNotFound, ErrorCategory.ObjectNotFound, path);

        /// <summary>A -Path on a provider other than the FileSystem.</summary>
        internal static ErrorRecord PathNotFileSystem(string path, string providerName) =>
            new ErrorRecord(
                new ArgumentException($"Path '{path}' is on the '{providerName}' provider; only FileSystem paths can be read."),
                ErrorIds.IkeMessagePathNotFileSystem, ErrorCategory.InvalidArgument, path);

        /// <summary>True for the failures of a management request that the caller can act on.</summary>
        internal static bool IsManagementError(Exception exception) =>
            exception is IkeManagementException || exception is WfpException || exception is WfpApplyException || exception is PlatformNotSupportedException;

        /// <summary>
        /// Maps a management failure to a record. <paramref name="saKind"/> ("MainMode" or "QuickMode") picks the SA
        /// not-found id; <paramref name="target"/> overrides the exception's target.
        /// </summary>
        internal static ErrorRecord FromManagement(Exception exception, string? saKind = null, object? target = null)
        {
            if (exception is IkeManagementException m)
            {
                (string id, ErrorCategory category) = m.Error switch
                {
                    IkeManagementError.ResponderNotFound => (ErrorIds.IkeResponderNotFound, ErrorCategory.ObjectNotFound),
                    IkeManagementError.ResponderAmbiguous => (ErrorIds.IkeResponderAmbiguous, ErrorCategory.InvalidArgument),
                    IkeManagementError.ResponderStopped => (ErrorIds.IkeResponderStopped, ErrorCategory.InvalidOperation),
                    IkeManagementError.ResponderStartFailed => (ErrorIds.IkeResponderStartFailed,
                        m.InnerException is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.ResourceUnavailable),
                    IkeManagementError.SaNotFound => (saKind == "QuickMode" ? ErrorIds.IkeQuickModeSaNotFound : ErrorIds.IkeMainModeSaNotFound, ErrorCategory.ObjectNotFound),
                    IkeManagementError.NegotiationFailed => (ErrorIds.IkeNegotiationFailed, ErrorCategory.ConnectionError),
                    IkeManagementError.PolicyInvalid => (ErrorIds.IkePolicyInvalid, ErrorCategory.InvalidArgument),
                    IkeManagementError.PolicyFileInvalid => (ErrorIds.IkePolicyFileInvalid, ErrorCategory.InvalidData),
                    IkeManagementError.PolicyFileExists => (ErrorIds.IkePolicyFileExists, ErrorCategory.ResourceExists),
                    IkeManagementError.PolicyNotFound => (ErrorIds.IkePolicyNotFound, ErrorCategory.ObjectNotFound),
                    IkeManagementError.TraceInvalid => (ErrorIds.IkeFlowTraceInvalid, ErrorCategory.InvalidData),
                    _ => (ErrorIds.IkePlatformNotSupported, ErrorCategory.NotImplemented),
                };
                return new ErrorRecord(m, id, category, target ?? m.Target);
            }
            switch (exception)
            {
                case PlatformNotSupportedException _:
                    return new ErrorRecord(exception, ErrorIds.IkePlatformNotSupported, ErrorCategory.NotImplemented, target);
                case WfpException w when w.ErrorCode == 5:
                    return new ErrorRecord(exception, ErrorIds.IkeWfpCallFailed, ErrorCategory.PermissionDenied, target);
                default:
                    return new ErrorRecord(exception, ErrorIds.IkeWfpCallFailed, ErrorCategory.InvalidOperation, target);
            }
        }

        /// <summary>A policy file path error (missing, other provider, unreadable) for Import/Export-IkePolicy and Test-IkeFlow.</summary>
        internal static ErrorRecord PolicyPath(Exception exception, object? target)
        {
            switch (exception)
            {
                case ItemNotFoundException _:
                case FileNotFoundException _:
                case DirectoryNotFoundException _:
                    return new ErrorRecord(exception, ErrorIds.IkePolicyFileNotFound, ErrorCategory.ObjectNotFound, target);
                case UnauthorizedAccessException _:
                    return new ErrorRecord(exception, ErrorIds.IkePolicyFileUnreadable, ErrorCategory.PermissionDenied, target);
                default:
                    return new ErrorRecord(exception, ErrorIds.IkePolicyFileUnreadable, ErrorCategory.ReadError, target);
            }
        }

        /// <summary>A policy path on a provider other than the FileSystem.</summary>
        internal static ErrorRecord PolicyPathNotFileSystem(string path, string providerName) =>
            new ErrorRecord(
                new ArgumentException($"Path '{path}' is on the '{providerName}' provider; policy files must be FileSystem paths."),
                ErrorIds.IkePolicyPathNotFileSystem, ErrorCategory.InvalidArgument, path);
    }
}
