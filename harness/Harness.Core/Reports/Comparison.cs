using System.Text;
using System.Text.Json;
using Harness.Language;
using Harness.Language.Source;
using Harness.Mapping;
using Harness.Programs;
using Harness.Formatting;
using Harness.Simulation;
using Harness.Verdicts;

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

    /// <summary>
    /// What the other hardware targets' models allow (run.json's "predicted_elsewhere", or recomputed from the
    /// test's litmus source for an older run.json): predicted, never observed on this machine. Null when unknown.
    /// </summary>
    public IReadOnlyList<ComparedPrediction>? Elsewhere { get; init; }

    /// <summary>The test's litmus file as the run recorded it ("file"), to recompute predictions an older run.json lacks.</summary>
    public string? SourceFile { get; init; }

    public string? Scheme { get; init; }

    public int LoopBound { get; init; } = 2;

    public int? Threads { get; init; }

    /// <summary>How many CPUs the threads were placed on, when the run says.</summary>
    public int? Cpus { get; init; }

    /// <summary>More threads than CPUs: they took turns, so a witness never seen says little.</summary>
    public bool Oversubscribed => Threads is { } threads && Cpus is { } cpus && threads > cpus;

    internal static Quantifier QuantifierOf(string condition)
    {
        var text = condition.TrimStart();
        if (text.StartsWith('~')) return Quantifier.NotExists;
        return text.StartsWith("forall", StringComparison.Ordinal) ? Quantifier.ForAll : Quantifier.Exists;
    }
}

/// <summary>
/// One other target's prediction for a test, as a results folder carries it: predicted, not observed.
/// <see cref="Recomputed"/>: the run.json predates these predictions and they were computed from the test's litmus source.
/// </summary>
public sealed record ComparedPrediction(string Profile, string Model, string Verdict, int WeakStates, string Source, bool Recomputed = false)
{
    /// <summary>"arm64 (v8.0)", "tso": the target as the simulator names it.</summary>
    public string Target => Model == "arm64" ? $"{Model} ({Profile})" : Model;

    /// <summary>Whether the model lets the condition's witness happen (herd7's verdict is on the condition as written).</summary>
    public bool WitnessAllowed(Quantifier quantifier) => Verdict == "allowed" ? quantifier == Quantifier.Exists : quantifier != Quantifier.Exists;
}

/// <summary>A column of predictions for a target no compared folder observed: "arm64 (lse-rcpc)", predicted, not observed.</summary>
public sealed record PredictedColumn(string Profile, string Model)
{
    public string Target => Model == "arm64" ? $"{Model} ({Profile})" : Model;
    public bool IsArm => Model == "arm64";
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

    /// <summary>Tests whose run.json had no predictions for other targets, recomputed from their litmus sources.</summary>
    public int RecomputedPredictions => Tests.Count(t => t.Elsewhere is { Count: > 0 } e && e.Any(p => p.Recomputed));

    /// <summary>Tests whose predictions for other targets are neither in run.json nor computable (no litmus source found).</summary>
    public IReadOnlyList<string> MissingPredictions => Tests.Where(t => t.Elsewhere is null).Select(t => t.Name).ToList();

    /// <summary>Why the predictions of <see cref="MissingPredictions"/> could not be recomputed, the first reason per kind.</summary>
    public IReadOnlyList<string> MissingReasons { get; init; } = [];
}

/// <summary>
/// A test's row: its C++20 verdict, one cell per machine (null: not run there), the ARM-only mark, and the
/// predictions for the targets no folder observed (<see cref="Comparison.PredictedColumns"/>; null: none for this test),
/// with <see cref="ArmOnlyPredicted"/>: ARM-only by prediction rather than observation.
/// </summary>
public sealed record ComparisonRow(string Test, string Condition, string Cpp20, IReadOnlyList<ComparedTest?> Cells, bool ArmOnly,
    IReadOnlyList<ComparedPrediction?>? Predicted = null, bool ArmOnlyPredicted = false)
{
    public IReadOnlyList<ComparedPrediction?> PredictedCells => Predicted ?? [];
}

