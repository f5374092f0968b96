using System;
using System.IO;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Json;

namespace IkeExtensions.Management
{
    /// <summary>
    /// Export-IkePolicy / Import-IkePolicy: the versioned policy file (schemaVersion 1, <c>IpsecPolicyJson</c>). Pre-shared
    /// keys are left out unless <c>includeSecrets</c>. Both builds (net8.0 and netstandard2.0 for Windows PowerShell 5.1)
    /// read and write the same files through System.Text.Json.
    /// </summary>
    public static class IkePolicyFiles
    {
        public static string Serialize(IpsecPolicy policy, bool includeSecrets)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            return IpsecPolicyJson.Serialize(IkePolicyComposer.Validated(policy), new PolicyJsonWriteOptions { IncludeSecrets = includeSecrets });
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
        }
    }
}
