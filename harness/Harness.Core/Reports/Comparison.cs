using System.Text;
using System.Text.Json;
using Harness.Reports.Charts;
using Harness.Programs;

namespace Harness.Reports;

/// <summary>A results folder's run.json that cannot be read: the file and what is wrong with it.</summary>
public sealed class ComparisonInputException(string file, string problem) : Exception($"{file}: error: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}

/// <summary>One test of one machine's run, as much of the per-test object (<see cref="RunJson"/>) as the comparison reads.</summary>
public sealed record ComparedTest(
    string Name,
    string Condition,
    long Iterations,
    long Positive,
    long Negative,
    string? HardwareModel,
    string? HardwareVerdict,
    string? Cpp20Verdict,
    bool Cpp20Undefined,
    bool ForbiddenObserved)
{
    /// <summary>How often the condition's proposition held: positive / iterations.</summary>
    public double Frequency => Iterations > 0 ? (double)Positive / Iterations : 0;

    public Quantifier Quantifier => QuantifierOf(Condition);

    /// <summary>
    /// Observations of the outcome the test is about, its witness: the proposition for <c>exists</c> and
    /// <c>~exists</c>, its negation for <c>forall</c> (a state that breaks the "always").
    /// </summary>
    public long Witnesses => Quantifier == Quantifier.ForAll ? Negative : Positive;

    public double WitnessFrequency => Iterations > 0 ? (double)Witnesses / Iterations : 0;

    /// <summary>
    /// Whether the machine's hardware model lets the witness happen: <c>exists</c> allowed, or
    /// <c>~exists</c> / <c>forall</c> forbidden (herd7's verdict is on the condition as written). Null when not predicted.
    /// </summary>
    public bool? WitnessAllowed => HardwareVerdict switch
    {
        "allowed" => Quantifier == Quantifier.Exists,
        "forbidden" => Quantifier != Quantifier.Exists,
        _ => null,
    };

    /// <summary>The witness was seen although the hardware model forbids it.</summary>
    public bool Contradicted => Witnesses > 0 && WitnessAllowed == false;

    internal static Quantifier QuantifierOf(string condition)
    {
        var text = condition.TrimStart();
        if (text.StartsWith('~')) return Quantifier.NotExists;
        return text.StartsWith("forall", StringComparison.Ordinal) ? Quantifier.ForAll : Quantifier.Exists;
    }
}

/// <summary>One results folder: the machine its run.json names, and its tests in run order.</summary>
public sealed record ComparedMachine(
    string Folder,
    string Id,
    string Architecture,
    string Cpu,
    int Cores,
    string OperatingSystem,
    string DotNet,
    string Profile,
    string? Scheme,
    string? Mode,
    IReadOnlyList<ComparedTest> Tests)
{
    public bool IsArm => Architecture is "arm64" or "aarch64";
    public bool IsX86 => Architecture is "x64" or "x86_64" or "amd64" or "x86";

    /// <summary>The hardware model the harness predicts with on this architecture (the key under "predicted").</summary>
    public string HardwareModel => IsArm ? "arm64" : "tso";

    public ComparedTest? Find(string test) => Tests.FirstOrDefault(t => t.Name == test);
}

/// <summary>A test's row: its C++20 verdict, one cell per machine (null: not run there), and the ARM-only mark.</summary>
public sealed record ComparisonRow(string Test, string Condition, string Cpp20, IReadOnlyList<ComparedTest?> Cells, bool ArmOnly);

/// <summary>
/// <c>harness compare</c>: several machines' run.json side by side, tests × machines, in the spirit of
/// herdtools' mcompare7 — what ARM exposes and x86 hides.
/// </summary>
public sealed class Comparison
{
    public const string MarkdownFile = "comparison.md";
    public const string ChartFile = "comparison";

    private Comparison(IReadOnlyList<ComparedMachine> machines, IReadOnlyList<ComparisonRow> rows)
    {
        Machines = machines;
        Rows = rows;
    }

    public IReadOnlyList<ComparedMachine> Machines { get; }
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>Column headers: the machine id, with the folder's name when two folders hold the same machine.</summary>
    public IReadOnlyList<string> ColumnNames => Machines
        .Select(m => Machines.Count(o => o.Id == m.Id) > 1 ? $"{m.Id} ({Path.GetFileName(Path.TrimEndingDirectorySeparator(m.Folder))})" : m.Id)
        .ToList();

    /// <summary>Reads <c>FOLDER/run.json</c> of every folder.</summary>
    /// <exception cref="ComparisonInputException">A run.json is missing or malformed.</exception>
    public static Comparison Load(IEnumerable<string> resultFolders) => Of(resultFolders.Select(LoadRun).ToList());

    public static Comparison Of(IReadOnlyList<ComparedMachine> machines)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var test in machines.SelectMany(m => m.Tests))
            if (seen.Add(test.Name)) names.Add(test.Name);
        var rows = names.Select(name =>
        {
            var cells = machines.Select(m => m.Find(name)).ToList();
            var first = cells.First(c => c is not null)!;
            var cpp20 = cells.Select(c => c?.Cpp20Undefined == true ? "racy (undefined)" : c?.Cpp20Verdict).FirstOrDefault(v => v is not null) ?? "?";
            return new ComparisonRow(name, first.Condition, cpp20, cells, IsArmOnly(machines, cells));
        }).ToList();
        return new Comparison(machines, rows);
    }

    /// <summary>Allowed on ARM and seen there, never seen on any x86 machine that ran the test.</summary>
    private static bool IsArmOnly(IReadOnlyList<ComparedMachine> machines, IReadOnlyList<ComparedTest?> cells)
    {
        bool seenOnArm = false, ranOnX86 = false, seenOnX86 = false;
        for (var i = 0; i < machines.Count; i++)
        {
            if (cells[i] is not { } cell) continue;
            if (machines[i].IsArm && cell.Witnesses > 0 && cell.WitnessAllowed == true) seenOnArm = true;
            if (machines[i].IsX86)
            {
                ranOnX86 = true;
                if (cell.Witnesses > 0) seenOnX86 = true;
            }
        }
        return seenOnArm && ranOnX86 && !seenOnX86;
    }

    // ------------------------------------------------------------------ reading run.json

    /// <summary>Reads one results folder's run.json, tolerant to fields it does not know.</summary>
    /// <exception cref="ComparisonInputException">The file is missing, not JSON, or lacks a field the comparison needs.</exception>
    public static ComparedMachine LoadRun(string folder)
    {
        var file = Path.Combine(folder, "run.json");
        if (!System.IO.File.Exists(file))
            throw new ComparisonInputException(file, Directory.Exists(folder) ? "no run.json in this results folder" : "no such results folder");
        string text;
        try
        {
            text = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ComparisonInputException(file, $"cannot read it: {e.Message}");
        }
        return Parse(text, file, folder);
    }

    /// <summary>Parses run.json's text; <paramref name="file"/> names it in errors.</summary>
    public static ComparedMachine Parse(string json, string file, string folder)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ComparisonInputException(file, $"malformed JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ComparisonInputException(file, "expected a JSON object with \"machine\" and \"tests\"");
            if (!root.TryGetProperty("machine", out var machine) || machine.ValueKind != JsonValueKind.Object)
                throw new ComparisonInputException(file, "no \"machine\" object");
            if (!root.TryGetProperty("tests", out var tests) || tests.ValueKind != JsonValueKind.Array)
                throw new ComparisonInputException(file, "no \"tests\" array");
            var architecture = String(machine, "architecture") ?? throw new ComparisonInputException(file, "\"machine\" has no \"architecture\"");
            var hardwareModel = architecture is "arm64" or "aarch64" ? "arm64" : "tso";
            var parsed = new List<ComparedTest>();
            var index = 0;
            foreach (var test in tests.EnumerateArray())
            {
                parsed.Add(ParseTest(test, file, index, hardwareModel));
                index++;
            }
            return new ComparedMachine(
                folder,
                String(machine, "id") ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
                architecture,
                String(machine, "cpu") ?? "unknown CPU",
                machine.TryGetProperty("cores", out var cores) && cores.TryGetInt32(out var n) ? n : 0,
                String(machine, "os") ?? "",
                String(machine, "dotnet") ?? "",
                String(machine, "profile") ?? "",
                String(root, "scheme"),
                String(root, "mode"),
                parsed);
        }
    }

    private static ComparedTest ParseTest(JsonElement test, string file, int index, string hardwareModel)
    {
        if (test.ValueKind != JsonValueKind.Object) throw new ComparisonInputException(file, $"tests[{index}] is not an object");
        var name = String(test, "test") ?? throw new ComparisonInputException(file, $"tests[{index}] has no \"test\" name");
        long Number(string field) =>
            test.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0
                ? n
                : throw new ComparisonInputException(file, $"test {name} (tests[{index}]): \"{field}\" is missing or not a count");
        var iterations = Number("iterations");
        var positive = Number("positive");
        var negative = test.TryGetProperty("negative", out _) ? Number("negative") : Math.Max(0, iterations - positive);

        string? hardware = null, hardwareVerdict = null, cpp20 = null;
        var undefined = false;
        if (test.TryGetProperty("predicted", out var predicted) && predicted.ValueKind == JsonValueKind.Object)
        {
            // The hardware model of the machine's architecture; failing that, whichever non-language model is there.
            var model = predicted.TryGetProperty(hardwareModel, out _) ? hardwareModel
                : predicted.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("sc" or "cpp20" or "rc11" or "net" or "net-weak"));
            if (model is not null && predicted.GetProperty(model) is { ValueKind: JsonValueKind.Object } h)
            {
                hardware = String(h, "profile") is { } profile && model == "arm64" ? $"{model} ({profile})" : model;
                hardwareVerdict = String(h, "verdict");
            }
            if (predicted.TryGetProperty("cpp20", out var c) && c.ValueKind == JsonValueKind.Object)
            {
                cpp20 = String(c, "verdict");
                undefined = c.TryGetProperty("undefined", out var u) && u.ValueKind == JsonValueKind.True;
            }
        }
        var forbidden = String(test, "verdict") == "forbidden";
        return new ComparedTest(name, String(test, "condition") ?? "", iterations, positive, negative, hardware, hardwareVerdict, cpp20,
            undefined, forbidden);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ------------------------------------------------------------------ writing

    /// <summary>Writes comparison.md into <paramref name="outFolder"/>; returns its path. The chart is Charts.ComparisonChart's.</summary>
    public string WriteMarkdown(string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var markdown = Path.Combine(outFolder, MarkdownFile);
        AtomicFile.WriteAllText(markdown, ToMarkdown());
        return markdown;
    }

    /// <summary>The table tests × machines, with the machines described above it and the notation below.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var columns = ColumnNames;
        text.AppendLine("# Litmus tests across machines");
        text.AppendLine();
        var armOnly = Rows.Count(r => r.ArmOnly);
        text.AppendLine($"{Rows.Count} tests on {Machines.Count} machines; " +
                        $"{armOnly} ARM-only (★: allowed on ARM, seen on ARM, never seen on x86); " +
                        $"{Rows.Count(r => r.Cells.Any(c => c?.ForbiddenObserved == true))} with a forbidden state seen somewhere.");
        text.AppendLine();
        text.AppendLine("| machine | results | architecture | CPU | cores | OS | .NET | profile | scheme | mode | tests |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < Machines.Count; i++)
        {
            var m = Machines[i];
            text.AppendLine($"| {Cell(columns[i])} | {Cell(m.Folder)} | {Cell(m.Architecture)} | {Cell(m.Cpu)} | {m.Cores} | {Cell(m.OperatingSystem)} | " +
                            $"{Cell(m.DotNet)} | {Cell(m.Profile)} | {Cell(m.Scheme ?? "")} | {Cell(m.Mode ?? "")} | {m.Tests.Count} |");
        }
        text.AppendLine();
        text.Append("| test | C++20 |");
        foreach (var column in columns) text.Append(' ').Append(Cell(column)).Append(" |");
        text.AppendLine(" ARM-only | condition |");
        text.Append("|---|---|");
        foreach (var _ in columns) text.Append("---|");
        text.AppendLine(":-:|---|");
        foreach (var row in Rows)
        {
            text.Append(row.ArmOnly ? $"| **{Cell(row.Test)}** | " : $"| {Cell(row.Test)} | ");
            text.Append(Cell(row.Cpp20)).Append(" |");
            foreach (var cell in row.Cells) text.Append(' ').Append(row.ArmOnly && cell is not null ? $"**{CellText(cell)}**" : CellText(cell)).Append(" |");
            text.Append(row.ArmOnly ? " ★ |" : "  |");
            text.AppendLine($" `{Cell(row.Condition)}` |");
        }
        text.AppendLine();
        text.AppendLine("Each machine's cell: how often the condition's proposition held (positive / iterations), then what that machine's " +
                        "hardware model predicts for the condition (herd7's verdict: `allowed` = Ok, `forbidden` = No) for the code the JIT emits there. " +
                        "⚠ marks a witness seen although the model forbids it, or a test that observed a state some model forbids. " +
                        "The C++20 column is the language model's verdict for the condition. " +
                        "★ ARM-only: the condition's witness (the proposition; for `forall`, its negation) is allowed by the ARM model, " +
                        "was seen on an ARM machine and was never seen on any x86 machine that ran the test. — : not run on that machine.");
        return text.ToString();
    }

    private static string CellText(ComparedTest? test)
    {
        if (test is null) return "—";
        var counts = $"{test.Positive:N0}/{test.Iterations:N0}";
        var observed = test.Positive == 0 ? counts : $"{ReportFormat.Percent(test.Frequency)} ({counts})";
        var model = test.HardwareModel is null ? "" : $" · {test.HardwareModel}: {test.HardwareVerdict ?? "?"}";
        var alarm = test.Contradicted ? " ⚠ seen, model forbids" : test.ForbiddenObserved ? " ⚠ forbidden state seen" : "";
        return Cell(observed + model + alarm);
    }

    /// <summary>A table cell's text: a pipe would end the cell, a newline the row.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
