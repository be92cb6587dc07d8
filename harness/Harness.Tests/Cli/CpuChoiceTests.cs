using System.Diagnostics;
using System.Text.Json;
using Harness.Running;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>--cpus</c> and the CPUs the process may use (taskset, cgroups, containers), through the
/// real process: a CPU out of reach is a usage error before anything runs, and without
/// <c>--cpus</c> the run keeps to the allowed set.
/// </summary>
public class CpuChoiceTests
{
    private string _folder = "";
    private string _test = "";
    private Dictionary<string, string> _environment = [];

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-cpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _test = Path.Combine(_folder, "SB+rlx.litmus");
        File.WriteAllText(_test, LitmusSamples.StoreBufferingRelaxed);
        _environment = new() { ["HARNESS_CACHE"] = Path.Combine(Path.GetTempPath(), "harness-test-kernels") };
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static string Cpus(IReadOnlyCollection<int> cpus) => $"{(cpus.Count == 1 ? "CPU" : "CPUs")} {Affinity.Describe(cpus)}";

    private static void AssertUsageError(HarnessProcess.Result result, params string[] said)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            foreach (var text in said) Assert.That(result.Stderr, Does.Contain(text));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(result.Stdout, Is.Empty, "nothing ran");
        });
    }

    [Test]
    public void A_cpu_beyond_the_machine_is_a_usage_error_naming_it_and_the_allowed_set()
    {
        var result = HarnessProcessWithEnvironment.Run(_environment, "run", _test, "--cpus", "0,999");

        AssertUsageError(result, "--cpus: CPU 999 is not available to this process", $"may run on {Cpus(Affinity.AllowedCpus())}");
    }

    [Test]
    public void The_suite_refuses_a_cpu_out_of_reach_before_writing_anything()
    {
        var results = Path.Combine(_folder, "results");

        var result = HarnessProcessWithEnvironment.Run(_environment, "suite", _test, "--out", results, "--cpus", "998-999");

        AssertUsageError(result, "--cpus: CPUs 998-999 are not available");
        Assert.That(Directory.Exists(results), Is.False);
    }

    [Test]
    public void A_huge_cpu_range_is_refused_at_once()
    {
        var clock = Stopwatch.StartNew();

        var result = HarnessProcessWithEnvironment.Run(_environment, "run", _test, "--cpus", "0-2000000000");

        AssertUsageError(result, "CPU 2000000000 does not exist");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    /// <summary>taskset's own path, or null where it is not installed.</summary>
    private static string? Taskset() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(folder => Path.Combine(folder, "taskset")).FirstOrDefault(File.Exists);

    [Test]
    public void Under_taskset_the_run_keeps_to_the_one_allowed_cpu_and_warns_that_there_is_one()
    {
        var taskset = (OperatingSystem.IsLinux() ? Taskset() : null) ?? throw new IgnoreException("needs taskset (util-linux)");
        var allowed = Affinity.AllowedCpus();
        var only = allowed[0].ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = HarnessProcessWithEnvironment.RunUnder([taskset, "-c", only], _environment,
            "run", _test, "--iterations", "20000", "--size", "200", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        using var run = JsonDocument.Parse(result.Stdout);
        var warnings = run.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(warnings, Has.One.StartsWith("one CPU"));
            // Pinning a thread to a CPU taskset excluded would fail and say so.
            Assert.That(warnings, Has.None.Contains("pinning"));
            Assert.That(run.RootElement.GetProperty("iterations").GetInt64(), Is.EqualTo(20_000));
        });

        if (allowed.Count < 2) return;
        var excluded = allowed[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refused = HarnessProcessWithEnvironment.RunUnder([taskset, "-c", only], _environment, "run", _test, "--cpus", excluded);
        AssertUsageError(refused, $"--cpus: CPU {excluded} is not available to this process, which may run on CPU {only} ");
    }
}
