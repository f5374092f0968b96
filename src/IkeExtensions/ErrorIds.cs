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
    }
}
