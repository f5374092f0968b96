using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;
using IkeExtensions.Policy;
using IkeExtensions.Policy.Json;
using IkeExtensions.Policy.Model;
using IkeExtensions.Policy.Wfp;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex policy new --kind transport|nd|nd-boundary [--exempt-icmp] [--address-family ipv4|ipv6|both] [--keying LIST]
    /// [--name N] [--description D] [--psk-file F] [--cert-authority DN] [--include-secrets] --out FILE</c> writes a seed
    /// scenario's policy file (schemaVersion 1); <c>ikex policy compile --policy FILE --target wfp [--json]</c> prints the
    /// ordered WFP objects it becomes.
    /// <c>ikex policy apply --policy FILE [--dynamic] [--dry-run [--current FILE]]</c>, <c>ikex policy remove --name NAME</c>
    /// and <c>ikex policy show [--json]</c> drive <see cref="PolicyStore"/> over WFP (Windows; elsewhere exit 1 with the
    /// one-line platform error); <c>apply --dry-run</c> plans against an empty or described state on any OS.
    /// </summary>
    internal static class PolicyCommand
    {
        public static Command Create()
        {
            var policy = new Command("policy", "IPsec policies: create a seed scenario's policy, compile it to WFP objects, apply/remove/show it in WFP (Windows; --dry-run anywhere).");
            policy.Subcommands.Add(CreateNew());
            policy.Subcommands.Add(CreateCompile());
            policy.Subcommands.Add(CreateApply());
            policy.Subcommands.Add(CreateRemove());
            policy.Subcommands.Add(CreateShow());
            return policy;
        }

        private static Command CreateNew()
        {
            var kind = new Option<string>("--kind") { Description = "transport (require), nd (negotiation discovery) or nd-boundary (negotiation discovery in boundary mode).", Required = true };
            var exemptIcmp = new Option<bool>("--exempt-icmp") { Description = "Exempt ICMP/ICMPv6 from IPsec." };
            var family = new Option<string>("--address-family") { Description = "ipv4, ipv6 or both.", DefaultValueFactory = _ => "both" };
            var keying = new Option<string>("--keying") { Description = "Keying modules in preference order: ikev1, authip, ikev2 (comma-separated).", DefaultValueFactory = _ => "ikev1" };
            var name = new Option<string>("--name") { Description = "Policy name (seeds the WFP object keys; default: the scenario's name)." };
            var description = new Option<string>("--description") { Description = "Policy description." };
            var pskFile = new Option<string>("--psk-file") { Description = "Authenticate with this pre-shared key (file, one line) instead of Kerberos." };
            var certAuthority = new Option<string>("--cert-authority") { Description = "Authenticate with certificates issued by this root CA (subject DN)." };
            var includeSecrets = new Option<bool>("--include-secrets") { Description = "Write the pre-shared key in clear text (otherwise it is left out)." };
            var output = new Option<string>("--out") { Description = "The policy file to write ('-' = standard output).", Required = true };

            var command = new Command("new", "Write the policy of a seed scenario (defaults: both address families, IKEv1, Kerberos).");
            foreach (var o in new Option[] { kind, exemptIcmp, family, keying, name, description, pskFile, certAuthority, includeSecrets, output }) command.Options.Add(o);
            command.SetAction(parseResult =>
            {
                TextWriter error = parseResult.InvocationConfiguration.Error;
                try
                {
                    string kindText = (parseResult.GetValue(kind) ?? "").Trim().ToLowerInvariant();
                    if (kindText is not ("transport" or "nd" or "nd-boundary") || !PolicyEnumText.TryParseKind(kindText, out var k))
                        throw new CliInputException($"--kind: '{parseResult.GetValue(kind)}' is not transport, nd or nd-boundary");
                    string familyText = parseResult.GetValue(family) ?? "both";
                    if (!PolicyEnumText.TryParseFamily(familyText, out var families)) throw new CliInputException($"--address-family: '{familyText}' is not ipv4, ipv6 or both");
                    var p = IpsecPolicy.CreateSeed(k, families, parseResult.GetValue(exemptIcmp), NonEmpty(parseResult.GetValue(name)));
                    if (NonEmpty(parseResult.GetValue(description)) is string d) p.Description = d;
                    p.KeyingModules = ParseKeying(parseResult.GetValue(keying) ?? "ikev1");
                    var auth = new List<AuthProposal>();
                    if (NonEmpty(parseResult.GetValue(certAuthority)) is string ca) auth.Add(new CertificateAuthProposal(ca));
                    if (NonEmpty(parseResult.GetValue(pskFile)) is string psk) auth.Add(new PreSharedKeyAuthProposal(CliSupport.ReadPsk(psk)));
                    if (auth.Count > 0) p.Phase1Auth = new AuthSet("Phase 1 auth", auth);
                    var problems = p.Validate();
                    if (problems.Count > 0) throw new CliInputException(problems[0].ToString());
                    string json = IpsecPolicyJson.Serialize(p, new PolicyJsonWriteOptions { IncludeSecrets = parseResult.GetValue(includeSecrets) });
                    string path = parseResult.GetValue(output) ?? "-";
                    if (path == "-") parseResult.InvocationConfiguration.Output.WriteLine(json);
                    else Write(path, json);
                    if (auth.OfType<PreSharedKeyAuthProposal>().Any() && !parseResult.GetValue(includeSecrets))
                        error.WriteLine("ikex policy new: note: the pre-shared key was not written (--include-secrets writes it in clear text)");
                    return ExitCodes.Success;
                }
                catch (CliInputException e)
                {
                    error.WriteLine("ikex policy new: " + e.Message);
                    return ExitCodes.BadInput;
                }
            });
            return command;
        }

        private static Command CreateCompile()
        {
            var policyFile = new Option<string>("--policy") { Description = "A policy file written by 'ikex policy new' (schemaVersion 1).", Required = true };
            var target = new Option<string>("--target") { Description = "What to compile to: wfp.", DefaultValueFactory = _ => "wfp" };
            var json = new Option<bool>("--json") { Description = "Print the objects as JSON." };
            var command = new Command("compile", "Print the ordered WFP objects (provider, sublayer, provider contexts, filters) a policy becomes.");
            foreach (var o in new Option[] { policyFile, target, json }) command.Options.Add(o);
            command.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                WfpCompilation compilation;
                try
                {
                    if (!string.Equals(parseResult.GetValue(target), "wfp", StringComparison.OrdinalIgnoreCase))
                        throw new CliInputException($"--target: '{parseResult.GetValue(target)}' is not supported (wfp)");
                    compilation = WfpCompiler.Compile(Load(parseResult.GetValue(policyFile) ?? ""));
                }
                catch (CliInputException e)
                {
                    error.WriteLine("ikex policy compile: " + e.Message);
                    return ExitCodes.BadInput;
                }
                if (parseResult.GetValue(json))
                {
                    output.WriteLine(WfpJson.Serialize(compilation));
                    return ExitCodes.Success;
                }
                output.WriteLine($"{compilation.Policy} -> {compilation.Objects.Count} WFP objects");
                int i = 0;
                foreach (var o in compilation.Objects)
                {
                    string detail = o switch
                    {
                        WfpProviderContext c => c.Type.Name + (c.QuickModePolicy is { } q && q.Flags.Count > 0 ? " " + string.Join("|", q.Flags.Select(f => f.Name)) : ""),
                        WfpFilter f => $"{f.Layer.Name} {f.Action.Type.Name}{(f.Action.Callout != null ? " " + f.Action.Callout.Name : "")}" +
                                       (f.RawContext != null ? " rawContext=" + f.RawContext.Name : "") + (f.Weight.Range != null ? " weight=" + f.Weight.Range.Name : ""),
                        _ => "",
                    };
                    output.WriteLine($"  {(++i).ToString(CultureInfo.InvariantCulture),3}  {o.Kind,-15}  {o.Key}  {o.Role,-36}  {detail}".TrimEnd());
                }
                return ExitCodes.Success;
            });
            return command;
        }

        private static Command CreateApply()
        {
            var policyFile = new Option<string>("--policy") { Description = "A policy file written by 'ikex policy new' (schemaVersion 1).", Required = true };
            var dynamic = new Option<bool>("--dynamic") { Description = "Add the objects through a dynamic WFP session: they live until this command stops (Ctrl+C), nothing survives a reboot." };
            var dryRun = new Option<bool>("--dry-run") { Description = "Print the objects that would be added, replaced and removed, without touching WFP (any OS)." };
            var current = new Option<string>("--current") { Description = "With --dry-run: the current state, as 'ikex policy show --json' writes it, or a policy file taken as applied (default: empty)." };
            var command = new Command("apply", "Make WFP hold exactly this policy's objects (one transaction: idempotent, all or nothing). Windows, elevated; --dry-run anywhere.");
            foreach (var o in new Option[] { policyFile, dynamic, dryRun, current }) command.Options.Add(o);
            command.SetAction((parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                var persistence = parseResult.GetValue(dynamic) ? WfpPersistence.Dynamic : WfpPersistence.Persistent;
                return Run("apply", error, () =>
                {
                    var policy = Load(parseResult.GetValue(policyFile) ?? "");
                    string? currentPath = NonEmpty(parseResult.GetValue(current));
                    if (parseResult.GetValue(dryRun))
                    {
                        var (objects, policies, described) = LoadCurrent(currentPath);
                        var plan = PolicyStore.DryRun(policy, persistence, objects, policies);
                        WriteChanges(output, $"plan for policy '{policy.Name}' ({Lifetime(persistence)}) against {described}", plan, includeUnchanged: true);
                        return Task.FromResult(ExitCodes.Success);
                    }
                    if (currentPath != null) throw new CliInputException("--current needs --dry-run");
                    return ApplyAsync(policy, persistence, output, error, cancellationToken);
                });
            });
            return command;
        }

        private static async Task<int> ApplyAsync(IpsecPolicy policy, WfpPersistence persistence, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        {
            using var store = PolicyStore.OpenNative(persistence);
            var result = store.Apply(policy, persistence);
            WriteChanges(output, $"applied policy '{policy.Name}' ({Lifetime(persistence)})", result, includeUnchanged: false);
            output.Flush();
            if (persistence == WfpPersistence.Dynamic)
            {
                error.WriteLine("ikex policy apply: dynamic session: the objects stay until this command stops (Ctrl+C)");
                error.Flush();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var signals = CliSupport.CancelOnSignals(stop);
                try { await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            return ExitCodes.Success;
        }

        private static Command CreateRemove()
        {
            var name = new Option<string>("--name") { Description = "The name of the applied policy.", Required = true };
            var command = new Command("remove", "Delete an applied policy's WFP objects and provider in one transaction (Windows, elevated).");
            command.Options.Add(name);
            command.SetAction((parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                return Run("remove", parseResult.InvocationConfiguration.Error, () =>
                {
                    string policyName = NonEmpty(parseResult.GetValue(name)) ?? throw new CliInputException("--name is required");
                    using var store = PolicyStore.OpenNative();
                    var result = store.Remove(policyName);
                    output.WriteLine(result.Removed.Count == 0 ? $"policy '{policyName}' is not applied; nothing removed"
                        : $"removed policy '{policyName}': {result.Removed.Count} WFP objects");
                    return Task.FromResult(ExitCodes.Success);
                });
            });
            return command;
        }

        private static Command CreateShow()
        {
            var json = new Option<bool>("--json") { Description = "Print the policies and every object they own as JSON (usable as 'apply --dry-run --current')." };
            var command = new Command("show", "List the IPsec policies applied to WFP with their object counts (Windows, elevated).");
            command.Options.Add(json);
            command.SetAction((parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                return Run("show", parseResult.InvocationConfiguration.Error, () =>
                {
                    using var store = PolicyStore.OpenNative();
                    var policies = store.Get();
                    if (parseResult.GetValue(json))
                    {
                        output.WriteLine(PolicyStoreJson.Serialize(policies, store.Snapshot()));
                        return Task.FromResult(ExitCodes.Success);
                    }
                    output.WriteLine($"Applied IPsec policies ({policies.Count})");
                    if (policies.Count == 0) output.WriteLine("  (none)");
                    foreach (var p in policies)
                    {
                        output.WriteLine($"  {p}");
                        foreach (var layer in p.FiltersByLayer) output.WriteLine($"    {layer.Key}: {layer.Value} filter(s)");
                    }
                    return Task.FromResult(ExitCodes.Success);
                });
            });
            return command;
        }

        /// <summary>Exit codes: 2 for input the policy cannot be applied from, 1 for WFP failures and other platforms.</summary>
        private static async Task<int> Run(string verb, TextWriter error, Func<Task<int>> body)
        {
            string prefix = $"ikex policy {verb}: ";
            try
            {
                return await body().ConfigureAwait(false);
            }
            catch (CliInputException e) { return Fail(error, prefix + e.Message, ExitCodes.BadInput); }
            catch (PolicyFormatException e) { return Fail(error, prefix + e.Message, ExitCodes.BadInput); }
            catch (PolicyValidationException e) { return Fail(error, prefix + e.Message, ExitCodes.BadInput); }
            catch (WfpMappingException e) { return Fail(error, prefix + e.Message, ExitCodes.BadInput); }
            catch (WfpEncodingException e) { return Fail(error, prefix + e.Message, ExitCodes.BadInput); }
            catch (ArgumentException e) when (e.ParamName == "objects") { return Fail(error, prefix + e.Message.Replace(" (Parameter 'objects')", ""), ExitCodes.BadInput); }
            catch (PlatformNotSupportedException e) { return Fail(error, prefix + e.Message, ExitCodes.Failure); }
            catch (WfpApplyException e) { return Fail(error, prefix + e.Message, ExitCodes.Failure); }
            catch (WfpException e) { return Fail(error, prefix + e.Message, ExitCodes.Failure); }
        }

        private static int Fail(TextWriter error, string message, int code)
        {
            error.WriteLine(CliSupport.FirstLine(message));
            return code;
        }

        private static (IReadOnlyList<WfpStoredObject>? Objects, IReadOnlyList<IpsecPolicy>? Policies, string Described) LoadCurrent(string? path)
        {
            if (path == null) return (null, null, "the empty state");
            if (!File.Exists(path)) throw new CliInputException($"--current: file not found: '{path}'");
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw new CliInputException($"--current: cannot read '{path}': {CliSupport.FirstLine(e.Message)}"); }
            string source = Path.GetFileName(path);
            if (PolicyFiles.IsVersionedPolicy(text, source))
            {
                var applied = IpsecPolicyJson.Parse(text, source);
                return (null, new[] { applied }, $"'{source}' (policy '{applied.Name}' applied)");
            }
            var objects = PolicyStoreJson.ParseObjects(text, source);
            return (objects, null, $"'{source}' ({objects.Count} objects)");
        }

        private static void WriteChanges(TextWriter output, string title, PolicyApplyResult result, bool includeUnchanged)
        {
            int Count(PolicyChangeAction a) => result.Changes.Count(c => c.Action == a);
            var (add, replace, remove) = includeUnchanged ? ("to add", "to replace", "to remove") : ("added", "replaced", "removed");
            output.WriteLine($"{title}: {Count(PolicyChangeAction.Add)} {add}, {Count(PolicyChangeAction.Replace)} {replace}, " +
                $"{Count(PolicyChangeAction.Remove)} {remove}, {Count(PolicyChangeAction.Unchanged)} unchanged");
            foreach (var c in result.Changes.Where(c => includeUnchanged || c.Action != PolicyChangeAction.Unchanged))
                output.WriteLine($"  {c.Action.ToString().ToLowerInvariant(),-9}  {c.Kind,-15}  {c.Key}  {c.Name}".TrimEnd());
        }

        private static string Lifetime(WfpPersistence p) => p == WfpPersistence.Dynamic ? "dynamic" : "persistent";

        internal static IpsecPolicy Load(string path)
        {
            if (path.Length == 0) throw new CliInputException("--policy is required");
            if (!File.Exists(path)) throw new CliInputException($"--policy: file not found: '{path}'");
            try
            {
                string text = File.ReadAllText(path);
                if (!PolicyFiles.IsVersionedPolicy(text, Path.GetFileName(path)))
                    throw new CliInputException($"--policy: '{path}' is an engine proposal file (no schemaVersion); compile needs a policy written by 'ikex policy new'");
                return IpsecPolicyJson.Parse(text, Path.GetFileName(path));
            }
            catch (PolicyFormatException e) { throw new CliInputException(e.Message); }
            catch (PolicyValidationException e) { throw new CliInputException($"{Path.GetFileName(path)}: {e.Message}"); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw new CliInputException($"--policy: cannot read '{path}': {CliSupport.FirstLine(e.Message)}"); }
        }

        private static IReadOnlyList<KeyingModule> ParseKeying(string text)
        {
            var list = new List<KeyingModule>();
            foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<KeyingModule>(part, ignoreCase: true, out var m) || !Enum.IsDefined(m) || int.TryParse(part, out _))
                    throw new CliInputException($"--keying: '{part}' is not ikev1, authip or ikev2");
                list.Add(m);
            }
            if (list.Count == 0) throw new CliInputException("--keying: give at least one of ikev1, authip, ikev2");
            return list;
        }

        internal static void Write(string path, string json)
        {
            try
            {
                File.WriteAllText(path, json + Environment.NewLine);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliInputException($"--out: cannot write '{path}': {CliSupport.FirstLine(e.Message)}");
            }
        }

        private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
