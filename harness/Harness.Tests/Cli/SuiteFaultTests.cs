using System.Diagnostics;
using System.Text.Json;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>harness suite</c> under faults, through the real process: results gone missing, corrupt
/// or partial before <c>--resume</c>; SIGKILL at random moments; SIGINT and SIGTERM. The
/// iteration counts are tiny: these are about what is left on disk, not about the hardware.
/// </summary>
[NonParallelizable]
public class SuiteFaultTests
{
    private static readonly Dictionary<string, string> Tests = new()
    {
        ["MP+rlx"] = LitmusSamples.MessagePassingRelaxed,
        ["SB+rlx"] = LitmusSamples.StoreBufferingRelaxed,
        ["SB+ra"] = LitmusSamples.StoreBufferingReleaseAcquire,
        ["SB+sc"] = LitmusSamples.StoreBufferingSeqCst,
        ["SB+rel+sc"] = LitmusSamples.StoreBuffering("SB+rel+sc", "release", "seq_cst"),
    };

    private string _folder = "";
    private string _results = "";
    private Dictionary<string, string> _environment = [];

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-suite-faults-" + Guid.NewGuid().ToString("N"));
        _results = Path.Combine(_folder, "results");
        Directory.CreateDirectory(Path.Combine(_folder, "tests"));
        foreach (var (name, text) in Tests) File.WriteAllText(Path.Combine(_folder, "tests", name + ".litmus"), text);
        // The kernel cache the other suite tests use: these tests are about files, not compilation.
        _environment = new() { ["HARNESS_CACHE"] = Path.Combine(Path.GetTempPath(), "harness-test-kernels") };
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string[] Suite(params string[] more) => ["suite", Path.Combine(_folder, "tests"), "--out", _results, "--size", "200", .. more];

    /// <summary>A suite of tiny runs: over in about a second.</summary>
    private string[] ShortSuite(params string[] more) => Suite(["--iterations", "2000", .. more]);

    private string MachineFolder() => Directory.GetDirectories(_results).Single();

    private string TestFile(string name) => Path.Combine(MachineFolder(), "tests", name + ".json");

    private static JsonElement ReadJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static List<string> TestsOf(JsonElement runJson, Func<JsonElement, bool>? where = null) =>
        runJson.GetProperty("tests").EnumerateArray().Where(where ?? (_ => true)).Select(t => t.GetProperty("test").GetString()!).ToList();

    private static string ProgressLineOf(string test) => $@"\] {System.Text.RegularExpressions.Regex.Escape(test)} ";

    [Test]
    public void Resume_runs_again_only_the_tests_whose_result_is_missing_corrupt_partial_or_of_another_scheme()
    {
        var first = HarnessProcessWithEnvironment.Run(_environment, ShortSuite());
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr);
        var kept = File.ReadAllText(TestFile("SB+rlx"));
        var keptWritten = File.GetLastWriteTimeUtc(TestFile("SB+rlx"));
        File.Delete(Path.Combine(MachineFolder(), "charts", "SB+rlx.png"));
        File.Delete(TestFile("SB+ra"));
        var whole = File.ReadAllText(TestFile("SB+sc"));
        File.WriteAllText(TestFile("SB+sc"), whole[..(whole.Length / 2)]);
        File.WriteAllText(TestFile("MP+rlx"), File.ReadAllText(TestFile("MP+rlx")).Replace("\"partial\":false", "\"partial\":true"));
        File.WriteAllText(TestFile("SB+rel+sc"), File.ReadAllText(TestFile("SB+rel+sc")).Replace("\"scheme\":\"dotnet\"", "\"scheme\":\"unsound-sc\""));

