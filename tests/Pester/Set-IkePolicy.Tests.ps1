#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.SetIkePolicyCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Set-IkePolicy' -Tag 'Integration' {
    It 'off Windows is IkePlatformNotSupported' -Skip:($IsWindows -or $PSEdition -eq 'Desktop') {
        { New-IkeTransportPolicy -Name 'x' | Set-IkePolicy -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "IkePlatformNotSupported,$cmdletId"
    }
    It '-WhatIf applies nothing' {
        New-IkeTransportPolicy -Name 'pester-whatif' | Set-IkePolicy -WhatIf
        if ($IsWindows -or $PSEdition -eq 'Desktop') { Get-IkePolicy -Name 'pester-whatif' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
    }
    It 'applies idempotently and dynamically (Windows, administrator)' -Skip:(-not ($IsWindows -or $PSEdition -eq 'Desktop')) {
        $p = New-IkeNegotiationDiscoveryPolicy -Name 'pester-dynamic' -Boundary -RemoteAddress 198.51.100.0/24
        ($p | Set-IkePolicy -Dynamic -Confirm:$false).Changed | Should -BeTrue
        ($p | Set-IkePolicy -Dynamic -Confirm:$false).Changed | Should -BeFalse
    }
}
