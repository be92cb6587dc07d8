using Harness.Tests.Support;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Reports.Charts;
using Harness.Tests.Reports;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Tests.Charts;

/// <summary>
/// The charts render to PNG and SVG. Set HARNESS_CHART_SAMPLES=DIR to keep the images there and look at them;
/// otherwise they go to a temporary folder removed afterwards.
/// </summary>
public class ChartTests() : SampleFolderFixture("harness-charts")
{
    private static void AssertImages(string pathWithoutExtension, params string[] svgTexts)
    {
        var png = pathWithoutExtension + ".png";
        var svg = pathWithoutExtension + ".svg";
        Assert.That(File.Exists(png), Is.True, png);
        Assert.That(File.Exists(svg), Is.True, svg);
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(10_000), "a PNG with a chart in it, not a blank image");
        var bytes = File.ReadAllBytes(png);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }));
        var xml = File.ReadAllText(svg);
        Assert.That(xml, Does.StartWith("<?xml").Or.StartWith("<svg"));
        Assert.That(xml.Length, Is.GreaterThan(5_000));
        foreach (var text in svgTexts) Assert.That(xml, Does.Contain(System.Security.SecurityElement.Escape(text)), $"the SVG shows \"{text}\"");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(png)!, "*.tmp"), Is.Empty, "no temporary file is left behind");
    }

    [Test]
    public void OutcomeChartShowsTheObservedStatesAndTheAllowedOneNeverSeen()
    {
        var run = RunFixtures.StoreBufferingRun();
        Assert.That(run.AllowedUnseen, Has.Count.EqualTo(1), "the fixture leaves one allowed state unseen");
        var path = Path.Combine(Folder, "outcome-SB+rlx");

        OutcomeChart.Save(run, path);

        AssertImages(path, "SB+rlx", "exists (0:r0=0 /\\ 1:r0=0)", "not seen", "count (log scale)", "final state", "x64-test-cpu-9000-2c",
            "weak-allowed", "* 0:r0=0", "1:r0=1");
    }

    [Test]
    public void OutcomeChartOfAForbiddenHardwareState()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 3), ([0, 1], 500_000), ([1, 0], 499_000), ([1, 1], 997)]);
        Assert.That(run.Histogram[0].Class, Is.EqualTo(OutcomeClass.ForbiddenHardware));
        var path = Path.Combine(Folder, "outcome-SB+sc-forbidden-hw");

        OutcomeChart.Save(run, path);

        AssertImages(path, "SB+sc", "FORBIDDEN", "forbidden-hw");
    }

    [Test]
    public void OutcomeChartOfAStateOnlyCpp20Forbids()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 42), ([0, 1], 10_000), ([1, 0], 9_000)],
            scheme: MappingScheme.UnsoundSeqCst);
        Assert.That(run.Histogram[0].Class, Is.EqualTo(OutcomeClass.ForbiddenCpp20));
        var path = Path.Combine(Folder, "outcome-SB+sc-unsound");

        OutcomeChart.Save(run, path);

        AssertImages(path, "SB+sc", "forbidden-cpp20", "unsound-sc");
    }

    [Test]
    public void OutcomeChartWithManyStatesWritesEachStateOneValueALine()
    {
        var run = ChartFixtures.IriwOnArm();
        Assert.That(run.Histogram.Count + run.AllowedUnseen.Count, Is.EqualTo(16));
        var path = Path.Combine(Folder, "outcome-IRIW+rlx-arm64");

        OutcomeChart.Save(run, path);

        AssertImages(path, "IRIW+rlx", "arm64-neoverse-n1-4c", "lse-rcpc", "* 2:r0=1", "3:r1=0", "not seen", "1,594,323");
    }

    [Test]
    public void OutcomeChartRotatesTheLabelsOfLongStates()
    {
        var weak = LitmusParser.Parse(ChartFixtures.MessagePassingWithLocations, "MP.litmus").Condition.Proposition;
        var run = ChartFixtures.RunAllowed(ChartFixtures.MessagePassingWithLocations, ChartFixtures.Arm64, s => s.Satisfies(weak) ? 7 : 250_000);
        Assert.That(run.Histogram.Any(o => o.Class == OutcomeClass.WeakAllowed), Is.True);
        var path = Path.Combine(Folder, "outcome-MP+rlx+locations-arm64");

        OutcomeChart.Save(run, path);

        AssertImages(path, "MP+rlx+locations", "* 1:r0=1; 1:r1=0; payload=1; ready_flag=1; spare=0");
    }

    [Test]
    public void SummaryChartOfACatalogueStaysLegible()
    {
        var runs = ChartFixtures.Catalogue(200);
        var path = Path.Combine(Folder, "summary-200");

        SummaryChart.Save(runs, path);

        AssertImages(path, "Weak-state frequency by test", "weak observations / iterations (log scale)", "MP+000", "SB+199", "(!) ",
            "15%", "0.0001%", "none seen");
        using var image = SkiaSharp.SKBitmap.Decode(path + ".png");
        Assert.That(image.Height, Is.GreaterThan(200 * 18), "about a row of 20 pixels per test");
    }

    [Test]
    public void SummaryChartOfAFewTests()
    {
        var runs = new[]
        {
            RunFixtures.StoreBufferingRun(),
            RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 1], 500), ([1, 0], 500)]),
            RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 1), ([0, 1], 499_999), ([1, 0], 500_000)]),
        };
        var path = Path.Combine(Folder, "summary-3");

        SummaryChart.Save(runs, path);

        AssertImages(path, "SB+rlx", "SB+sc", "no weak state allowed");
    }
}