/// <summary>
/// <c>harness compare</c>: several machines' run.json side by side, tests × machines, in the spirit of
/// herdtools' mcompare7 — what ARM exposes and x86 hides.
/// </summary>
public sealed class Comparison
{
    public const string MarkdownFile = "comparison.md";
    public const string ChartFile = "comparison";

    private Comparison(IReadOnlyList<ComparedMachine> machines, IReadOnlyList<PredictedColumn> predicted, IReadOnlyList<ComparisonRow> rows)
    {
        Machines = machines;
        PredictedColumns = predicted;
        Rows = rows;
    }

    public IReadOnlyList<ComparedMachine> Machines { get; }

    /// <summary>
    /// The targets some folder predicts for and no folder observed, in the order x64, lse-rcpc, lse, rcpc, v8.0:
    /// an arm64 folder's observations replace the predictions for its profile.
    /// </summary>
    public IReadOnlyList<PredictedColumn> PredictedColumns { get; }

    public IReadOnlyList<ComparisonRow> Rows { get; }

    private static readonly string[] ProfileOrder = ["x64", "lse-rcpc", "lse", "rcpc", "v8.0"];

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
        var observed = machines.Select(m => m.IsX86 ? "x64" : m.Profile).ToHashSet(StringComparer.Ordinal);
        var predictions = machines.SelectMany(m => m.Tests).SelectMany(t => t.Elsewhere ?? []).ToList();
        var columns = predictions.Select(p => new PredictedColumn(p.Profile, p.Model)).Distinct()
            .Where(c => !observed.Contains(c.Profile))
            .OrderBy(c => Array.IndexOf(ProfileOrder, c.Profile) is var i and >= 0 ? i : ProfileOrder.Length).ThenBy(c => c.Profile, StringComparer.Ordinal)
            .ToList();
        var rows = names.Select(name =>
        {
            var cells = machines.Select(m => m.Find(name)).ToList();
            var first = cells.First(c => c is not null)!;
            var cpp20 = cells.Select(c => c?.Cpp20Undefined == true ? "racy (undefined)" : c?.Cpp20Verdict).FirstOrDefault(v => v is not null) ?? "?";
            // The same test predicted by two folders (same scheme, same table) agrees: the first folder's stands.
            var predicted = columns.Select(column => cells.SelectMany(c => c?.Elsewhere ?? []).FirstOrDefault(p => p.Profile == column.Profile)).ToList();
            var armOnly = IsArmOnly(machines, cells);
            var armOnlyPredicted = !armOnly && IsArmOnlyPredicted(machines, cells, columns, predicted, first.Quantifier);
            return new ComparisonRow(name, first.Condition, cpp20, cells, armOnly, predicted, armOnlyPredicted);
        }).ToList();
        return new Comparison(machines, columns, rows);
    }

    /// <summary>
    /// ARM shows what x86 hides, by prediction: an ARM target's model allows the witness — a predicted column,
    /// or an ARM machine that saw it — and x86 hides it: every x86 machine that ran the test forbids it and never
    /// saw it or, with no x86 folder, the predicted x86-TSO forbids it; at least one side predicted, not observed.
    /// Stricter than the observed mark, which asks only that x86 never saw it: a prediction is about what the
    /// models allow, so x86 must forbid the witness, not merely have missed it.
    /// </summary>
    private static bool IsArmOnlyPredicted(IReadOnlyList<ComparedMachine> machines, IReadOnlyList<ComparedTest?> cells,
        IReadOnlyList<PredictedColumn> columns, IReadOnlyList<ComparedPrediction?> predicted, Quantifier quantifier)
    {
        var x86 = machines.Select((m, i) => m.IsX86 ? cells[i] : null).OfType<ComparedTest>().ToList();
        bool x86Hides, x86Predicted = false;
        if (x86.Count > 0) x86Hides = x86.All(c => c.Witnesses == 0 && c.WitnessAllowed == false);
        else if (columns.Select((c, i) => c.IsArm ? null : predicted[i]).OfType<ComparedPrediction>().FirstOrDefault() is { } tso)
        {
            x86Hides = !tso.WitnessAllowed(quantifier);
            x86Predicted = true;
        }
        else return false;
        if (!x86Hides) return false;
        var armPredicts = columns.Select((c, i) => c.IsArm ? predicted[i] : null).OfType<ComparedPrediction>().Any(p => p.WitnessAllowed(quantifier));
        var armShowed = machines.Select((m, i) => m.IsArm ? cells[i] : null).OfType<ComparedTest>().Any(c => c.Witnesses > 0 && c.WitnessAllowed == true);
        return armPredicts || (armShowed && x86Predicted);
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
            throw new ComparisonInputException(file, Directory.Exists(folder) ? "no run.json in this results folder, nor in a folder inside it" : "no such results folder");
        string text;
        try
        {
            text = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ComparisonInputException(file, $"cannot read it: {e.Message}");
        }
        return WithSourcePredictions(Parse(text, file, folder));
    }

    /// <summary>
    /// A run.json written before "predicted_elsewhere" existed: the predictions computed now from each test's
    /// litmus source, found where the run recorded it (relative to the working folder or to a folder above the
    /// results), as long as the source still has the run's name and condition. Tests whose source is not found
    /// keep no predictions, and the comparison says they are missing.
    /// </summary>
    public static ComparedMachine WithSourcePredictions(ComparedMachine machine)
    {
        if (machine.Tests.All(t => t.Elsewhere is not null)) return machine;
        var own = machine.IsX86 ? InstructionProfile.X64 : InstructionProfile.FindArm64(machine.Profile);
        if (own is null) return machine with { MissingReasons = [$"the machine's profile '{machine.Profile}' is not one the harness predicts for"] };
        var reasons = new List<string>();
        var tests = machine.Tests.Select(test =>
        {
            if (test.Elsewhere is not null) return test;
            var (predictions, reason) = PredictFromSource(test, machine, own);
            if (reason is not null && !reasons.Any(r => r.StartsWith(reason.Split(':')[0], StringComparison.Ordinal))) reasons.Add(reason);
            return test with { Elsewhere = predictions };
        }).ToList();
        return machine with { Tests = tests, MissingReasons = reasons };
    }

    private static (IReadOnlyList<ComparedPrediction>? Predictions, string? Reason) PredictFromSource(ComparedTest test, ComparedMachine machine,
        InstructionProfile own)
    {
        if (test.SourceFile is not { Length: > 0 } file) return (null, "no \"file\" recorded for the test");
        var source = Candidates(file, machine.Folder).FirstOrDefault(File.Exists);
        if (source is null) return (null, $"litmus source not found: {file} (run compare from the folder the suite ran in)");
        var schemeName = test.Scheme ?? machine.Scheme ?? MappingScheme.DotNet.Name;
        if (MappingScheme.Find(schemeName) is not { } scheme) return (null, $"unknown scheme: {schemeName}");
        try
        {
            var parsed = LitmusParser.ParseFile(source);
            if (parsed.Name != test.Name || parsed.Condition.Text != test.Condition)
                return (null, $"litmus source changed since the run: {source} no longer holds {test.Name} with condition {test.Condition}");
            if (parsed.IsHardwareTest) return ([], null); // its instructions belong to one architecture: nothing to predict elsewhere
            var sc = Simulator.Simulate(parsed, [ModelCatalog.Target(ModelCatalog.Sc)],
                new SimulationOptions { Scheme = scheme, LoopBound = test.LoopBound })[0].States.ToHashSet();
            return (Predictions.ForElsewhere(parsed, scheme, own, sc, test.LoopBound)
                .Select(p => new ComparedPrediction(p.Profile.Name, p.Model, p.Verdict, p.WeakStates.Count, p.Source, Recomputed: true)).ToList(), null);
        }
        catch (Exception e) when (e is LitmusException or SimulationException or IOException or UnauthorizedAccessException)
        {
            return (null, $"litmus source unusable: {source}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The recorded path as it is (the working folder), then below each folder above the results folder (the repository root).</summary>
    private static IEnumerable<string> Candidates(string file, string folder)
    {
        yield return file;
        if (Path.IsPathRooted(file)) yield break;
        for (var above = new DirectoryInfo(Path.GetFullPath(folder)); above is not null; above = above.Parent)
            yield return Path.Combine(above.FullName, file);
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
        var (threads, cpus) = ThreadsAndCpus(test);
        return new ComparedTest(name, String(test, "condition") ?? "", iterations, positive, negative, hardware, hardwareVerdict, cpp20,
            undefined, forbidden)
        {
            Elsewhere = test.TryGetProperty("predicted_elsewhere", out var elsewhere) ? ParseElsewhere(elsewhere, file, name) : null,
            SourceFile = String(test, "file"),
            Scheme = String(test, "scheme"),
            LoopBound = test.TryGetProperty("loop_bound", out var bound) && bound.TryGetInt32(out var b) && b > 0 ? b : 2,
            Threads = threads,
            Cpus = cpus,
        };
    }

    private static IReadOnlyList<ComparedPrediction> ParseElsewhere(JsonElement elsewhere, string file, string test)
    {
        if (elsewhere.ValueKind != JsonValueKind.Object) throw new ComparisonInputException(file, $"test {test}: \"predicted_elsewhere\" is not an object");
        return elsewhere.EnumerateObject().Select(p =>
        {
            var verdict = String(p.Value, "verdict");
            if (verdict is not ("allowed" or "forbidden"))
                throw new ComparisonInputException(file, $"test {test}: \"predicted_elsewhere\".{p.Name} has no verdict \"allowed\" or \"forbidden\"");
            var weak = p.Value.TryGetProperty("weak_states", out var states) && states.ValueKind == JsonValueKind.Array ? states.GetArrayLength() : 0;
            return new ComparedPrediction(p.Name, String(p.Value, "model") ?? (p.Name == "x64" ? "tso" : "arm64"), verdict, weak,
                String(p.Value, "source") ?? "table");
        }).ToList();
    }

    /// <summary>
    /// The test's threads and the CPUs they ran on: the fields a newer run.json has, else the runner's warning about
    /// taking turns ("3 threads on 2 CPU(s): ..."), which older ones carry; without either, unknown.
    /// </summary>
    private static (int? Threads, int? Cpus) ThreadsAndCpus(JsonElement test)
    {
        int? threads = test.TryGetProperty("threads", out var t) && t.TryGetInt32(out var n) ? n : null;
        if (test.TryGetProperty("cpus_available", out var c) && c.TryGetInt32(out var cpus)) return (threads, cpus);
        if (test.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
            foreach (var warning in warnings.EnumerateArray())
            {
                var match = System.Text.RegularExpressions.Regex.Match(warning.GetString() ?? "", @"^(\d+) threads on (\d+) CPU\(s\)");
                if (match.Success)
                    return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                        int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        return (threads, null);
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
        var armOnlyPredicted = Rows.Count(r => r.ArmOnlyPredicted);
        text.AppendLine($"{Counted.Of(Rows.Count, "test")} on {Counted.Of(Machines.Count, "machine")}; " +
                        $"{armOnly} ARM-only (★: allowed on ARM, seen on ARM, never seen on x86); " +
                        (PredictedColumns.Count > 0
                            ? $"{armOnlyPredicted} ARM-only predicted, not observed (☆: an ARM model allows it, the x86 model forbids it, x86 never saw it); "
                            : "") +
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
        AppendPredictionSources(text);
        text.AppendLine();
        text.Append("| test | C++20 |");
        foreach (var column in columns) text.Append(' ').Append(Cell(column)).Append(" |");
        foreach (var column in PredictedColumns) text.Append(' ').Append(Cell(column.Target)).Append("† |");
        text.AppendLine(" ARM-only | condition |");
        text.Append("|---|---|");
        foreach (var _ in columns) text.Append("---|");
        foreach (var _ in PredictedColumns) text.Append("---|");
        text.AppendLine(":-:|---|");
        foreach (var row in Rows)
        {
            text.Append(row.ArmOnly ? $"| **{Cell(row.Test)}** | " : $"| {Cell(row.Test)} | ");
            text.Append(Cell(row.Cpp20)).Append(" |");
            foreach (var cell in row.Cells) text.Append(' ').Append(row.ArmOnly && cell is not null ? $"**{CellText(cell)}**" : CellText(cell)).Append(" |");
            foreach (var prediction in row.PredictedCells) text.Append(' ').Append(PredictedText(prediction, row)).Append(" |");
            text.Append(row.ArmOnly ? " ★ |" : row.ArmOnlyPredicted ? " ☆ predicted |" : "  |");
            text.AppendLine($" `{Cell(row.Condition)}` |");
        }
        text.AppendLine();
        text.AppendLine("Each machine's cell: how often the condition's proposition held (positive / iterations), then what that machine's " +
                        "hardware model predicts for the condition (herd7's verdict: `allowed` = Ok, `forbidden` = No) for the code the JIT emits there. " +
                        "⚠ marks a witness seen although the model forbids it, or a test that observed a state some model forbids. " +
                        "*oversubscribed*: more threads than CPUs, so the threads took turns and a witness never seen says little. " +
                        "The C++20 column is the language model's verdict for the condition. " +
                        "★ ARM-only: the condition's witness (the proposition; for `forall`, its negation) is allowed by the ARM model, " +
                        "was seen on an ARM machine and was never seen on any x86 machine that ran the test. — : not run on that machine.");
        if (PredictedColumns.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("† **Predicted, not observed**: a target no folder here observed, as the folders' run.json predict it — the " +
                            "target's hardware model over the code of its instruction table (docs/mapping.md) for the test as the scheme maps it; " +
                            "a cell gives the verdict for the condition and how many weak (non-SC) states the model allows. " +
                            "A results folder of that target, added to the comparison, replaces its column with observations. " +
                            "☆ ARM-only, predicted: an ARM target's model allows the witness (a † column, or an ARM machine saw it), " +
                            "and x86 hides it: every x86 machine that ran the test forbids it and never saw it (with no x86 folder, " +
                            "the predicted x86-TSO forbids it).");
        }
        return text.ToString();
    }

    /// <summary>Where the † columns come from, and the tests for which they are missing.</summary>
    private void AppendPredictionSources(StringBuilder text)
    {
        foreach (var machine in Machines)
        {
            if (machine.RecomputedPredictions > 0)
            {
                text.AppendLine();
                text.AppendLine($"{Cell(machine.Folder)}: its run.json predates the predictions for other targets; " +
                                $"they were computed from the litmus sources for {machine.RecomputedPredictions} tests.");
            }
            if (machine.MissingPredictions.Count > 0)
            {
                text.AppendLine();
                text.AppendLine($"{Cell(machine.Folder)}: predictions for other targets missing for {machine.MissingPredictions.Count} tests " +
                                $"({Cell(string.Join("; ", machine.MissingReasons))}).");
            }
        }
    }

    private static string PredictedText(ComparedPrediction? prediction, ComparisonRow row)
    {
        if (prediction is null) return "—";
        var weak = prediction.WeakStates == 1 ? "1 weak state" : $"{prediction.WeakStates} weak states";
        var text = $"predicted: {prediction.Verdict} ({weak})";
        return row.ArmOnlyPredicted && prediction.WitnessAllowed(ComparedTest.QuantifierOf(row.Condition)) ? $"**{text}**" : text;
    }

    private static string CellText(ComparedTest? test)
    {
        if (test is null) return "—";
        var counts = $"{test.Positive:N0}/{test.Iterations:N0}";
        var observed = test.Positive == 0 ? counts : $"{ReportFormat.Percent(test.Frequency)} ({counts})";
        var model = test.HardwareModel is null ? "" : $" · {test.HardwareModel}: {test.HardwareVerdict ?? "?"}";
        var alarm = test.Contradicted ? " ⚠ seen, model forbids" : test.ForbiddenObserved ? " ⚠ forbidden state seen" : "";
        var turns = test.Oversubscribed && test.Witnesses == 0 ? $" · oversubscribed: {test.Threads} threads on {test.Cpus} CPU{(test.Cpus == 1 ? "" : "s")}" : "";
        return Cell(observed + model + alarm + turns);
    }

    /// <summary>A table cell's text: a pipe would end the cell, a newline the row.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
