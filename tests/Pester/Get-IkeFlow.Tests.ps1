#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.GetIkeFlowCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Get-IkeFlow' -Tag 'Unit' {
    BeforeAll { $result = New-IkeNegotiationDiscoveryPolicy -Name 'nd' -Boundary | Test-IkeFlow -RemoteAddress 192.0.2.20 }

    It 'lists the host flow, secured' {
        $flow = @($result | Get-IkeFlow)
        $flow.Count | Should -Be 1
        $flow[0].Secure | Should -BeTrue
        $flow[0] | Should -BeOfType ([IkeExtensions.NegotiationDiscovery.NdFlowEntry])
    }
    It 'lists the peer table with -Peer' { @($result | Get-IkeFlow -Peer).Count | Should -BeGreaterThan 0 }
    It 'filters by remote address' { @($result | Get-IkeFlow -RemoteAddress '203.0.113.*').Count | Should -Be 0 }
}
