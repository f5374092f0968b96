#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.StartIkeResponderCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Start-IkeResponder' -Tag 'Integration' {
    AfterEach { Get-IkeResponder | Stop-IkeResponder -Confirm:$false }

    It 'starts a responder on loopback with free ports and registers it' {
        $r = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'pester'
        $r | Should -BeOfType ([IkeExtensions.Management.IkeResponder])
        $r.State | Should -Be 'Running'
        $r.LocalEndpoint | Should -Match '^127\.0\.0\.1:\d+$'
        (Get-IkeResponder -Name pester).Id | Should -Be $r.Id
    }

    It '-WhatIf starts nothing' {
        Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -PreSharedKey (New-TestKey) -WhatIf
        @(Get-IkeResponder).Count | Should -Be 0
    }

    It 'takes the key from a piped policy' {
        $policy = New-IkeTransportPolicy -Name 'pester' -AuthProposal (New-IkeAuthProposal -PreSharedKey (New-TestKey))
        ($policy | Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NoNatTraversal).PolicyName | Should -Be 'pester'
    }

    It 'without a key is IkeResponderStartFailed' {
        { Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -ErrorAction Stop } | Should -Throw -ErrorId "IkeResponderStartFailed,$cmdletId"
    }

    It 'a text that is not an address is IkeResponderStartFailed (InvalidArgument)' {
        Start-IkeResponder -LocalAddress 'not-an-ip' -PreSharedKey (New-TestKey) -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}
