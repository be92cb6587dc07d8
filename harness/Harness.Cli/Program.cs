using System.CommandLine;
using System.CommandLine.Help;
using Harness.Cli.Commands;

namespace Harness.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var parsed = CreateRootCommand().Parse(args);
        // --help answers even with the command's arguments missing; nothing else runs on a bad line.
        if (parsed.Action is not HelpAction && UsageErrors.Describe(parsed) is { } problem)
        {
            Console.Error.WriteLine($"harness: {problem}");
            return ExitCodes.Usage;
        }
        try
        {
            // System.CommandLine's own handler would print the stack trace and exit 1, which means "forbidden state observed".
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("HARNESS_DEBUG") != "1")
        {
            // A bug of ours, not bad input: one line, no stack trace (HARNESS_DEBUG=1 shows it).
            Console.Error.WriteLine($"harness: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    public static RootCommand CreateRootCommand() =>
        new("The litmus harness for .NET: predicts and observes how C++ memory orderings behave once the .NET JIT maps them onto x86-64 and ARM64.")
        {
            SimulateCommand.Create(),
            CheckCommand.Create(),
            RunCommand.Create(),
            GenCommand.Create(),
            SuiteCommand.Create(),
            CompareCommand.Create(),
            ReportCommand.Create(),
            GenerateCommand.Create(),
            BenchCommand.Create(),
            AsmCommand.Create(),
            JitListingCommand.Create(),
        };
}

/// <summary>DESIGN.md's exit statuses.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int ForbiddenObserved = 1;
    public const int Usage = 2;
    public const int InternalError = 3;
    public const int Terminated = 143;

    /// <summary>Ctrl-C: the shell's 128 + SIGINT.</summary>
    public const int Interrupted = 130;
}
