using System.Text;
using System.Text.Json;
using Harness.Running;
using Harness.Simulation;
using Harness.Simulation.Executions;
using Harness.Verdicts;

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
            json.WriteNumber("seed", options.Seed);
            json.WriteNumber("iterations", run.Iterations);
            json.WriteNumber("seconds", Math.Round(run.Seconds, 6));
            json.WriteNumber("iterations_per_second", Math.Round(PerSecond(run.Iterations, run.Seconds), 1));
            json.WriteNumber("weak_per_second", Math.Round(PerSecond(run.WeakCount, run.Seconds), 1));

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
            json.WriteEndObject();

            json.WriteStartArray("allowed_unseen");
            foreach (var state in run.AllowedUnseen) WriteState(json, state);
            json.WriteEndArray();

            json.WriteString("condition", run.Test.Condition.Text);
            json.WriteString("observation", run.Observation);
            json.WriteNumber("positive", run.Positive);
            json.WriteNumber("negative", run.Negative);
            json.WriteNumber("weak", run.WeakCount);
            json.WriteNumber("did_not_terminate", run.DidNotTerminate);
            json.WriteStartArray("warnings");
            foreach (var warning in run.Warnings) json.WriteStringValue(warning);
            json.WriteEndArray();
            json.WriteBoolean("partial", run.Interrupted);
            json.WriteBoolean("kernel_cached", run.KernelFromCache);
            json.WriteString("verdict", run.Verdict);
            json.WriteString("file", run.Test.SourceFile);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
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
    }

    private static void WritePrediction(Utf8JsonWriter json, string name, ModelResult result, bool profile, bool undefined)
    {
        json.WriteStartObject(name);
        json.WriteString("verdict", result.Verdict);
        if (profile && result.Target.Profile is { } p) json.WriteString("profile", p.Name);
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
