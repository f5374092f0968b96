#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.GetIkeStatisticsCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Get-IkeStatistics' -Tag 'Integration' {
    BeforeAll {
        $a = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'a'
        $b = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'b'
        $bPort = [int]($b.LocalEndpoint -split ':')[-1]
        $null = Start-IkeNegotiation -Responder $a -RemoteAddress 127.0.0.1 -RemotePort $bPort -Confirm:$false
    }

    It 'counts the negotiation on both sides' {
        $stats = @(Get-IkeStatistics)
        $stats.Count | Should -Be 2
        ($stats | Where-Object ResponderId -EQ $a.Id).MainModeEstablished | Should -Be 1
        ($stats | Where-Object ResponderId -EQ $b.Id).QuickModeEstablished | Should -BeGreaterOrEqual 1
    }

    It 'takes responders from the pipeline' { @($b | Get-IkeStatistics).Count | Should -Be 1 }

    It 'an unknown responder id is IkeResponderNotFound' {
        { Get-IkeStatistics -ResponderId 4242 -ErrorAction Stop } | Should -Throw -ErrorId "IkeResponderNotFound,$cmdletId"
    }
}
