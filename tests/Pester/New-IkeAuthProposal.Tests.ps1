#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.NewIkeAuthProposalCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'New-IkeAuthProposal' -Tag 'Unit' {
    It 'defaults to computer Kerberos' { (New-IkeAuthProposal -Kerberos).Principal | Should -Be 'Machine' }
    It 'hides the pre-shared key' {
        $p = New-IkeAuthProposal -PreSharedKey (New-TestKey 'very-secret')
        $p.Method | Should -Be 'PreSharedKey'
        ($p | Out-String) | Should -Not -Match 'very-secret'
    }
    It 'makes certificate proposals' { (New-IkeAuthProposal -Cert -Authority 'CN=Example Root CA' -Signing ECDSA256).Signing | Should -Be 'ECDSA256' }
    It 'a certificate proposal without authority or thumbprint is IkePolicyInvalid' {
        { New-IkeAuthProposal -Cert -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyInvalid,$cmdletId"
    }
}
