#Requires -Version 5.1
<#
.SYNOPSIS
    GPO computer startup script: applies an IkeExtensions IPsec policy file from a share to the Windows Filtering
    Platform, idempotently, and reports the result to the event log, the transcript and the exit code.

.DESCRIPTION
    Runs as SYSTEM at startup (Computer Configuration > Policies > Windows Settings > Scripts > Startup; on the
    "PowerShell Scripts" tab, script Set-IkePolicyFromShare.ps1 with parameters such as
    -PolicyPath \\example.com\SYSVOL\example.com\IkePolicies\isolation.json).

    1. Copies the policy file from the share to a local cache, retrying while the network comes up. If the share stays
       unreachable, the cached copy of the last good run is used, so the computer keeps its policy.
    2. `ikex dsc test`: when WFP already holds the policy exactly as the file describes, nothing is changed.
    3. Otherwise `ikex dsc set` applies it in one WFP transaction (all or nothing) and lists the changes.

    It uses ikex rather than the cmdlets because startup scripts run under Windows PowerShell 5.1, where the module's
    netstandard2.0 build does not read policy files. Every line written is prefixed "IkeExtensions:" for transcripts,
    and one event (source IkeExtensions, Application log) records the outcome.

    Exit codes: 0 the policy is applied (now or already); 1 applying failed (WFP error, access denied);
    2 the policy file is not usable; 3 the policy file could not be obtained (no share and no cached copy);
    4 ikex was not found.

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\Set-IkePolicyFromShare.ps1 -PolicyPath \\example.com\SYSVOL\example.com\IkePolicies\isolation.json

.EXAMPLE
    .\Set-IkePolicyFromShare.ps1 -PolicyPath .\isolation.json -StorePath .\wfp-state.json -IkexPath ikex
    Rehearses the script against a JSON state file instead of WFP (any OS with ikex).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $PolicyPath,

    [string] $IkexPath = (Join-Path $env:ProgramFiles 'IkeExtensions\ikex.exe'),

    [string] $CacheDirectory = (Join-Path $env:ProgramData 'IkeExtensions\PolicyCache'),

    [ValidateRange(0, 60)]
    [int] $RetryCount = 6,

    [ValidateRange(1, 300)]
    [int] $RetryDelaySeconds = 10,

    # A JSON state file used instead of WFP (rehearsals and tests).
    [string] $StorePath
)

$ErrorActionPreference = 'Stop'
$EventSource = 'IkeExtensions'

function Write-Result {
    param([int] $ExitCode, [string] $Message, [ValidateSet('Information', 'Warning', 'Error')] [string] $Level = 'Information')
    Write-Output "IkeExtensions: $Message (exit code $ExitCode)"
    try {
        if ($env:OS -eq 'Windows_NT') {
            if (-not [System.Diagnostics.EventLog]::SourceExists($EventSource)) { New-EventLog -LogName Application -Source $EventSource }
            # Event ids: 1000 + exit code, so monitoring can alert on 1001-1004.
            Write-EventLog -LogName Application -Source $EventSource -EventId (1000 + $ExitCode) -EntryType $Level -Message "$Message`r`nPolicy: $PolicyPath"
        }
    } catch {
        Write-Output "IkeExtensions: could not write the event log: $($_.Exception.Message)"
    }
    exit $ExitCode
}

function Invoke-Ikex {
    param([string] $Operation, [string] $InstanceJson)
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = $script:Ikex
    $start.Arguments = "dsc $Operation"
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Write($InstanceJson)
    $process.StandardInput.Close()
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; State = $(if ($stdout) { $stdout | ConvertFrom-Json }); Error = $stderr.Result.Trim() }
}

# ikex: the given path, or a command of that name on PATH.
$command = Get-Command -Name $IkexPath -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $command) { Write-Result 4 "ikex was not found at '$IkexPath'." 'Error' }
$script:Ikex = $command.Source

# 1. Fetch the policy file (the network may not be up yet at startup), falling back to the last good copy.
$null = New-Item -ItemType Directory -Force -Path $CacheDirectory
$cached = Join-Path $CacheDirectory (Split-Path -Leaf $PolicyPath)
$fetched = $false
for ($attempt = 0; $attempt -le $RetryCount -and -not $fetched; $attempt++) {
    if ($attempt -gt 0) { Start-Sleep -Seconds $RetryDelaySeconds }
    try {
        Copy-Item -LiteralPath $PolicyPath -Destination "$cached.new" -Force
        $fetched = $true
    } catch {
        Write-Output "IkeExtensions: attempt $($attempt + 1): cannot read '$PolicyPath': $($_.Exception.Message)"
    }
}
$instance = @{ policyPath = "$cached.new"; ensure = 'Present' }
if (-not $fetched) {
    if (-not (Test-Path -LiteralPath $cached)) { Write-Result 3 "The policy file '$PolicyPath' is unreachable and there is no cached copy." 'Error' }
    Write-Output "IkeExtensions: using the cached copy '$cached' of the last good run."
    $instance.policyPath = $cached
}
if ($StorePath) { $instance.storePath = $StorePath }
$json = $instance | ConvertTo-Json -Compress

# 2. Test, 3. set when needed.
$test = Invoke-Ikex test $json
if ($test.ExitCode -eq 2) { Write-Result 2 "The policy file is not usable: $($test.Error)" 'Error' }
if ($test.ExitCode -ne 0) { Write-Result 1 "Reading the WFP state failed: $($test.Error)" 'Error' }
if ($fetched) {
    # The new copy is usable: it becomes the cached copy that later runs fall back to.
    Move-Item -LiteralPath "$cached.new" -Destination $cached -Force
    $instance.policyPath = $cached
    $json = $instance | ConvertTo-Json -Compress
}
if ($test.State._inDesiredState) { Write-Result 0 "Policy '$($test.State.policyName)' is already applied; nothing changed." }

$set = Invoke-Ikex set $json
if ($set.ExitCode -ne 0) { Write-Result $(if ($set.ExitCode -eq 2) { 2 } else { 1 }) "Applying policy '$($test.State.policyName)' failed; WFP is unchanged: $($set.Error)" 'Error' }
foreach ($change in @($set.State.changes)) { Write-Output "IkeExtensions: $change" }
Write-Result 0 "Policy '$($set.State.policyName)' applied: $(@($set.State.changes).Count) change(s)."
