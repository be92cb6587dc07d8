using System.Text;
using System.Text.Json;
using Harness.Mapping;
using Harness.Running;
using Harness.Simulation;
using Harness.Programs;
using Harness.Verdicts;
using Harness.Kernels.Abi;

namespace Harness.Reports;

/// <summary>
/// DESIGN.md's JSON-lines contract for <c>harness run --json</c>: one object per test with the
/// machine it ran on, the graded histogram, the predictions it was judged against and the verdict.
/// </summary>
public static class RunJson
{
    // Names like "SB+rlx" stay readable: this is a data stream, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJsonLine(TestRun run)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            var options = run.Options;
            json.WriteStartObject();
            json.WriteString("test", run.Test.Name);
            json.WriteString("scheme", run.Scheme.Name);
            WriteMachine(json, run.Machine);
            json.WriteString("mode", ModeName(options.Mode));
            json.WriteString("layout", LayoutName(options));
            json.WriteNumber("size", options.EffectiveSize);
            json.WriteString("affinity", PlacementName(options.Placement));
            if (options.Cpus is { } cpus)
            {
                json.WriteStartArray("cpus");
                foreach (var cpu in cpus) json.WriteNumberValue(cpu);
                json.WriteEndArray();
            }
            json.WriteNumber("spin_bound", options.SpinBound);
            json.WriteNumber("loop_bound", options.LoopBound);
            json.WriteNumber("seed", options.Seed);
            json.WriteNumber("iterations", run.Iterations);
            // The rates follow from the seconds as written, so that a run read back (suite --resume) writes the same figures.
            var seconds = Math.Round(run.Seconds, 6);
            json.WriteNumber("seconds", seconds);
            json.WriteNumber("iterations_per_second", Math.Round(PerSecond(run.Iterations, seconds), 1));
            json.WriteNumber("weak_per_second", Math.Round(PerSecond(run.WeakCount, seconds), 1));

            json.WriteStartArray("histogram");
            foreach (var outcome in run.Histogram)
            {
                json.WriteStartObject();
                json.WritePropertyName("state");
                WriteState(json, outcome.State);
                json.WriteNumber("count", outcome.Count);
                json.WriteString("class", outcome.Class.ToJsonName());
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartObject("predicted");
            WritePrediction(json, "sc", run.Predicted.Sc, profile: false, undefined: false);
            WritePrediction(json, run.Predicted.Hardware.Target.Model.Name, run.Predicted.Hardware, profile: true, undefined: false);
            WritePrediction(json, "cpp20", run.Predicted.Cpp20, profile: false, undefined: true);
            WritePrediction(json, "net", run.Predicted.Net, profile: false, undefined: false);
            json.WriteEndObject();
            if (run.Predicted.Elsewhere.Count > 0) WriteElsewhere(json, run.Predicted.Elsewhere);

            json.WriteStartArray("allowed_unseen");
            foreach (var state in run.AllowedUnseen) WriteState(json, state);
            json.WriteEndArray();
            // Allowed by the table, but the code the JIT emitted can never produce them: "not seen" says nothing about them.
            json.WriteStartArray("not_observable");
            foreach (var state in run.Unobservable) WriteState(json, state);
            json.WriteEndArray();

            json.WriteString("condition", run.Test.Condition.Text);
            json.WriteString("observation", run.Observation);
            json.WriteNumber("positive", run.Positive);
            json.WriteNumber("negative", run.Negative);
            json.WriteNumber("weak", run.WeakCount);
            json.WriteNumber("beyond_bound", run.BeyondBoundCount);
            json.WriteNumber("did_not_terminate", run.DidNotTerminate);
            json.WriteStartArray("warnings");
            foreach (var warning in run.Warnings) json.WriteStringValue(warning);
            json.WriteEndArray();
            json.WriteNumber("threads", run.Threads);
            if (run.Cpus is { } available)
            {
                json.WriteNumber("cpus_available", available);
                json.WriteBoolean("oversubscribed", run.Oversubscribed);
            }
            // Why the witness, not seen, could hardly have been: a reader must know before trusting "Never".
            WriteStrings(json, "unseen_caveats", run.UnseenCaveats);
            json.WriteBoolean("partial", run.Interrupted);
            json.WriteBoolean("kernel_cached", run.KernelFromCache);
            json.WriteString("verdict", run.Verdict);
            if (run.Emitted is { } emitted) WriteEmitted(json, emitted);
            json.WriteString("file", run.Test.SourceFile);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Reads back an object <see cref="ToJsonLine"/> wrote for <paramref name="test"/> (a suite's
    /// per-test file) and judges it again against the predictions, so that it is a whole
    /// <see cref="TestRun"/> again, ready for every report. Anything that does not fit (not
    /// JSON, a field missing or of the wrong kind, another test, a condition edited since)
    /// throws <see cref="InvalidDataException"/> saying what.
    /// </summary>
    /// <param name="predictElsewhere">When the file has no "predicted_elsewhere" (an older harness wrote it), predict them now.</param>
    public static TestRun Read(string json, LitmusTest test, bool predictElsewhere = false)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (Text(root, "test") is var name && name != test.Name)
                throw new InvalidDataException($"it holds test {name}, not {test.Name}");
            if (Text(root, "condition") != test.Condition.Text)
                throw new InvalidDataException($"the test's condition is now {test.Condition.Text}");
            var schemeName = Text(root, "scheme");
            var scheme = MappingScheme.Find(schemeName) ?? throw new InvalidDataException($"\"scheme\": unknown scheme {schemeName}");
            var machine = ReadMachine(Field(root, "machine"));
            var keys = Lowering.ObservedKeys(test);
            var counts = Field(root, "histogram").EnumerateArray()
                .ToDictionary(outcome => ReadState(Field(outcome, "state"), keys), outcome => Field(outcome, "count").GetInt64());
            var raw = new RawRun(counts, Field(root, "iterations").GetInt64(), Field(root, "seconds").GetDouble(),
                Field(root, "did_not_terminate").GetInt64(),
                Field(root, "warnings").EnumerateArray().Select(w => w.GetString() ?? "").ToList(),
                Field(root, "partial").GetBoolean(),
                root.TryGetProperty("cpus_available", out var cpus) ? cpus.GetInt32() : CpusFromWarnings(root));
            var options = ReadOptions(root, raw.Iterations);
            var predicted = Predictions.For(test, scheme, machine.InstructionProfile, options.LoopBound);
            if (root.TryGetProperty("predicted_elsewhere", out var elsewhere))
                predicted = predicted with { Elsewhere = ReadElsewhere(elsewhere, keys) };
            else if (predictElsewhere)
                predicted = predicted with
                {
                    Elsewhere = Predictions.ForElsewhere(test, scheme, machine.InstructionProfile, predicted.Sc.States.ToHashSet(), options.LoopBound),
                };
            var emitted = root.TryGetProperty("emitted_code", out var element) ? ReadEmitted(element, keys) : null;
            return TestRun.Judge(test, scheme, machine, options, predicted, raw, Field(root, "kernel_cached").GetBoolean(), emitted);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // A field of the wrong kind (GetInt64 on a string), out of range, or a state listed twice.
            throw new InvalidDataException($"malformed: {e.Message}", e);
        }
    }

