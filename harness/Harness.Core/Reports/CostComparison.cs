using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Harness.Reports;

/// <summary>One case of a machine's <c>bench/costs.json</c>: nanoseconds per operation and half the 99.9% confidence interval.</summary>
public sealed record CaseCost(string Group, string Operation, string Contention, double Mean, double Error);

/// <summary>The benchmark results of one compared machine: its column, architecture, BenchmarkDotNet job and cases.</summary>
public sealed record MachineCosts(string Column, string Architecture, string Job, IReadOnlyList<CaseCost> Cases);

/// <summary>
/// What <c>harness bench</c> measured on each compared machine, side by side: a row per case, the machines'
/// columns grouped by architecture (x86 first, then ARM), so that what an ordering costs on each is read
/// across one line. Written by <c>harness compare</c> as <c>costs-comparison.md</c> when at least one of the
/// results folders holds <c>bench/costs.json</c>.
/// </summary>
public sealed class CostComparison
{
    public const string MarkdownFile = "costs-comparison.md";

    private CostComparison(IReadOnlyList<MachineCosts> machines) => Machines = machines;

    /// <summary>The machines with benchmark results, grouped by architecture.</summary>
    public IReadOnlyList<MachineCosts> Machines { get; }

    /// <summary>A results folder's benchmark results: <c>FOLDER/bench/costs.json</c>.</summary>
    public static string CostsFile(string resultsFolder) => Path.Combine(resultsFolder, "bench", "costs.json");

