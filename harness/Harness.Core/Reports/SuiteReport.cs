using System.Globalization;
using System.Text;
using Harness.Running;
using Harness.Verdicts;

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

    /// <summary>summary.md: a row per test, the predictions beside what was seen.</summary>
    public static string Markdown(MachineInfo machine, IReadOnlyList<TestRun> runs, IReadOnlyList<string> skipped, IReadOnlyList<string> resumed)
    {
        var text = new StringBuilder();
        var hardware = runs.Count > 0 ? runs[0].Predicted.Hardware.Target.ToString() : machine.Profile;
        text.AppendLine($"# Litmus suite on {machine.Id}");
        text.AppendLine();
        text.AppendLine($"{machine.CpuModel}, {machine.Cores} cores, {machine.OperatingSystem}, {machine.DotNetVersion}; " +
                        $"hardware model {hardware}. {runs.Count} tests, {runs.Sum(r => r.Iterations):N0} iterations in " +
                        $"{runs.Sum(r => r.Seconds):F1} s of running; {runs.Count(r => r.ForbiddenObserved)} with a forbidden state observed.");
        text.AppendLine();
        text.AppendLine($"| test | condition | SC | {hardware} | C++20 | seen | frequency | weak | verdict | notes |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs)
        {
            var frequency = run.Iterations == 0 ? 0 : (double)run.Positive / run.Iterations;
            var verdict = run.ForbiddenObserved ? "**FORBIDDEN observed**" : run.Interrupted ? "partial" : "ok";
            text.AppendLine(
                $"| {run.Test.Name} | `{run.Test.Condition.Text.Replace("|", "\\|", StringComparison.Ordinal)}` | " +
                $"{Ok(run.Predicted.Sc.ConditionHolds)} | {Ok(run.Predicted.Hardware.ConditionHolds)} | " +
                $"{(run.Predicted.Cpp20 is { } cpp20 ? Ok(cpp20.ConditionHolds) + (cpp20.Undefined ? " (racy)" : "") : "n/a")} | " +
                $"{run.Observation} | {frequency.ToString("0.####%", CultureInfo.InvariantCulture)} | {run.WeakCount:N0} | {verdict} | " +
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
        text.AppendLine();
        text.AppendLine("Notes: *not observable* — states the table allows that the code the JIT emitted for the kernel can never produce " +
                        "(it merged or removed racing accesses), so never seeing them says nothing; *beyond the loop bound* — observations " +
                        "outside predictions that unroll loops only --loop-bound times (no alarm); *emitted code not judged* — the JIT's " +
                        "listing was read but could not be turned into a hardware program, so nothing is claimed about it; " +
                        "*FINDING* — the emitted code allows a state the table forbids.");
        text.AppendLine();
        text.AppendLine("SC, hardware and C++20 columns: whether the model allows the condition (herd7's Ok/No). " +
                        "Seen: litmus7's observation of the condition (Never/Sometimes/Always); frequency: its share of iterations.");
        return text.ToString();
    }

    private static string Ok(bool holds) => holds ? "Ok" : "No";

    /// <summary>What a reader must know before trusting "Never": states the code cannot produce, observations past the loop bound, code not judged.</summary>
    private static IEnumerable<string> Notes(TestRun run)
    {
        if (run.Unobservable.Count > 0)
            yield return $"not observable with the JIT's code: {string.Join(", ", run.Unobservable.Select(s => $"`{s}`"))}";
        if (run.BeyondBoundCount > 0) yield return $"{run.BeyondBoundCount:N0} beyond the loop bound ({run.Predicted.LoopBound})";
        if (run.Emitted is { Finding: true } finding)
            yield return $"**FINDING**: the emitted code allows {string.Join(", ", finding.OnlyEmitted.Select(s => $"`{s}`"))}";
        else if (run.Emitted is { Judged: false } notJudged) yield return "emitted code not judged";
    }
}
