using System.CommandLine;
using Harness.Reports.Html;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness report RESULTS_DIR...</c>: (re)builds the HTML report of results folders from their
/// files — index.html and html/TEST.html — for a folder written before the report existed or
/// copied from another machine. <c>harness suite</c> writes the same report at its end.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("results")
        {
            Description = "Results folders, one per machine (each holds the run.json or tests/*.json that 'harness suite' writes)",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("report", "Build the HTML report of results folders: index.html by family and a page per test") { folders };
        command.SetAction(parse => Report(parse.GetValue(folders)!));
        return command;
    }

    private static int Report(string[] folders)
    {
        var status = ExitCodes.Success;
        foreach (var folder in folders)
        {
            if (Write(folder) is not { } result)
            {
                status = ExitCodes.Usage;
                continue;
            }
            Console.WriteLine($"report: {result.Index} and {result.Pages} test pages in {Path.Combine(folder, Reports.ResultFiles.HtmlFolder)}");
            ReportMissingSources(result);
        }
        return status;
    }

    /// <summary>Builds one folder's report; says why on standard error and returns null when it cannot.</summary>
    internal static HtmlReportResult? Write(string folder)
    {
        try
        {
            return HtmlReport.Write(folder);
        }
        catch (HtmlReportException e)
        {
            Console.Error.WriteLine(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{folder}: error: cannot write the HTML report there: {e.Message}");
        }
        return null;
    }

    /// <summary>The pages still show the results; only the source and kernel are missing, so this is a warning.</summary>
    internal static void ReportMissingSources(HtmlReportResult result)
    {
        if (result.MissingSources.Count == 0) return;
        Console.Error.WriteLine($"report: warning: no litmus source or kernel on {result.MissingSources.Count} test pages, e.g. {result.MissingSources[0]}");
    }
}
