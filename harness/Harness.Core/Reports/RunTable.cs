using System.Globalization;
using System.Text;
using Harness.Verdicts;
using Harness.Programs;
using Harness.Formatting;

namespace Harness.Reports;

/// <summary>
/// The readable form of a run, in the spirit of jcstress's console output: the figures that
/// matter (iterations and weak outcomes per second), every observed state with its count,
/// frequency and grade, and the verdict.
/// </summary>
public static class RunTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(TestRun run)
    {
        var test = run.Test;
        var text = new StringBuilder();
        var interrupted = run.Interrupted ? " (interrupted)" : "";
        text.AppendLine(
            $"Test {test.Name}: {test.Condition.Text}    {(test.IsDotNetTest ? "primitives as written" : $"scheme {run.Scheme.Name}")}, {HardwareName(run)}, {RunJson.ModeName(run.Options.Mode)} mode{interrupted}");
        text.AppendLine(
            $"  {Counted.Of(run.Iterations, "iteration")} in {run.Seconds.ToString("F2", Invariant)} s ({Count(RunJson.PerSecond(run.Iterations, run.Seconds))}/s), " +
            $"{Count(run.WeakCount)} weak ({Count(RunJson.PerSecond(run.WeakCount, run.Seconds))}/s)");

        var total = run.Histogram.Sum(o => o.Count);
        var states = run.Histogram.Select(o => o.State.ToString()).ToList();
        var counts = run.Histogram.Select(o => Count(o.Count)).ToList();
        var stateWidth = states.Append("state").Max(s => s.Length) + 4;
        var countWidth = counts.Append("count").Max(s => s.Length) + 4;
        const int frequencyWidth = 11;
        text.Append("  ").Append("state".PadRight(stateWidth)).Append("count".PadRight(countWidth))
            .Append("frequency".PadRight(frequencyWidth)).AppendLine("class");
        var beyond = run.Histogram.Where(o => o.Class == OutcomeClass.BeyondBound).ToList();
        var beyondShown = beyond.Count > MaxBeyondBoundRows ? beyond.Take(MaxBeyondBoundRows - 1).ToHashSet() : beyond.ToHashSet();
        for (var i = 0; i < run.Histogram.Count; i++)
        {
            var outcome = run.Histogram[i];
            if (outcome.Class == OutcomeClass.BeyondBound && !beyondShown.Contains(outcome)) continue;
            var frequency = total > 0 ? (100.0 * outcome.Count / total).ToString("F2", Invariant) + "%" : "-";
            text.Append(outcome.SatisfiesCondition ? "* " : "  ")
                .Append(states[i].PadRight(stateWidth))
                .Append(counts[i].PadRight(countWidth))
                .Append(frequency.PadRight(frequencyWidth))
                .AppendLine(outcome.Class.ToJsonName());
        }

        if (beyond.Count > beyondShown.Count)
        {
            var rest = beyond.Where(o => !beyondShown.Contains(o)).ToList();
            text.AppendLine($"  ... and {Count(rest.Count)} more beyond-bound states ({rest[0].State} to {rest[^1].State}), " +
                            $"{Count(rest.Sum(o => o.Count))} observations (--json lists every state)");
        }
        if (run.AllowedUnseen.Count > 0)
            text.AppendLine($"  allowed but not seen: {string.Join(" | ", run.AllowedUnseen)}");
        if (run.Unobservable.Count > 0)
            text.AppendLine($"  allowed but not observable with this code (the JIT's code cannot produce them): {string.Join(" | ", run.Unobservable)}");
        if (run.Emitted is { } emitted)
        {
            text.AppendLine("  " + EmittedLine(emitted));
            foreach (var added in emitted.Unexplained) text.AppendLine($"  HARNESS DEFECT: the kernel adds to the racing code: {added}");
        }
        if (beyond.Count > 0)
            text.AppendLine($"  beyond-bound: {Counted.Of(run.BeyondBoundCount, "observation")} of {Counted.Of(beyond.Count, "state")} outside predictions that unroll loops " +
                            $"{Counted.Of(run.Predicted.LoopBound, "time")}: they may need more iterations, so they are no alarm (a larger --loop-bound grades them)");
        if (run.DidNotTerminate > 0)
            text.AppendLine($"  did not terminate: {Count(run.DidNotTerminate)}");
        foreach (var warning in run.Warnings)
            text.AppendLine($"  warning: {warning}");
        foreach (var line in VerdictLines(run)) text.AppendLine("  " + line);
        return string.Join('\n', text.ToString().Split('\n').Select(line => line.TrimEnd()));
    }

    /// <summary>A spin-counting test can end in a thousand states beyond the bound: the table shows a few, the JSON all.</summary>
    private const int MaxBeyondBoundRows = 6;

    /// <summary>What the code the JIT emitted for the kernel says, in one line.</summary>
    public static string EmittedLine(EmittedCodeCheck emitted)
    {
        var where = $"emitted code ({emitted.Target})";
        if (!emitted.Judged) return $"{where}: not judged ({emitted.NotJudged}); no state is claimed unobservable";
        var removed = emitted.Removed.Count > 0 ? $" — {string.Join("; ", emitted.Removed)}" : "";
        if (emitted.Finding)
            return $"FINDING: the {where} allows {Bracketed(emitted.OnlyEmitted)}, which the table forbids " +
                   $"({string.Join("; ", emitted.Causes)}){removed}";
        return emitted.Unobservable.Count > 0
            ? $"{where}: can never produce {Bracketed(emitted.Unobservable)}{removed}"
            : $"{where}: allows exactly what the table predicts{removed}";
    }

    private static string Bracketed(IEnumerable<FinalState> states) => string.Join(" ", states.Select(s => $"[{s}]"));

    /// <summary>The hardware model the run was judged against: "x64 (tso)", "arm64 (lse-rcpc)".</summary>
    public static string HardwareName(TestRun run)
    {
        var model = run.Predicted.Hardware.Target.ToString();
        var architecture = run.Machine.Architecture;
        return model.StartsWith(architecture, StringComparison.Ordinal) ? model : $"{architecture} ({model})";
    }

    /// <summary>One line when nothing forbidden was seen; else one line per forbidden state.</summary>
    private static IEnumerable<string> VerdictLines(TestRun run)
    {
        if (!run.ForbiddenObserved)
            return [$"verdict: ok — observation {run.Observation} ({run.Positive} positive, {run.Negative} negative)"];
        return run.Histogram.Where(o => o.Class.IsForbidden())
            .Select(o => $"verdict: FORBIDDEN state observed: {o.State} ({Explain(run, o.Class)}; seen {Count(o.Count)} times)");
    }

    private static string Explain(TestRun run, OutcomeClass outcomeClass) => outcomeClass switch
    {
        OutcomeClass.ForbiddenHardware => $"{outcomeClass.ToJsonName()}: {run.Predicted.Hardware.Target} forbids it for the code the JIT emits",
        OutcomeClass.ForbiddenCpp20 => $"{outcomeClass.ToJsonName()}: C++20 forbids it, so the '{run.Scheme.Name}' mapping is unsound",
        OutcomeClass.ForbiddenNet => $"{outcomeClass.ToJsonName()}: a .NET promise broken: net forbids it for the .NET program, " +
            $"{run.Predicted.Hardware.Target} allows it for the code the JIT emits",
        _ => outcomeClass.ToJsonName(),
    };

    private static string Count(long value) => value.ToString("N0", Invariant);

    private static string Count(double value) => Math.Round(value).ToString("N0", Invariant);
}