        var resumed = HarnessProcessWithEnvironment.Run(_environment, ShortSuite("--resume"));

        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Stderr);
        var run = ReadJson(Path.Combine(MachineFolder(), "run.json"));
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Stdout, Does.Contain("suite: --resume: 1 of 5 tests already complete").And.Contain("running the other 4"));
            Assert.That(resumed.Stdout, Does.Contain("MP+rlx runs again: its result is partial"));
            Assert.That(resumed.Stdout, Does.Contain("SB+rel+sc runs again: its result is for scheme unsound-sc"));
            Assert.That(resumed.Stderr, Does.Contain("SB+sc.json: warning: not a readable result (not JSON"));
            Assert.That(resumed.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(resumed.Stdout, Does.Not.Match(ProgressLineOf("SB+rlx")), "the complete test is not run again");
            foreach (var rerun in new[] { "MP+rlx", "SB+ra", "SB+sc", "SB+rel+sc" })
            {
                Assert.That(resumed.Stdout, Does.Match(ProgressLineOf(rerun)));
                var result = ReadJson(TestFile(rerun));
                Assert.That(result.GetProperty("partial").GetBoolean(), Is.False, rerun);
                Assert.That(result.GetProperty("scheme").GetString(), Is.EqualTo("dotnet"), rerun);
            }
            Assert.That(File.ReadAllText(TestFile("SB+rlx")), Is.EqualTo(kept));
            Assert.That(File.GetLastWriteTimeUtc(TestFile("SB+rlx")), Is.EqualTo(keptWritten));

            Assert.That(TestsOf(run), Is.EquivalentTo(Tests.Keys));
            Assert.That(run.GetProperty("resumed").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "SB+rlx" }));
            Assert.That(File.ReadAllText(Path.Combine(MachineFolder(), "run.json")), Does.Contain(kept.TrimEnd('\n')),
                "the resumed test's object is read back unchanged");
            var log = File.ReadAllText(Path.Combine(MachineFolder(), "run.log"));
            var summary = File.ReadAllText(Path.Combine(MachineFolder(), "summary.md"));
            foreach (var test in Tests.Keys)
            {
                Assert.That(log, Does.Contain($"Observation {test} "));
                Assert.That(summary, Does.Contain($"| {test} |"));
            }
            Assert.That(File.Exists(Path.Combine(MachineFolder(), "charts", "SB+rlx.png")), Is.True, "a missing chart is drawn again");
        });
    }

    [Test]
    public void A_suite_killed_at_random_moments_leaves_only_complete_files_and_resume_finishes_it()
    {
        // A whole run first: from then on every file a killed run rewrites has an old version to keep.
        var first = HarnessProcessWithEnvironment.Run(_environment, ShortSuite());
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr);
        var random = new Random(20261124);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var process = HarnessProcessWithEnvironment.Start(_environment, ShortSuite());
            _ = process.StandardError.ReadToEndAsync(); // drained, so that the child never waits on a full pipe
            // A moment while some test's chart and file, or the reports, are being written:
            // up to a quarter of a second after the progress line printed just before them.
            var progressLines = random.Next(1, Tests.Count + 1);
            var delay = random.Next(0, 250);
            for (var seen = 0; seen < progressLines;)
            {
                var line = process.StandardOutput.ReadLine();
                if (line is null) break;
                if (line.StartsWith('[')) seen++;
            }
            Thread.Sleep(delay);
            process.Kill();
            process.WaitForExit();

            AssertOnlyCompleteResults($"killed {delay} ms after progress line {progressLines}");
        }
        // A whole result left under a temporary name (as a write killed before its rename
        // would leave it) must not pass for the result.
        File.Move(TestFile("SB+sc"), TestFile("SB+sc") + ".424242.tmp");

        var resumed = HarnessProcessWithEnvironment.Run(_environment, ShortSuite("--resume"));

        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Stdout, Does.Contain("suite: --resume: 4 of 5 tests already complete"));
            Assert.That(resumed.Stdout, Does.Match(ProgressLineOf("SB+sc")));
            var run = ReadJson(Path.Combine(MachineFolder(), "run.json"));
            Assert.That(TestsOf(run), Is.EquivalentTo(Tests.Keys));
            Assert.That(TestsOf(run, t => t.GetProperty("partial").GetBoolean()), Is.Empty);
        });
        AssertOnlyCompleteResults("after --resume");
    }

    /// <summary>
    /// Every test has its results file, old or new, and every results file is whole: JSON that
    /// parses, charts that end where their format ends. Temporary files may be left; they are not results.
    /// </summary>
    private void AssertOnlyCompleteResults(string when)
    {
        var machine = MachineFolder();
        var files = Directory.GetFiles(Path.Combine(machine, "tests")).Where(f => Path.GetExtension(f) == ".json").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files.Select(Path.GetFileNameWithoutExtension), Is.EquivalentTo(Tests.Keys), when);
            foreach (var file in files)
            {
                var result = ReadJsonOrFail(file, when);
                Assert.That(result.GetProperty("test").GetString() + ".json", Is.EqualTo(Path.GetFileName(file)), when);
                Assert.That(result.GetProperty("partial").GetBoolean(), Is.False, $"{file}: SIGKILL leaves nothing partial ({when})");
            }
            var runJson = Path.Combine(machine, "run.json");
            Assert.That(TestsOf(ReadJsonOrFail(runJson, when)), Is.EquivalentTo(Tests.Keys), $"{runJson} ({when})");
            Assert.That(File.ReadAllText(Path.Combine(machine, "summary.md")).TrimEnd(), Does.EndWith("its share of iterations."), when);
            foreach (var png in Directory.GetFiles(Path.Combine(machine, "charts"), "*.png"))
            {
                var bytes = File.ReadAllBytes(png);
                Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{png} ({when})");
                Assert.That(bytes.TakeLast(8), Is.EqualTo(new byte[] { 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }), $"{png} ends with IEND ({when})");
            }
            foreach (var svg in Directory.GetFiles(Path.Combine(machine, "charts"), "*.svg"))
                Assert.That(File.ReadAllText(svg).TrimEnd(), Does.EndWith("</svg>"), $"{svg} ({when})");
        });
    }

    private static JsonElement ReadJsonOrFail(string path, string when)
    {
        try
        {
            return ReadJson(path);
        }
        catch (JsonException e)
        {
            Assert.Fail($"{path} is not whole JSON ({when}): {e.Message}");
            throw;
        }
    }

    [TestCase("INT", 130, "interrupted")]
    [TestCase("TERM", 143, "terminated")]
    public void A_signal_stops_the_suite_within_seconds_keeping_what_ran_as_partial_and_resume_finishes_it(
        string signal, int exitCode, string said)
    {
        HarnessSignals.RequireSignals();
        // A private kernel cache: its first kernel says the first test is about to run.
        var cache = Path.Combine(_folder, "cache");
        using var process = HarnessProcessWithEnvironment.Start(new Dictionary<string, string> { ["HARNESS_CACHE"] = cache },
            Suite("--iterations", "1000000000", "--test-budget", "60"));
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        HarnessSignals.WaitUntilRunning(cache);

        HarnessSignals.Send(process, signal);
        var stopped = HarnessSignals.WaitForExit(process, TimeSpan.FromSeconds(30), $"SIG{signal}");

        Assert.That(process.ExitCode, Is.EqualTo(exitCode), stderr.Result);
        var partial = ReadJson(TestFile("MP+rlx"));
        Assert.Multiple(() =>
        {
            // Within seconds where the budget asked for a minute; the margin holds on a loaded 2-core machine.
            Assert.That(stopped, Is.LessThan(TimeSpan.FromSeconds(15)), "stops promptly");
            Assert.That(stderr.Result, Does.Contain($"harness: {said}"));
            Assert.That(stderr.Result, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(stdout.Result, Does.Contain("suite: interrupted with 5 of 5 tests unfinished"));
            Assert.That(partial.GetProperty("partial").GetBoolean(), Is.True);
            Assert.That(partial.GetProperty("iterations").GetInt64(), Is.LessThan(1_000_000_000));
            Assert.That(TestsOf(ReadJson(Path.Combine(MachineFolder(), "run.json"))), Is.EqualTo(new[] { "MP+rlx" }));
            Assert.That(File.Exists(TestFile("SB+rlx")), Is.False, "the tests after it never started");
        });

        var resumed = HarnessProcessWithEnvironment.Run(_environment, ShortSuite("--resume"));

        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Stdout, Does.Contain("MP+rlx runs again: its result is partial"));
            Assert.That(resumed.Stdout, Does.Contain("0 of 5 tests already complete"));
            var run = ReadJson(Path.Combine(MachineFolder(), "run.json"));
            Assert.That(TestsOf(run), Is.EquivalentTo(Tests.Keys));
            Assert.That(TestsOf(run, t => t.GetProperty("partial").GetBoolean()), Is.Empty);
        });
    }

    [Test]
    public void A_second_Ctrl_C_ends_the_suite_at_once()
    {
        HarnessSignals.RequireSignals();
        var cache = Path.Combine(_folder, "cache");
        var slow = Path.Combine(_folder, "slow");
        Directory.CreateDirectory(slow);
        File.WriteAllText(Path.Combine(slow, "Spin+slow.litmus"), LitmusSamples.SlowToStop);
        using var process = HarnessProcessWithEnvironment.Start(new Dictionary<string, string> { ["HARNESS_CACHE"] = cache },
            "suite", slow, "--out", _results, "--size", "1", "--spin-bound", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--test-budget", "60");
        var stderr = process.StandardError.ReadToEndAsync();
        HarnessSignals.WaitUntilRunning(cache);
        Thread.Sleep(1000); // well inside the first instance, which spins for tens of seconds

        HarnessSignals.Send(process, "INT");
        // Past the half second within which a second signal counts as the same interruption.
        Thread.Sleep(800);
        var clock = Stopwatch.StartNew();
        HarnessSignals.Send(process, "INT");
        HarnessSignals.WaitForExit(process, TimeSpan.FromSeconds(30), "a second Ctrl-C");
        var stopped = clock.Elapsed;

        var stdout = process.StandardOutput.ReadToEnd();
        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(130));
            // The orderly stop would wait for the instance, tens of seconds; with room for a loaded machine.
            Assert.That(stopped, Is.LessThan(TimeSpan.FromSeconds(5)), "ends at once");
            Assert.That(stderr.Result, Does.Contain("harness: interrupted"), "the first Ctrl-C was taken for an orderly stop");
            Assert.That(stdout, Does.Not.Contain("suite: results in"), "the second one did not wait for the reports");
            Assert.That(File.Exists(Path.Combine(MachineFolder(), "run.json")), Is.False);
        });
    }
}