    /// <summary>The costs of the compared machines that have them; null when none has.</summary>
    /// <exception cref="ComparisonInputException">A costs.json is there but cannot be read.</exception>
    public static CostComparison? Load(Comparison comparison)
    {
        var machines = new List<MachineCosts>();
        for (var i = 0; i < comparison.Machines.Count; i++)
        {
            var machine = comparison.Machines[i];
            var file = CostsFile(machine.Folder);
            if (!File.Exists(file)) continue;
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ComparisonInputException(file, $"cannot read it: {e.Message}");
            }
            var (job, cases) = Parse(text, file);
            machines.Add(new MachineCosts(comparison.ColumnNames[i], machine.Architecture, job, cases));
        }
        return machines.Count == 0 ? null : Of(machines);
    }

    /// <summary>Orders the machines by architecture, x86 first, keeping their order within each.</summary>
    public static CostComparison Of(IEnumerable<MachineCosts> machines) =>
        new([.. machines.Select((m, index) => (m, index)).OrderBy(x => ArchitectureRank(x.m.Architecture)).ThenBy(x => x.index).Select(x => x.m)]);

    private static int ArchitectureRank(string architecture) => architecture switch
    {
        "x64" or "x86_64" or "amd64" or "x86" => 0,
        "arm64" or "aarch64" => 1,
        _ => 2,
    };

    /// <summary>Reads BenchmarkDotNet's full JSON export: its job and each case's mean and confidence interval.</summary>
    /// <exception cref="ComparisonInputException">Not that export.</exception>
    public static (string Job, IReadOnlyList<CaseCost> Cases) Parse(string json, string file)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
                throw new ComparisonInputException(file, "no \"Benchmarks\" array (not BenchmarkDotNet's JSON export)");
            var cases = new List<CaseCost>();
            string? job = null;
            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                var parameters = ((benchmark.TryGetProperty("Parameters", out var p) ? p.GetString() : null) ?? "")
                    .Split('&', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pair => pair.Split('=', 2))
                    .Where(pair => pair.Length == 2)
                    .ToDictionary(pair => pair[0], pair => pair[1]);
                if (!parameters.TryGetValue("Operation", out var operation) || !parameters.TryGetValue("Contention", out var contention)) continue;
                if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object) continue;
                var mean = statistics.GetProperty("Mean").GetDouble();
                var error = statistics.TryGetProperty("ConfidenceInterval", out var interval) && interval.TryGetProperty("Margin", out var margin)
                    ? margin.GetDouble()
                    : double.NaN;
                var type = benchmark.TryGetProperty("Type", out var t) ? t.GetString() : null;
                cases.Add(new CaseCost(GroupTitle(type), operation, contention.ToLowerInvariant(), mean, error));
                job ??= JobOf(benchmark.TryGetProperty("DisplayInfo", out var display) ? display.GetString() : null);
            }
            return (job ?? "?", cases);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ComparisonInputException(file, $"malformed benchmark results: {e.Message}");
        }
    }

    private static string GroupTitle(string? type) => type switch
    {
        "PrimitiveCosts" => ".NET primitives",
        "OrderingCosts" => "C++ orderings",
        _ => type ?? "?",
    };

    /// <summary>The job in BenchmarkDotNet's display text <c>Type.Method: Job(parameters) [case parameters]</c>.</summary>
    private static string? JobOf(string? displayInfo)
    {
        if (displayInfo is null) return null;
        var start = displayInfo.IndexOf(": ", StringComparison.Ordinal);
        var end = displayInfo.LastIndexOf(" [", StringComparison.Ordinal);
        return start < 0 || end <= start ? null : displayInfo[(start + 2)..end];
    }

    /// <summary>Writes <see cref="MarkdownFile"/> into <paramref name="outFolder"/>; returns its path.</summary>
    public string Write(string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var path = Path.Combine(outFolder, MarkdownFile);
        AtomicFile.WriteAllText(path, ToMarkdown());
        return path;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Ordering costs across machines");
        text.AppendLine();
        text.AppendLine("Nanoseconds per operation (mean ± half the 99.9% confidence interval) as `harness bench` measured them, " +
                        "the machines grouped by architecture; contended: another thread keeps writing to the same cache line. " +
                        "A figure whose interval is wider than a tenth of it is marked ~: rerun that machine with a longer job before quoting it.");
        text.AppendLine();
        text.AppendLine("| machine | architecture | BenchmarkDotNet job |");
        text.AppendLine("|---|---|---|");
        foreach (var machine in Machines) text.AppendLine($"| {Cell(machine.Column)} | {Cell(machine.Architecture)} | {Cell(machine.Job)} |");
        text.AppendLine();

        var rows = new List<(string Group, string Operation, string Contention)>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var cost in Machines.SelectMany(m => m.Cases))
            if (seen.Add((cost.Group, cost.Operation, cost.Contention))) rows.Add((cost.Group, cost.Operation, cost.Contention));
        var lookup = Machines.Select(m => m.Cases.GroupBy(c => (c.Group, c.Operation, c.Contention)).ToDictionary(g => g.Key, g => g.First())).ToList();

        text.Append("| group | operation | contention |");
        foreach (var machine in Machines) text.Append($" {Cell(machine.Architecture)}: {Cell(machine.Column)} |");
        text.AppendLine();
        text.Append("|---|---|---|");
        foreach (var _ in Machines) text.Append("--:|");
        text.AppendLine();
        foreach (var row in rows)
        {
            text.Append($"| {Cell(row.Group)} | {Cell(row.Operation)} | {row.Contention} |");
            foreach (var costs in lookup) text.Append(' ').Append(costs.TryGetValue(row, out var cost) ? Figure(cost) : "—").Append(" |");
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The mean and its error with the same decimals, three significant digits for the mean from 1 ns up.</summary>
    private static string Figure(CaseCost cost)
    {
        var wide = double.IsNaN(cost.Error) || cost.Error > 0.1 * Math.Abs(cost.Mean);
        var magnitude = Math.Abs(cost.Mean);
        var format = magnitude < 10 ? "0.000" : magnitude < 100 ? "0.00" : "0.0";
        var error = double.IsNaN(cost.Error) ? "?" : cost.Error.ToString(format, CultureInfo.InvariantCulture);
        return $"{(wide ? "~" : "")}{cost.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {error}";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
