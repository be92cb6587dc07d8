using System.Text.Json;
using Harness.Mapping;
using Harness.Reports;
using Harness.Running;
using Harness.Kernels.Abi;

namespace Harness.Tests.Reports;

public class RunJsonTests
{
    private static JsonElement Parse(string line)
    {
        Assert.That(line, Does.Not.Contain('\n'), "one line per test");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    [Test]
    public void A_run_follows_the_design_contract()
    {
        var line = RunJson.ToJsonLine(RunFixtures.StoreBufferingRun());
        var json = Parse(line);

        Assert.Multiple(() =>
        {
            Assert.That(line, Does.StartWith("{\"test\":\"SB+rlx\",\"scheme\":\"dotnet\",\"machine\":{"), "names stay readable");
            var machine = json.GetProperty("machine");
            Assert.That(machine.GetProperty("architecture").GetString(), Is.EqualTo("x64"));
            Assert.That(machine.GetProperty("cpu").GetString(), Is.EqualTo("Test CPU 9000"));
            Assert.That(machine.GetProperty("cores").GetInt32(), Is.EqualTo(2));
            Assert.That(machine.GetProperty("os").GetString(), Is.EqualTo("Linux 6.1"));
            Assert.That(machine.GetProperty("dotnet").GetString(), Is.EqualTo(".NET 10.0.0"));
            Assert.That(machine.GetProperty("profile").GetString(), Is.EqualTo("x64"));
            Assert.That(machine.GetProperty("id").GetString(), Is.EqualTo("x64-test-cpu-9000-2c"));
            Assert.That(json.GetProperty("iterations").GetInt64(), Is.EqualTo(1000));
            Assert.That(json.GetProperty("seconds").GetDouble(), Is.EqualTo(0.5));
            Assert.That(json.GetProperty("condition").GetString(), Is.EqualTo(@"exists (0:r0=0 /\ 1:r0=0)"));
            Assert.That(json.GetProperty("observation").GetString(), Is.EqualTo("Sometimes"));
            Assert.That(json.GetProperty("positive").GetInt64(), Is.EqualTo(100));
            Assert.That(json.GetProperty("negative").GetInt64(), Is.EqualTo(900));
            Assert.That(json.GetProperty("weak").GetInt64(), Is.EqualTo(100));
            Assert.That(json.GetProperty("did_not_terminate").GetInt64(), Is.EqualTo(0));
            Assert.That(json.GetProperty("mode").GetString(), Is.EqualTo("hunt"));
            Assert.That(json.GetProperty("layout").GetString(), Is.EqualTo("varied"));
            Assert.That(json.GetProperty("size").GetInt32(), Is.EqualTo(1000));
            Assert.That(json.GetProperty("warnings").GetArrayLength(), Is.EqualTo(0));
            Assert.That(json.GetProperty("partial").GetBoolean(), Is.False);
            Assert.That(json.GetProperty("kernel_cached").GetBoolean(), Is.False);
            Assert.That(json.GetProperty("verdict").GetString(), Is.EqualTo("ok"));
            Assert.That(json.GetProperty("file").GetString(), Is.EqualTo("SB.litmus"));
        });
    }

    [Test]
    public void The_histogram_grades_each_state()
    {
        var json = Parse(RunJson.ToJsonLine(RunFixtures.StoreBufferingRun()));

        var histogram = json.GetProperty("histogram").EnumerateArray().ToList();
        Assert.That(histogram, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(histogram[0].GetProperty("state").GetProperty("0:r0").GetInt64(), Is.EqualTo(0));
            Assert.That(histogram[0].GetProperty("state").GetProperty("1:r0").GetInt64(), Is.EqualTo(0));
            Assert.That(histogram[0].GetProperty("count").GetInt64(), Is.EqualTo(100));
            Assert.That(histogram[0].GetProperty("class").GetString(), Is.EqualTo("weak-allowed"));
            Assert.That(histogram[1].GetProperty("class").GetString(), Is.EqualTo("sc"));
            Assert.That(histogram[2].GetProperty("count").GetInt64(), Is.EqualTo(450));
        });
    }

