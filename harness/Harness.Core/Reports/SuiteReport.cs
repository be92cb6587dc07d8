using System.Globalization;
using System.Text;
using Harness.Running;
using Harness.Verdicts;
using Harness.Formatting;

namespace Harness.Reports;

/// <summary>
/// The files a suite run leaves for people and tools (results/README.md describes them): the
/// combined JSON of every test, and a Markdown summary that reads like mcompare7's tables.
/// </summary>
public static class SuiteReport
{
    /// <summary>
    /// run.json: the run's settings and totals around the per-test objects of <see cref="RunJson"/>.
    /// <paramref name="resumed"/> names the runs read back from an earlier run's files (<c>--resume</c>).
    /// </summary>
    public static string CombinedJson(MachineInfo machine, IReadOnlyList<TestRun> runs, DateTimeOffset started, DateTimeOffset finished,
        string scheme, string mode, double testBudget, double totalBudget, IReadOnlyList<string> skipped, IReadOnlyList<string> resumed)
    {
        var text = new StringBuilder();
        text.Append('{');
        text.Append("\"machine\":").Append(RunJson.MachineJson(machine)).Append(',');
        text.Append("\"started\":\"").Append(started.ToString("o", CultureInfo.InvariantCulture)).Append("\",");
        text.Append("\"finished\":\"").Append(finished.ToString("o", CultureInfo.InvariantCulture)).Append("\",");
        text.Append("\"scheme\":\"").Append(scheme).Append("\",");
        text.Append("\"mode\":\"").Append(mode).Append("\",");
        text.Append(CultureInfo.InvariantCulture, $"\"budget\":{{\"per_test_seconds\":{testBudget},\"total_seconds\":{totalBudget}}},");
        text.Append(CultureInfo.InvariantCulture,
            $"\"totals\":{{\"tests\":{runs.Count},\"skipped\":{skipped.Count},\"iterations\":{runs.Sum(r => r.Iterations)}," +
            $"\"seconds\":{Math.Round(runs.Sum(r => r.Seconds), 3)},\"weak\":{runs.Sum(r => r.WeakCount)}," +
            $"\"forbidden_observed\":{runs.Count(r => r.ForbiddenObserved)}}},");
        text.Append("\"skipped\":[").Append(JsonList(skipped)).Append("],");
        text.Append("\"resumed\":[").Append(JsonList(resumed)).Append("],");
        text.Append("\"tests\":[");
        text.Append(string.Join(",\n", runs.Select(r => RunJson.ToJsonLine(r))));
        text.Append("]}\n");
        return text.ToString();
    }

    private static string JsonList(IEnumerable<string> names) => string.Join(",", names.Select(n => System.Text.Json.JsonSerializer.Serialize(n)));

