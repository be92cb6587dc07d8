using System.Text;
using System.Text.Json;
using Harness.Formatting;
using Harness.Programs;
using Harness.Simulation;

namespace Harness.Reports;

/// <summary>One test on one hardware target whose code allows states the .NET model forbids.</summary>
public sealed record PromiseFinding(LitmusTest Test, ModelTarget Target, PromiseCheck Check);

/// <summary>What <c>harness check</c> prints: one line (or JSON object) per broken promise, and a count per target.</summary>
public static class PromiseReport
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Line(PromiseFinding finding) =>
        $"{finding.Test.Name}  {finding.Target}  {string.Join(" ", finding.Check.Broken.Select(s => $"[{s}]"))}  cause: {finding.Check.CauseText}"
        + finding.Check.WeakReadingForbids switch
        {
            true => "; net-weak forbids it too",
            false => "; net-weak allows it (broken only under the default reading)",
            null => "",
        };

    /// <param name="targets">Every target checked, so that a target without findings is counted too.</param>
    public static string Summary(int tests, int skipped, IReadOnlyList<ModelTarget> targets, IReadOnlyList<PromiseFinding> findings)
    {
        var text = new StringBuilder();
        var perTarget = targets.Select(t => $"{t} {findings.Count(f => f.Target == t)}");
        text.Append($"check: {Counted.Of(tests, "test")} against net on {Counted.Of(targets.Count, "target")}: {Counted.Of(findings.Count, "broken promise")}");
        text.Append($" in {Counted.Of(findings.Select(f => f.Test.Name).Distinct().Count(), "test")} — {string.Join(", ", perTarget)}");
        if (skipped > 0) text.Append($"; {Counted.Of(skipped, "hardware test")} skipped (net judges .NET programs)");
        return text.ToString();
    }

    /// <summary>One JSON object per finding: the test, the target, the broken states, their causes.</summary>
    public static string ToJsonLine(PromiseFinding finding, string scheme)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("test", finding.Test.Name);
            json.WriteString("model", finding.Target.Model.Name);
            if (finding.Target.ProfileName is { } profile) json.WriteString("profile", profile);
            json.WriteString("scheme", scheme);
            json.WriteStartArray("broken_promises");
            foreach (var state in finding.Check.Broken)
            {
                json.WriteStartObject();
                for (var i = 0; i < state.Keys.Count; i++) json.WriteNumber(state.Keys[i].ToString(), state.Values[i]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("broken_promise_causes");
            foreach (var cause in finding.Check.Causes) json.WriteStringValue(cause.ToString());
            json.WriteEndArray();
            if (finding.Check.WeakReadingForbids is { } weak) json.WriteBoolean("net_weak_forbids", weak);
            json.WriteString("condition", finding.Test.Condition.Text);
            json.WriteString("file", finding.Test.SourceFile);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
