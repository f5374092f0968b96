#Requires -Version 5.1
# Windows PowerShell 5.1 DSC configuration using the class-based IkeIpsecPolicy resource (examples/dsc/IkePolicyDsc).
# Copy IkePolicyDsc to $env:ProgramFiles\WindowsPowerShell\Modules and ikex.exe to a folder on PATH (or set IkexPath),
# then:
#   . .\IsolationConfiguration.ps1
#   IkeIsolation -PolicyShare '\\example.com\SYSVOL\example.com\IkePolicies' -OutputPath C:\Dsc\IkeIsolation
#   Start-DscConfiguration -Path C:\Dsc\IkeIsolation -Wait -Verbose
# The LCM runs as SYSTEM, which can apply WFP policy; the computer account needs read access to the share.

Configuration IkeIsolation {
    param(
        [Parameter(Mandatory)]
        [string] $PolicyShare,

        [string] $IkexPath = 'C:\Program Files\IkeExtensions\ikex.exe'
    )

    Import-DscResource -ModuleName IkePolicyDsc

    Node 'localhost' {
        IkeIpsecPolicy DomainIsolation {
            PolicyPath = Join-Path $PolicyShare 'isolation.json'
            Ensure     = 'Present'
            IkexPath   = $IkexPath
        }

        IkeIpsecPolicy RetiredLabPolicy {
            PolicyPath = Join-Path $PolicyShare 'lab.json'
            Ensure     = 'Absent'
            IkexPath   = $IkexPath
        }
    }
}
