#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.RemoveIkeQuickModeSACommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Remove-IkeQuickModeSA' -Tag 'Integration' {
    BeforeAll {
        $a = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'a'
        $b = Start-IkeResponder -LocalAddress 127.0.0.1 -Port 0 -NatTraversalPort 0 -PreSharedKey (New-TestKey) -Name 'b'
        $bPort = [int]($b.LocalEndpoint -split ':')[-1]
    }
    BeforeEach { $null = Start-IkeNegotiation -Responder $a -RemoteAddress 127.0.0.1 -RemotePort $bPort -ForceNewMainMode -Confirm:$false }

    It 'deletes piped SAs (Id and ResponderId bind by property name) and -PassThru writes them' {
        $sa = @($a | Get-IkeQuickModeSA)[0]
        $removed = $sa | Remove-IkeQuickModeSA -Confirm:$false -PassThru
        $removed.Id | Should -Be $sa.Id
    }

    It '-WhatIf deletes nothing' {
        $before = @($a | Get-IkeQuickModeSA).Count
        $a | Get-IkeQuickModeSA | Remove-IkeQuickModeSA -WhatIf
        @($a | Get-IkeQuickModeSA).Count | Should -Be $before
    }

    It 'an unknown id is IkeQuickModeSaNotFound' {
        { Remove-IkeQuickModeSA -Id 99999 -Responder $a -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "IkeQuickModeSaNotFound,$cmdletId"
    }
}
