using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Loggers;
using Harness.Benchmarks;
using Harness.Running;
using Harness.Tests.Charts;
using Harness.Tests.Cli;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// BenchmarkDotNet for real, but only its dry job on one or two cases (a few seconds): the exports and the chart
/// it leaves, what a failure leaves (nothing), and <c>harness bench</c> as a user runs it. No time is asserted.
/// </summary>
[NonParallelizable]
public class BenchRunTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"harness-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>BenchmarkDotNet refuses to measure unoptimised code, as it should: a Debug build of the tests skips these.</summary>
    private static void AssumeOptimisedBuild() =>
        Assume.That(typeof(OperationLoop).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false, Is.False,
            "BenchmarkDotNet measures only a Release build");

    private string Artifacts => Path.Combine(_folder, "artifacts");

    [Test]
    public void A_dry_run_exports_markdown_csv_json_and_the_chart()
    {
        AssumeOptimisedBuild();
        var summary = BenchSuite.RunInProcess(BenchJob.Dry, ["primitives/Interlocked.Add/*"], Artifacts, NullLogger.Instance);
        var folder = Path.Combine(_folder, "bench");

        var written = BenchResults.Write(summary, ChartFixtures.X64, BenchJob.Dry, folder);

        Assert.That(written.Select(Path.GetFileName), Is.EquivalentTo(new[] { "costs.md", "costs.csv", "costs.json", "costs.png", "costs.svg" }));
        var markdown = File.ReadAllText(Path.Combine(folder, "costs.md"));
        var csv = File.ReadAllLines(Path.Combine(folder, "costs.csv"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "costs.json")));
        Assert.Multiple(() =>
        {
            Assert.That(markdown, Does.Contain("# Cost per operation on x64-test-cpu-9000-2c"));
            Assert.That(markdown, Does.Contain("| Interlocked.Add").And.Contain("| InterlockedAdd").And.Contain("Contended"));
            Assert.That(csv[0], Does.Contain("Mean [ns]"));
            Assert.That(csv, Has.Length.EqualTo(3), "a header and a row per contention level");
            Assert.That(json.RootElement.GetProperty("Benchmarks").GetArrayLength(), Is.EqualTo(2));
            Assert.That(BenchResults.Costs(summary).Select(c => c.Contention), Is.EqualTo(new[] { "uncontended", "contended" }));
            Assert.That(File.ReadAllText(Path.Combine(folder, "costs.svg")), Does.Contain("Interlocked.Add"));
            Assert.That(Directory.GetFiles(folder, "*.tmp"), Is.Empty, "no temporary file is left behind");
        });
    }

    [Test]
    public void A_run_that_measured_nothing_writes_nothing()
    {
        var folder = Path.Combine(_folder, "bench");

        Assert.Throws<BenchFailedException>(() => BenchResults.Write(
            BenchSuite.RunInProcess(BenchJob.Dry, ["no such case"], Artifacts, NullLogger.Instance), ChartFixtures.X64, BenchJob.Dry, folder));
        Assert.That(Directory.Exists(folder) ? Directory.GetFiles(folder) : [], Is.Empty);
    }

    [Test]
    public void Harness_bench_keeps_its_results_under_the_machine_id()
    {
        AssumeOptimisedBuild();
        var results = Path.Combine(_folder, "results");

        var run = HarnessProcess.Run("bench", "--job", "dry", "--filter", "orderings/fence seq_cst/*", "--output", results);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        var bench = Path.Combine(results, MachineInfo.Current.Id, "bench");
        Assert.Multiple(() =>
        {
            foreach (var extension in new[] { ".md", ".csv", ".json", ".png", ".svg" })
                Assert.That(File.Exists(Path.Combine(bench, "costs" + extension)), Is.True, "costs" + extension);
            Assert.That(File.ReadAllText(Path.Combine(bench, "costs.md")), Does.Contain("fence seq_cst").And.Contain("MemoryBarrier"));
            Assert.That(run.Stdout, Does.Contain("bench: 2 cases"));
        });
    }

    [Test]
    public void Harness_bench_lists_the_cases_a_filter_selects_without_running_them()
    {
        var run = HarnessProcess.Run("bench", "--list", "--filter", "*seq_cst*");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(8).And.Contains("orderings/store seq_cst/contended"));
    }

    [TestCase("--filter", "nothing matches this")]
    [TestCase("--job", "forever")]
    public void Harness_bench_refuses_a_filter_that_selects_nothing_and_an_unknown_job(string option, string value)
    {
        var run = HarnessProcess.Run("bench", option, value, "--output", Path.Combine(_folder, "results"));

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(Directory.Exists(Path.Combine(_folder, "results")), Is.False, "nothing is written");
    }
}
