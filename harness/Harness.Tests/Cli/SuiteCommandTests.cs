using System.Text.Json;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary><c>harness suite</c> through the real process: what it leaves on disk, and what it refuses.</summary>
[NonParallelizable]
public class SuiteCommandTests
{
    private string _folder = "";
    private Dictionary<string, string> _environment = [];

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_folder, "tests"));
        _environment = new() { ["HARNESS_CACHE"] = Path.Combine(Path.GetTempPath(), "harness-test-kernels") };
        File.WriteAllText(Path.Combine(_folder, "tests", "SB+rlx.litmus"), LitmusSamples.StoreBufferingRelaxed);
        File.WriteAllText(Path.Combine(_folder, "tests", "MP+rlx.litmus"), LitmusSamples.MessagePassingRelaxed);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void A_suite_leaves_json_a_log_a_summary_and_charts_per_machine()
    {
        var results = Path.Combine(_folder, "results");

        var run = HarnessProcessWithEnvironment.Run(_environment,
            "suite", Path.Combine(_folder, "tests"), "--out", results, "--iterations", "20000", "--total-budget", "20");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        var machine = Directory.GetDirectories(results).Single();
        using var combined = JsonDocument.Parse(File.ReadAllText(Path.Combine(machine, "run.json")));
        var tests = combined.RootElement.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("test").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tests, Is.EquivalentTo(new[] { "SB+rlx", "MP+rlx" }));
            Assert.That(combined.RootElement.GetProperty("machine").GetProperty("id").GetString(), Is.EqualTo(Path.GetFileName(machine)));
            Assert.That(File.Exists(Path.Combine(machine, "tests", "SB+rlx.json")), Is.True);
            Assert.That(File.ReadAllText(Path.Combine(machine, "run.log")), Does.Contain("Observation SB+rlx"));
            Assert.That(File.ReadAllText(Path.Combine(machine, "summary.md")), Does.Contain("| MP+rlx |"));
            foreach (var chart in new[] { "SB+rlx", "MP+rlx", "summary" })
            foreach (var extension in new[] { ".png", ".svg" })
                Assert.That(new FileInfo(Path.Combine(machine, "charts", chart + extension)).Length, Is.GreaterThan(1000), chart + extension);
            Assert.That(Directory.GetFiles(machine, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no temporary file left behind");
            Assert.That(run.Stdout, Does.Contain("[1/2]").Or.Contain("[  1/2]"));
        });
    }

    [Test]
    public void A_results_folder_that_cannot_be_written_is_refused_before_anything_runs()
    {
        var blocked = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(blocked, "a file where the results folder should be");

        var run = HarnessProcessWithEnvironment.Run(_environment, "suite", Path.Combine(_folder, "tests"), "--out", blocked);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("cannot write results there"));
        Assert.That(run.Stdout, Does.Not.Contain("[1/2]"));
    }

    [Test]
    public void A_total_budget_is_shared_among_the_tests()
    {
        var run = HarnessProcessWithEnvironment.Run(_environment,
            "suite", Path.Combine(_folder, "tests"), "--out", Path.Combine(_folder, "results"),
            "--iterations", "100000000", "--total-budget", "1");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        var machine = Directory.GetDirectories(Path.Combine(_folder, "results")).Single();
        using var combined = JsonDocument.Parse(File.ReadAllText(Path.Combine(machine, "run.json")));
        var seconds = combined.RootElement.GetProperty("tests").EnumerateArray().Sum(t => t.GetProperty("seconds").GetDouble());
        Assert.That(seconds, Is.LessThan(2.0), "two tests within a one-second budget, give or take a round");
    }
}
