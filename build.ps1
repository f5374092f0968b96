#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the IkeExtensions PowerShell module.

.DESCRIPTION
    Plain PowerShell (no InvokeBuild). Each task is a function named Invoke-<Task>Task; -Task runs them in the order
    given, each at most once, with their prerequisites first.

      Clean    remove out/ and dotnet clean the solution
      Build    dotnet build -c <Configuration> (netstandard2.0 and net8.0), then lay out
               out/IkeExtensions/<version>/{Desktop,Core} + IkeExtensions.psd1/.psm1/.format.ps1xml,
               stamping ModuleVersion from <Version> in Directory.Build.props (the single source of the version)
      Test     Build + Help, dotnet test IkeExtensions.sln, then Invoke-Pester tests/Pester -CI against the built module
               (one file per cmdlet; skipped with a warning when Pester is not installed)
      Help     Build, then platyPS New-ExternalHelp en-US -> out/IkeExtensions/<version>/en-US (MAML + about_ topic);
               without platyPS only the about topic is copied, as text
      Package  Build + Help, then zip out/IkeExtensions/<version> to out/IkeExtensions.<version>.zip

    Pinned tools (install once: Install-Module <Name> -RequiredVersion <Version> -Scope CurrentUser):
      Pester  5.7.1
      platyPS 0.14.2

.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Help', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ModuleName = 'IkeExtensions'
$PesterVersion = '5.7.1'
$PlatyPSVersion = '0.14.2'
$RepoRoot = $PSScriptRoot
$OutRoot = Join-Path $RepoRoot 'out'
$ProjectDir = Join-Path $RepoRoot "src/$ModuleName"
# Module sub-folder => target framework of src/IkeExtensions/IkeExtensions.csproj loaded there.
$EditionFrameworks = [ordered]@{ Desktop = 'netstandard2.0'; Core = 'net8.0' }
$script:CompletedTasks = @{}

# A simple (non-advanced) function so switches such as -c reach dotnet untouched through $args.
function Invoke-Dotnet {
    Write-Host "dotnet $($args -join ' ')" -ForegroundColor Cyan
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args[0]) failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw -Path (Join-Path $RepoRoot 'Directory.Build.props'))
    $version = $props.SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()
    # ModuleVersion is a System.Version; a SemVer suffix (-preview1) would go to PSData.Prerelease.
    if ($version -notmatch '^\d+\.\d+\.\d+$') { throw "Version '$version' in Directory.Build.props is not Major.Minor.Patch." }
    $version
}

function Get-ModuleOutputPath {
    Join-Path $OutRoot "$ModuleName/$(Get-ModuleVersion)"
}

function Invoke-Once {
    param([string] $Name, [scriptblock] $Action)
    if ($script:CompletedTasks.ContainsKey($Name)) { return }
    Write-Host "== $Name" -ForegroundColor Green
    & $Action
    $script:CompletedTasks[$Name] = $true
}

function Invoke-CleanTask {
    Invoke-Once Clean {
        if (Test-Path $OutRoot) { Remove-Item -Recurse -Force $OutRoot }
        Invoke-Dotnet clean (Join-Path $RepoRoot "$ModuleName.sln") -c $Configuration
    }
}

