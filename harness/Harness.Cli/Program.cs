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
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"harness: {error.Message}");
            Console.Error.WriteLine("Run 'harness --help' for usage.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke();
    }
}

/// <summary>DESIGN.md's exit statuses.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int ForbiddenObserved = 1;
    public const int Usage = 2;
}
