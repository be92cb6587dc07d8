using System.CommandLine;
using Harness.Reports;
using Harness.Reports.Charts;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness compare RESULTS_DIR... [--out DIR]</c>: the run.json of several machines' results folders side by
/// side — comparison.md (tests × machines) and comparison.png / .svg (the same as a heatmap).
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
        try
        {
            comparison = Comparison.Load(folders);
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
            var chart = Path.Combine(output, Comparison.ChartFile);
            written = [comparison.WriteMarkdown(output)];
            ComparisonChart.Save(comparison, chart);
            written = [.. written, chart + ".png", chart + ".svg"];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{output}: error: cannot write the comparison there: {e.Message}");
            return ExitCodes.Usage;
        }
        var armOnly = comparison.Rows.Count(r => r.ArmOnly);
        var predicted = comparison.PredictedColumns;
        Console.WriteLine($"compare: {comparison.Rows.Count} tests on {comparison.Machines.Count} machines, {armOnly} ARM-only" +
                          (predicted.Count > 0
                              ? $" observed, {comparison.Rows.Count(r => r.ArmOnlyPredicted)} ARM-only predicted, not observed " +
                                $"({string.Join(", ", predicted.Select(c => c.Target))}: predicted, not observed)"
                              : ""));
        foreach (var machine in comparison.Machines)
        {
            if (machine.RecomputedPredictions > 0)
                Console.WriteLine($"compare: {machine.Folder}: run.json has no predictions for other targets; " +
                                  $"computed from the litmus sources for {machine.RecomputedPredictions} tests");
            if (machine.MissingPredictions.Count > 0)
                Console.WriteLine($"compare: {machine.Folder}: predictions for other targets missing for {machine.MissingPredictions.Count} tests " +
                                  $"({string.Join("; ", machine.MissingReasons)})");
        }
        foreach (var file in written) Console.WriteLine($"  wrote {file}");
        return ExitCodes.Success;
    }
}
