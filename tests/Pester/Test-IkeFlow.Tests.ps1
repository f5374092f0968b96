#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.TestIkeFlowCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Test-IkeFlow' -Tag 'Unit' {
    BeforeAll {
        $nd = New-IkeNegotiationDiscoveryPolicy -Name 'nd' -Boundary -RemoteAddress 192.0.2.0/24
        $traces = Join-Path $repoRoot 'tests/IkeExtensions.Tests/Vectors/nd'
    }

    It 'secures the flow with a capable peer after the first packet' {
        $r = $nd | Test-IkeFlow -RemoteAddress 192.0.2.20
        $r.Packets[0].Host.Verdict | Should -Be 'SendClear'
        $r.Packets[1].Host.Verdict | Should -Be 'SendSecured'
    }
    It 'keeps sending clear to a peer without IKE' {
        ($nd | Test-IkeFlow -RemoteAddress 192.0.2.20 -PeerKind Incapable -Count 3).Packets.Host.Verdict | Should -Not -Contain 'SendSecured'
    }
    It 'runs the spec trace of figure 7 and passes' -Skip:($PSEdition -eq 'Desktop') {
        ($nd | Test-IkeFlow -TracePath (Join-Path $traces 'fig07-capable-peer.trace.json')).Passed | Should -BeTrue
    }
    It 'a broken trace is IkeFlowTraceInvalid' -Skip:($PSEdition -eq 'Desktop') {
        Set-Content (Join-Path $TestDrive 't.json') '{ "events": 3 }'
        { $nd | Test-IkeFlow -TracePath (Join-Path $TestDrive 't.json') -ErrorAction Stop } | Should -Throw -ErrorId "IkeFlowTraceInvalid,$cmdletId"
    }
    It 'a bad protocol is IkePolicyInvalid' {
        { Test-IkeFlow -RemoteAddress 192.0.2.20 -Protocol 'nope' -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyInvalid,$cmdletId"
    }
}
