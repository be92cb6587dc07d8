using System.Text;
using System.Text.Json;
using Harness.Simulation;

namespace Harness.Reports;

/// <summary>
/// DESIGN.md's JSON-lines contract for <c>harness simulate --json</c>: one object per test and
/// model, states projected exactly as herd7 projects them.
/// </summary>
public static class SimulationJson
{
    // Names like "SB+rlx" stay readable: this is a data stream, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJsonLine(ModelResult result, string? scheme)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("test", result.Test.Name);
            json.WriteString("model", result.Target.Model.Name);
            if (result.Target.ProfileName is { } profile) json.WriteString("profile", profile);
            if (result.Target.UsesScheme && !result.Test.IsHardwareTest && scheme is not null) json.WriteString("scheme", scheme);
            json.WriteStartArray("states");
            foreach (var state in result.States) WriteState(json, state);
            json.WriteEndArray();
            json.WriteString("condition", result.Test.Condition.Text);
            json.WriteString("verdict", result.Verdict);
            if (result.NotApplicable is { } reason) json.WriteString("not_applicable", reason);
            if (result.Promises is { } promises)
            {
                // States this code allows that the .NET model forbids: promises of the runtime's document broken.
                json.WriteStartArray("broken_promises");
                foreach (var state in promises.Broken) WriteState(json, state);
                json.WriteEndArray();
                json.WriteStartArray("broken_promise_causes");
                foreach (var cause in promises.Causes) json.WriteStringValue(cause.ToString());
                json.WriteEndArray();
            }
            json.WriteBoolean("undefined", result.Undefined);
            json.WriteNumber("executions", result.CandidateExecutions);
            json.WriteNumber("cut_by_loop_bound", result.CutExecutions);
            json.WriteString("file", result.Test.SourceFile);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteState(Utf8JsonWriter json, Programs.FinalState state)
    {
        json.WriteStartObject();
        for (var i = 0; i < state.Keys.Count; i++) json.WriteNumber(state.Keys[i].ToString(), state.Values[i]);
        json.WriteEndObject();
    }
}
