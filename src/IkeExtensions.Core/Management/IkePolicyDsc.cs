using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Model;

namespace IkeExtensions.Management
{
    /// <summary>
    /// One instance of the IkeExtensions/IpsecPolicy DSC resource: the policy file whose policy must be applied to the WFP
    /// store (Ensure Present) or absent from it (Ensure Absent). <see cref="StorePath"/> points the resource at a JSON state
    /// file (as 'ikex policy show --json' writes it) instead of WFP, so get/test/set run on any OS.
    /// </summary>
    public sealed class IkePolicyDscInstance
    {
        public string PolicyPath { get; set; } = "";
        public string Ensure { get; set; } = "Present";
        public string? StorePath { get; set; }

        /// <summary>Read-only in DSC: the policy's name, whether it is applied as the file describes, and what set did.</summary>
        public string? PolicyName { get; set; }
        public bool? InDesiredState { get; set; }
        public IReadOnlyList<string>? Changes { get; set; }

        /// <summary>Parses the resource's JSON (camelCase; unknown properties, DSC's own "_..." ones excepted, are errors).</summary>
        public static IkePolicyDscInstance Parse(string json)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(json); }
            catch (JsonException) { throw Invalid("the input is not JSON"); }
            if (node is not JsonObject o) throw Invalid("the input must be a JSON object");
            var instance = new IkePolicyDscInstance();
            foreach (var property in o)
            {
                string name = property.Key;
                var value = property.Value;
                switch (name)
                {
                    case "policyPath": instance.PolicyPath = Text(value, name); break;
                    case "ensure": instance.Ensure = Text(value, name); break;
                    case "storePath": instance.StorePath = Text(value, name); break;
                    case "policyName": case "changes": break; // read-only: ignored on input
                    default:
                        if (!name.StartsWith("_", StringComparison.Ordinal)) throw Invalid($"unknown property '{name}'");
                        break;
                }
            }
            if (string.IsNullOrWhiteSpace(instance.PolicyPath)) throw Invalid("'policyPath' is required");
            if (instance.Ensure != "Present" && instance.Ensure != "Absent") throw Invalid($"'ensure' must be Present or Absent, not '{instance.Ensure}'");
            return instance;
        }

        public string ToJson()
        {
            var o = new JsonObject { ["policyPath"] = PolicyPath, ["ensure"] = Ensure };
            if (StorePath != null) o["storePath"] = StorePath;
            if (PolicyName != null) o["policyName"] = PolicyName;
            if (Changes != null) o["changes"] = new JsonArray(Changes.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
            if (InDesiredState != null) o["_inDesiredState"] = InDesiredState.Value;
            return o.ToJsonString();
        }

        private static string Text(JsonNode? value, string name) =>
            value is JsonValue v && v.TryGetValue(out string? s) ? s : throw Invalid($"'{name}' must be a string");

        private static IkeManagementException Invalid(string message) => new IkeManagementException(IkeManagementError.PolicyFileInvalid, "DSC input: " + message);
    }

    /// <summary>
    /// get / test / set of the IkeExtensions/IpsecPolicy DSC resource (<c>ikex dsc</c>, the DSC v3 manifest and the Windows
    /// PowerShell 5.1 class resource in examples/dsc). Desired state = the policy file applied to the store, persistently,
    /// exactly (test is a dry run of the same idempotent apply: no change means in desired state).
    /// </summary>
    public static class IkePolicyDsc
    {
        /// <summary>The actual state: Ensure Present when the policy of the file is applied exactly as the file describes.</summary>
        public static IkePolicyDscInstance Get(IkePolicyDscInstance desired) => Evaluate(desired, apply: false);

        /// <summary>The actual state with <see cref="IkePolicyDscInstance.InDesiredState"/> set.</summary>
        public static IkePolicyDscInstance Test(IkePolicyDscInstance desired)
        {
            var actual = Evaluate(desired, apply: false);
            actual.InDesiredState = actual.Ensure == desired.Ensure;
            return actual;
        }

        /// <summary>Applies or removes the policy (nothing when already in the desired state); returns the state after, with the changes made.</summary>
        public static IkePolicyDscInstance Set(IkePolicyDscInstance desired) => Evaluate(desired, apply: true);

        private static IkePolicyDscInstance Evaluate(IkePolicyDscInstance desired, bool apply)
        {
            IpsecPolicy policy = IkePolicyFiles.Import(desired.PolicyPath);
            using var state = desired.StorePath != null ? PolicyStateFile.Open(desired.StorePath) : null;
            using var native = state == null ? PolicyStore.OpenNative() : null;
            PolicyStore store = state?.Store ?? native!;
            var changes = new List<string>();
            bool applied;
            try
            {
                bool present = store.Get().Any(p => p.Name == policy.Name);
                if (apply && desired.Ensure == "Present")
                {
                    var result = store.Apply(policy, WfpPersistence.Persistent);
                    changes.AddRange(result.Changes.Where(c => c.Action != PolicyChangeAction.Unchanged).Select(c => c.ToString()));
                    applied = true;
                }
                else if (apply && present)
                {
                    changes.AddRange(store.Remove(policy.Name).Removed.Select(k => $"Remove {{{k}}}"));
                    applied = false;
                }
                else
                {
                    // Present and identical: a dry run against the current objects changes nothing.
                    applied = present && !PolicyStore.DryRun(policy, WfpPersistence.Persistent, store.Snapshot()).Changed;
                }
            }
            catch (PlatformNotSupportedException e)
            {
                throw new IkeManagementException(IkeManagementError.NotSupported, e.Message + " Pass storePath to use a JSON state file.", desired.PolicyPath, e);
            }
            if (apply && changes.Count > 0) state?.Save();
            return new IkePolicyDscInstance
            {
                PolicyPath = desired.PolicyPath,
                StorePath = desired.StorePath,
                Ensure = applied ? "Present" : "Absent",
                PolicyName = policy.Name,
                Changes = apply ? changes : null,
            };
        }
    }

    /// <summary>
    /// A WFP state kept in a JSON file (the format of 'ikex policy show --json'), loaded into a <see cref="WfpStoreDouble"/>
    /// that enforces WFP's rules: how DSC and tests exercise apply/remove off Windows. A missing file is an empty WFP.
    /// </summary>
    public sealed class PolicyStateFile : IDisposable
    {
        private readonly string path;
        private readonly WfpStoreDouble session;

        private PolicyStateFile(string path, WfpStoreDouble session)
        {
            this.path = path;
            this.session = session;
            Store = new PolicyStore(session);
        }

        public PolicyStore Store { get; }

        public static PolicyStateFile Open(string path)
        {
            var engine = new WfpDoubleEngine();
            var session = new WfpStoreDouble(engine);
            if (File.Exists(path))
            {
                IReadOnlyList<WfpStoredObject> objects;
                try { objects = PolicyStoreJson.ParseObjects(File.ReadAllText(path), Path.GetFileName(path)); }
                catch (PolicyFormatException e) { throw new IkeManagementException(IkeManagementError.PolicyFileInvalid, e.Message, path, e); }
                PolicyStore.Load(engine, session, session, objects.Where(o => o.Persistent));
            }
            return new PolicyStateFile(path, session);
        }

        /// <summary>Writes the state back (all applied policies and their objects).</summary>
        public void Save() => File.WriteAllText(path, PolicyStoreJson.Serialize(Store.Get(), Store.Snapshot()) + Environment.NewLine);

        public void Dispose() => session.Dispose();
    }
}
