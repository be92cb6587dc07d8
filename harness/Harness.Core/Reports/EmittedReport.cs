using System.Text;
using System.Text.Json;
using Harness.Emitted;
using Harness.Programs;

namespace Harness.Reports;

/// <summary>
/// <c>harness asm</c>'s output: each thread's racing code as the kernel writes it beside what
/// the JIT emitted for it, then the two predictions and, when the emitted code allows more, the
/// finding and the instructions that cause it.
/// </summary>
public static class EmittedReport
{
    public static string Text(EmittedAnalysis analysis)
    {
        var text = new StringBuilder();
        text.AppendLine($"== {analysis.Test.Name} on {analysis.Target.Name}: {(analysis.Test.IsDotNetTest ? "primitives as written" : $"scheme {analysis.Scheme.Name}")}, {(analysis.Packed ? "packed" : "padded")} layout, {analysis.Target.Configuration.Name} code ==");
        foreach (var section in analysis.Sections)
        {
            var source = SourceLines(analysis.Plan.Source, section.Thread);
            var emitted = section.Lines.Select(l => l.ToString()).ToList();
            var width = Math.Max(24, source.Count == 0 ? 0 : source.Max(l => l.Length));
            text.AppendLine($"P{section.Thread}".PadRight(width + 2) + "| emitted");
            for (var row = 0; row < Math.Max(source.Count, emitted.Count); row++)
                text.AppendLine($"  {(row < source.Count ? source[row] : "").PadRight(width)}| {(row < emitted.Count ? emitted[row] : "")}");
        }
        var model = analysis.Model.Name;
        foreach (var unexplained in analysis.Unexplained) text.AppendLine($"HARNESS DEFECT: {unexplained}");
        text.AppendLine($"table ({analysis.Target.Profile.Name}, {model}): {Describe(analysis.TableStates)}");
        if (analysis.Emitted is null)
        {
            text.AppendLine($"emitted code: not converted ({analysis.NotConverted}); the listing above is all there is");
            return text.ToString();
        }
        text.AppendLine($"emitted code ({model}): {Describe(analysis.EmittedStates)}");
        foreach (var removed in analysis.Emitted.Removed) text.AppendLine($"  removed by the JIT: {removed}");
        if (analysis.JitWeakerThanTable)
        {
            text.AppendLine("FINDING: the emitted code allows what the mapping's table forbids:");
            foreach (var state in analysis.OnlyEmitted) text.AppendLine($"  {state}");
            foreach (var cause in analysis.Emitted.MovedAccesses) text.AppendLine($"  cause: {cause}");
        }
        else if (analysis.OnlyTable.Count > 0)
        {
            text.AppendLine($"the emitted code is stronger than the table: it rules out {string.Join("  ", analysis.OnlyTable)}");
        }
        else
        {
            text.AppendLine("the emitted code allows exactly what the table predicts");
        }
        return text.ToString();
    }

    public static string JsonLine(EmittedAnalysis analysis)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("test", analysis.Test.Name);
            json.WriteString("scheme", analysis.Scheme.Name);
            json.WriteString("layout", analysis.Packed ? "packed" : "padded");
            json.WriteString("architecture", analysis.Target.Architecture);
            json.WriteString("profile", analysis.Target.Profile.Name);
            json.WriteString("target", analysis.Target.Name);
            json.WriteString("jit", analysis.Target.Configuration.Name);
            json.WriteStartArray("threads");
            foreach (var section in analysis.Sections)
            {
                json.WriteStartObject();
                json.WriteNumber("thread", section.Thread);
                json.WriteStartArray("emitted");
                foreach (var line in section.Lines) json.WriteStringValue(line.ToString().Trim());
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteStates(json, "table_states", analysis.TableStates);
            json.WriteStartArray("unexplained");
            foreach (var unexplained in analysis.Unexplained) json.WriteStringValue(unexplained);
            json.WriteEndArray();
            if (analysis.Emitted is null) json.WriteString("not_converted", analysis.NotConverted);
            else
            {
                WriteStates(json, "emitted_states", analysis.EmittedStates);
                WriteStates(json, "only_emitted", analysis.OnlyEmitted);
                WriteStates(json, "only_table", analysis.OnlyTable);
                json.WriteStartArray("causes");
                foreach (var cause in analysis.Emitted.MovedAccesses) json.WriteStringValue(cause);
                json.WriteEndArray();
                json.WriteStartArray("removed");
                foreach (var removed in analysis.Emitted.Removed) json.WriteStringValue(removed);
                json.WriteEndArray();
                json.WriteString("herd", analysis.Emitted.HerdText);
            }
            json.WriteBoolean("finding", analysis.JitWeakerThanTable);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStates(Utf8JsonWriter json, string name, IReadOnlyList<FinalState> states)
    {
        json.WriteStartArray(name);
        foreach (var state in states)
        {
            json.WriteStartObject();
            for (var i = 0; i < state.Keys.Count; i++) json.WriteNumber(state.Keys[i].ToString(), state.Values[i]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string Describe(IReadOnlyList<FinalState> states) =>
        $"{states.Count} state{(states.Count == 1 ? "" : "s")}: " + string.Join("  ", states.Select(s => "[" + s + "]"));

    /// <summary>The racing code of P{thread} as the generated kernel writes it.</summary>
    private static List<string> SourceLines(string source, int thread)
    {
        var lines = source.Split('\n').Select(l => l.TrimEnd()).ToList();
        var method = lines.FindIndex(l => l.Contains($" P{thread}(RoundContext context)"));
        if (method < 0) return [];
        var start = lines.FindIndex(method, l => l.Contains("---- racing code ----"));
        var end = lines.FindIndex(method, l => l.Contains("---- end of racing code ----"));
        return lines.Skip(start + 1).Take(end - start - 1).Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("RacingSection.", StringComparison.Ordinal)).ToList();
    }
}
