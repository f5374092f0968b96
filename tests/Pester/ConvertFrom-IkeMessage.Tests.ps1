#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 (build.ps1 pins 5.7.1). Run after ./build.ps1 -Task Build, Help: imports the module laid out in
# out/IkeExtensions/<version>/ (Desktop/ on Windows PowerShell 5.1, Core/ on PowerShell 7).

BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop

    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $exportedCmdlets = @(Get-Command -Module IkeExtensions -CommandType Cmdlet | ForEach-Object {
            @{
                Name       = $_.Name
                Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common })
            }
        })
}

BeforeAll {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = ([xml](Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props'))).SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    Import-Module (Join-Path $repoRoot "out/IkeExtensions/$version/IkeExtensions.psd1") -Force -ErrorAction Stop

    $captures = Join-Path $repoRoot 'tests/IkeExtensions.Tests/Vectors/captures'
    $mmQmPsk = Join-Path $captures 'ikev1-mm-qm-psk.pcap'
    $cmdletId = 'IkeExtensions.PowerShell.Commands.ConvertFromIkeMessageCommand'
    # IKEv2 INFORMATIONAL request, frame 5 of ikev2-psk.pcap (strongSwan 5.9.8; see captures/README.md).
    $informationalHex = 'abf8742aae99f06169f046651c5f848d2e20250800000002000000502a000034bc51f661705672a7a274bb19c0b1155ca1686597fdc67471ce052be2cb26d6f10cf87673240c18524d5b23c4adeca020'
}

AfterAll {
    Remove-Module IkeExtensions -ErrorAction SilentlyContinue
}

Describe 'IkeExtensions module' -Tag 'Unit' {
    It 'loads the build for this edition' {
        $edition = if ($PSEdition -eq 'Core') { 'Core' } else { 'Desktop' }
        $cmdlet = Get-Command ConvertFrom-IkeMessage -CommandType Cmdlet
        $cmdlet.ImplementingType.Assembly.Location | Should -BeLike "*$([IO.Path]::DirectorySeparatorChar)$edition$([IO.Path]::DirectorySeparatorChar)IkeExtensions.dll"
    }

    It 'exports exactly the manifest''s cmdlets and nothing else' {
        $module = Get-Module IkeExtensions
        $manifest = Import-PowerShellDataFile (Join-Path $repoRoot 'IkeExtensions.psd1')
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }
}

Describe 'ConvertFrom-IkeMessage' -Tag 'Unit' {
    Context '-Path with a strongSwan IKEv1 Main Mode + Quick Mode capture' {
        BeforeAll {
            $messages = @(ConvertFrom-IkeMessage -Path $mmQmPsk)
        }

        It 'decodes all 10 IKE datagrams' {
            $messages.Count | Should -Be 10
            $messages | ForEach-Object { $_ | Should -BeOfType ([IkeExtensions.Management.DecodedIkeMessage]) }
        }

        It 'starts with Main Mode (exchange type 2, ID_PROT / IdentityProtection)' {
            $messages[0].MajorVersion | Should -Be 1
            $messages[0].ExchangeType | Should -Be 'Main Mode'
            $messages[0].Payloads | Should -Be 'SA VID VID VID VID VID VID'
        }

        It 'reads the RFC 3947 NAT-T vendor ID in MM1 and not the draft one in MM2' {
            $messages[0].VendorIds | Should -Contain 'RFC 3947'
            $messages[1].VendorIds | Should -Contain 'RFC 3947'
            $messages[1].VendorIds | Should -Not -Contain 'draft-ietf-ipsec-nat-t-ike-02\n'
        }

        It 'keeps frame numbers and endpoints' {
            $messages.FrameNumber | Should -Be (1..10)
            $messages[0].Source.ToString() | Should -Be '192.0.2.1:500'
            $messages[1].Source.ToString() | Should -Be '192.0.2.2:500'
        }

        It 'shows Quick Mode with its message ID' {
            $messages[6].ExchangeType | Should -Be 'Quick Mode'
            $messages[6].MessageId | Should -Be 1287740742
        }

        It 'has no decode errors' {
            @($messages | Where-Object Error) | Should -BeNullOrEmpty
        }

        It 'renders a full dissection' {
            $lines = $messages[0].Render()
            $lines[0] | Should -BeLike 'Frame 1: 192.0.2.1:500 -> 192.0.2.2:500*Main Mode*'
            $lines | Should -Contain '  VID: RFC 3947 [4a131c81070358455c5728f20e95452f]'
        }
    }

    Context 'pipeline binding' {
        It 'binds FileInfo from Get-ChildItem to -Path by FullName' {
            @(Get-Item $mmQmPsk | ConvertFrom-IkeMessage).Count | Should -Be 10
        }

        It 'binds piped strings to -Hex' {
            $message = $informationalHex | ConvertFrom-IkeMessage
            $message.MajorVersion | Should -Be 2
            $message.ExchangeType | Should -Be 'INFORMATIONAL'
            $message.MessageId | Should -Be 2
            $message.Payloads | Should -Be 'SK'
        }

        It 'resolves wildcards' {
            @(ConvertFrom-IkeMessage -Path (Join-Path $captures 'ikev1-mm-*.pcap')).Count | Should -Be 10
        }

        It 'resolves PowerShell-relative paths' {
            Push-Location $captures
            try { @(ConvertFrom-IkeMessage -Path './ikev1-mm-qm-psk.pcap').Count | Should -Be 10 }
            finally { Pop-Location }
        }
    }

    Context '-Hex and -Bytes' {
        It 'decodes hex with spaces, colons and a 0x prefix' {
            $spaced = '0x' + (($informationalHex -split '(..)' | Where-Object { $_ }) -join ':')
            (ConvertFrom-IkeMessage -Hex $spaced).InitiatorSpi | Should -Be ([Convert]::ToUInt64('abf8742aae99f061', 16))
        }

        It 'decodes the same message from bytes' {
            $bytes = [byte[]]::new($informationalHex.Length / 2)
            for ($i = 0; $i -lt $bytes.Length; $i++) { $bytes[$i] = [Convert]::ToByte($informationalHex.Substring(2 * $i, 2), 16) }
            (ConvertFrom-IkeMessage -Bytes $bytes).Payloads | Should -Be 'SK'
        }

        It 'still outputs a datagram that fails to decode, with Error set and a verbose message' {
            $output = ConvertFrom-IkeMessage -Hex 'deadbeef' -Verbose 4>&1
            $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $message = @($output | Where-Object { $_ -is [IkeExtensions.Management.DecodedIkeMessage] })
            $message.Count | Should -Be 1
            $message[0].Error | Should -Not -BeNullOrEmpty
            $message[0].Length | Should -Be 4
            $verbose.Count | Should -BeGreaterThan 0
        }
    }

    Context 'errors' {
        It 'a missing path is IkeMessagePathNotFound' {
            { ConvertFrom-IkeMessage -Path (Join-Path $TestDrive 'missing.pcap') -ErrorAction Stop } |
                Should -Throw -ErrorId "IkeMessagePathNotFound,$cmdletId"
        }

        It 'a wildcard that matches nothing is IkeMessagePathNotFound' {
            { ConvertFrom-IkeMessage -Path (Join-Path $TestDrive 'nothing-*.pcap') -ErrorAction Stop } |
                Should -Throw -ErrorId "IkeMessagePathNotFound,$cmdletId"
        }

        It 'errors are non-terminating: the next path is still decoded' {
            $messages = @(ConvertFrom-IkeMessage -Path (Join-Path $TestDrive 'missing.pcap'), $mmQmPsk -ErrorVariable errors -ErrorAction SilentlyContinue)
            $messages.Count | Should -Be 10
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be "IkeMessagePathNotFound,$cmdletId"
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'a file that is neither a capture nor hex is IkeMessageInputInvalid' {
            $notes = Join-Path $TestDrive 'notes.txt'
            Set-Content -Path $notes -Value 'this is not an IKE capture'
            { ConvertFrom-IkeMessage -Path $notes -ErrorAction Stop } |
                Should -Throw -ErrorId "IkeMessageInputInvalid,$cmdletId"
        }

        It 'text that is not hex is IkeMessageInputInvalid' {
            { ConvertFrom-IkeMessage -Hex 'zz-not-hex' -ErrorAction Stop } |
                Should -Throw -ErrorId "IkeMessageInputInvalid,$cmdletId"
        }

        It 'a path on another provider is IkeMessagePathNotFileSystem' {
            { ConvertFrom-IkeMessage -Path 'Env:\PATH' -ErrorAction Stop } |
                Should -Throw -ErrorId "IkeMessagePathNotFileSystem,$cmdletId"
        }
    }
}

Describe 'Help for <Name>' -Tag 'Unit' -ForEach $exportedCmdlets {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
    }

    It 'has a synopsis (not the generated syntax)' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape($Name) + '\s+\[')
    }

    It 'has a description' {
        ($help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and remarks' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents parameter -<_>' -ForEach $Parameters {
        $parameterHelp = $help.Parameters.Parameter | Where-Object Name -EQ $_
        $parameterHelp | Should -Not -BeNullOrEmpty
        ($parameterHelp.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }
}
