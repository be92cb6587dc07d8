using Harness.Tests.Support;
using Harness.Reports.Charts;
using Harness.Tests.Charts;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// The cost chart from made-up costs. Set HARNESS_CHART_SAMPLES=DIR to keep the images there and look at them;
/// otherwise they go to a temporary folder removed afterwards.
/// </summary>
public class BenchChartTests() : SampleFolderFixture("harness-bench-chart")
{
    /// <summary>Costs from a fraction of a nanosecond to hundreds, one of them too small to resolve.</summary>
    private static List<OperationCost> Costs() =>
    [
        new(".NET primitives", "plain load", "uncontended", 0.31),
        new(".NET primitives", "plain load", "contended", 2.4),
        new(".NET primitives", "Volatile.ReadBarrier", "uncontended", 0),
        new(".NET primitives", "Volatile.ReadBarrier", "contended", -0.02),
        new(".NET primitives", "Interlocked.CompareExchange (success)", "uncontended", 7.9),
        new(".NET primitives", "Interlocked.CompareExchange (success)", "contended", 312.4),
        new("C++ orderings, scheme dotnet", "store seq_cst: VolatileWrite + MemoryBarrier", "uncontended", 8.6),
        new("C++ orderings, scheme dotnet", "store seq_cst: VolatileWrite + MemoryBarrier", "contended", 95),
    ];

    [Test]
    public void The_chart_names_the_machine_and_shows_each_cost_uncontended_and_contended_on_a_log_scale()
    {
        var path = Path.Combine(Folder, "bench-costs");

        BenchChart.Save(Costs(), ChartFixtures.X64, "BenchmarkDotNet short job", path);

        var png = File.ReadAllBytes(path + ".png");
        var svg = File.ReadAllText(path + ".svg");
        Assert.Multiple(() =>
        {
            Assert.That(png, Has.Length.GreaterThan(10_000), "a PNG with a chart in it, not a blank image");
            Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
            foreach (var text in new[]
                     {
                         "Cost per operation on x64-test-cpu-9000-2c", "Test CPU 9000", "BenchmarkDotNet short job", "log scale",
                         ".NET primitives", "C++ orderings, scheme dotnet", "store seq_cst: VolatileWrite + MemoryBarrier",
                         "uncontended", "contended", "0.31 ns", "312 ns", "95.0 ns", "below resolution", "100 ns",
                     })
                Assert.That(svg, Does.Contain(System.Security.SecurityElement.Escape(text)), $"the SVG shows \"{text}\"");
            Assert.That(Directory.GetFiles(Folder, "*.tmp"), Is.Empty, "no temporary file is left behind");
        });
    }

    [Test]
    public void A_chart_of_costs_all_below_resolution_still_renders()
    {
        var path = Path.Combine(Folder, "bench-zero");

        BenchChart.Save([new(".NET primitives", "Volatile.ReadBarrier", "uncontended", 0)], ChartFixtures.Arm64, "dry job", path);

        Assert.That(File.ReadAllText(path + ".svg"), Does.Contain("below resolution"));
    }
}
