#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.StopIkeResponderCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Stop-IkeResponder' -Tag 'Integration' {
    BeforeEach { $r = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'pester-stop' }
    AfterEach { Get-IkeResponder | Stop-IkeResponder -Confirm:$false }

    It 'stops piped responders and -PassThru shows them stopped' {
        $stopped = $r | Stop-IkeResponder -Confirm:$false -PassThru
        $stopped.State | Should -Be 'Stopped'
        @(Get-IkeResponder).Count | Should -Be 0
    }

    It 'stops by name with wildcards and by id' {
        Stop-IkeResponder -Name 'pester-*' -Confirm:$false
        @(Get-IkeResponder).Count | Should -Be 0
    }

    It '-WhatIf leaves it running' {
        Stop-IkeResponder -Id $r.Id -WhatIf
        (Get-IkeResponder -Id $r.Id).State | Should -Be 'Running'
    }

    It 'an unknown name is IkeResponderNotFound' {
        { Stop-IkeResponder -Name 'nope' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "IkeResponderNotFound,$cmdletId"
    }
}
