using System;
using System.IO;
using System.Management.Automation;

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
    }
}
