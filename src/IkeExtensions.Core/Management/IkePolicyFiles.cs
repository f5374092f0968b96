using System;
using System.IO;
using IkeExtensions.Policy.Model;
#if NET8_0_OR_GREATER
using IkeExtensions.Policy;
using IkeExtensions.Policy.Json;
#endif

namespace IkeExtensions.Management
{
    /// <summary>
    /// Export-IkePolicy / Import-IkePolicy: the versioned policy file (schemaVersion 1, <c>IpsecPolicyJson</c>). Pre-shared
    /// keys are left out unless <c>includeSecrets</c>. The JSON layer is built for net8.0 only, so on the netstandard2.0 build
    /// (Windows PowerShell 5.1) both calls fail with <see cref="IkeManagementError.NotSupported"/>.
    /// </summary>
    public static class IkePolicyFiles
    {
        /// <summary>True when this build can read and write policy files.</summary>
        public static bool IsSupported =>
#if NET8_0_OR_GREATER
            true;
#else
            false;
#endif

        public static string Serialize(IpsecPolicy policy, bool includeSecrets)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
#if NET8_0_OR_GREATER
            return IpsecPolicyJson.Serialize(IkePolicyComposer.Validated(policy), new PolicyJsonWriteOptions { IncludeSecrets = includeSecrets });
#else
            throw NotSupported();
#endif
        }

        /// <summary>Writes the policy; an existing file is replaced only when <paramref name="overwrite"/>.</summary>
        public static void Export(IpsecPolicy policy, string path, bool includeSecrets, bool overwrite)
        {
            string json = Serialize(policy, includeSecrets);
            if (!overwrite && File.Exists(path))
                throw new IkeManagementException(IkeManagementError.PolicyFileExists, $"The file '{path}' already exists; use -Force to replace it.", path);
            File.WriteAllText(path, json + Environment.NewLine);
        }

        /// <summary>Reads and validates a policy file; format and rule problems are <see cref="IkeManagementException"/>s naming the file.</summary>
        public static IpsecPolicy Import(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (!File.Exists(path)) throw new FileNotFoundException($"Cannot find the policy file '{path}'.", path);
            return Parse(File.ReadAllText(path), Path.GetFileName(path), path);
        }

        public static IpsecPolicy Parse(string json, string source, object? target = null)
        {
#if NET8_0_OR_GREATER
            try
            {
                if (!PolicyFiles.IsVersionedPolicy(json, source))
                    throw new IkeManagementException(IkeManagementError.PolicyFileInvalid,
                        $"{source}: this is an engine proposal file (no schemaVersion); Import-IkePolicy reads files written by Export-IkePolicy or 'ikex policy new'.", target ?? source);
                return IpsecPolicyJson.Parse(json, source);
            }
            catch (PolicyFormatException e)
            {
                throw new IkeManagementException(IkeManagementError.PolicyFileInvalid, e.Message, target ?? source, e);
            }
            catch (PolicyValidationException e)
            {
                throw new IkeManagementException(IkeManagementError.PolicyInvalid, $"{source}: {e.Message}", target ?? source, e);
            }
#else
            throw NotSupported();
#endif
        }

#if !NET8_0_OR_GREATER
        private static IkeManagementException NotSupported() => new IkeManagementException(IkeManagementError.NotSupported,
            "Policy files need the net8.0 build of IkeExtensions (PowerShell 7.4 or later); this is the netstandard2.0 build for Windows PowerShell 5.1. " +
            "Use 'ikex policy' or PowerShell 7 to read and write policy files.", null);
#endif
    }
}
