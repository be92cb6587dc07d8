using System.Text.Json;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// A small suite through the real process: its results folder carries, per test, what the other architecture's
/// profiles allow (predicted, not observed), marks the Never of threads that took turns, pages its summary chart,
/// and <c>compare</c> of that one folder reports the ARM-only tests by prediction.
/// </summary>
[NonParallelizable]
public class SuitePredictionTests
{
    private string _folder = "";
    private Dictionary<string, string> _environment = [];

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-suite-predicted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_folder, "tests"));
        _environment = new() { ["HARNESS_CACHE"] = Path.Combine(Path.GetTempPath(), "harness-test-kernels") };
        File.WriteAllText(Path.Combine(_folder, "tests", "SB+rlx.litmus"), LitmusSamples.StoreBufferingRelaxed);
        File.WriteAllText(Path.Combine(_folder, "tests", "MP+rlx.litmus"), LitmusSamples.MessagePassingRelaxed);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void A_suite_folder_predicts_the_other_architecture_marks_turns_and_compare_reads_it()
    {
        var results = Path.Combine(_folder, "results");
        // One CPU for two threads: oversubscribed on any machine.
        string[] suite = ["suite", Path.Combine(_folder, "tests"), "--out", results, "--iterations", "20000", "--total-budget", "20", "--cpus", "0"];

        var run = HarnessProcessWithEnvironment.Run(_environment, suite);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        var machine = Directory.GetDirectories(results).Single();
        using var combined = JsonDocument.Parse(File.ReadAllText(Path.Combine(machine, "run.json")));
        var tests = combined.RootElement.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("test").GetString()!);
        var architecture = combined.RootElement.GetProperty("machine").GetProperty("architecture").GetString();
        var own = combined.RootElement.GetProperty("machine").GetProperty("profile").GetString();
        string[] expected = new[] { "x64", "lse-rcpc", "lse", "rcpc", "v8.0" }.Where(p => p != own).ToArray();
        Assert.Multiple(() =>
        {
            foreach (var (name, test) in tests)
            {
                var elsewhere = test.GetProperty("predicted_elsewhere");
                Assert.That(elsewhere.EnumerateObject().Select(p => p.Name), Is.EqualTo(expected), $"{name}: every profile but {own}");
                Assert.That(elsewhere.EnumerateObject().Select(p => p.Value.GetProperty("observed").GetBoolean()), Is.All.False);
                Assert.That(test.GetProperty("threads").GetInt32(), Is.EqualTo(2));
                Assert.That(test.GetProperty("cpus_available").GetInt32(), Is.EqualTo(1));
                Assert.That(test.GetProperty("oversubscribed").GetBoolean(), Is.True);
            }
            var mpArm = tests["MP+rlx"].GetProperty("predicted_elsewhere").GetProperty("v8.0");
            Assert.That(mpArm.GetProperty("verdict").GetString(), Is.EqualTo("allowed"));
            Assert.That(mpArm.GetProperty("weak_states").EnumerateArray().Single().GetRawText(), Is.EqualTo("{\"1:r0\":1,\"1:r1\":0}"));
            using var perTest = JsonDocument.Parse(File.ReadAllText(Path.Combine(machine, "tests", "MP+rlx.json")));
            Assert.That(perTest.RootElement.TryGetProperty("predicted_elsewhere", out _), Is.True, "the per-test file, which --resume reads, has them too");
        });

        var summary = File.ReadAllText(Path.Combine(machine, "summary.md"));
        Assert.That(summary, Does.Contain("arm64 (v8.0)†").And.Contain("**predicted, not observed**"));
        var mpRow = summary.Split('\n').Single(l => l.StartsWith("| MP+rlx |", StringComparison.Ordinal));
        Assert.That(mpRow, Does.Contain("Never (oversubscribed: 2 threads on 1 CPU)"));
        if (architecture == "x64") Assert.That(mpRow, Does.Contain("| No | Ok | **Ok** | **Ok** | **Ok** | **Ok** |"), "tso forbids, arm64 allows");
        Assert.That(summary, Does.Contain("[summary-1](charts/summary-1.png)"));
        using (var page = SkiaSharp.SKBitmap.Decode(Path.Combine(machine, "charts", "summary-1.png")))
            Assert.That(page.Height, Is.LessThanOrEqualTo(1300));
        Assert.That(File.ReadAllText(Path.Combine(machine, "charts", "summary-1.svg")), Does.Contain("predicted, not observed"));

        var compare = HarnessProcess.Run("compare", machine, "--out", Path.Combine(_folder, "compared"));

        Assert.That(compare.ExitCode, Is.EqualTo(0), compare.Stderr);
        Assert.That(compare.Stdout, Does.Contain("0 ARM-only observed, 1 ARM-only predicted, not observed"),
            "MP+rlx: x86-TSO forbids it, arm64 allows it; SB+rlx is allowed on both");
        var mpCompared = File.ReadAllText(Path.Combine(_folder, "compared", "comparison.md")).Split('\n')
            .Single(l => l.StartsWith("| MP+rlx |", StringComparison.Ordinal));
        Assert.That(mpCompared, Does.Contain("☆ predicted").And.Contain("predicted: allowed (1 weak state)"));

        // Read back by --resume, the runs carry the same predictions into the reports.
        File.Delete(Path.Combine(machine, "summary.md"));
        var resumed = HarnessProcessWithEnvironment.Run(_environment, [.. suite, "--resume"]);
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Stderr);
        Assert.That(resumed.Stdout, Does.Contain("2 of 2 tests already complete"));
        Assert.That(File.ReadAllText(Path.Combine(machine, "summary.md")), Is.EqualTo(summary).Or.Contain("arm64 (v8.0)†"));
    }
}
