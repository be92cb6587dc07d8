using System.Text.Json;
using Harness.Tests.Support;

using static Harness.Tests.Support.LitmusSamples;

namespace Harness.Tests.Cli;

/// <summary>
/// <c>harness run</c> and <c>harness gen</c> as a user runs them. These run real threads on
/// this machine, so they only assert what x86-64 guarantees: store buffering shows up
/// (often, on two cores), message passing and fenced store buffering never do.
/// </summary>
public class RunCommandTests
{
    private string _folder = "";
    private Dictionary<string, string> _environment = [];




    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        // A private kernel cache: the tests never touch the home directory.
        _environment = new Dictionary<string, string> { ["HARNESS_CACHE"] = Path.Combine(_folder, "cache") };
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private HarnessProcess.Result Harness(params string[] arguments) => HarnessProcessWithEnvironment.Run(_environment, arguments);

    private static JsonElement SingleJsonLine(HarnessProcess.Result result)
    {
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Stdout + result.Stderr);
        using var document = JsonDocument.Parse(lines[0]);
        return document.RootElement.Clone();
    }

    private static List<(string State, long Count, string Class)> Histogram(JsonElement run) =>
        run.GetProperty("histogram").EnumerateArray()
            .Select(o => (
                string.Join(";", o.GetProperty("state").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}")),
                o.GetProperty("count").GetInt64(),
                o.GetProperty("class").GetString()!))
            .ToList();

    [Test]
    public void Gen_prints_the_kernel_with_the_fence_of_a_seq_cst_store()
    {
        var file = Write("SB+sc.litmus", StoreBufferingSeqCst);

        var result = Harness("gen", file);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
            Assert.That(result.Stdout, Does.Contain("public static class Kernel_SB_sc"));
            Assert.That(result.Stdout, Does.Contain("Interlocked.MemoryBarrier();"));
            Assert.That(result.Stdout, Does.Contain("public static void P0(").And.Contain("public static void P1("));
        });
    }

    [Test]
    public void Gen_with_the_unsound_scheme_drops_the_fence()
    {
        var file = Write("SB+sc.litmus", StoreBufferingSeqCst);

        var result = Harness("gen", file, "--scheme", "unsound-sc");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Volatile.Write").And.Not.Contain("Interlocked.MemoryBarrier();"));
    }

    [Test]
    public void Gen_of_a_bad_file_reports_where_and_exits_2()
    {
        var file = Write("bad.litmus", "C bad\n{ x=0; }\nP0 (atomic_int* x) {\n  atomic_store_explicit(x, 1, memory_order_sideways);\n}\nexists (x=1)\n");

        var result = Harness("gen", file);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("bad.litmus:4:").And.Contain("error:"));
            Assert.That(result.Stdout, Is.Empty);
        });
    }

    [Test]
    public void Relaxed_store_buffering_shows_the_weak_state_on_x86()
    {
        MachineRequirements.RequireX64("x86 shows store buffering through its store buffer");
        MachineRequirements.RequireTwoCpus();
        var file = Write("SB+rlx.litmus", StoreBufferingRelaxed);

        var result = Harness("run", file, "--iterations", "2000000", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var run = SingleJsonLine(result);
        var histogram = Histogram(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.GetProperty("test").GetString(), Is.EqualTo("SB+rlx"));
            Assert.That(run.GetProperty("scheme").GetString(), Is.EqualTo("dotnet"));
            Assert.That(run.GetProperty("machine").GetProperty("cores").GetInt32(), Is.GreaterThan(0));
            Assert.That(run.GetProperty("iterations").GetInt64(), Is.EqualTo(2_000_000));
            Assert.That(run.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(histogram.Sum(o => o.Count) + run.GetProperty("did_not_terminate").GetInt64(), Is.EqualTo(2_000_000));
            Assert.That(histogram, Has.Some.Matches<(string State, long Count, string Class)>(
                o => o.State == "0:r0=0;1:r0=0" && o.Count > 0 && o.Class == "weak-allowed"), result.Stdout);
            Assert.That(run.GetProperty("predicted").GetProperty("tso").GetProperty("verdict").GetString(), Is.EqualTo("allowed"));
            Assert.That(run.GetProperty("verdict").GetString(), Is.EqualTo("ok"));
            Assert.That(run.GetProperty("partial").GetBoolean(), Is.False);
        });
    }

    /// <summary>
    /// A reader that counts its spins ends in r0 = 3 ... 999, states the predictions (loops unrolled
    /// twice) do not list: beyond the bound, not forbidden, and the run exits 0.
    /// </summary>
    [Test]
    public void A_spin_counting_test_is_graded_beyond_the_bound_and_exits_0()
    {
        var file = Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", "MP+spin-count+Volatile.litmus");

        var result = Harness("run", file, "--iterations", "100000", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr + result.Stdout);
        var run = SingleJsonLine(result);
        var histogram = Histogram(run);
        var spins = histogram.Select(o => (Spins: long.Parse(o.State.Split(';')[0].Split('=')[1]), o.Class)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.GetProperty("loop_bound").GetInt32(), Is.EqualTo(2));
            Assert.That(run.GetProperty("verdict").GetString(), Is.EqualTo("ok"));
            Assert.That(histogram.Select(o => o.Class), Has.None.StartsWith("forbidden"));
            Assert.That(spins.Where(s => s.Spins <= 2).Select(s => s.Class), Is.All.EqualTo("sc"));
            Assert.That(spins.Where(s => s.Spins > 2).Select(s => s.Class), Is.All.EqualTo("beyond-bound"));
            Assert.That(run.GetProperty("beyond_bound").GetInt64(), Is.EqualTo(histogram.Where(o => o.Class == "beyond-bound").Sum(o => o.Count)));
        });

        // Spins past 10 abandon the instance; unrolled 10 times, the predictions cover every count that can end.
        var wider = SingleJsonLine(Harness("run", file, "--iterations", "20000", "--json", "--loop-bound", "10", "--spin-bound", "10"));
        Assert.That(Histogram(wider).Select(o => o.Class), Is.All.EqualTo("sc"), "every count the run can end with is predicted");
    }

    [Test]
    public void Relaxed_message_passing_never_shows_a_forbidden_state_on_x86()
    {
        MachineRequirements.RequireX64("x86-TSO keeps stores in order and loads in order; arm64 and C++ allow 1:r0=1; 1:r1=0");
        var file = Write("MP+rlx.litmus", MessagePassingRelaxed);

        var result = Harness("run", file, "--iterations", "500000", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr + result.Stdout);
        var histogram = Histogram(SingleJsonLine(result));
        Assert.That(histogram.Select(o => o.Class), Has.None.StartsWith("forbidden"));
        Assert.That(histogram.Select(o => o.State), Has.None.EqualTo("1:r0=1;1:r1=0"));
    }

    [Test]
    public void Seq_cst_store_buffering_with_the_dotnet_scheme_never_shows_the_weak_state()
    {
        var file = Write("SB+sc.litmus", StoreBufferingSeqCst);

        var result = Harness("run", file, "--scheme", "dotnet", "--iterations", "500000");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr + result.Stdout);
            Assert.That(result.Stdout, Does.Contain("Test SB+sc: exists (0:r0=0 /\\ 1:r0=0)"));
            Assert.That(result.Stdout, Does.Contain("scheme dotnet, x64 (tso), hunt mode").Or.Contain("scheme dotnet, arm64"));
            Assert.That(result.Stdout, Does.Not.Contain("* 0:r0=0; 1:r0=0;"));
            Assert.That(result.Stdout, Does.Contain("verdict: ok — observation Never (0 positive, 500000 negative)"));
        });
    }

    [Test]
    public void The_unsound_scheme_lets_seq_cst_store_buffering_show_a_state_cpp20_forbids()
    {
        MachineRequirements.RequireTwoCpus();
        var file = Write("SB+sc.litmus", StoreBufferingSeqCst);

        var result = Harness("run", file, "--scheme", "unsound-sc", "--iterations", "2000000", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr + result.Stdout);
        var run = SingleJsonLine(result);
        Assert.Multiple(() =>
        {
            Assert.That(Histogram(run), Has.Some.Matches<(string State, long Count, string Class)>(
                o => o.State == "0:r0=0;1:r0=0" && o.Class == "forbidden-cpp20"));
            Assert.That(run.GetProperty("scheme").GetString(), Is.EqualTo("unsound-sc"));
            Assert.That(run.GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
            Assert.That(run.GetProperty("predicted").GetProperty("cpp20").GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
        });
    }

    [Test]
    public void The_log_is_a_litmus7_log_of_every_test()
    {
        Write("SB+rlx.litmus", StoreBufferingRelaxed);
        Write("MP+rlx.litmus", MessagePassingRelaxed);
        var log = Path.Combine(_folder, "run.log");

        var result = Harness("run", _folder, "--iterations", "100000", "--json", "--log", log);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(File.Exists(log + ".tmp"), Is.False, "the temporary file is renamed over the log");
        var text = File.ReadAllText(log);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Test MP+rlx Allowed\n").And.Contain("Test SB+rlx Allowed\n"));
            Assert.That(text, Does.Match(@"Histogram \(\d+ states\)\n"));
            Assert.That(text, Does.Match(@"\nPositive: \d+, Negative: \d+\n"));
            Assert.That(text, Does.Match(@"\nObservation SB\+rlx (Never|Sometimes|Always) \d+ \d+\n"));
            Assert.That(text, Does.Match(@"\nObservation MP\+rlx Never 0 100000\n"));
            Assert.That(text, Does.Match(@"\nTime MP\+rlx \d+\.\d\d\n"));
            Assert.That(text, Does.Match(@"\nHash=[0-9a-f]{32}\n"));
            Assert.That(text, Does.Contain("Condition exists (1:r0=1 /\\ 1:r1=0) is NOT validated\n"));
        });
    }

    [Test]
    public void A_bad_file_is_reported_and_the_good_ones_still_run()
    {
        Write("good.litmus", MessagePassingRelaxed);
        Write("bad.litmus", "C bad\n{ x=0; }\nP0 (atomic_int* x) {\n  atomic_store_explicit(x, 1, memory_order_sideways);\n}\nexists (x=1)\n");

        var result = Harness("run", _folder, "--iterations", "10000", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("bad.litmus:4:").And.Contain("error:"));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(result.Stdout, Does.Contain("\"test\":\"MP+rlx\""));
        });
    }

    [Test]
    public void A_run_over_a_folder_counts_the_tests_as_it_goes_and_ends_with_the_totals()
    {
        Write("MP+rlx.litmus", MessagePassingRelaxed);
        Write("SB+rlx.litmus", StoreBufferingRelaxed);

        var result = Harness("run", _folder, "--iterations", "10000");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("[1/2] MP+rlx"));
            Assert.That(lines[1], Does.StartWith("Test MP+rlx:"));
            Assert.That(lines, Has.Some.EqualTo("[2/2] SB+rlx"));
            Assert.That(Array.IndexOf(lines, "[2/2] SB+rlx"), Is.LessThan(Array.FindIndex(lines, l => l.StartsWith("Test SB+rlx:"))));
            Assert.That(lines[^1], Does.Match(@"^run: ran 2 tests, 20,000 iterations, [0-9,]+ weak, 0 forbidden; [0-9.]+ s of running, [0-9]+ s in all$"));
        });
    }

    [Test]
    public void With_json_the_count_and_totals_go_to_standard_error_and_a_single_test_has_neither()
    {
        Write("MP+rlx.litmus", MessagePassingRelaxed);
        var single = Write("SB+rlx.litmus", StoreBufferingRelaxed);

        var several = Harness("run", _folder, "--iterations", "10000", "--json");
        var one = Harness("run", single, "--iterations", "10000");

        Assert.Multiple(() =>
        {
            Assert.That(several.ExitCode, Is.EqualTo(0), several.Stderr);
            Assert.That(several.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2).And.All.StartWith("{\"test\":"));
            Assert.That(several.Stderr, Does.Contain("[1/2] MP+rlx\n").And.Contain("[2/2] SB+rlx\n").And.Contain("run: ran 2 tests, 20,000 iterations"));
            Assert.That(one.Stdout, Does.StartWith("Test SB+rlx:").And.Not.Contain("[1/1]").And.Not.Contain("run: ran"));
        });
    }

    [TestCase("--iterations", "-5")]
    [TestCase("--iterations", "0")]
    [TestCase("--mode", "fast")]
    [TestCase("--layout", "diagonal")]
    [TestCase("--affinity", "sometimes")]
    [TestCase("--cpus", "0,x")]
    [TestCase("--time-budget", "-1")]
    [TestCase("--iterations", "abc")]
    [TestCase("--time-budget", "soon")]
    [TestCase("--size", "big")]
    [TestCase("--loop-bound", "deep")]
    public void A_bad_option_value_is_a_usage_error(string option, string value)
    {
        var file = Write("SB+rlx.litmus", StoreBufferingRelaxed);

        var result = Harness("run", file, option, value);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain(option).Or.Contain(value));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(result.Stdout, Is.Empty);
        });
    }

    [Test]
    public void Ctrl_C_stops_the_run_and_reports_what_ran_as_partial()
    {
        HarnessSignals.RequireSignals();
        var file = Write("SB+rlx.litmus", StoreBufferingRelaxed);
        var second = Write("SB+sc.litmus", StoreBufferingSeqCst);
        var log = Path.Combine(_folder, "run.log");

        using var process = HarnessProcessWithEnvironment.Start(_environment,
            "run", file, second, "--iterations", "1000000000", "--json", "--log", log);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        HarnessSignals.WaitUntilRunning(_environment["HARNESS_CACHE"]);
        HarnessSignals.Send(process, "INT");
        HarnessSignals.WaitForExit(process, TimeSpan.FromSeconds(30), "Ctrl-C");

        Assert.That(process.ExitCode, Is.EqualTo(130), stderr.Result);
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "the second test never starts");
        using var run = JsonDocument.Parse(lines[0]);
        Assert.Multiple(() =>
        {
            Assert.That(run.RootElement.GetProperty("test").GetString(), Is.EqualTo("SB+rlx"));
            Assert.That(run.RootElement.GetProperty("partial").GetBoolean(), Is.True);
            Assert.That(run.RootElement.GetProperty("iterations").GetInt64(), Is.LessThan(1_000_000_000));
            Assert.That(File.ReadAllText(log), Does.Contain("Observation SB+rlx "));
        });
    }
}
