using System.Globalization;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using Harness.Reports;
using Harness.Reports.Charts;
using Harness.Running;
using Perfolizer.Horology;
using Harness.Formatting;

namespace Harness.Benchmarks;

/// <summary>A summary that cannot be kept: validation errors, or cases that produced no measurement.</summary>
public sealed class BenchFailedException(string message) : Exception(message);

/// <summary>
/// A summary written out: <c>costs.md</c> (GitHub Markdown), <c>costs.csv</c> and <c>costs.json</c> through
/// BenchmarkDotNet's exporters, and <c>costs.png</c> / <c>costs.svg</c>.
/// </summary>
public static class BenchResults
{
    public const string FileStem = "costs";

    /// <summary>Plain numbers, the unit in the header (<c>Mean [ns]</c>): a CSV is for other programs to read.</summary>
    private static readonly IExporter Csv = new CsvExporter(CsvSeparator.Comma,
        new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: null, timeUnit: TimeUnit.Nanosecond,
            printUnitsInContent: false, printZeroValuesInContent: true, maxParameterColumnWidth: BenchSuite.ParameterColumnWidth));

    /// <summary>The folder of a machine's benchmark results under a results root.</summary>
    public static string Folder(string resultsRoot, MachineInfo machine) => Path.Combine(resultsRoot, machine.Id, "bench");

    /// <summary>The costs of the cases that ran, in table order.</summary>
    public static IReadOnlyList<OperationCost> Costs(Summary summary) =>
        summary.Reports
            .Select(report => (report, Operation: BenchSuite.OperationOf(report.BenchmarkCase), Contention: BenchSuite.ContentionOf(report.BenchmarkCase)))
            .Where(row => row.Operation is not null && row.Contention is not null && row.report.ResultStatistics is not null)
            .OrderBy(row => row.Operation)
            .ThenBy(row => row.Contention)
            .Select(row => new OperationCost(GroupTitle(row.Operation!.Group), RowLabel(row.Operation),
                BenchSuite.NameOf(row.Contention!.Value), row.report.ResultStatistics!.Mean))
            .ToList();

    /// <summary>
    /// Writes the exports and the chart into <paramref name="folder"/>. The summary is checked and exported before
    /// the first file is written, and each file goes through a temporary name: no file is ever half-written.
    /// </summary>
    /// <exception cref="BenchFailedException">The summary has validation errors or a case without a measurement.</exception>
    public static IReadOnlyList<string> Write(Summary summary, MachineInfo machine, BenchJob job, string folder)
    {
        Check(summary);
        var texts = new (string Extension, string Text)[]
        {
            (".md", Heading(machine, job) + Export(summary, MarkdownExporter.GitHub)),
            (".csv", Export(summary, Csv)),
            (".json", Export(summary, JsonExporter.Full)),
        };
        var stem = Path.Combine(folder, FileStem);
        BenchChart.Save(Costs(summary), machine, Description(job), stem);
        foreach (var (extension, text) in texts) AtomicFile.WriteAllText(stem + extension, text);
        return [.. texts.Select(t => stem + t.Extension), stem + ".png", stem + ".svg"];
    }

    private static void Check(Summary summary)
    {
        var problems = summary.ValidationErrors.Where(e => e.IsCritical).Select(e => e.Message)
            .Concat(summary.BenchmarksCases.Where(c => !summary.HasReport(c) || summary[c]?.ResultStatistics is null)
                .Select(c => $"{c.DisplayInfo}: no measurement"))
            .ToList();
        if (summary.BenchmarksCases.Length == 0) problems.Add("no benchmark ran");
        if (problems.Count > 0) throw new BenchFailedException(string.Join(Environment.NewLine, problems));
    }

    private static string Export(Summary summary, IExporter exporter)
    {
        var logger = new AccumulationLogger();
        exporter.ExportToLog(summary, logger);
        return logger.GetLog();
    }

    private static string Description(BenchJob job) =>
        $"BenchmarkDotNet {BenchSuite.Describe(job)}, in process; orderings mapped by scheme {OrderingCosts.Scheme.Name}";

    private static string Heading(MachineInfo machine, BenchJob job) =>
        $"# Cost per operation on {machine.Id}\n\n" +
        $"{machine.CpuModel}, {Counted.Of(machine.Cores, "core")}, profile {machine.Profile}. {Description(job)}. " +
        "Mean is nanoseconds per operation, Error half its 99.9% confidence interval; contended: another thread keeps writing to the same cache line.\n\n";

    private static string GroupTitle(OperationGroup group) => group switch
    {
        OperationGroup.Primitives => ".NET primitives",
        OperationGroup.Orderings => $"C++ orderings, scheme {OrderingCosts.Scheme.Name}",
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    /// <summary>An ordering says what it runs; a primitive's name already does.</summary>
    private static string RowLabel(MeasuredOperation operation) =>
        operation.Group == OperationGroup.Orderings ? $"{operation.Name}: {operation.Executes}" : operation.Name;
}
