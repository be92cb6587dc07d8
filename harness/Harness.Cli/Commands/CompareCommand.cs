using System.CommandLine;
using Harness.Reports;
using Harness.Reports.Charts;
using Harness.Formatting;
using Harness.Reports.Html;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness compare FOLDER... [--out FOLDER]</c>: the run.json of several machines' results folders side by
/// side — comparison.md (tests × machines), comparison.png / .svg (the same as a heatmap) and comparison.html
/// (by family, each cell a link to the machine's page of the test). A results root such as <c>results</c>
/// stands for every machine folder in it.
/// When the folders hold <c>harness bench</c> results, also costs-comparison.md (each case's cost on each machine, grouped by architecture).
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("folders")
        {
            Description = "Results folders, one per machine (each holds the run.json that 'harness suite' writes), " +
                          "or a folder of them such as results",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder to write comparison.md, comparison.png, comparison.svg and comparison.html into",
            HelpName = "folder",
            DefaultValueFactory = _ => "results",
        };
        var command = new Command("compare", "Compare several machines' results: a table and a heatmap of tests × machines") { folders, output };
        command.SetAction(parse => Compare(parse.GetValue(folders)!, parse.GetValue(output)!));
        return command;
    }

    private static int Compare(string[] given, string output)
    {
        var machines = MachineFolders(given);
        if (SameFolderTwice(machines) is { } twice)
        {
            Console.Error.WriteLine($"compare: error: {twice}: compared with itself, a machine's results show no difference");
            return ExitCodes.Usage;
        }
        var folders = machines.Select(m => m.Folder).ToList();
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
            var chart = Path.Combine(output, Comparison.ChartFile);
            written = [comparison.WriteMarkdown(output)];
            ComparisonChart.Save(comparison, chart);
            written = [.. written, chart + ".png", chart + ".svg"];
            written = [.. written, HtmlReport.WriteComparison(comparison, output)];
            if (costs is not null) written = [.. written, costs.Write(output)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{output}: error: cannot write the comparison there: {e.Message}");
            return ExitCodes.Usage;
        }
        var armOnly = comparison.Rows.Count(r => r.ArmOnly);
        var predicted = comparison.PredictedColumns;
        Console.WriteLine($"compare: {Counted.Of(comparison.Rows.Count, "test")} on {Counted.Of(comparison.Machines.Count, "machine")}, {armOnly} ARM-only" +
                          (predicted.Count > 0
                              ? $" observed, {comparison.Rows.Count(r => r.ArmOnlyPredicted)} ARM-only predicted, not observed " +
                                $"({string.Join(", ", predicted.Select(c => c.Target))}: predicted, not observed)"
                              : ""));
        foreach (var machine in comparison.Machines)
        {
            if (machine.RecomputedPredictions > 0)
                Console.WriteLine($"compare: {machine.Folder}: run.json has no predictions for other targets; " +
                                  $"computed from the litmus sources for {Counted.Of(machine.RecomputedPredictions, "test")}");
            if (machine.MissingPredictions.Count > 0)
                Console.WriteLine($"compare: {machine.Folder}: predictions for other targets missing for {Counted.Of(machine.MissingPredictions.Count, "test")} " +
                                  $"({string.Join("; ", machine.MissingReasons)})");
        }
        foreach (var file in written) Console.WriteLine($"  wrote {file}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The machine folders to compare, each with the folder given for it: a folder without a run.json
    /// of its own whose sub-folders have one (the results root that <c>suite</c> writes a folder per
    /// machine into) stands for them all.
    /// </summary>
    private static List<(string Folder, string Given)> MachineFolders(IEnumerable<string> given) =>
        given.SelectMany(folder =>
        {
            if (File.Exists(Path.Combine(folder, "run.json")) || !Directory.Exists(folder)) return [(folder, folder)];
            var machines = Directory.GetDirectories(folder).Where(sub => File.Exists(Path.Combine(sub, "run.json")))
                .Order(StringComparer.Ordinal).Select(sub => (sub, folder)).ToList();
            return machines.Count > 0 ? machines : [(folder, folder)];
        }).ToList();

    /// <summary>How a machine folder comes twice ("results/x64 is given twice", "results/x64 is also in results"); null when none does.</summary>
    private static string? SameFolderTwice(IReadOnlyList<(string Folder, string Given)> machines)
    {
        for (var i = 0; i < machines.Count; i++)
        for (var j = 0; j < i; j++)
        {
            var (earlier, later) = (machines[j], machines[i]);
            if (!SameFolder(earlier.Folder, later.Folder)) continue;
            bool earlierInRoot = earlier.Given != earlier.Folder, laterInRoot = later.Given != later.Folder;
            if (earlierInRoot && laterInRoot)
                return SameFolder(earlier.Given, later.Given) ? $"{earlier.Given} is given twice" : $"{earlier.Folder} is in both {earlier.Given} and {later.Given}";
            if (earlierInRoot || laterInRoot)
            {
                var (inRoot, direct) = laterInRoot ? (later, earlier) : (earlier, later);
                return $"{direct.Given} is also in {inRoot.Given}";
            }
            return earlier.Given == later.Given ? $"{earlier.Given} is given twice" : $"{earlier.Given} and {later.Given} are the same folder";
        }
        return null;
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
