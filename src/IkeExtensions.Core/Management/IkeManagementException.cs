using System;

namespace IkeExtensions.Management
{
    /// <summary>What went wrong in a management request (the cmdlets map each to a stable ErrorId and category).</summary>
    public enum IkeManagementError
    {
        /// <summary>No responder has the given id or name in this session.</summary>
        ResponderNotFound,
        /// <summary>No responder was named and none, or more than one, is running.</summary>
        ResponderAmbiguous,
        /// <summary>The responder was stopped.</summary>
        ResponderStopped,
        /// <summary>The responder could not be started (address in use, no authentication, policy the engine cannot run).</summary>
        ResponderStartFailed,
        /// <summary>No SA with that id exists on the responder.</summary>
        SaNotFound,
        /// <summary>A negotiation did not establish a Quick Mode SA (the message says why).</summary>
        NegotiationFailed,
        /// <summary>The policy is not valid or cannot be built from the given parameters.</summary>
        PolicyInvalid,
        /// <summary>A policy file is not a policy file (not JSON, unknown fields, engine proposal file).</summary>
        PolicyFileInvalid,
        /// <summary>A policy file exists and -NoClobber (or no -Force) forbids replacing it.</summary>
        PolicyFileExists,
        /// <summary>The operation needs a facility this runtime lacks (policy JSON on netstandard2.0, WFP off Windows).</summary>
        NotSupported,
        /// <summary>No policy with that name is in the store.</summary>
        PolicyNotFound,
        /// <summary>A negotiation discovery trace file cannot be used (not JSON, unknown fields, bad values).</summary>
        TraceInvalid,
    }

    /// <summary>A management request that failed for a reason the caller can act on; <see cref="Error"/> says which.</summary>
    public sealed class IkeManagementException : Exception
    {
        public IkeManagementException(IkeManagementError error, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
            Target = target;
        }

        public IkeManagementError Error { get; }

        /// <summary>The object the request was about (a name, an id, a path); the ErrorRecord's TargetObject.</summary>
        public object? Target { get; }
    }
}
