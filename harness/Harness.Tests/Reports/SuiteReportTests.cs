using Harness.Reports;
using Harness.Tests.Charts;
using Harness.Tests.Support;

namespace Harness.Tests.Reports;

/// <summary>summary.md: the other architecture's predictions marked as such, honest "Never"s, and links to the chart's pages.</summary>
public class SuiteReportTests
{
    private static string Row(string markdown, string test) =>
        markdown.Split('\n').Single(l => l.StartsWith($"| {test} |", StringComparison.Ordinal));

    private static string[] Cells(string row) => row.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();

    private static string Summary(params Harness.Verdicts.TestRun[] runs) => SuiteReport.Markdown(RunFixtures.Machine, runs, [], []);

    [Test]
    public void Every_arm64_profile_has_a_column_marked_predicted_and_bold_where_it_differs_from_tso()
    {
        var markdown = Summary(
            RunFixtures.Run(LitmusSamples.MessagePassingRelaxed, [([0, 0], 400), ([1, 1], 600)], elsewhere: true, cpus: 2),
            RunFixtures.Run(LitmusSamples.StoreBufferingRelaxed, [([0, 0], 10), ([0, 1], 500), ([1, 0], 490)], elsewhere: true, cpus: 2));

        var header = Cells(markdown.Split('\n').Single(l => l.StartsWith("| test |", StringComparison.Ordinal)));
        Assert.That(header[..9], Is.EqualTo(new[]
        {
            "test", "condition", "SC", "tso", "C++20", "arm64 (lse-rcpc)†", "arm64 (lse)†", "arm64 (rcpc)†", "arm64 (v8.0)†",
        }));
        Assert.That(markdown, Does.Contain("Columns marked † are **predicted, not observed**").And.Contain("table only"));
        var mp = Cells(Row(markdown, "MP+rlx"));
        Assert.That(mp[3], Is.EqualTo("No"), "tso forbids MP's weak state");
        Assert.That(mp[5..9], Is.All.EqualTo("**Ok**"), "arm64 allows it on every profile: bold, it differs from tso");
        Assert.That(mp[9], Is.EqualTo("Never"), "two threads on two CPUs: nothing to excuse");
        var sb = Cells(Row(markdown, "SB+rlx"));
        Assert.That(sb[5..9], Is.All.EqualTo("Ok"), "allowed there as here: not bold");
        Assert.That(markdown, Does.Contain("- arm64 (lse-rcpc): allows 1 that tso forbids (MP+rlx); forbids 0 that tso allows."));
    }

    [Test]
    public void A_run_without_predictions_elsewhere_keeps_the_old_columns()
    {
        var markdown = Summary(RunFixtures.StoreBufferingRun());

        Assert.That(markdown, Does.Contain("| test | condition | SC | tso | C++20 | seen | frequency | weak | verdict | notes |"));
        Assert.That(markdown, Does.Not.Contain("†"));
    }

    [Test]
    public void Never_seen_on_threads_that_took_turns_says_so_in_the_seen_column()
    {
        var markdown = Summary(
            RunFixtures.Run(LitmusSamples.MessagePassingRelaxed, [([0, 0], 400), ([1, 1], 600)], cpus: 1),
            RunFixtures.Run(LitmusSamples.StoreBufferingRelaxed, [([0, 0], 10), ([0, 1], 500), ([1, 0], 490)], cpus: 1));

        var mp = Cells(Row(markdown, "MP+rlx"));
        Assert.That(mp[5], Is.EqualTo("Never (oversubscribed: 2 threads on 1 CPU)"));
        var sb = Cells(Row(markdown, "SB+rlx"));
        Assert.That(sb[5], Is.EqualTo("Sometimes"), "seen: the observation stands");
        Assert.That(sb[^1], Does.Contain("oversubscribed: 2 threads on 1 CPU"));
        Assert.That(markdown, Does.Contain("2 of 2 tests ran **oversubscribed**"));
    }

    [Test]
    public void The_summary_links_every_chart_page()
    {
        var runs = ChartFixtures.Catalogue(100);

        var markdown = SuiteReport.Markdown(RunFixtures.Machine, runs, [], []);

        var pages = SummaryPages.Of(runs);
        Assert.That(pages.Count, Is.GreaterThanOrEqualTo(3));
        foreach (var page in pages) Assert.That(markdown, Does.Contain($"[{page.FileName}](charts/{page.FileName}.png)"));
        Assert.That(markdown, Does.Contain("[summary.png](charts/summary.png)"), "the single image stays, for tools that read it");
    }
}
