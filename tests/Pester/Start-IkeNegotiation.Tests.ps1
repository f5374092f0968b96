#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.StartIkeNegotiationCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Start-IkeNegotiation' -Tag 'Integration' {
    BeforeAll {
        $a = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'a'
        $b = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'b'
        $bPort = [int]($b.LocalEndpoint -split ':')[-1]
    }

    It 'negotiates Main Mode and Quick Mode between two responders on loopback' {
        $outcome = $a | Start-IkeNegotiation -RemoteAddress 127.0.0.1 -RemotePort $bPort -Confirm:$false
        $outcome.Succeeded | Should -BeTrue
        $outcome.QuickModeSa.EncapsulationMode | Should -Be 'Transport'
        $outcome.ResponderId | Should -Be $a.Id
    }

    It '-IkeVersion IKEv2 negotiates an IKEv2 SA and its child (RFC 7296), listed with KeyModule IKEv2' {
        $outcome = $a | Start-IkeNegotiation -RemoteAddress 127.0.0.1 -RemotePort $bPort -IkeVersion IKEv2 -Confirm:$false
        $outcome.Succeeded | Should -BeTrue
        $outcome.MainModeSa.KeyModule | Should -Be 'IKEv2'
        Get-IkeMainModeSA -Responder $a | Where-Object Id -eq $outcome.MainModeSaId | Select-Object -ExpandProperty KeyModule | Should -Be 'IKEv2'
        (Get-IkeStatistics -Responder $a).IkeV2SaEstablished | Should -BeGreaterOrEqual 1
    }

    It '-IkeVersion Both is not a negotiation choice' {
        { Start-IkeNegotiation -Responder $a -RemoteAddress 127.0.0.1 -RemotePort $bPort -IkeVersion Both -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IkeExtensions.PowerShell.Commands.StartIkeNegotiationCommand'
    }

    It '-WhatIf negotiates nothing' {
        $before = (Get-IkeStatistics -Responder $a).MainModeEstablished
        Start-IkeNegotiation -Responder $a -RemoteAddress 127.0.0.1 -RemotePort $bPort -ForceNewMainMode -WhatIf
        (Get-IkeStatistics -Responder $a).MainModeEstablished | Should -Be $before
    }

    It 'a peer with another key is IkeNegotiationFailed (ConnectionError) with the outcome as target' {
        $c = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NoNatTraversal -PreSharedKey (New-TestKey 'other') -Name 'c'
        $cPort = [int]($c.LocalEndpoint -split ':')[-1]
        Start-IkeNegotiation -Responder $a -RemoteAddress 127.0.0.1 -RemotePort $cPort -TimeoutSeconds 10 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be "IkeNegotiationFailed,$cmdletId"
        $e[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $e[0].TargetObject.FailureReason | Should -Not -BeNullOrEmpty
    }

    It 'without -Responder and two running is IkeResponderAmbiguous' {
        { Start-IkeNegotiation -RemoteAddress 127.0.0.1 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "IkeResponderAmbiguous,$cmdletId"
    }

    It 'a bad address is IkeNegotiationAddressInvalid' {
        { Start-IkeNegotiation -Responder $a -RemoteAddress 'nowhere' -ErrorAction Stop } | Should -Throw -ErrorId "IkeNegotiationAddressInvalid,$cmdletId"
    }
}
