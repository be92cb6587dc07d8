using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Emitted;
using Harness.Formatting;
using Harness.Programs;
using Harness.Reports;

namespace Harness.Hunting;

/// <summary>Why a hunt ended.</summary>
public static class HuntStop
{
    public const string Budget = "budget spent";
    public const string TestLimit = "test limit reached";
    public const string Exhausted = "every test judged";
    public const string Interrupted = "interrupted";

    /// <summary>A target's code could not be read (its JIT listing child or crossgen2 failed); followed by the reason.</summary>
    public const string ListingFailed = "the code could not be read";
}

/// <summary>What one target's code did over a hunt.</summary>
public sealed class TargetTally
{
    public int Judged { get; set; }

    /// <summary>Tests whose emitted code the converter read into herd assembly: the ones whose verdict means something.</summary>
    public int Converted { get; set; }

    /// <summary>Tests whose emitted code allows fewer states than the table: the JIT's code is stronger (it merged or fenced more).</summary>
    public int StrongerThanTable { get; set; }

    /// <summary>Tests whose racing sections hold instructions the test's primitives do not explain: a harness defect.</summary>
    public List<string> Unexplained { get; } = [];

    /// <summary>Why the converter could not read the code, grouped, with a count and the first test of each.</summary>
    public SortedDictionary<string, (int Count, string Example)> NotConverted { get; } = new(StringComparer.Ordinal);

    /// <summary>Tests whose code could not be listed at all (the JIT's child failed), with why.</summary>
    public List<(string Test, string Reason)> Unreadable { get; } = [];

    public int NotConvertedCount => NotConverted.Values.Sum(v => v.Count);
}

/// <summary>
/// The running account of a hunt, written as <c>hunt.json</c>, <c>summary.md</c> and <c>found/</c>
/// (the C# test of each finding, and the herd assembly its emitted code was read as).
/// </summary>
public sealed class HuntTally(HuntSettings settings, DateTimeOffset started)
{
    public HuntSettings Settings { get; } = settings;
    public DateTimeOffset Started { get; } = started;
    public int Generated { get; set; }
    public SortedDictionary<int, int> TestsOfSize { get; } = [];
    public TimeSpan GenerationTime { get; set; }
    public TimeSpan AnalysisTime { get; set; }
    public TimeSpan Elapsed { get; set; }

    /// <summary>
    /// Why the hunt ended: "budget spent", "test limit reached", "every test judged", "interrupted", or "the code could not
    /// be read: " and why; null while it runs.
    /// </summary>
    public string? Stopped { get; set; }

    /// <summary>Why a target's code could not be read, which ended the hunt; null when it could.</summary>
    public string? ListingFailure { get; set; }

    public bool Interrupted => Stopped == HuntStop.Interrupted;
    public Dictionary<string, TargetTally> Targets { get; } = [];
    public List<HuntFinding> Findings { get; } = [];

    public double TestsPerSecond => Elapsed > TimeSpan.Zero ? Generated / Elapsed.TotalSeconds : 0;

    private TargetTally For(string target)
    {
        if (!Targets.TryGetValue(target, out var tally)) Targets[target] = tally = new TargetTally();
        return tally;
    }

    public void CountSize(IEnumerable<int> sizes)
    {
        foreach (var size in sizes) TestsOfSize[size] = TestsOfSize.GetValueOrDefault(size) + 1;
    }

    public void Unreadable(Cycle cycle, string target, string reason)
    {
        var tally = For(target);
        tally.Judged++;
        tally.Unreadable.Add((cycle.Name, reason.Split('\n')[0]));
    }

    /// <param name="brokenPromises">The states the emitted code allows that the .NET model forbids.</param>
    public void Judged(Cycle cycle, EmittedAnalysis analysis, IReadOnlyList<FinalState> brokenPromises)
    {
        var target = analysis.Target.Name;
        var tally = For(target);
        tally.Judged++;
        if (analysis.NotConverted is { } reason)
        {
            var group = Hunt.ReasonGroup(reason);
            tally.NotConverted[group] = tally.NotConverted.TryGetValue(group, out var seen) ? (seen.Count + 1, seen.Example) : (1, cycle.Name);
            return;
        }
        tally.Converted++;
        if (analysis.OnlyTable.Count > 0) tally.StrongerThanTable++;
        if (analysis.Unexplained.Count > 0) tally.Unexplained.Add($"{cycle.Name}: {string.Join("; ", analysis.Unexplained)}");
        if (analysis.JitWeakerThanTable) Found(cycle, analysis, FindingKind.WeakerThanTable, analysis.OnlyEmitted);
        if (brokenPromises.Count > 0) Found(cycle, analysis, FindingKind.BreaksNetPromise, brokenPromises);
    }

