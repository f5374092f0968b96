#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.GetIkeResponderCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Get-IkeResponder' -Tag 'Integration' {
    BeforeAll {
        $a = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'lab-a'
        $b = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'lab-b'
    }

    It 'lists all responders in id order' { (Get-IkeResponder).Name | Should -Be @('lab-a', 'lab-b') }
    It 'filters by wildcard name' { (Get-IkeResponder -Name '*-b').Id | Should -Be $b.Id }
    It 'gets by id' { (Get-IkeResponder -Id $a.Id).Name | Should -Be 'lab-a' }
    It 'returns the log lines' { $a.GetLog() | Should -Not -BeNullOrEmpty }
    It 'an unknown id is IkeResponderNotFound' {
        { Get-IkeResponder -Id 4242 -ErrorAction Stop } | Should -Throw -ErrorId "IkeResponderNotFound,$cmdletId"
    }
    It 'a wildcard that matches nothing is not an error' { @(Get-IkeResponder -Name 'zzz*' -ErrorAction Stop).Count | Should -Be 0 }
}
