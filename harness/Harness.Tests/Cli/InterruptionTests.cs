using System.Text.Json;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// SIGINT as users really send it: through <c>timeout -s INT</c>, which signals the command and
/// then its whole process group (two signals at once), and to a harness started as a script's
/// background job, which inherits SIGINT ignored. Either way the run stops in order with its partial result.
/// </summary>
[NonParallelizable]
public class InterruptionTests
{
    private string _folder = "";
    private string _test = "";
    private Dictionary<string, string> _environment = [];

    [SetUp]
    public void CreateFolder()
    {
        HarnessSignals.RequireSignals();
        _folder = Path.Combine(Path.GetTempPath(), "harness-interrupt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _test = Path.Combine(_folder, "SB+rlx.litmus");
        File.WriteAllText(_test, LitmusSamples.StoreBufferingRelaxed);
        // A private kernel cache: its first kernel says the test is about to run.
        _environment = new Dictionary<string, string> { ["HARNESS_CACHE"] = Path.Combine(_folder, "cache") };
    }

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);

    private string[] LongRun => ["run", _test, "--iterations", "1000000000", "--time-budget", "120", "--json"];

    /// <summary>A run whose orderly stop takes up to a couple of seconds: the rest of an instance of <see cref="LitmusSamples.SlowToStop"/>.</summary>
    private string[] SlowToStopRun()
    {
        var test = Path.Combine(_folder, "Spin+slow.litmus");
        File.WriteAllText(test, LitmusSamples.SlowToStop);
        return ["run", test, "--size", "1", "--spin-bound", "200000000", "--time-budget", "120", "--json"];
    }

    /// <summary>
    /// Interrupts the launcher (or the harness itself, with no launcher) once the test runs, with
    /// SIGINT sent once or more, <paramref name="apart"/> apart; the harness's exit status and output.
    /// </summary>
    private (int ExitCode, string Stdout, string Stderr) Interrupt(IReadOnlyList<string> launcher, string[]? run = null, int signals = 1, int apart = 0)
    {
        using var process = HarnessProcessWithEnvironment.StartUnder(launcher, _environment, run ?? LongRun);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        HarnessSignals.WaitUntilRunning(_environment["HARNESS_CACHE"]);

        for (var sent = 0; sent < signals; sent++)
        {
            if (sent > 0) Thread.Sleep(apart);
            HarnessSignals.Send(process, "INT");
        }
        HarnessSignals.WaitForExit(process, TimeSpan.FromSeconds(30), "SIGINT");

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <param name="someRan">Whether instances surely ended before the signal (not so when each takes seconds).</param>
    private static void AssertStoppedInOrder((int ExitCode, string Stdout, string Stderr) result, bool someRan = true)
    {
        Assert.That(result.ExitCode, Is.EqualTo(130), result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "the partial result, written before exit: " + result.Stderr);
        using var run = JsonDocument.Parse(lines[0]);
        Assert.Multiple(() =>
        {
            Assert.That(run.RootElement.GetProperty("partial").GetBoolean(), Is.True);
            Assert.That(run.RootElement.GetProperty("iterations").GetInt64(), Is.GreaterThan(someRan ? 0 : -1).And.LessThan(1_000_000_000));
            Assert.That(result.Stderr, Does.Contain("harness: interrupted"));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public void Under_timeout_s_INT_the_two_signals_of_one_interruption_count_as_one()
    {
        if (OnPath("timeout") is null) Assert.Ignore("needs timeout(1)");

        // --preserve-status: timeout's exit status is the harness's. Signalled itself, timeout passes SIGINT to the harness, then to its group.
        var result = Interrupt(["timeout", "--preserve-status", "-s", "INT", "600"]);

        AssertStoppedInOrder(result);
    }

    [Test]
    public void Two_SIGINTs_a_tenth_of_a_second_apart_are_one_interruption()
    {
        // Far enough apart that the kernel cannot merge them into one pending signal, as it may merge
        // timeout's two; well within the half second in which the harness counts them as one; and
        // while the orderly stop after the first waits for the spinning instance to end.
        var result = Interrupt([], SlowToStopRun(), signals: 2, apart: 100);

        AssertStoppedInOrder(result, someRan: false);
    }

    [Test]
    public void A_harness_that_inherits_SIGINT_ignored_still_stops_in_order()
    {
        // What a script's background job ('harness run ... &') inherits; exec keeps the disposition.
        var result = Interrupt(["sh", "-c", "trap '' INT; exec \"$@\"", "sh"]);

        AssertStoppedInOrder(result);
    }

    [Test]
    public void A_hunt_interrupted_while_its_listing_child_runs_stops_in_order()
    {
        if (OnPath("timeout") is null) Assert.Ignore("needs timeout(1)");
        var results = Path.Combine(_folder, "hunt");
        // timeout signals the harness and then its whole group, the JIT listing child included: the child
        // dies of it, perhaps before the harness hears, and that must read as the interruption, not a failure.
        using var process = HarnessProcessWithEnvironment.StartUnder(["timeout", "--preserve-status", "-s", "INT", "600"], _environment,
            ["hunt", "--budget", "10m", "--out", results]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var child = HarnessSignals.WaitForDescendant(process, "jit-listing", TimeSpan.FromSeconds(60));

        HarnessSignals.Send(process, "INT");
        HarnessSignals.WaitForExit(process, TimeSpan.FromSeconds(30), "SIGINT");

        Assert.That(child, Is.True, "a listing child was seen before the signal");
        Assert.That(process.ExitCode, Is.EqualTo(130), stderr.Result);
        Assert.That(stderr.Result, Does.Contain("harness: interrupted").And.Not.Contain("internal error").And.Not.Contain("   at "));
        using var hunt = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "hunt.json")));
        Assert.That(hunt.RootElement.GetProperty("stopped").GetString(), Is.EqualTo("interrupted"), stdout.Result);
    }
}