    private void Found(Cycle cycle, EmittedAnalysis analysis, FindingKind kind, IReadOnlyList<FinalState> states)
    {
        var folder = Path.Combine(Settings.OutputFolder, "found");
        var file = Path.Combine(folder, cycle.Name + ".litmus");
        AtomicFile.WriteAllText(file, CycleWriter.Write(cycle));
        if (analysis.Emitted is { } emitted)
            AtomicFile.WriteAllText(Path.Combine(folder, $"{cycle.Name}.{analysis.Target.FileTag()}.emitted.litmus"), emitted.HerdText);
        Findings.Add(new HuntFinding(cycle, analysis.Target.Name, kind, states, Hunt.KnownConverterLimitation(cycle),
            Path.GetRelativePath(Settings.OutputFolder, file)) { Known = Hunt.KnownFinding(cycle, analysis.Target.Architecture) });
    }

    public string ProgressLine()
    {
        var sizes = Generated > 0 ? $" (size ≤ {TestsOfSize.Keys.Max()})" : "";
        var perTarget = string.Concat(Targets.Select(t => $"{t.Key}: {t.Value.Judged} judged, {t.Value.NotConvertedCount} not converted; "));
        var findings = $"{Counted.Of(Findings.Count, "finding")} ({Findings.Count(f => f.Suspect is not null)} suspect, " +
                       $"{Findings.Count(f => f.Suspect is null && f.Known is not null)} known, {Findings.Count(f => f.IsNew)} new)";
        return string.Create(CultureInfo.InvariantCulture,
            $"hunt: {Counted.Of(Generated, "test")}{sizes} in {Elapsed.TotalSeconds:0} s, {TestsPerSecond:0.0}/s; {perTarget}{findings}");
    }

