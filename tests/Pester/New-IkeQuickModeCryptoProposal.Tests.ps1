#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.NewIkeQuickModeCryptoProposalCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'New-IkeQuickModeCryptoProposal' -Tag 'Unit' {
    It 'pairs AES-GCM with the matching GMAC' { (New-IkeQuickModeCryptoProposal -Encryption AESGCM256).EspHash | Should -Be 'AESGMAC256' }
    It 'uses NetSecurity defaults' {
        $p = New-IkeQuickModeCryptoProposal
        $p.LifetimeSeconds | Should -Be 3600
        $p.LifetimeKilobytes | Should -Be 100000
    }
    It 'GCM with a SHA hash is IkePolicyInvalid' {
        { New-IkeQuickModeCryptoProposal -Encryption AESGCM128 -ESPHash SHA256 -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyInvalid,$cmdletId"
    }
    It 'rejects a lifetime outside 5-2879 minutes' { { New-IkeQuickModeCryptoProposal -MaxMinutes 1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' }
}
