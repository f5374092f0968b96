using System;
using System.IO;
using System.Reflection;

namespace IkeExtensions.PowerShell
{
    /// <summary>
    /// Finds a dependency in the module's own folder by simple name, whatever version was asked for. Windows PowerShell 5.1
    /// runs on .NET Framework, which binds strong-named references by exact version and reads binding redirects only from
    /// powershell.exe.config; the netstandard2.0 packages we ship (System.Text.Json and its System.Memory, Unsafe, Buffers…)
    /// reference each other at versions that differ from the files beside them. Answering AssemblyResolve with the file
    /// we ship is the binding redirect a module cannot declare. Kept free of PowerShell and engine types so it can run
    /// inside the resolve event without loading anything else, and so tests can compile it on its own.
    /// </summary>
    internal static class ModuleFolderProbe
    {
        /// <summary>The path of <paramref name="requested"/>'s DLL in <paramref name="folder"/>, or null when we do not ship it.</summary>
        public static string? Find(string folder, string requestedFullName)
        {
            if (string.IsNullOrEmpty(folder) || string.IsNullOrEmpty(requestedFullName)) return null;
            string? name;
            try { name = new AssemblyName(requestedFullName).Name; }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException) { return null; }
            // Resources and the host's own assemblies are not ours to answer; a name with path characters never is.
            if (string.IsNullOrEmpty(name) || name!.EndsWith(".resources", StringComparison.OrdinalIgnoreCase) ||
                name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf("..", StringComparison.Ordinal) >= 0)
                return null;
            string candidate = Path.Combine(folder, name + ".dll");
            return File.Exists(candidate) ? candidate : null;
        }
    }
}