    /// <summary>Rewrites hunt.json and summary.md, each atomically.</summary>
    public void Write()
    {
        AtomicFile.WriteAllText(Path.Combine(Settings.OutputFolder, "hunt.json"), Json());
        AtomicFile.WriteAllText(Path.Combine(Settings.OutputFolder, "summary.md"), Summary());
    }

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("started", Started.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("machine", Running.MachineInfo.Current.Id);
            json.WriteNumber("budget_seconds", Settings.Budget.TotalSeconds);
            json.WriteNumber("max_threads", Settings.MaxThreads);
            json.WriteString("layout", Settings.Packed ? "packed" : "padded");
            if (Settings.Seed is { } seed) json.WriteNumber("seed", seed); else json.WriteNull("seed");
            if (Settings.MaxTests is { } max) json.WriteNumber("max_tests", max); else json.WriteNull("max_tests");
            if (Stopped is { } stopped) json.WriteString("stopped", stopped); else json.WriteNull("stopped");
            json.WriteNumber("tests_generated", Generated);
            json.WriteStartObject("tests_of_size");
            foreach (var (size, count) in TestsOfSize) json.WriteNumber(size.ToString(CultureInfo.InvariantCulture), count);
            json.WriteEndObject();
            json.WriteStartObject("timings");
            json.WriteNumber("elapsed_seconds", Math.Round(Elapsed.TotalSeconds, 3));
            json.WriteNumber("generation_seconds", Math.Round(GenerationTime.TotalSeconds, 3));
            json.WriteNumber("analysis_seconds", Math.Round(AnalysisTime.TotalSeconds, 3));
            json.WriteNumber("tests_per_second", Math.Round(TestsPerSecond, 2));
            json.WriteEndObject();
            json.WriteStartObject("targets");
            foreach (var (name, tally) in Targets)
            {
                json.WriteStartObject(name);
                json.WriteNumber("judged", tally.Judged);
                json.WriteNumber("converted", tally.Converted);
                json.WriteNumber("not_converted", tally.NotConvertedCount);
                json.WriteNumber("stronger_than_table", tally.StrongerThanTable);
                json.WriteNumber("findings", Findings.Count(f => f.Target == name));
                json.WriteStartArray("not_converted_reasons");
                foreach (var (reason, (count, example)) in tally.NotConverted.OrderByDescending(r => r.Value.Count))
                {
                    json.WriteStartObject();
                    json.WriteString("reason", reason);
                    json.WriteNumber("count", count);
                    json.WriteString("example", example);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("unexplained_instructions");
                foreach (var line in tally.Unexplained) json.WriteStringValue(line);
                json.WriteEndArray();
                json.WriteStartArray("unreadable");
                foreach (var (test, reason) in tally.Unreadable)
                {
                    json.WriteStartObject();
                    json.WriteString("test", test);
                    json.WriteString("reason", reason);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("findings");
            foreach (var finding in Findings)
            {
                json.WriteStartObject();
                json.WriteString("test", finding.Cycle.Name);
                json.WriteNumber("size", finding.Cycle.Size);
                json.WriteString("target", finding.Target);
                json.WriteString("kind", finding.Kind == FindingKind.WeakerThanTable ? "weaker-than-table" : "breaks-net-promise");
                json.WriteStartArray("states");
                foreach (var state in finding.States) json.WriteStringValue(state.ToString());
                json.WriteEndArray();
                if (finding.Suspect is { } suspect) json.WriteString("suspect", suspect); else json.WriteNull("suspect");
                if (finding.Known is { } known) json.WriteString("known", known); else json.WriteNull("known");
                json.WriteString("file", finding.File);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public string Summary()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.Append("# Hunt: generated critical cycles judged on the code the JIT emits\n\n");
        text.Append(invariant, $"Started {Started:yyyy-MM-dd HH:mm} UTC on {Running.MachineInfo.Current.Id}; budget {Settings.Budget.TotalMinutes:0.#} min, ");
        text.Append(invariant, $"up to {Settings.MaxThreads} threads, {(Settings.Packed ? "packed" : "padded")} layout, ");
        text.Append(Settings.Seed is { } seed ? $"seed {seed}" : "in generation order").Append(".\n\n");
        text.Append(invariant, $"{Counted.Of(Generated, "test")} generated and judged in {Elapsed.TotalSeconds:0} s ({TestsPerSecond:0.00} tests/s; ");
        text.Append(invariant, $"generation {GenerationTime.TotalMilliseconds:0} ms in all)");
        text.Append(Stopped is { } stopped ? $"; {stopped}" : "; running").Append(".\n");
        text.Append("Tests of each size: ").AppendJoin(", ", TestsOfSize.Select(s => $"{s.Key}: {s.Value}")).Append(".\n\n");
        text.Append("| target | judged | converted | not converted | stronger than the table | findings | suspect | known | new |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, tally) in Targets)
        {
            var findings = Findings.Where(f => f.Target == name).ToList();
            text.Append(invariant, $"| {name} | {tally.Judged} | {tally.Converted} | {tally.NotConvertedCount} | {tally.StrongerThanTable} | {findings.Count} | ");
            text.Append(invariant, $"{findings.Count(f => f.Suspect is not null)} | {findings.Count(f => f.Suspect is null && f.Known is not null)} | {findings.Count(f => f.IsNew)} |\n");
        }
        text.Append("\nA finding is a state the emitted code allows that the mapping's instruction table forbids (weaker than the table) ");
        text.Append("or that the .NET memory model forbids (a broken promise). A suspect one has a known converter limitation that could explain it: ");
        text.Append("it is not a JIT bug until the listing is read by hand. A known one is an instance of a finding FINDINGS.md documents; ");
        text.Append("a new one is neither, and makes the hunt exit 1.\n\n## Findings\n\n");
        if (Findings.Count == 0) text.Append("None.\n");
        foreach (var finding in Findings)
        {
            text.Append(invariant, $"- `{finding.Cycle.Name}` on {finding.Target}: {(finding.Kind == FindingKind.WeakerThanTable ? "weaker than the table" : "breaks a .NET promise")}, ");
            text.Append(string.Join(" ", finding.States.Select(s => $"[{s}]"))).Append(invariant, $" ([{finding.File}]({finding.File}))");
            text.Append(finding.Suspect is { } suspect ? $" — **suspect**: {suspect}" : finding.Known is { } known ? $" — known: {known}" : " — **new**").Append('\n');
        }
        text.Append("\n## Not converted (the emitted code could not be read as herd assembly)\n\n");
        foreach (var (name, tally) in Targets)
            foreach (var (reason, (count, example)) in tally.NotConverted.OrderByDescending(r => r.Value.Count))
                text.Append(invariant, $"- {name}: {count} × {reason} (e.g. `{example}`)\n");
        if (Targets.Values.All(t => t.NotConvertedCount == 0)) text.Append("None.\n");
        var defects = Targets.SelectMany(t => t.Value.Unexplained.Select(u => $"{t.Key}: {u}")).ToList();
        if (defects.Count > 0)
        {
            text.Append("\n## Unexplained instructions in racing sections (harness defects)\n\n");
            foreach (var defect in defects) text.Append("- ").Append(defect).Append('\n');
        }
        return text.ToString();
    }
}
