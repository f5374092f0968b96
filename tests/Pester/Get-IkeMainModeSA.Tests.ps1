#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.GetIkeMainModeSACommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Get-IkeMainModeSA' -Tag 'Integration' {
    BeforeAll {
        $a = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'a'
        $b = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'b'
        $bPort = [int]($b.LocalEndpoint -split ':')[-1]
        $null = Start-IkeNegotiation -Responder $a -RemoteAddress 127.0.0.1 -RemotePort $bPort -Confirm:$false
    }

    It 'lists the SAs of every running responder with a ResponderId' {
        $rows = @(Get-IkeMainModeSA)
        $rows | ForEach-Object { $_ | Should -BeOfType ([IkeExtensions.Management.MainModeSaInfo]) }
        ($rows.ResponderId | Sort-Object -Unique) | Should -Be @($a.Id, $b.Id)
    }

    It 'takes responders from the pipeline and filters by remote address' {
        @($a | Get-IkeMainModeSA -RemoteAddress "127.0.0.1:$bPort").Count | Should -Be 1
        @($a | Get-IkeMainModeSA -RemoteAddress '198.51.100.*').Count | Should -Be 0
    }

    It '-Windows off Windows is IkePlatformNotSupported' -Skip:($IsWindows -or $PSEdition -eq 'Desktop') {
        { Get-IkeMainModeSA -Windows -ErrorAction Stop } | Should -Throw -ErrorId "IkePlatformNotSupported,$cmdletId"
    }
}
