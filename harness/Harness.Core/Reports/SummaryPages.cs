using Harness.Verdicts;

namespace Harness.Reports;

/// <summary>One page of the suite's summary chart: consecutive tests, whole families where they fit.</summary>
public sealed record SummaryPage(int Number, int Count, IReadOnlyList<TestRun> Runs)
{
    /// <summary>The page's file name without extension, under charts/: summary-1, summary-2, ...</summary>
    public string FileName => $"summary-{Number}";

    public string FirstTest => Runs[0].Test.Name;
    public string LastTest => Runs[^1].Test.Name;

    /// <summary>The families on the page, in order, each once: "MP, R, RWC".</summary>
    public IReadOnlyList<string> Families => Runs.Select(SummaryPages.Family).Distinct().ToList();
}

/// <summary>
/// The summary chart of a whole catalogue is one bar per test, thousands of pixels tall: unreadable at
/// normal size. It is cut into pages of at most <see cref="MaxTests"/> tests, in the order of summary.md,
/// a family kept on one page when it fits. Here rather than beside the chart so that summary.md can link
/// the very pages the chart draws.
/// </summary>
public static class SummaryPages
{
    /// <summary>Forty rows of 20 pixels: a page about 1,100 pixels tall, a screen's height.</summary>
    public const int MaxTests = 40;

    /// <summary>
    /// A test's family: the folder its file is in — the catalogue keeps a shape's variants together
    /// (generated/W+RWC/, dotnet/) — else its name up to the first '+' ("MP" for MP+rlx).
    /// </summary>
    public static string Family(TestRun run) =>
        Path.GetFileName(Path.GetDirectoryName(run.Test.SourceFile)) is { Length: > 0 } folder ? folder : NameFamily(run.Test.Name);

    private static string NameFamily(string testName) => testName.IndexOf('+', StringComparison.Ordinal) is var plus and > 0 ? testName[..plus] : testName;

    public static IReadOnlyList<SummaryPage> Of(IReadOnlyList<TestRun> runs, int maxTests = MaxTests)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTests, 1);
        // Runs of consecutive tests of one family; a family longer than a page is cut in page-sized pieces.
        var groups = new List<List<TestRun>>();
        foreach (var run in runs)
        {
            if (groups.Count > 0 && Family(groups[^1][0]) == Family(run) && groups[^1].Count < maxTests) groups[^1].Add(run);
            else groups.Add([run]);
        }
        var pages = new List<List<TestRun>>();
        foreach (var group in groups)
        {
            if (pages.Count > 0 && pages[^1].Count + group.Count <= maxTests) pages[^1].AddRange(group);
            else pages.Add([.. group]);
        }
        return pages.Select((page, i) => new SummaryPage(i + 1, pages.Count, page)).ToList();
    }
}
