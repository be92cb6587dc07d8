using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Running;
using Harness.Tests.Support;
using Harness.Programs;
using Harness.Kernels.Abi;

namespace Harness.Tests.Running;

/// <summary>
/// A run's JSON read back (what <c>suite --resume</c> does with the files of an earlier run):
/// the same run again, or a clear refusal, never a half-read run.
/// </summary>
[NonParallelizable]
public class RunJsonReadBackTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "harness-test-kernels");
    private static readonly LitmusTest StoreBuffering = LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed, "SB+rlx.litmus");

    private static string RunToJson(RunOptions options) =>
        RunJson.ToJsonLine(RunPipeline.Run(StoreBuffering, MappingScheme.DotNet, options, cacheDirectory: Cache));

    [Test]
    public void A_run_reads_back_as_itself_in_hunt_mode()
    {
        var json = RunToJson(new RunOptions { Iterations = 5_000, Size = 100 });

        var back = RunJson.Read(json, StoreBuffering);

        Assert.That(RunJson.ToJsonLine(back), Is.EqualTo(json));
        Assert.That(back.Interrupted, Is.False);
    }

    [Test]
    public void A_run_reads_back_as_itself_with_every_option_set()
    {
        var json = RunToJson(new RunOptions
        {
            Iterations = 5_000, Size = 100, Mode = RunMode.Throughput, Layout = MemoryLayout.Packed,
            Placement = PlacementMode.Fixed, Cpus = [Affinity.AllowedCpus()[0]], SpinBound = 77, Seed = 5,
        });

        Assert.That(RunJson.ToJsonLine(RunJson.Read(json, StoreBuffering)), Is.EqualTo(json));
    }

    [Test]
    public void What_does_not_fit_is_refused_saying_why()
    {
        var json = RunToJson(new RunOptions { Iterations = 1_000, Size = 100 });
        var messagePassing = LitmusParser.Parse(LitmusSamples.MessagePassingRelaxed, "MP+rlx.litmus");
        var edited = LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed.Replace("exists (0:r0=0", "exists (0:r0=1"), "SB+rlx.litmus");

        Assert.Multiple(() =>
        {
            Refused(json[..(json.Length / 2)], StoreBuffering, "not JSON");
            Refused(json, messagePassing, "it holds test SB+rlx, not MP+rlx");
            Refused(json, edited, "the test's condition is now exists (0:r0=1");
            Refused(json.Replace("\"seed\":", "\"sowing\":"), StoreBuffering, "no \"seed\" field");
            Refused(json.Replace("\"mode\":\"hunt\"", "\"mode\":\"frantic\""), StoreBuffering, "\"mode\": unknown value frantic");
            Refused(json.Replace("\"iterations\":1000,", "\"iterations\":\"many\","), StoreBuffering, "malformed");
            Refused(json.Replace("{\"0:r0\":", "{\"0:r9\":"), StoreBuffering, "a state observes 0:r9");
            Refused("[]", StoreBuffering, "no \"test\" field");
        });
    }

    private static void Refused(string json, LitmusTest test, string why) =>
        Assert.That(() => RunJson.Read(json, test), Throws.TypeOf<InvalidDataException>().With.Message.Contains(why), why);
}
