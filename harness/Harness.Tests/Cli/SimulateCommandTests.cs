using System.Text.Json;
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
        Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(SharedOracle.CTests * 5));
    }
}
