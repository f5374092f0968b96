#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.NewIkeMainModeCryptoProposalCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'New-IkeMainModeCryptoProposal' -Tag 'Unit' {
    It 'defaults to AES256, SHA256, DH14' {
        $p = New-IkeMainModeCryptoProposal
        "$($p.Encryption) $($p.Hash) $($p.KeyExchange)" | Should -Be 'AES256 SHA256 DH14'
    }
    It 'takes positional values' { (New-IkeMainModeCryptoProposal AES128 SHA384 DH20).KeyExchange | Should -Be 'DH20' }
    It 'GCM in main mode is IkePolicyInvalid' {
        { New-IkeMainModeCryptoProposal -Encryption AESGCM128 -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyInvalid,$cmdletId"
    }
}
