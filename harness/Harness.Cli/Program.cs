using System.CommandLine;
using System.CommandLine.Help;
using Harness.Cli.Commands;

namespace Harness.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        StartupTrace.Mark("main");
        StartupTrace.TraceAssemblyLoads();
        var root = CommandTree.Build(args);
        StartupTrace.Mark("commands built");
        var parsed = root.Parse(args);
        StartupTrace.Mark("parsed");
        // --help answers even with the command's arguments missing; nothing else runs on a bad line.
        if (parsed.Action is not HelpAction && UsageErrors.Describe(parsed) is { } problem)
        {
            Console.Error.WriteLine($"harness: {problem}");
            return ExitCodes.Usage;
        }
        try
        {
            // System.CommandLine's own handler would print the stack trace and exit 1, which means "forbidden state observed".
            var status = parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            StartupTrace.Mark("done");
            return status;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("HARNESS_DEBUG") != "1")
        {
            // A bug of ours, not bad input: one line, no stack trace (HARNESS_DEBUG=1 shows it).
            Console.Error.WriteLine($"harness: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Every command, as help and the usage checks see the whole tree.</summary>
    public static RootCommand CreateRootCommand() => CommandTree.Build([]);
}

/// <summary>The command tree, built no further than a command line needs.</summary>
public static class CommandTree
{
    public const string Description = "The litmus harness for .NET: predicts and observes how C++ memory orderings behave once the .NET JIT maps them onto x86-64 and ARM64.";

    /// <summary>The subcommands, in the order <c>harness --help</c> lists them.</summary>
    public static readonly string[] Names =
        ["simulate", "check", "run", "gen", "suite", "compare", "report", "generate", "bench", "asm", "hunt", JitListingCommand.Name];

    public static Command Create(string name) => name switch
    {
        "simulate" => SimulateCommand.Create(),
        "check" => CheckCommand.Create(),
        "run" => RunCommand.Create(),
        "gen" => GenCommand.Create(),
        "suite" => SuiteCommand.Create(),
        "compare" => CompareCommand.Create(),
        "report" => ReportCommand.Create(),
        "generate" => GenerateCommand.Create(),
        "bench" => BenchCommand.Create(),
        "asm" => AsmCommand.Create(),
        "hunt" => HuntCommand.Create(),
        JitListingCommand.Name => JitListingCommand.Create(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such command"),
    };

    /// <summary>
    /// The root with the subcommand the first argument names and no other: building every command (its options,
    /// the catalogues their choices list, BenchmarkDotNet's assembly for <c>bench</c>) is a good part of a one-file
    /// <c>simulate</c>'s start-up, and a subcommand's parsing, help and errors never look at its siblings. A lone
    /// <c>--version</c> needs none; anything else (help, a typo, no command) gets the whole tree, as before.
    /// </summary>
    public static RootCommand Build(IReadOnlyList<string> args)
    {
        var root = new RootCommand(Description);
        if (args.Count == 1 && args[0] == "--version") return root;
        var only = args.Count > 0 && Array.IndexOf(Names, args[0]) >= 0 ? args[0] : null;
        foreach (var name in Names)
            if (only is null || name == only) root.Subcommands.Add(Create(name));
        return root;
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
