@{
    RootModule           = 'IkePolicyDsc.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c8a43-2f0e-4d55-9a0f-6f1d2b8c9e41'
    Author               = 'IkeExtensions contributors'
    Description          = 'Class-based DSC resource (Windows PowerShell 5.1 DSC, PSDesiredStateConfiguration 2.x) for IkeExtensions IPsec policy files, backed by ikex dsc.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DscResourcesToExport = @('IkeIpsecPolicy')
    FunctionsToExport    = @()
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
