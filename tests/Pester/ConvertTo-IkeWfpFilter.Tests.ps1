#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.ConvertToIkeWfpFilterCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'ConvertTo-IkeWfpFilter' -Tag 'Unit' {
    It 'compiles provider, sublayer, contexts and filters in order' {
        $objects = @(New-IkeNegotiationDiscoveryPolicy -Name 'nd' -ExemptIcmp | ConvertTo-IkeWfpFilter)
        $objects[0].Kind | Should -Be 'Provider'
        $objects[1].Kind | Should -Be 'Sublayer'
        @($objects | Where-Object Kind -EQ 'Filter').Count | Should -BeGreaterThan 4
    }
    It '-FilterOnly writes filters only' {
        @(New-IkeTransportPolicy -Name 't' | ConvertTo-IkeWfpFilter -FilterOnly | Where-Object Kind -NE 'Filter').Count | Should -Be 0
    }
    It 'is deterministic: the same policy gives the same keys' {
        $a = (New-IkeTransportPolicy -Name 'same' | ConvertTo-IkeWfpFilter).Key
        $b = (New-IkeTransportPolicy -Name 'same' | ConvertTo-IkeWfpFilter).Key
        $b | Should -Be $a
    }
}