    /// <summary>
    /// summary.md: a row per test, the predictions beside what was seen, then what the other
    /// architecture's models predict (never observed here), and links to the summary chart's pages.
    /// </summary>
    public static string Markdown(MachineInfo machine, IReadOnlyList<TestRun> runs, IReadOnlyList<string> skipped, IReadOnlyList<string> resumed)
    {
        var text = new StringBuilder();
        var hardware = runs.Count > 0 ? runs[0].Predicted.Hardware.Target.ToString() : machine.Profile;
        var elsewhere = ElsewhereColumns(runs);
        text.AppendLine($"# Litmus suite on {machine.Id}");
        text.AppendLine();
        text.AppendLine($"{machine.CpuModel}, {Counted.Of(machine.Cores, "core")}, {machine.OperatingSystem}, {machine.DotNetVersion}; " +
                        $"hardware model {hardware}. {Counted.Of(runs.Count, "test")}, {Counted.Of(runs.Sum(r => r.Iterations), "iteration")} in " +
                        $"{runs.Sum(r => r.Seconds):F1} s of running; {runs.Count(r => r.ForbiddenObserved)} with a forbidden state observed.");
        var oversubscribed = runs.Count(r => r.Oversubscribed);
        if (oversubscribed > 0)
        {
            text.AppendLine();
            text.AppendLine($"{oversubscribed} of {runs.Count} tests ran **oversubscribed** (more threads than CPUs): their threads took turns, " +
                            "so their racing code rarely overlapped and a \"Never\" there says little; the seen column says so.");
        }
        if (elsewhere.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"Columns marked † are **predicted, not observed**: what {string.Join(", ", elsewhere.Select(c => c.Target))} " +
                            "would allow, from each profile's instruction table (docs/mapping.md) through the simulator " +
                            $"({SourceText(runs)}). Bold: the prediction differs from this machine's {hardware}.");
        }
        text.AppendLine();
        text.Append($"| test | condition | SC | {hardware} | C++20 |");
        foreach (var column in elsewhere) text.Append($" {column.Target}† |");
        text.AppendLine(" seen | frequency | weak | verdict | notes |");
        text.Append("|---|---|---|---|---|");
        foreach (var _ in elsewhere) text.Append("---|");
        text.AppendLine("---|---|---|---|---|");
        foreach (var run in runs)
        {
            var frequency = run.Iterations == 0 ? 0 : (double)run.Positive / run.Iterations;
            var verdict = run.ForbiddenObserved ? "**FORBIDDEN observed**" : run.Interrupted ? "partial" : "ok";
            text.Append(
                $"| {run.Test.Name} | `{run.Test.Condition.Text.Replace("|", "\\|", StringComparison.Ordinal)}` | " +
                $"{Ok(run.Predicted.Sc.ConditionHolds)} | {Ok(run.Predicted.Hardware.ConditionHolds)} | " +
                $"{(run.Predicted.Cpp20.NotApplicable is not null ? "n/a" : Ok(run.Predicted.Cpp20.ConditionHolds))}{(run.Predicted.Cpp20.Undefined ? " (racy)" : "")} |");
            foreach (var column in elsewhere) text.Append(' ').Append(ElsewhereCell(run, column.Profile)).Append(" |");
            text.AppendLine(
                $" {Seen(run)} | {frequency.ToString("0.####%", CultureInfo.InvariantCulture)} | {run.WeakCount:N0} | {verdict} | " +
                $"{string.Join("; ", Notes(run))} |");
        }
        if (skipped.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"Not run (the total time budget ran out): {string.Join(", ", skipped)}.");
        }
        if (resumed.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"Read back from an earlier run's complete results (--resume): {string.Join(", ", resumed)}.");
        }
        AppendElsewhere(text, runs, elsewhere);
        AppendCharts(text, runs);
        text.AppendLine();
        text.AppendLine("Notes: *not observable* — states the table allows that the code the JIT emitted for the kernel can never produce " +
                        "(it merged or removed racing accesses), so never seeing them says nothing; *beyond the loop bound* — observations " +
                        "outside predictions that unroll loops only --loop-bound times (no alarm); *emitted code not judged* — the JIT's " +
                        "listing was read but could not be turned into a hardware program, so nothing is claimed about it; " +
                        "*FINDING* — the emitted code allows a state the table forbids; *oversubscribed* — more threads than CPUs, " +
                        "so the threads took turns.");
        text.AppendLine();
        text.AppendLine("SC, hardware and C++20 columns: whether the model allows the condition (herd7's Ok/No)" +
                        (elsewhere.Count > 0 ? "; † columns: the same for another target, predicted, not observed. " : ". ") +
                        "Seen: litmus7's observation of the condition (Never/Sometimes/Always), with what stood in the way of a witness " +
                        "never seen; frequency: its share of iterations.");
        return text.ToString();
    }

    /// <summary>A † column: one other target, in the order the predictions list them.</summary>
    private sealed record ElsewhereColumn(string Profile, string Target);

    private static List<ElsewhereColumn> ElsewhereColumns(IReadOnlyList<TestRun> runs) =>
        runs.SelectMany(r => r.Predicted.Elsewhere).Select(p => new ElsewhereColumn(p.Profile.Name, p.Target)).Distinct().ToList();

    private static string SourceText(IReadOnlyList<TestRun> runs) =>
        runs.SelectMany(r => r.Predicted.Elsewhere).Any(p => p.Code is not null)
            ? "the instruction table; the code the JIT emits there was also read, under qemu, and where the model's answer " +
              "on that code differs from the table's it follows in parentheses"
            : "table only: the code the JIT emits for those targets was not read";

    private static string ElsewhereCell(TestRun run, string profile)
    {
        if (run.Predicted.Elsewhere.FirstOrDefault(p => p.Profile.Name == profile) is not { } prediction) return "—";
        var cell = Ok(prediction.ConditionHolds) + (prediction.CutExecutions > 0 ? " (bound)" : "");
        if (prediction.ConditionHolds != run.Predicted.Hardware.ConditionHolds) cell = $"**{cell}**";
        return prediction.Code switch
        {
            { Judged: false } => $"{cell} (code not judged)",
            { } code when code.ConditionHolds != prediction.ConditionHolds => $"{cell} (code: {Ok(code.ConditionHolds)})",
            _ => cell,
        };
    }

    /// <summary>The observation, and what made a witness never seen hardly possible: "Never (oversubscribed: 3 threads on 2 CPUs)".</summary>
    private static string Seen(TestRun run) =>
        run.UnseenCaveats.Count == 0 ? run.Observation : $"{run.Observation} ({string.Join("; ", run.UnseenCaveats)})";

    /// <summary>
    /// Where the other architecture shows what this one hides: per other target, the tests whose witness
    /// its model allows and this machine's forbids, and the reverse — all predicted, none observed.
    /// </summary>
    private static void AppendElsewhere(StringBuilder text, IReadOnlyList<TestRun> runs, IReadOnlyList<ElsewhereColumn> columns)
    {
        if (columns.Count == 0) return;
        var hardware = runs[0].Predicted.Hardware.Target.ToString();
        text.AppendLine();
        text.AppendLine("## Other targets: predicted, not observed");
        text.AppendLine();
        text.AppendLine($"Tests whose condition's witness (the proposition; for `forall`, its negation) another target's model allows " +
                        $"and {hardware} forbids, or the reverse, for the code of each profile's instruction table:");
        text.AppendLine();
        foreach (var column in columns)
        {
            var more = new List<string>();
            var fewer = new List<string>();
            foreach (var run in runs)
            {
                if (run.Predicted.Elsewhere.FirstOrDefault(p => p.Profile.Name == column.Profile) is not { } prediction) continue;
                var there = WitnessAllowed(run, prediction.ConditionHolds);
                var here = WitnessAllowed(run, run.Predicted.Hardware.ConditionHolds);
                if (there && !here) more.Add(run.Test.Name);
                else if (here && !there) fewer.Add(run.Test.Name);
            }
            text.AppendLine($"- {column.Target}: allows {more.Count} that {hardware} forbids" +
                            (more.Count > 0 ? $" ({string.Join(", ", more)})" : "") +
                            $"; forbids {fewer.Count} that {hardware} allows" + (fewer.Count > 0 ? $" ({string.Join(", ", fewer)})" : "") + ".");
            AppendCodeAgreement(text, runs, column);
        }
    }

    /// <summary>Where the code the JIT emits on that target was read: how often the model's answer on it is the table's.</summary>
    private static void AppendCodeAgreement(StringBuilder text, IReadOnlyList<TestRun> runs, ElsewhereColumn column)
    {
        var read = runs
            .Select(r => (Run: r, Prediction: r.Predicted.Elsewhere.FirstOrDefault(p => p.Profile.Name == column.Profile)))
            .Where(r => r.Prediction?.Code is not null)
            .ToList();
        if (read.Count == 0) return;
        var notJudged = read.Count(r => !r.Prediction!.Code!.Judged);
        var differ = read.Where(r => r.Prediction!.Code!.Judged && r.Prediction.Code.ConditionHolds != r.Prediction.ConditionHolds)
            .Select(r => r.Run.Test.Name).ToList();
        text.AppendLine($"  The code its JIT emits, read under qemu for {Counted.Of(read.Count, "test")}: the table's answer in " +
                        $"{read.Count - notJudged - differ.Count}, another in {differ.Count}" +
                        (differ.Count > 0 ? $" ({string.Join(", ", differ)})" : "") + $", not judged in {notJudged}.");
    }

    /// <summary>herd7's verdict is on the condition as written: for <c>~exists</c> and <c>forall</c> "allowed" means the witness is not.</summary>
    private static bool WitnessAllowed(TestRun run, bool conditionHolds) =>
        run.Test.Condition.Quantifier == Programs.Quantifier.Exists ? conditionHolds : !conditionHolds;

    private static void AppendCharts(StringBuilder text, IReadOnlyList<TestRun> runs)
    {
        if (runs.Count == 0) return;
        var pages = SummaryPages.Of(runs);
        text.AppendLine();
        text.AppendLine("## Charts");
        text.AppendLine();
        text.AppendLine($"Weak-state frequency by test, {pages.Count} page{(pages.Count == 1 ? "" : "s")} of at most {SummaryPages.MaxTests} tests:");
        text.AppendLine();
        foreach (var page in pages)
            text.AppendLine($"- [{page.FileName}](charts/{page.FileName}.png) ([svg](charts/{page.FileName}.svg)): {page.Runs.Count} tests, " +
                            $"{page.FirstTest} … {page.LastTest} ({string.Join(", ", page.Families)})");
        text.AppendLine();
        text.AppendLine("All tests in one image: [summary.png](charts/summary.png); one chart per test: charts/<test>.png.");
    }

    private static string Ok(bool holds) => holds ? "Ok" : "No";

    /// <summary>What a reader must know before trusting "Never": states the code cannot produce, observations past the loop bound, code not judged.</summary>
    private static IEnumerable<string> Notes(TestRun run)
    {
        if (run.Unobservable.Count > 0)
            yield return $"not observable with the JIT's code: {string.Join(", ", run.Unobservable.Select(s => $"`{s}`"))}";
        if (run.BeyondBoundCount > 0) yield return $"{run.BeyondBoundCount:N0} beyond the loop bound ({run.Predicted.LoopBound})";
        // When the witness was not seen, the seen column says it already.
        if (run.OversubscribedText is { } turns && run.WitnessSeen) yield return turns;
        if (run.Emitted is { Finding: true } finding)
            yield return $"**FINDING**: the emitted code allows {string.Join(", ", finding.OnlyEmitted.Select(s => $"`{s}`"))}";
        else if (run.Emitted is { Judged: false } notJudged) yield return "emitted code not judged";
    }
}
