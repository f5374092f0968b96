# Loader for the IkeExtensions binary module (RootModule of IkeExtensions.psd1).
# Windows PowerShell 5.1 ($PSEdition 'Desktop') loads the netstandard2.0 build from Desktop/,
# PowerShell 7.4+ ('Core') the net8.0 build from Core/. Keep this file logic-free: cmdlets live in the DLL.

$editionFolder = if ($PSEdition -eq 'Core') { 'Core' } else { 'Desktop' }
$binaryModulePath = Join-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath $editionFolder) -ChildPath 'IkeExtensions.dll'
$binaryModule = Import-Module -Name $binaryModulePath -PassThru -ErrorAction Stop

# Re-export the binary module's cmdlets; the manifest's explicit CmdletsToExport then filters them.
Export-ModuleMember -Cmdlet @($binaryModule.ExportedCmdlets.Keys)

# Unload the nested binary module with this one.
$ExecutionContext.SessionState.Module.OnRemove = {
    Remove-Module -ModuleInfo $binaryModule -ErrorAction SilentlyContinue
}
