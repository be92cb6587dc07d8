using System.Security.Cryptography;
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

    /// <summary>A results folder as a whole suite leaves it, with a file of the user's beside the machine folder.</summary>
    private string ExistingResults()
    {
        var results = Path.Combine(_folder, "results");
        var first = HarnessProcessWithEnvironment.Run(_environment,
            "suite", Path.Combine(_folder, "tests"), "--out", results, "--iterations", "2000", "--size", "200");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr);
        File.WriteAllText(Path.Combine(results, "README.md"), "what these results are\n");
        return results;
    }

    /// <summary>Every file under <paramref name="folder"/> by relative path, with the SHA-256 of its bytes.</summary>
    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(folder, file), file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));

    [TestCase("typo")]
    [TestCase("empty")]
    public void A_suite_with_nothing_to_run_leaves_the_results_as_they_were(string path)
    {
        var results = ExistingResults();
        var before = Hashes(results);
        var folders = Directory.GetDirectories(results, "*", SearchOption.AllDirectories);
        var tests = Path.Combine(_folder, path);
        if (path == "empty")
        {
            Directory.CreateDirectory(tests);
            File.WriteAllText(Path.Combine(tests, "notes.txt"), "not a litmus test");
        }

        var run = HarnessProcessWithEnvironment.Run(_environment, "suite", tests, "--out", results);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1).And.Some.StartsWith($"{tests}: error: "), run.Stderr);
            Assert.That(run.Stdout, Is.Empty, "nothing ran");
            Assert.That(Hashes(results), Is.EqualTo(before), "every file as it was, and no other");
            Assert.That(Directory.GetDirectories(results, "*", SearchOption.AllDirectories), Is.EquivalentTo(folders));
        });
    }

    [Test]
    public void Arm64_code_that_cannot_be_read_here_is_refused_before_anything_runs()
    {
        var results = ExistingResults();
        var before = Hashes(results);
        var missing = Path.Combine(_folder, "no-arm64-build");

        var run = HarnessProcessWithEnvironment.Run(_environment, "suite", Path.Combine(_folder, "tests"), "--out", results,
            "--arm64-code", "--arm64-build", missing);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1).And.Some.StartsWith("harness suite: --arm64-code: "), run.Stderr);
            Assert.That(run.Stdout, Is.Empty, "nothing ran");
            Assert.That(Hashes(results), Is.EqualTo(before), "every file as it was, and no other");
        });
    }

    [Test]
    public void A_budget_too_small_for_any_test_leaves_the_reports_as_they_were()
    {
        var results = ExistingResults();
        var before = Hashes(results);

        var run = HarnessProcessWithEnvironment.Run(_environment, "suite", Path.Combine(_folder, "tests"), "-o", results, "--total-budget", "0.01");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
            Assert.That(run.Stdout, Does.Contain("suite: no test ran, so the reports in").And.Contain("are left as they were"));
            Assert.That(run.Stdout, Does.Contain("suite: 2 tests skipped, the total budget spent: MP+rlx, SB+rlx\n"));
            Assert.That(Hashes(results), Is.EqualTo(before));
        });
    }
}
