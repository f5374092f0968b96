using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace IkeExtensions.PowerShell
{
    /// <summary>
    /// Runs when Import-Module loads IkeExtensions.dll: on Windows PowerShell 5.1 it resolves our shipped dependencies from
    /// the module folder (see <see cref="ModuleFolderProbe"/>); PowerShell 7 loads them by itself. Removed again on
    /// Remove-Module.
    /// </summary>
    public sealed class ModuleAssemblyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string Folder = Path.GetDirectoryName(typeof(ModuleAssemblyResolver).Assembly.Location) ?? "";

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            string? path = ModuleFolderProbe.Find(Folder, args.Name);
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
