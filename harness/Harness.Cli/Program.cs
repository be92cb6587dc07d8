using System.CommandLine;
using Harness.Cli.Commands;

namespace Harness.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("The litmus harness for .NET: predicts and observes how C++ memory orderings behave once the .NET JIT maps them onto x86-64 and ARM64.")
        {
            SimulateCommand.Create(),
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
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"harness: {error.Message}");
            Console.Error.WriteLine("Run 'harness --help' for usage.");
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