    private static JsonElement Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"no \"{name}\" field");

    private static string Text(JsonElement element, string name) =>
        Field(element, name).GetString() ?? throw new InvalidDataException($"\"{name}\" is null");

    /// <summary>The value of an enumeration whose name function gives <paramref name="text"/>: the writer's names, read backwards.</summary>
    private static T Named<T>(string field, string text, IEnumerable<T> values, Func<T, string> nameOf)
    {
        var matches = values.Where(value => nameOf(value) == text).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidDataException($"\"{field}\": unknown value {text}");
    }

    private static MachineInfo ReadMachine(JsonElement machine) => new(
        Text(machine, "architecture"), Text(machine, "cpu"), Field(machine, "cores").GetInt32(), Text(machine, "os"),
        Text(machine, "dotnet"), Text(machine, "profile"), Text(machine, "id"),
        machine.TryGetProperty("cache_line_bytes", out var line) ? line.GetInt32() : CacheLine.DefaultBytes,
        machine.TryGetProperty("jit_switches", out var switches) ? switches.EnumerateArray().Select(s => s.GetString() ?? "").ToList() : []);

    /// <summary>
    /// Files written before "cpus_available" existed say it only in the runner's warning about taking
    /// turns; without that warning the threads had a CPU each, or the count is unknown (null).
    /// </summary>
    private static int? CpusFromWarnings(JsonElement root)
    {
        foreach (var warning in Field(root, "warnings").EnumerateArray().Select(w => w.GetString() ?? ""))
        {
            var match = System.Text.RegularExpressions.Regex.Match(warning, @"^\d+ threads on (\d+) CPU\(s\)");
            if (match.Success) return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>
    /// "predicted_elsewhere": per other profile, what its hardware model allows — predicted, not observed
    /// (the field says so, for readers that see it out of context).
    /// </summary>
    private static void WriteElsewhere(Utf8JsonWriter json, IReadOnlyList<ElsewherePrediction> predictions)
    {
        json.WriteStartObject("predicted_elsewhere");
        foreach (var prediction in predictions)
        {
            json.WriteStartObject(prediction.Profile.Name);
            json.WriteString("model", prediction.Model);
            json.WriteBoolean("observed", false);
            json.WriteString("source", prediction.Source);
            json.WriteString("verdict", prediction.Verdict);
            json.WriteNumber("cut_by_loop_bound", prediction.CutExecutions);
            WriteStates(json, "states", prediction.States);
            WriteStates(json, "weak_states", prediction.WeakStates);
            if (prediction.Code is { } code) WriteCode(json, code);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>"code": the same model on the code that target's JIT emitted (read under qemu), when it was read.</summary>
    private static void WriteCode(Utf8JsonWriter json, CodePrediction code)
    {
        json.WriteStartObject("code");
        json.WriteString("target", code.Target);
        json.WriteBoolean("judged", code.Judged);
        if (code.NotJudged is { } reason) json.WriteString("not_judged", reason);
        else
        {
            json.WriteString("verdict", code.Verdict);
            WriteStates(json, "states", code.States);
            WriteStates(json, "weak_states", code.WeakStates);
        }
        if (code.Herd is { } herd) json.WriteString("herd", herd);
        json.WriteEndObject();
    }

    private static CodePrediction? ReadCode(JsonElement prediction, IReadOnlyList<StateKey> keys)
    {
        if (!prediction.TryGetProperty("code", out var code)) return null;
        var target = Text(code, "target");
        if (code.TryGetProperty("not_judged", out var reason)) return new CodePrediction(target, reason.GetString() ?? "", false, [], []);
        var verdict = Named("predicted_elsewhere code verdict", Text(code, "verdict"), [true, false], holds => holds ? "allowed" : "forbidden");
        return new CodePrediction(target, null, verdict,
            Field(code, "states").EnumerateArray().Select(s => ReadState(s, keys)).ToList(),
            Field(code, "weak_states").EnumerateArray().Select(s => ReadState(s, keys)).ToList()) { Herd = OptionalText(code, "herd") };
    }

    private static IReadOnlyList<ElsewherePrediction> ReadElsewhere(JsonElement element, IReadOnlyList<StateKey> keys)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException("\"predicted_elsewhere\" is not an object");
        return element.EnumerateObject().Select(p =>
        {
            var profile = (p.Name == InstructionProfile.X64.Name ? InstructionProfile.X64 : InstructionProfile.FindArm64(p.Name))
                ?? throw new InvalidDataException($"\"predicted_elsewhere\": unknown profile {p.Name}");
            var verdict = Named("predicted_elsewhere verdict", Text(p.Value, "verdict"), [true, false], holds => holds ? "allowed" : "forbidden");
            return new ElsewherePrediction(profile, Text(p.Value, "source"), verdict,
                Field(p.Value, "cut_by_loop_bound").GetInt64(),
                Field(p.Value, "states").EnumerateArray().Select(s => ReadState(s, keys)).ToList(),
                Field(p.Value, "weak_states").EnumerateArray().Select(s => ReadState(s, keys)).ToList())
            {
                Code = ReadCode(p.Value, keys),
            };
        }).ToList();
    }

    private static void WriteEmitted(Utf8JsonWriter json, EmittedCodeCheck emitted)
    {
        json.WriteStartObject("emitted_code");
        json.WriteString("target", emitted.Target);
        json.WriteString("profile", emitted.Profile);
        json.WriteBoolean("judged", emitted.Judged);
        if (emitted.NotJudged is { } reason) json.WriteString("not_judged", reason);
        WriteStates(json, "not_observable", emitted.Unobservable);
        WriteStates(json, "only_emitted", emitted.OnlyEmitted);
        WriteStrings(json, "causes", emitted.Causes);
        WriteStrings(json, "removed", emitted.Removed);
        WriteStrings(json, "unexplained", emitted.Unexplained);
        json.WriteBoolean("finding", emitted.Finding);
        if (emitted.Herd is { } herd) json.WriteString("herd", herd);
        json.WriteEndObject();
    }

    private static EmittedCodeCheck ReadEmitted(JsonElement element, IReadOnlyList<StateKey> keys) => new(
        Text(element, "target"),
        Text(element, "profile"),
        element.TryGetProperty("not_judged", out var reason) ? reason.GetString() : null,
        Field(element, "not_observable").EnumerateArray().Select(s => ReadState(s, keys)).ToList(),
        Field(element, "only_emitted").EnumerateArray().Select(s => ReadState(s, keys)).ToList(),
        Field(element, "causes").EnumerateArray().Select(c => c.GetString() ?? "").ToList(),
        Field(element, "removed").EnumerateArray().Select(c => c.GetString() ?? "").ToList(),
        element.TryGetProperty("unexplained", out var unexplained) ? unexplained.EnumerateArray().Select(c => c.GetString() ?? "").ToList() : [])
    {
        Herd = OptionalText(element, "herd"),
    };

    /// <summary>A string field that older results may lack.</summary>
    private static string? OptionalText(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteStates(Utf8JsonWriter json, string name, IEnumerable<FinalState> states)
    {
        json.WriteStartArray(name);
        foreach (var state in states) WriteState(json, state);
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    /// <summary>The options as far as the file records them; <paramref name="iterations"/> stands for the count asked, which it does not.</summary>
    private static RunOptions ReadOptions(JsonElement root, long iterations)
    {
        var mode = Named("mode", Text(root, "mode"), Enum.GetValues<RunMode>(), ModeName);
        var layout = Text(root, "layout");
        return new RunOptions
        {
            Mode = mode,
            Layout = layout == LayoutName(new RunOptions { Mode = mode })
                ? null
                : Named("layout", layout, Enum.GetValues<MemoryLayout>(), l => LayoutName(new RunOptions { Layout = l })),
            Size = Field(root, "size").GetInt32(),
            Iterations = iterations,
            Placement = Named("affinity", Text(root, "affinity"), Enum.GetValues<PlacementMode>(), PlacementName),
            Cpus = root.TryGetProperty("cpus", out var cpus) ? cpus.EnumerateArray().Select(cpu => cpu.GetInt32()).ToList() : null,
            SpinBound = Field(root, "spin_bound").GetInt32(),
            // Files written before the loop bound was an option were graded with the simulator's default.
            LoopBound = root.TryGetProperty("loop_bound", out var bound) ? bound.GetInt32() : new RunOptions().LoopBound,
            Seed = Field(root, "seed").GetInt32(),
        };
    }

    /// <summary>A histogram state, whose keys must be the ones the test observes, in the writer's order.</summary>
    private static FinalState ReadState(JsonElement state, IReadOnlyList<StateKey> keys)
    {
        var values = state.EnumerateObject().ToList();
        if (!values.Select(v => v.Name).SequenceEqual(keys.Select(k => k.ToString())))
            throw new InvalidDataException(
                $"a state observes {string.Join(", ", values.Select(v => v.Name))}; the test observes {string.Join(", ", keys)}");
        return new FinalState(keys, values.Select(v => v.Value.GetInt64()).ToArray());
    }

    public static string ModeName(RunMode mode) => mode switch
    {
        RunMode.Hunt => "hunt",
        RunMode.Throughput => "throughput",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>The layout asked for, or "varied" when hunt mode alternates padded and packed rounds.</summary>
    public static string LayoutName(RunOptions options) => options.Layout switch
    {
        MemoryLayout.Padded => "padded",
        MemoryLayout.Packed => "packed",
        null => options.Mode == RunMode.Hunt ? "varied" : "padded",
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    public static string PlacementName(PlacementMode placement) => placement switch
    {
        PlacementMode.Vary => "vary",
        PlacementMode.Fixed => "fixed",
        PlacementMode.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(placement)),
    };

    internal static double PerSecond(long count, double seconds) => seconds > 0 ? count / seconds : 0;

    /// <summary>The machine object alone, for documents that hold several tests' runs.</summary>
    public static string MachineJson(MachineInfo machine)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            WriteMachineFields(json, machine);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteMachine(Utf8JsonWriter json, MachineInfo machine)
    {
        json.WriteStartObject("machine");
        WriteMachineFields(json, machine);
        json.WriteEndObject();
    }

    private static void WriteMachineFields(Utf8JsonWriter json, MachineInfo machine)
    {
        json.WriteString("architecture", machine.Architecture);
        json.WriteString("cpu", machine.CpuModel);
        json.WriteNumber("cores", machine.Cores);
        json.WriteString("os", machine.OperatingSystem);
        json.WriteString("dotnet", machine.DotNetVersion);
        json.WriteString("profile", machine.Profile);
        json.WriteString("id", machine.Id);
        json.WriteNumber("cache_line_bytes", machine.CacheLineBytes);
        WriteStrings(json, "jit_switches", machine.JitSwitches ?? []);
    }

    private static void WritePrediction(Utf8JsonWriter json, string name, ModelResult result, bool profile, bool undefined)
    {
        json.WriteStartObject(name);
        json.WriteString("verdict", result.Verdict);
        if (profile && result.Target.Profile is { } p) json.WriteString("profile", p.Name);
        json.WriteNumber("cut_by_loop_bound", result.CutExecutions);
        if (undefined) json.WriteBoolean("undefined", result.Undefined);
        json.WriteStartArray("states");
        foreach (var state in result.States) WriteState(json, state);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteState(Utf8JsonWriter json, FinalState state)
    {
        json.WriteStartObject();
        for (var i = 0; i < state.Keys.Count; i++) json.WriteNumber(state.Keys[i].ToString(), state.Values[i]);
        json.WriteEndObject();
    }
}
