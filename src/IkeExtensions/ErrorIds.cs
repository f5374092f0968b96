namespace IkeExtensions.PowerShell
{
    /// <summary>
    /// FullyQualifiedErrorId prefixes written by the module's cmdlets (PascalCase <c>&lt;Noun&gt;&lt;Condition&gt;</c>).
    /// They are a tested contract (Pester <c>Should -Throw -ErrorId</c>): add new ones, never rename.
    /// </summary>
    public static class ErrorIds
    {
        /// <summary>The -Hex text, or the contents of a -Path file, is neither hex nor a pcap/pcapng capture.</summary>
        public const string IkeMessageInputInvalid = nameof(IkeMessageInputInvalid);

        /// <summary>A -Path does not exist or its wildcard matched nothing.</summary>
        public const string IkeMessagePathNotFound = nameof(IkeMessagePathNotFound);

        /// <summary>A -Path resolves to a provider other than the FileSystem (e.g. Registry).</summary>
        public const string IkeMessagePathNotFileSystem = nameof(IkeMessagePathNotFileSystem);

        /// <summary>A -Path file exists but could not be read (I/O error).</summary>
        public const string IkeMessagePathUnreadable = nameof(IkeMessagePathUnreadable);

        /// <summary>A -Path file exists but the caller may not read it.</summary>
        public const string IkeMessagePathAccessDenied = nameof(IkeMessagePathAccessDenied);

        /// <summary>No responder with that id or name in this session.</summary>
        public const string IkeResponderNotFound = nameof(IkeResponderNotFound);

        /// <summary>No responder was named and none, or more than one, is running.</summary>
        public const string IkeResponderAmbiguous = nameof(IkeResponderAmbiguous);

        /// <summary>The responder was stopped.</summary>
        public const string IkeResponderStopped = nameof(IkeResponderStopped);

        /// <summary>A responder could not start (address in use or not local, no authentication).</summary>
        public const string IkeResponderStartFailed = nameof(IkeResponderStartFailed);

        /// <summary>No Main Mode SA with that id on the responder.</summary>
        public const string IkeMainModeSaNotFound = nameof(IkeMainModeSaNotFound);

        /// <summary>No Quick Mode SA with that id on the responder.</summary>
        public const string IkeQuickModeSaNotFound = nameof(IkeQuickModeSaNotFound);

        /// <summary>A negotiation ended without a Quick Mode SA (peer refused, timeout, responder stopped).</summary>
        public const string IkeNegotiationFailed = nameof(IkeNegotiationFailed);

        /// <summary>The peer address of Start-IkeNegotiation is not an IPv4 or IPv6 address.</summary>
        public const string IkeNegotiationAddressInvalid = nameof(IkeNegotiationAddressInvalid);

        /// <summary>The parameters or the policy object do not make a valid policy.</summary>
        public const string IkePolicyInvalid = nameof(IkePolicyInvalid);

        /// <summary>A policy file is not a policy file (not JSON, unknown fields, an engine proposal file).</summary>
        public const string IkePolicyFileInvalid = nameof(IkePolicyFileInvalid);

        /// <summary>Export-IkePolicy would replace a file without -Force.</summary>
        public const string IkePolicyFileExists = nameof(IkePolicyFileExists);

        /// <summary>A policy file path does not exist or its wildcard matched nothing.</summary>
        public const string IkePolicyFileNotFound = nameof(IkePolicyFileNotFound);

        /// <summary>A policy file path is on a provider other than the FileSystem.</summary>
        public const string IkePolicyPathNotFileSystem = nameof(IkePolicyPathNotFileSystem);

        /// <summary>A policy file could not be read or written (I/O error or access denied).</summary>
        public const string IkePolicyFileUnreadable = nameof(IkePolicyFileUnreadable);

        /// <summary>No policy with that name in the Windows store.</summary>
        public const string IkePolicyNotFound = nameof(IkePolicyNotFound);

        /// <summary>The operation needs what this host lacks: WFP/IKEEXT (Windows), or policy JSON (the net8.0 build).</summary>
        public const string IkePlatformNotSupported = nameof(IkePlatformNotSupported);

        /// <summary>A WFP or IKEEXT call failed (the message names the call and the Windows error).</summary>
        public const string IkeWfpCallFailed = nameof(IkeWfpCallFailed);

        /// <summary>A negotiation discovery trace file cannot be used.</summary>
        public const string IkeFlowTraceInvalid = nameof(IkeFlowTraceInvalid);
    }
}
