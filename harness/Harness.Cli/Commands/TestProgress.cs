using System.Globalization;
using Harness.Reports;
using Harness.Verdicts;
using Harness.Formatting;

namespace Harness.Cli.Commands;

/// <summary>
/// Where a command that runs many tests (<c>run</c> over a folder, <c>suite</c>) is: the
/// <c>[n/N]</c> counter, a status line rewritten in place while a test runs (on a terminal only:
/// a log file would fill with them), and the totals at the end.
/// </summary>
public sealed class TestProgress(IReadOnlyList<string> testNames, TextWriter output)
{
    private readonly int _count = testNames.Count;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly bool _terminal = output == Console.Out ? !Console.IsOutputRedirected : output == Console.Error && !Console.IsErrorRedirected;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Whether status lines show: judging a partial run for them is wasted on a log file.</summary>
    public bool Live => _terminal;

    /// <summary>"[  7/234]": as wide for the first test as for the last, so that the names line up.</summary>
    public string Counter(int index) => $"[{(index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(_count.ToString(CultureInfo.InvariantCulture).Length)}/{_count}]";

    /// <summary>The width of the longest test name: a column of names padded to it keeps the next column straight.</summary>
    public int NameWidth { get; } = testNames.Count == 0 ? 0 : testNames.Max(n => n.Length);

    /// <summary>The running test's status, replaced by the next one or by <see cref="Clear"/>.</summary>
    public void Show(string line)
    {
        if (!_terminal) return;
        var width = Math.Max(20, WindowWidth() - 1);
        output.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
    }

    /// <summary>The status of a test under way: iterations and weak outcomes so far.</summary>
    public void ShowRunning(int index, TestRun partial) => Show(
        $"{Counter(index)} {partial.Test.Name}: {partial.Iterations:N0} iterations, {partial.WeakCount:N0} weak so far" +
        $"{(partial.ForbiddenObserved ? ", FORBIDDEN state seen" : "")}  elapsed {Elapsed.TotalSeconds:F0} s");

    public void Clear()
    {
        if (!_terminal) return;
        output.Write("\r" + new string(' ', Math.Max(20, WindowWidth() - 1)) + "\r");
    }

    /// <summary>A finished test's line: its counter, name, iterations, time, weak frequency and verdict, in columns.</summary>
    public string Finished(int index, TestRun run)
    {
        var frequency = run.Iterations == 0 ? 0 : (double)run.WeakCount / run.Iterations;
        var verdict = run.ForbiddenObserved ? "FORBIDDEN" : run.Interrupted ? "partial" : "ok";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Counter(index)} {run.Test.Name.PadRight(NameWidth)} {run.Iterations,12:N0} it {run.Seconds,6:F2} s  " +
            $"weak {frequency,8:0.####%}  {verdict,-9} elapsed {Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>
    /// "3 tests, 3,000,000 iterations, 181,948 weak, 0 forbidden; 1.6 s of running, 4 s in all", naming
    /// the tests where a forbidden state was observed.
    /// </summary>
    public string Totals(IReadOnlyCollection<TestRun> runs)
    {
        var forbidden = runs.Where(r => r.ForbiddenObserved).Select(r => r.Test.Name).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Counted.Of(runs.Count, "test")}, {Counted.Of(runs.Sum(r => r.Iterations), "iteration")}, {runs.Sum(r => r.WeakCount):N0} weak, " +
            $"{forbidden.Count} forbidden{(forbidden.Count > 0 ? $" ({string.Join(", ", forbidden)})" : "")}; " +
            $"{runs.Sum(r => r.Seconds):F1} s of running, {Elapsed.TotalSeconds:F0} s in all");
    }

    private static int WindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}
