using System.Globalization;
using System.Text;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Reports;

/// <summary>
/// A run as litmus7 logs it, so that herdtools' mcompare7 can set it beside litmus7 and herd7
/// logs: per test the histogram (count, <c>*&gt;</c> when the state satisfies the condition's
/// proposition, else <c>:&gt;</c>), Ok/No, the witnesses, the condition's validation, a hash
/// of the test, the observation and the time.
/// </summary>
public static class Litmus7Log
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="runs">The tests of the run, in order.</param>
    /// <param name="hash">The test's hash (32 hex digits); by default a 128-bit hash of its source file, see <see cref="Hash"/>.</param>
    public static string Render(IEnumerable<TestRun> runs, Func<LitmusTest, string>? hash = null)
    {
        hash ??= Hash;
        var text = new StringBuilder();
        foreach (var run in runs) RenderOne(text, run, hash(run.Test));
        return text.ToString();
    }

    /// <summary>herd's validation of the condition as written against what was observed.</summary>
    public static bool Validated(TestRun run) => run.Test.Condition.Quantifier switch
    {
        Quantifier.Exists => run.Positive > 0,
        Quantifier.NotExists => run.Positive == 0,
        Quantifier.ForAll => run.Negative == 0,
        _ => throw new ArgumentOutOfRangeException(nameof(run)),
    };

    /// <summary>
    /// A 128-bit hash (xxHash128, 32 hex digits like litmus7's MD5) of the test's source text
    /// (line endings normalised), or, when the file cannot be read, of its name and condition:
    /// mcompare7 only compares hashes for equality, to catch logs of different tests that share
    /// a name. Not MD5: that would tie the harness to OpenSSL, which a bare arm64 box may lack.
    /// </summary>
    public static string Hash(LitmusTest test)
    {
        string source;
        try
        {
            source = File.ReadAllText(test.SourceFile, Encoding.UTF8).Replace("\r\n", "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            source = $"{test.Name}\n{test.Condition.Text}\n";
        }
        return Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(source))).ToLowerInvariant();
    }

    private static void RenderOne(StringBuilder text, TestRun run, string hash)
    {
        var test = run.Test;
        var kind = test.Condition.Quantifier == Quantifier.ForAll ? "Required" : "Allowed";
        var validated = Validated(run);
        text.Append($"Test {test.Name} {kind}\n");
        text.Append($"Histogram ({run.Histogram.Count} states)\n");
        foreach (var outcome in run.Histogram)
        {
            text.Append(outcome.Count.ToString(Invariant).PadRight(6))
                .Append(outcome.SatisfiesCondition ? "*>" : ":>")
                .Append(outcome.State.ToString())
                .Append('\n');
        }
        text.Append(validated ? "Ok\n" : "No\n");
        text.Append('\n');
        text.Append("Witnesses\n");
        text.Append($"Positive: {run.Positive}, Negative: {run.Negative}\n");
        text.Append($"Condition {test.Condition.Text} is {(validated ? "" : "NOT ")}validated\n");
        text.Append($"Hash={hash}\n");
        text.Append($"Observation {test.Name} {run.Observation} {run.Positive} {run.Negative}\n");
        text.Append($"Time {test.Name} {run.Seconds.ToString("F2", Invariant)}\n");
        text.Append('\n');
    }
}