    [Test]
    public void Predictions_and_the_allowed_states_never_seen_are_included()
    {
        var json = Parse(RunJson.ToJsonLine(RunFixtures.StoreBufferingRun()));

        var predicted = json.GetProperty("predicted");
        Assert.Multiple(() =>
        {
            Assert.That(predicted.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "sc", "tso", "cpp20", "net" }));
            Assert.That(predicted.GetProperty("sc").GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
            Assert.That(predicted.GetProperty("sc").GetProperty("states").GetArrayLength(), Is.EqualTo(3));
            Assert.That(predicted.GetProperty("tso").GetProperty("verdict").GetString(), Is.EqualTo("allowed"));
            Assert.That(predicted.GetProperty("tso").GetProperty("profile").GetString(), Is.EqualTo("x64"));
            Assert.That(predicted.GetProperty("tso").GetProperty("states").GetArrayLength(), Is.EqualTo(4));
            Assert.That(predicted.GetProperty("cpp20").GetProperty("undefined").GetBoolean(), Is.False);
            Assert.That(predicted.GetProperty("cpp20").GetProperty("states").GetArrayLength(), Is.EqualTo(4));
            // Plain stores and loads: the .NET document lets ordinary accesses reorder, so net allows store buffering too.
            Assert.That(predicted.GetProperty("net").GetProperty("states").GetArrayLength(), Is.EqualTo(4));
            var unseen = json.GetProperty("allowed_unseen").EnumerateArray().ToList();
            Assert.That(unseen, Has.Count.EqualTo(1));
            Assert.That(unseen[0].GetProperty("0:r0").GetInt64(), Is.EqualTo(1));
            Assert.That(unseen[0].GetProperty("1:r0").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public void A_state_the_hardware_forbids_makes_the_verdict_forbidden()
    {
        // x86-TSO forbids SB's weak state once a fence follows each seq_cst store.
        var run = RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 3), ([0, 1], 500), ([1, 0], 497)]);

        var json = Parse(RunJson.ToJsonLine(run));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("histogram")[0].GetProperty("class").GetString(), Is.EqualTo("forbidden-hw"));
            Assert.That(json.GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
        });
    }

    [Test]
    public void A_state_only_cpp20_forbids_is_graded_forbidden_cpp20()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 3), ([0, 1], 500)], scheme: MappingScheme.UnsoundSeqCst);

        var json = Parse(RunJson.ToJsonLine(run));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("scheme").GetString(), Is.EqualTo("unsound-sc"));
            Assert.That(json.GetProperty("histogram")[0].GetProperty("class").GetString(), Is.EqualTo("forbidden-cpp20"));
            Assert.That(json.GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
        });
    }

    [Test]
    public void Options_are_recorded_so_a_run_can_be_repeated()
    {
        var options = new RunOptions
        {
            Mode = RunMode.Throughput,
            Layout = MemoryLayout.Packed,
            Size = 64,
            Placement = PlacementMode.Fixed,
            Cpus = [2, 3],
            SpinBound = 77,
            Seed = 5,
        };

        var json = Parse(RunJson.ToJsonLine(RunFixtures.StoreBufferingRun(options, interrupted: true)));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("mode").GetString(), Is.EqualTo("throughput"));
            Assert.That(json.GetProperty("layout").GetString(), Is.EqualTo("packed"));
            Assert.That(json.GetProperty("size").GetInt32(), Is.EqualTo(64));
            Assert.That(json.GetProperty("affinity").GetString(), Is.EqualTo("fixed"));
            Assert.That(json.GetProperty("cpus").EnumerateArray().Select(c => c.GetInt32()), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(json.GetProperty("spin_bound").GetInt32(), Is.EqualTo(77));
            Assert.That(json.GetProperty("seed").GetInt32(), Is.EqualTo(5));
            Assert.That(json.GetProperty("partial").GetBoolean(), Is.True);
        });
    }

    [Test]
    public void Throughput_mode_without_a_layout_pads()
    {
        var json = Parse(RunJson.ToJsonLine(RunFixtures.StoreBufferingRun(new RunOptions { Mode = RunMode.Throughput })));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("layout").GetString(), Is.EqualTo("padded"));
            Assert.That(json.GetProperty("size").GetInt32(), Is.EqualTo(10_000));
        });
    }

    [Test]
    public void Warnings_and_instances_that_did_not_terminate_are_reported()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingRelaxed, [([0, 1], 10)], didNotTerminate: 4, warnings: ["one CPU: \"nothing\" weak"]);

        var json = Parse(RunJson.ToJsonLine(run));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("did_not_terminate").GetInt64(), Is.EqualTo(4));
            Assert.That(json.GetProperty("iterations").GetInt64(), Is.EqualTo(14));
            Assert.That(json.GetProperty("warnings")[0].GetString(), Is.EqualTo("one CPU: \"nothing\" weak"));
            Assert.That(json.GetProperty("observation").GetString(), Is.EqualTo("Never"));
        });
    }

    [Test]
    public void A_run_of_no_time_has_rates_of_zero_not_infinity()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingRelaxed, [], seconds: 0);

        var json = Parse(RunJson.ToJsonLine(run));

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("iterations_per_second").GetDouble(), Is.EqualTo(0));
            Assert.That(json.GetProperty("weak_per_second").GetDouble(), Is.EqualTo(0));
            Assert.That(json.GetProperty("histogram").GetArrayLength(), Is.EqualTo(0));
        });
    }
}
