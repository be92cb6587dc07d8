using System.Text.Json;
using Harness.Language;
using Harness.Reports;
using Harness.Tests.Support;

namespace Harness.Tests.Reports;

/// <summary>run.json's additions for the other architecture and for oversubscription: written, and read back by <c>suite --resume</c>.</summary>
public class RunJsonElsewhereTests
{
    private static readonly string MessagePassing = LitmusSamples.MessagePassingRelaxed;

    private static Harness.Verdicts.TestRun Run(bool elsewhere = true, int? cpus = 1, IReadOnlyList<string>? warnings = null) =>
        RunFixtures.Run(MessagePassing, [([0, 0], 400), ([1, 1], 600)], elsewhere: elsewhere, cpus: cpus, warnings: warnings, file: "MP+rlx.litmus");

    [Test]
    public void Each_arm64_profile_is_written_predicted_not_observed_with_its_weak_states()
    {
        using var json = JsonDocument.Parse(RunJson.ToJsonLine(Run()));
        var elsewhere = json.RootElement.GetProperty("predicted_elsewhere");

        Assert.That(elsewhere.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "lse-rcpc", "lse", "rcpc", "v8.0" }));
        foreach (var profile in elsewhere.EnumerateObject())
            Assert.Multiple(() =>
            {
                Assert.That(profile.Value.GetProperty("model").GetString(), Is.EqualTo("arm64"));
                Assert.That(profile.Value.GetProperty("observed").GetBoolean(), Is.False);
                Assert.That(profile.Value.GetProperty("source").GetString(), Is.EqualTo("table"));
                Assert.That(profile.Value.GetProperty("verdict").GetString(), Is.EqualTo("allowed"));
                Assert.That(profile.Value.GetProperty("states").GetArrayLength(), Is.EqualTo(4));
                var weak = profile.Value.GetProperty("weak_states").EnumerateArray().Single();
                Assert.That(weak.GetProperty("1:r0").GetInt32(), Is.EqualTo(1));
                Assert.That(weak.GetProperty("1:r1").GetInt32(), Is.EqualTo(0));
            });
        Assert.That(json.RootElement.GetProperty("predicted").TryGetProperty("arm64", out _), Is.False,
            "the machine's own predictions keep their place and meaning");
    }

    [Test]
    public void Threads_cpus_and_the_unseen_caveat_are_written()
    {
        using var json = JsonDocument.Parse(RunJson.ToJsonLine(Run()));
        var root = json.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("threads").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("cpus_available").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("oversubscribed").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("unseen_caveats").EnumerateArray().Select(c => c.GetString()),
                Is.EqualTo(new[] { "oversubscribed: 2 threads on 1 CPU" }));
        });
    }

    [Test]
    public void Read_back_the_predictions_elsewhere_are_the_ones_written()
    {
        var run = Run();
        var test = LitmusParser.Parse(MessagePassing, "MP+rlx.litmus");

        var back = RunJson.Read(RunJson.ToJsonLine(run), test);

        Assert.That(back.Predicted.Elsewhere.Select(e => (e.Profile.Name, e.Verdict, e.Source, e.CutExecutions)),
            Is.EqualTo(run.Predicted.Elsewhere.Select(e => (e.Profile.Name, e.Verdict, e.Source, e.CutExecutions))));
        for (var i = 0; i < run.Predicted.Elsewhere.Count; i++)
        {
            Assert.That(back.Predicted.Elsewhere[i].States, Is.EqualTo(run.Predicted.Elsewhere[i].States));
            Assert.That(back.Predicted.Elsewhere[i].WeakStates, Is.EqualTo(run.Predicted.Elsewhere[i].WeakStates));
        }
        Assert.That(back.Cpus, Is.EqualTo(1));
        Assert.That(RunJson.ToJsonLine(back), Is.EqualTo(RunJson.ToJsonLine(run)), "read back, it writes the same line");
    }

    [Test]
    public void An_older_file_gets_its_predictions_computed_and_its_cpus_from_the_runner_warning()
    {
        var test = LitmusParser.Parse(MessagePassing, "MP+rlx.litmus");
        var old = Run(elsewhere: false, cpus: null, warnings: ["2 threads on 1 CPU(s): threads take turns, so weak behaviour is unlikely to show"]);
        var line = RunJson.ToJsonLine(old);
        Assert.That(line, Does.Not.Contain("predicted_elsewhere").And.Not.Contain("cpus_available"), "as an older harness wrote it");

        var plain = RunJson.Read(line, test);
        var predicted = RunJson.Read(line, test, predictElsewhere: true);

        Assert.That(plain.Predicted.Elsewhere, Is.Empty);
        Assert.That(predicted.Predicted.Elsewhere.Select(e => e.Profile.Name), Is.EqualTo(new[] { "lse-rcpc", "lse", "rcpc", "v8.0" }));
        Assert.That(predicted.Cpus, Is.EqualTo(1));
        Assert.That(predicted.Oversubscribed, Is.True);
    }

    [Test]
    public void An_unknown_profile_is_a_malformed_file()
    {
        var test = LitmusParser.Parse(MessagePassing, "MP+rlx.litmus");
        var line = RunJson.ToJsonLine(Run()).Replace("\"lse-rcpc\":{", "\"armv9-sve\":{", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => RunJson.Read(line, test));
        Assert.That(error!.Message, Does.Contain("armv9-sve"));
    }
}
