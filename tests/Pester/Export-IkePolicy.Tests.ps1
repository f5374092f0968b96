#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build: imports the module laid out in out/IkeExtensions/<version>/.

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop
    $cmdletId = 'IkeExtensions.PowerShell.Commands.ExportIkePolicyCommand'
    function New-TestKey([string] $Text = 'pester-psk') { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Get-IkeResponder -ErrorAction SilentlyContinue | Stop-IkeResponder -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'Export-IkePolicy' -Tag 'Unit' {
    BeforeAll { $policy = New-IkeTransportPolicy -Name 'export' -AuthProposal (New-IkeAuthProposal -PreSharedKey (New-TestKey 'file-secret')) }

    It 'writes a versioned file without the key' -Skip:($PSEdition -eq 'Desktop') {
        $file = Join-Path $TestDrive 'p.json'
        $policy | Export-IkePolicy -Path $file
        (Get-Content -Raw $file) | Should -Match '"schemaVersion"'
        (Get-Content -Raw $file) | Should -Not -Match 'file-secret'
    }
    It 'refuses to replace a file without -Force, then replaces it with secrets' -Skip:($PSEdition -eq 'Desktop') {
        $file = Join-Path $TestDrive 'q.json'
        $policy | Export-IkePolicy -Path $file
        { $policy | Export-IkePolicy -Path $file -ErrorAction Stop } | Should -Throw -ErrorId "IkePolicyFileExists,$cmdletId"
        $policy | Export-IkePolicy -Path $file -Force -IncludeSecrets
        (Get-Content -Raw $file) | Should -Match 'file-secret'
    }
    It '-WhatIf writes nothing' {
        $policy | Export-IkePolicy -Path (Join-Path $TestDrive 'w.json') -WhatIf
        Join-Path $TestDrive 'w.json' | Should -Not -Exist
    }
    It 'writes the same file on Windows PowerShell 5.1 and PowerShell 7 (round trip through Import-IkePolicy)' {
        $file = Join-Path $TestDrive 'd.json'
        $policy | Export-IkePolicy -Path $file
        (Import-IkePolicy -Path $file).Name | Should -Be $policy.Name
    }
}
