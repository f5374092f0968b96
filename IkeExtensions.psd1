#
# Module manifest for IkeExtensions.
#
# Layout (built by build.ps1, never committed):
#   out/IkeExtensions/<ModuleVersion>/
#       IkeExtensions.psd1            this file, ModuleVersion stamped from Directory.Build.props <Version>
#       IkeExtensions.psm1            RootModule: a tiny loader (see below)
#       IkeExtensions.format.ps1xml
#       Desktop/IkeExtensions.dll     netstandard2.0 build + IkeExtensions.Core.dll + dependencies (Windows PowerShell 5.1)
#       Core/IkeExtensions.dll        net8.0 build + IkeExtensions.Core.dll + dependencies (PowerShell 7.4+)
#       en-US/IkeExtensions.dll-Help.xml, about_IkeExtensions.help.txt
#
# Why RootModule is a .psm1 and not IkeExtensions.dll: one module folder has to load the netstandard2.0 build on
# Desktop and the net8.0 build on Core, and a manifest cannot choose a RootModule by edition. The loader imports
# Desktop/ or Core/IkeExtensions.dll by $PSEdition (the documented "portable module" pattern). CmdletsToExport
# stays explicit so command discovery works without loading anything, and the xunit module tests check that it
# lists exactly the cmdlets in the DLL.
#
@{
    RootModule            = 'IkeExtensions.psm1'
    ModuleVersion         = '0.1.0'
    CompatiblePSEditions  = @('Desktop', 'Core')
    GUID                  = 'de08a626-d830-4b78-a491-7a78c4fc7caa'
    Author                = 'IkeExtensions contributors'
    CompanyName           = 'IkeExtensions contributors'
    Copyright             = '(c) IkeExtensions contributors'
    Description           = 'Decode and inspect IKEv1/IKEv2 traffic with the Microsoft extensions (MS-IKEE): a managed IKE engine with PowerShell cmdlets.'
    PowerShellVersion     = '5.1'
    # netstandard2.0 assemblies need .NET Framework 4.7.2 or later under Windows PowerShell (ignored on Core).
    DotNetFrameworkVersion = '4.7.2'

    CmdletsToExport       = @(
        'ConvertFrom-IkeMessage',
        'ConvertTo-IkeWfpFilter',
        'Export-IkePolicy',
        'Get-IkeFlow',
        'Get-IkeMainModeSA',
        'Get-IkePolicy',
        'Get-IkeQuickModeSA',
        'Get-IkeResponder',
        'Get-IkeStatistics',
        'Import-IkePolicy',
        'New-IkeAuthProposal',
        'New-IkeMainModeCryptoProposal',
        'New-IkeNegotiationDiscoveryPolicy',
        'New-IkeQuickModeCryptoProposal',
        'New-IkeTransportPolicy',
        'Remove-IkeMainModeSA',
        'Remove-IkePolicy',
        'Remove-IkeQuickModeSA',
        'Set-IkePolicy',
        'Start-IkeNegotiation',
        'Start-IkeResponder',
        'Stop-IkeResponder',
        'Test-IkeFlow'
    )
    FunctionsToExport     = @()
    VariablesToExport     = @()
    AliasesToExport       = @()

    FormatsToProcess      = @('IkeExtensions.format.ps1xml')

    PrivateData           = @{
        PSData = @{
            Tags = @('IKE', 'IKEv1', 'IKEv2', 'IPsec', 'MS-IKEE', 'AuthIP', 'WFP', 'NegotiationDiscovery', 'DSC', 'pcap', 'Network', 'Windows', 'Linux', 'PSEdition_Desktop', 'PSEdition_Core')
            # LicenseUri and ProjectUri: add once the project has a public home (no placeholder URLs).
            # LicenseUri = ''
            # ProjectUri = ''
            ReleaseNotes = 'Engine cmdlets (responders, negotiation, SAs, statistics), policy composition, export/import and WFP compilation, the Windows policy store, negotiation discovery flow tests.'
        }
    }
}