function Invoke-BuildTask {
    Invoke-Once Build {
        Invoke-Dotnet build (Join-Path $ProjectDir "$ModuleName.csproj") -c $Configuration

        $version = Get-ModuleVersion
        $moduleOut = Get-ModuleOutputPath
        if (Test-Path $moduleOut) { Remove-Item -Recurse -Force $moduleOut }
        $null = New-Item -ItemType Directory -Path $moduleOut

        foreach ($edition in $EditionFrameworks.Keys) {
            $bin = Join-Path $ProjectDir "bin/$Configuration/$($EditionFrameworks[$edition])"
            $target = (New-Item -ItemType Directory -Path (Join-Path $moduleOut $edition)).FullName
            # The cmdlet DLL, the engine and their package dependencies (CopyLocalLockFileAssemblies);
            # System.Management.Automation is never there (ExcludeAssets=runtime): the host provides it.
            Copy-Item -Path (Join-Path $bin '*.dll'), (Join-Path $bin '*.pdb') -Destination $target
        }

        Copy-Item -Path (Join-Path $RepoRoot "$ModuleName.psm1") -Destination $moduleOut
        Copy-Item -Path (Join-Path $ProjectDir "$ModuleName.format.ps1xml") -Destination $moduleOut
        $manifest = Get-Content -Raw -Path (Join-Path $RepoRoot "$ModuleName.psd1")
        $manifest = $manifest -replace "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`${1}'$version'"
        Set-Content -Path (Join-Path $moduleOut "$ModuleName.psd1") -Value $manifest -Encoding UTF8 -NoNewline

        $null = Test-ModuleManifest -Path (Join-Path $moduleOut "$ModuleName.psd1")
        Write-Host "Module laid out in $moduleOut"
    }
}

function Invoke-TestTask {
    Invoke-BuildTask
    Invoke-HelpTask   # the Pester help meta-test reads the built MAML
    Invoke-Once Test {
        Invoke-Dotnet test (Join-Path $RepoRoot "$ModuleName.sln") -c $Configuration

        if (-not (Get-Module -ListAvailable Pester | Where-Object Version -EQ $PesterVersion)) {
            Write-Warning "Pester $PesterVersion is not installed: the Pester tests in tests/Pester were skipped (Install-Module Pester -RequiredVersion $PesterVersion)."
            return
        }
        Import-Module Pester -RequiredVersion $PesterVersion -ErrorAction Stop
        # -CI: NUnit XML test results, code coverage off, and a non-zero exit code when a test fails.
        Invoke-Pester -Path (Join-Path $RepoRoot 'tests/Pester') -CI
    }
}

function Invoke-HelpTask {
    Invoke-BuildTask
    Invoke-Once Help {
        $moduleOut = Get-ModuleOutputPath
        $helpOut = Join-Path $moduleOut 'en-US'
        if (-not (Get-Module -ListAvailable platyPS | Where-Object Version -EQ $PlatyPSVersion)) {
            # Without PlatyPS the module still gets its about topic (plain text); Get-Help shows generated syntax only.
            Write-Warning "platyPS $PlatyPSVersion is not installed: no MAML was built (Install-Module platyPS -RequiredVersion $PlatyPSVersion)."
            $null = New-Item -ItemType Directory -Force -Path $helpOut
            Copy-Item -Path (Join-Path $RepoRoot 'en-US/about_IkeExtensions.md') -Destination (Join-Path $helpOut 'about_IkeExtensions.help.txt')
            return
        }
        Import-Module platyPS -RequiredVersion $PlatyPSVersion -ErrorAction Stop
        # Cmdlet pages -> IkeExtensions.dll-Help.xml; about_IkeExtensions.help.md -> about_IkeExtensions.help.txt.
        $null = New-ExternalHelp -Path (Join-Path $RepoRoot 'en-US') -OutputPath $helpOut -Force
        # Cmdlet help is looked up beside the assembly that defines the cmdlet, which lives in Desktop/ or Core/.
        foreach ($edition in $EditionFrameworks.Keys) {
            $editionHelp = (New-Item -ItemType Directory -Force -Path (Join-Path $moduleOut "$edition/en-US")).FullName
            Copy-Item -Path (Join-Path $helpOut "$ModuleName.dll-Help.xml") -Destination $editionHelp
        }
    }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    Invoke-HelpTask
    Invoke-Once Package {
        $zip = Join-Path $OutRoot "$ModuleName.$(Get-ModuleVersion).zip"
        if (Test-Path $zip) { Remove-Item -Force $zip }
        # The archive holds IkeExtensions/<version>/..., ready to expand into a $env:PSModulePath folder.
        Compress-Archive -Path (Join-Path $OutRoot $ModuleName) -DestinationPath $zip
        Write-Host "Package: $zip"
    }
}

foreach ($name in $Task) {
    & "Invoke-${name}Task"
}
