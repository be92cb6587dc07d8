using System.Text.Json;
using Harness.Simulation;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

public class SimulateCommandTests
{
    private static readonly string StoreBuffering = LitmusSamples.StoreBufferingRelaxed;

    private string _folder = "";


    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "harness-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Json_output_follows_the_design_contract()
    {
        var file = Write("SB+rlx.litmus", StoreBuffering);

        var result = HarnessProcess.Run("simulate", file, "--model", "sc", "tso", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        using var sc = JsonDocument.Parse(lines[0]);
        using var tso = JsonDocument.Parse(lines[1]);
        Assert.Multiple(() =>
        {
            Assert.That(sc.RootElement.GetProperty("test").GetString(), Is.EqualTo("SB+rlx"));
            Assert.That(sc.RootElement.GetProperty("model").GetString(), Is.EqualTo("sc"));
            Assert.That(sc.RootElement.GetProperty("condition").GetString(), Is.EqualTo(@"exists (0:r0=0 /\ 1:r0=0)"));
            Assert.That(sc.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
            Assert.That(sc.RootElement.GetProperty("states").GetArrayLength(), Is.EqualTo(3));
            Assert.That(tso.RootElement.GetProperty("model").GetString(), Is.EqualTo("tso"));
            Assert.That(tso.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("allowed"));
            Assert.That(tso.RootElement.GetProperty("states").GetArrayLength(), Is.EqualTo(4));
            Assert.That(tso.RootElement.GetProperty("states")[0].GetProperty("0:r0").GetInt64(), Is.EqualTo(0));
        });
    }

    [Test]
    public void Arm64_lines_name_their_profile()
    {
        var file = Write("SB+rlx.litmus", StoreBuffering);

        var result = HarnessProcess.Run("simulate", file, "--model", "arm64", "--profile", "lse-rcpc", "v8.0", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var profiles = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("profile").GetString());
        Assert.That(profiles, Is.EqualTo(new[] { "lse-rcpc", "v8.0" }));
    }

    [Test]
    public void Table_shows_each_state_and_each_models_verdict()
    {
        var file = Write("SB+rlx.litmus", StoreBuffering);

        var result = HarnessProcess.Run("simulate", file);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Test SB+rlx: exists (0:r0=0 /\\ 1:r0=0)"));
        Assert.That(result.Stdout, Does.Contain("* 0:r0=0; 1:r0=0;"));
        Assert.That(result.Stdout, Does.Match(@"verdict\s+No\s+Ok\s+Ok\s+Ok\s+Ok"));
    }

    [Test]
    public void A_folder_with_a_bad_file_reports_it_and_still_simulates_the_good_ones()
    {
        Write("good.litmus", StoreBuffering);
        Write("bad.litmus", "C bad\n{ x=0; }\nP0 (atomic_int* x) {\n  atomic_store_explicit(x, 1, memory_order_sideways);\n}\nexists (x=1)\n");

        var result = HarnessProcess.Run("simulate", _folder, "--json");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("bad.litmus:4:"));
            Assert.That(result.Stderr, Does.Contain("error"));
            Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(result.Stdout, Does.Contain("\"test\":\"SB+rlx\""));
        });
    }

    [Test]
    public void A_missing_file_is_a_clear_error()
    {
        var result = HarnessProcess.Run("simulate", Path.Combine(_folder, "nope.litmus"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("nope.litmus: error: no such file or folder"));
    }

    [Test]
    public void An_unknown_model_is_a_usage_error()
    {
        var file = Write("SB+rlx.litmus", StoreBuffering);

        var result = HarnessProcess.Run("simulate", file, "--model", "power");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("power"));
    }

    [Test]
    public void The_whole_oracle_folder_simulates_in_one_process()
    {
        SharedOracle.Require();
        var folder = Path.Combine(RepositoryPaths.Oracle, "c");

        var result = HarnessProcess.Run("simulate", folder, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(SharedOracle.CTests * ModelCatalog.Default.Count));
    }

    /// <summary>
    /// The failed compare-exchange of SB+FailedCompareExchange is a casal with LSE: the table marks the
    /// state the code allows and net forbids, and says which primitive is to blame; v8.0 keeps the promise.
    /// </summary>
    [Test]
    public void A_broken_promise_is_marked_in_the_table_and_listed_in_the_json()
    {
        var file = Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", "SB+FailedCompareExchange.litmus");

        var table = HarnessProcess.Run("simulate", file, "--profile", "lse-rcpc", "v8.0");
        var json = HarnessProcess.Run("simulate", file, "--model", "arm64", "net", "--profile", "lse-rcpc", "v8.0", "--json");

        Assert.That(table.ExitCode, Is.EqualTo(0), table.Stderr);
        Assert.That(json.ExitCode, Is.EqualTo(0), json.Stderr);
        var lines = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(table.Stdout, Does.Match(@"\* 0:r0=0; 1:r0=0;\s+-\s+-\s+allowed!\s+-\s+allowed\s+allowed\s+-"));
            Assert.That(table.Stdout, Does.Contain("arm64 (lse-rcpc): .NET promise broken: the code allows [0:r0=0; 1:r0=0;], which net forbids; " +
                "cause: Interlocked.CompareExchange (casal)"));
            Assert.That(table.Stdout, Does.Not.Contain("arm64 (v8.0): .NET promise broken"));
            Assert.That(lines.Select(l => l.GetProperty("model").GetString()), Is.EqualTo(new[] { "arm64", "arm64", "net" }));
            Assert.That(lines[0].GetProperty("broken_promises").EnumerateArray().Select(s => (s.GetProperty("0:r0").GetInt64(), s.GetProperty("1:r0").GetInt64())),
                Is.EqualTo(new[] { (0L, 0L) }));
            Assert.That(lines[0].GetProperty("broken_promise_causes")[0].GetString(), Is.EqualTo("Interlocked.CompareExchange (casal)"));
            Assert.That(lines[1].GetProperty("broken_promises").GetArrayLength(), Is.EqualTo(0), "v8.0 keeps the promise");
            Assert.That(lines[2].TryGetProperty("broken_promises", out _), Is.False, "only hardware models break promises");
            Assert.That(lines[2].GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
            Assert.That(lines[2].GetProperty("scheme").GetString(), Is.EqualTo("dotnet"), "net judges the C test through the scheme");
        });
    }

    [Test]
    public void Check_lists_every_broken_promise_of_a_folder_with_a_count_per_target()
    {
        var result = HarnessProcess.Run("check", Path.Combine(RepositoryPaths.TestsLitmus, "dotnet"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines.Where(l => l.StartsWith("SB+FailedCompareExchange  ", StringComparison.Ordinal)).Select(l => l.Split("  ")[1]),
                Is.EqualTo(new[] { "arm64 (lse-rcpc)", "arm64 (lse)" }));
            Assert.That(lines, Has.Some.EqualTo("SB+FailedCompareExchange  arm64 (lse-rcpc)  [0:r0=0; 1:r0=0;]  " +
                "cause: Interlocked.CompareExchange (casal); net-weak forbids it too"));
            Assert.That(lines.Count(l => l.StartsWith("SB+FailedCompareExchange+MemoryBarrier  arm64", StringComparison.Ordinal)), Is.EqualTo(4));
            Assert.That(lines, Has.None.Contains("  tso  "), "x64 keeps every promise");
            Assert.That(lines[^1], Does.Match(@"^check: \d+ tests against net on 5 targets: 6 broken promises in 2 tests — " +
                @"tso 0, arm64 \(lse-rcpc\) 2, arm64 \(lse\) 2, arm64 \(rcpc\) 1, arm64 \(v8.0\) 1$"));
        });
    }

    [Test]
    public void Check_json_is_one_object_per_broken_promise()
    {
        var result = HarnessProcess.Run("check", Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", "SB+FailedCompareExchange.litmus"), "--json", "--profile", "lse", "v8.0");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(1));
            Assert.That(lines[0].GetProperty("profile").GetString(), Is.EqualTo("lse"));
            Assert.That(lines[0].GetProperty("broken_promise_causes")[0].GetString(), Is.EqualTo("Interlocked.CompareExchange (casal)"));
            Assert.That(lines[0].GetProperty("net_weak_forbids").GetBoolean(), Is.True);
            Assert.That(result.Stderr, Does.Contain("1 broken promise "), "the summary goes to standard error, out of the data stream");
        });
    }
}
