# Class-based DSC resource IkeIpsecPolicy (MOF-less): an IkeExtensions policy file applied to the Windows Filtering
# Platform. Get/Test/Set run `ikex dsc get|test|set` with the instance as JSON on standard input (not as an argument:
# Windows PowerShell 5.1 mangles embedded quotes in native arguments), so the same logic serves DSC v3 and PS 5.1 DSC,
# and the netstandard2.0 module build, which cannot read policy files, is not needed here.

enum Ensure {
    Absent
    Present
}

[DscResource()]
class IkeIpsecPolicy {
    # A policy file written by Export-IkePolicy or 'ikex policy new' (local path or UNC share).
    [DscProperty(Key)]
    [string] $PolicyPath

    [DscProperty()]
    [Ensure] $Ensure = [Ensure]::Present

    # ikex.exe; default: found on PATH.
    [DscProperty()]
    [string] $IkexPath = 'ikex'

    # A JSON state file used instead of WFP (tests, dry runs on machines without WFP).
    [DscProperty()]
    [string] $StorePath

    [DscProperty(NotConfigurable)]
    [string] $PolicyName

    [IkeIpsecPolicy] Get() {
        $state = $this.InvokeIkex('get')
        $result = [IkeIpsecPolicy]::new()
        $result.PolicyPath = $this.PolicyPath
        $result.IkexPath = $this.IkexPath
        $result.StorePath = $this.StorePath
        $result.Ensure = [Ensure] $state.ensure
        $result.PolicyName = $state.policyName
        return $result
    }

    [bool] Test() {
        $state = $this.InvokeIkex('test')
        Write-Verbose "IkeIpsecPolicy '$($state.policyName)': desired $($this.Ensure), actual $($state.ensure)."
        return [bool] $state._inDesiredState
    }

    [void] Set() {
        $state = $this.InvokeIkex('set')
        foreach ($change in @($state.changes)) { Write-Verbose "IkeIpsecPolicy '$($state.policyName)': $change" }
    }

    hidden [pscustomobject] InvokeIkex([string] $operation) {
        $instance = @{ policyPath = $this.PolicyPath; ensure = $this.Ensure.ToString() }
        if ($this.StorePath) { $instance.storePath = $this.StorePath }
        $json = $instance | ConvertTo-Json -Compress

        $start = [System.Diagnostics.ProcessStartInfo]::new($this.IkexPath)
        $start.Arguments = "dsc $operation"
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $process.StandardInput.Write($json)
        $process.StandardInput.Close()
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) {
            throw "ikex dsc $operation failed (exit code $($process.ExitCode)): $($stderr.Result.Trim())"
        }
        return $stdout | ConvertFrom-Json
    }
}
