#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.RemoveIkePolicyCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Remove-IkePolicy' -Tag 'Integration' {
    It 'off Windows is IkePlatformNotSupported' -Skip:($IsWindows -or $PSEdition -eq 'Desktop') {
        { Remove-IkePolicy -Name 'x' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "IkePlatformNotSupported,$cmdletId"
    }
    It 'a policy that is not applied is IkePolicyNotFound (Windows)' -Skip:(-not ($IsWindows -or $PSEdition -eq 'Desktop')) {
        { Remove-IkePolicy -Name 'pester-never-applied' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyNotFound,$cmdletId"
    }
    It '-WhatIf removes nothing' { { Remove-IkePolicy -Name 'anything' -WhatIf -ErrorAction Stop } | Should -Not -Throw }
}
