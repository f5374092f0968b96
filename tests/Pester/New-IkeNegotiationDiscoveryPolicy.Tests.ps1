#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.NewIkeNegotiationDiscoveryPolicyCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'New-IkeNegotiationDiscoveryPolicy' -Tag 'Unit' {
    It 'creates the seed scenario' {
        $p = New-IkeNegotiationDiscoveryPolicy -Name 'p' -Boundary
        $p | Should -BeOfType ([IkeExtensions.Policy.Model.IpsecPolicy])
        "$($p.Kind)" | Should -BeLike 'NegotiationDiscovery*'
    }
    It 'takes composed proposals and selectors, inferring the address family' {
        $mm = New-IkeMainModeCryptoProposal AES128 SHA256 DH19
        $p = New-IkeNegotiationDiscoveryPolicy -Name 'p' -MainModeProposal $mm -RemoteAddress 192.0.2.0/24 -Protocol TCP -RemotePort 445
        $p.MainModeCrypto.Proposals.Count | Should -Be 1
        $p.AddressFamilies | Should -Be 'IPv4'
    }
    It 'a bad address is IkePolicyInvalid' {
        { New-IkeNegotiationDiscoveryPolicy -Name 'p' -RemoteAddress '10.0.0.0/40' -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyInvalid,$cmdletId"
    }
    It 'Guarantee Encryption without a cipher is IkePolicyInvalid' {
        $qm = New-IkeQuickModeCryptoProposal -Encryption None -ESPHash SHA256
        { New-IkeNegotiationDiscoveryPolicy -Name 'p' -QuickModeProposal $qm -GuaranteeEncryption -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyInvalid,$cmdletId"
    }
}
