#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.ImportIkePolicyCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Import-IkePolicy' -Tag 'Unit' -Skip:($PSEdition -eq 'Desktop') {
    BeforeAll {
        New-IkeNegotiationDiscoveryPolicy -Name 'imported' -Boundary | Export-IkePolicy -Path (Join-Path $TestDrive 'a.json')
        Set-Content -Path (Join-Path $TestDrive 'bad.json') -Value '{ "schemaVersion": 1, "surprise": true }'
    }

    It 'round-trips Export-IkePolicy' { (Import-IkePolicy (Join-Path $TestDrive 'a.json')).Name | Should -Be 'imported' }
    It 'binds FileInfo by FullName' { @(Get-Item (Join-Path $TestDrive 'a.json') | Import-IkePolicy).Count | Should -Be 1 }
    It 'an unknown field is IkePolicyFileInvalid (InvalidData)' {
        { Import-IkePolicy (Join-Path $TestDrive 'bad.json') -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyFileInvalid,$cmdletId"
    }
    It 'a missing file is IkePolicyFileNotFound' {
        { Import-IkePolicy (Join-Path $TestDrive 'missing.json') -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyFileNotFound,$cmdletId"
    }
    It 'errors are non-terminating: good files still import' {
        $p = @(Import-IkePolicy (Join-Path $TestDrive '*.json') -ErrorVariable e -ErrorAction SilentlyContinue)
        $p.Count | Should -Be 1
        $e.Count | Should -Be 1
    }
}
