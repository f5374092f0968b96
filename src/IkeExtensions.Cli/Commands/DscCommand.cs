using System;
using System.CommandLine;
using System.IO;
using IkeExtensions.Management;
using IkeExtensions.Platform.Windows;

namespace IkeExtensions.Cli.Commands
{
    /// <summary>
    /// <c>ikex dsc get|set|test [--input JSON]</c>: the IkeExtensions/IpsecPolicy DSC resource (examples/dsc). The instance
    /// JSON ({"policyPath", "ensure": "Present"|"Absent", "storePath"}) comes from --input or standard input; the actual
    /// state is written as one line of JSON (test adds "_inDesiredState", set adds "changes"). Exit codes: 0 success,
    /// 1 the store could not be read or changed, 2 bad input or an unusable policy file.
    /// </summary>
    internal static class DscCommand
    {
        public static Command Create()
        {
            var dsc = new Command("dsc", "DSC resource IkeExtensions/IpsecPolicy: a policy file applied to the WFP store (or to a JSON state file with storePath).");
            dsc.Subcommands.Add(Operation("get", "Print the actual state of the instance.", IkePolicyDsc.Get));
            dsc.Subcommands.Add(Operation("test", "Print the actual state and whether it is the desired state (_inDesiredState).", IkePolicyDsc.Test));
            dsc.Subcommands.Add(Operation("set", "Apply or remove the policy so the store is in the desired state; print the state after and the changes.", IkePolicyDsc.Set));
            return dsc;
        }

        private static Command Operation(string name, string description, Func<IkePolicyDscInstance, IkePolicyDscInstance> operation)
        {
            var input = new Option<string>("--input") { Description = "The instance as JSON (default: read from standard input)." };
            var command = new Command(name, description);
            command.Options.Add(input);
            command.SetAction(parseResult =>
            {
                TextWriter error = parseResult.InvocationConfiguration.Error;
                try
                {
                    string json = parseResult.GetValue(input) ?? Console.In.ReadToEnd();
                    var result = operation(IkePolicyDscInstance.Parse(json));
                    parseResult.InvocationConfiguration.Output.WriteLine(result.ToJson());
                    return ExitCodes.Success;
                }
                catch (IkeManagementException e)
                {
                    error.WriteLine($"ikex dsc {name}: {e.Message}");
                    return e.Error == IkeManagementError.NotSupported ? ExitCodes.Failure : ExitCodes.BadInput;
                }
                catch (FileNotFoundException e)
                {
                    error.WriteLine($"ikex dsc {name}: {e.Message}");
                    return ExitCodes.BadInput;
                }
                catch (Exception e) when (e is WfpException || e is WfpApplyException || e is IOException || e is UnauthorizedAccessException)
                {
                    error.WriteLine($"ikex dsc {name}: {CliSupport.FirstLine(e.Message)}");
                    return ExitCodes.Failure;
                }
            });
            return command;
        }
    }
}
