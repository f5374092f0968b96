using System.CommandLine;
using IkeExtensions.Cli.Commands;

namespace IkeExtensions.Cli
{
    /// <summary>
    /// Entry point: builds the command tree and runs it. Exit codes: 0 success; 1 a message failed to decode, a
    /// negotiation failed or the service answered an error; 2 bad input or usage (one line on stderr naming the problem).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args) => Run(args, new InvocationConfiguration());

        /// <summary>Runs ikex with the given writers (tests pass StringWriters through <paramref name="configuration"/>).</summary>
        public static int Run(string[] args, InvocationConfiguration configuration)
        {
            var root = new RootCommand("ikex: IKEv1/IKEv2 tools over the IkeExtensions engine (MS-IKEE).");
            root.Subcommands.Add(DecodeCommand.Create());
            root.Subcommands.Add(ResponderCommand.Create());
            root.Subcommands.Add(InitiateCommand.Create());
            root.Subcommands.Add(SaCommand.Create());
            root.Subcommands.Add(DemoCommand.Create());
            root.Subcommands.Add(PolicyCommand.Create());
            root.Subcommands.Add(NdCommand.Create());
            root.Subcommands.Add(DscCommand.Create());

            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
            {
                foreach (var error in parsed.Errors) configuration.Error.WriteLine("ikex: " + error.Message);
                configuration.Error.WriteLine("Run 'ikex --help' for usage.");
                return ExitCodes.BadInput;
            }
            return parsed.Invoke(configuration);
        }
    }

    internal static class ExitCodes
    {
        public const int Success = 0;
        public const int DecodeFailure = 1;
        /// <summary>A negotiation failed (the reason is on stderr), or a running service refused a request.</summary>
        public const int Failure = 1;
        public const int BadInput = 2;
    }
}
