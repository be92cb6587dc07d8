using Harness.Mapping;
using Harness.Reports;
using Harness.Reports.Charts;
using Harness.Tests.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Charts;

/// <summary>
/// The summary chart cut into pages a screen tall: at most 40 tests each, whole families where they fit,
/// with the other architecture's predictions beside the bars and the oversubscribed tests annotated.
/// </summary>
public class SummaryPageTests() : SampleFolderFixture("harness-summary-pages")
{
    /// <summary>The catalogue's shape: small families of the atomics chapter and .NET questions, then the generated ones, one longer than a page.</summary>
    private static readonly (string Family, int Tests)[] Families =
    [
        ("compiler-reorder", 3), ("counter", 2), ("hardware-reorder", 3), ("spinlock", 4), ("2+2W", 1), ("MP", 10), ("SB", 9),
        ("2+2W", 7), ("3.LB", 11), ("3.SB", 9), ("CoRR", 4), ("CoRW1", 4), ("CoRW2", 4), ("CoWR", 4), ("CoWW", 4), ("IRIW", 11),
        ("ISA2", 11), ("LB", 10), ("MP", 45), ("R", 8), ("RWC", 11), ("S", 11), ("SB", 10),
    ];

    private static IReadOnlyList<TestRun> Catalogue()
    {
        var runs = ChartFixtures.Catalogue(Families.Sum(f => f.Tests));
        var names = Families.SelectMany(f => Enumerable.Range(0, f.Tests).Select(i => $"{f.Family}+v{i:D2}")).ToList();
        return runs.Select((run, i) => run with { Test = run.Test with { Name = names[i] } }).ToList();
    }

    [Test]
    public void Pages_hold_at_most_forty_tests_in_order_and_keep_families_whole_where_they_fit()
    {
        var runs = Catalogue();

        var pages = SummaryPages.Of(runs);

        Assert.That(pages.SelectMany(p => p.Runs), Is.EqualTo(runs), "every test once, in the summary's order");
        Assert.That(pages.Select(p => p.Runs.Count), Is.All.InRange(1, SummaryPages.MaxTests));
        Assert.That(pages.Select(p => p.Number), Is.EqualTo(Enumerable.Range(1, pages.Count)));
        Assert.That(pages.Select(p => p.Count), Is.All.EqualTo(pages.Count));
        var start = 0;
        foreach (var (family, tests) in Families)
        {
            var members = runs.Skip(start).Take(tests).ToList();
            start += tests;
            var on = pages.Where(p => p.Runs.Intersect(members).Any()).ToList();
            if (tests <= SummaryPages.MaxTests) Assert.That(on, Has.Count.EqualTo(1), $"{family} ({tests} tests) on one page");
            else Assert.That(on, Has.Count.EqualTo(2), $"{family} ({tests} tests) cut once, a page's worth first");
        }
        Assert.That(pages.Count, Is.LessThanOrEqualTo(runs.Count / SummaryPages.MaxTests + 3), "pages filled, not one per family");
    }

    [Test]
    public void Each_page_is_a_screen_tall_with_predictions_and_oversubscription_marked()
    {
        var sb = RunFixtures.Run(LitmusSamples.StoreBufferingRelaxed, [([0, 1], 1)], elsewhere: true);
        var runs = Catalogue().Select((run, i) => run with
        {
            Predicted = run.Predicted with { Elsewhere = sb.Predicted.Elsewhere },
            Cpus = i % 4 == 0 ? 1 : 2, // every fourth test's two threads took turns on one CPU
        }).ToList();

        var pages = SummaryChart.SavePages(runs, Folder);

        Assert.That(pages, Has.Count.EqualTo(SummaryPages.Of(runs).Count));
        foreach (var page in pages)
        {
            var path = Path.Combine(Folder, page.FileName);
            using var image = SkiaSharp.SKBitmap.Decode(path + ".png");
            Assert.That(image.Height, Is.LessThanOrEqualTo(1300), $"{page.FileName}: about a screen's height");
            Assert.That(image.Width, Is.LessThanOrEqualTo(2000), page.FileName);
            var svg = File.ReadAllText(path + ".svg");
            Assert.That(svg, Does.Contain($"page {page.Number} of {pages.Count}"));
            Assert.That(svg, Does.Contain("predicted, not observed"));
            Assert.That(svg, Does.Contain("lse-rcpc / lse / rcpc / v8.0"));
            Assert.That(svg, Does.Contain("oversubscribed: 2 threads on 1 CPU"));
            foreach (var run in page.Runs) Assert.That(svg, Does.Contain(System.Security.SecurityElement.Escape(run.Test.Name)));
        }
    }
}
