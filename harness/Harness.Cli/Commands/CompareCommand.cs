using System.CommandLine;
using Harness.Reports;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness compare RESULTS_DIR... [--out DIR]</c>: the run.json of several machines' results folders side by
/// side — comparison.md (tests × machines) and comparison.png / .svg (the same as a heatmap); and, when the folders
/// hold <c>harness bench</c> results, costs-comparison.md (each case's cost on each machine, grouped by architecture).
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("results")
        {
            Description = "Results folders, one per machine (each holds the run.json that 'harness suite' writes)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder to write comparison.md, comparison.png and comparison.svg into",
            HelpName = "dir",
            DefaultValueFactory = _ => "results",
        };
        var command = new Command("compare", "Compare several machines' results: a table and a heatmap of tests × machines") { folders, output };
        command.SetAction(parse => Compare(parse.GetValue(folders)!, parse.GetValue(output)!));
        return command;
    }

    private static int Compare(string[] folders, string output)
    {
        Comparison comparison;
        CostComparison? costs;
        try
        {
            comparison = Comparison.Load(folders);
            costs = CostComparison.Load(comparison);
        }
        catch (ComparisonInputException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
        if (comparison.Rows.Count == 0)
        {
            Console.Error.WriteLine($"compare: error: the run.json files of {string.Join(", ", folders)} hold no tests");
            return ExitCodes.Usage;
        }
        IReadOnlyList<string> written;
        try
        {
            written = comparison.Write(output);
            if (costs is not null) written = [.. written, costs.Write(output)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{output}: error: cannot write the comparison there: {e.Message}");
            return ExitCodes.Usage;
        }
        var armOnly = comparison.Rows.Count(r => r.ArmOnly);
        Console.WriteLine($"compare: {comparison.Rows.Count} tests on {comparison.Machines.Count} machines, {armOnly} ARM-only");
        foreach (var file in written) Console.WriteLine($"  wrote {file}");
        return ExitCodes.Success;
    }
}
