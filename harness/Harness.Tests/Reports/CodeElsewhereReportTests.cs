using System.Text.Json;
using Harness.Language;
using Harness.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Reports;

/// <summary>
/// <c>suite --arm64-code</c>: the ARMv8 model on the code the arm64 JIT emitted, beside the table's arm64
/// prediction: written to run.json inside the profile's entry, read back by --resume, and shown in summary.md
/// only where it says something the table does not.
/// </summary>
public class CodeElsewhereReportTests
{
    private static TestRun MessagePassing() =>
        RunFixtures.Run(LitmusSamples.MessagePassingRelaxed, [([0, 0], 400), ([1, 1], 600)], elsewhere: true, cpus: 2, file: "MP+rlx.litmus");

    private const string V80Code = "AArch64 MP+rlx\n{ 0:X1=x; }\n P0 ;\n STR W0,[X1] ;\nexists (1:X0=1)";

    /// <summary>The run with code predictions on two profiles: v8.0's code forbids what its table allows, lse's was not judged.</summary>
    private static TestRun WithCode(TestRun run)
    {
        var sc = run.Predicted.Sc.States.ToHashSet();
        var elsewhere = run.Predicted.Elsewhere.Select(p => p.Profile.Name switch
        {
            "lse-rcpc" => p with { Code = new CodePrediction("arm64 lse-rcpc (qemu)", null, p.ConditionHolds, p.States, p.WeakStates) },
            "v8.0" => p with { Code = new CodePrediction("arm64 v8.0 (qemu)", null, false, sc.Order().ToList(), []) { Herd = V80Code } },
            "lse" => p with { Code = new CodePrediction("arm64 lse (qemu)", "a branch the converter does not follow", false, [], []) },
            _ => p,
        }).ToList();
        return run with { Predicted = run.Predicted with { Elsewhere = elsewhere } };
    }

    [Test]
    public void The_code_prediction_is_written_inside_its_profile_and_read_back_the_same()
    {
        var run = WithCode(MessagePassing());
        var line = RunJson.ToJsonLine(run);
        using var json = JsonDocument.Parse(line);
        var elsewhere = json.RootElement.GetProperty("predicted_elsewhere");

        var v80 = elsewhere.GetProperty("v8.0").GetProperty("code");
        Assert.Multiple(() =>
        {
            Assert.That(v80.GetProperty("target").GetString(), Is.EqualTo("arm64 v8.0 (qemu)"));
            Assert.That(v80.GetProperty("judged").GetBoolean(), Is.True);
            Assert.That(v80.GetProperty("verdict").GetString(), Is.EqualTo("forbidden"));
            Assert.That(v80.GetProperty("weak_states").GetArrayLength(), Is.Zero);
            Assert.That(v80.GetProperty("herd").GetString(), Is.EqualTo(V80Code), "the code the answer rests on");
            var lse = elsewhere.GetProperty("lse").GetProperty("code");
            Assert.That(lse.GetProperty("judged").GetBoolean(), Is.False);
            Assert.That(lse.GetProperty("not_judged").GetString(), Is.EqualTo("a branch the converter does not follow"));
            Assert.That(lse.TryGetProperty("verdict", out _), Is.False, "no answer is claimed for code not judged");
            Assert.That(elsewhere.GetProperty("rcpc").TryGetProperty("code", out _), Is.False, "not read: no entry");
        });

        var back = RunJson.Read(line, LitmusParser.Parse(LitmusSamples.MessagePassingRelaxed, "MP+rlx.litmus"));
        Assert.That(RunJson.ToJsonLine(back), Is.EqualTo(line), "read back, it writes the same line");
    }

    [Test]
    public void Summary_shows_the_codes_answer_only_where_it_differs_and_counts_agreement_per_profile()
    {
        var markdown = SuiteReport.Markdown(RunFixtures.Machine, [WithCode(MessagePassing())], [], []);
        var row = markdown.Split('\n').Single(l => l.StartsWith("| MP+rlx |", StringComparison.Ordinal));
        var cells = row.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(cells[5], Is.EqualTo("**Ok**"), "lse-rcpc: the code agrees with the table");
            Assert.That(cells[6], Is.EqualTo("**Ok** (code not judged)"));
            Assert.That(cells[7], Is.EqualTo("**Ok**"), "rcpc: not read");
            Assert.That(cells[8], Is.EqualTo("**Ok** (code: No)"));
            Assert.That(markdown, Does.Contain("the code the JIT emits there was also read, under qemu"));
            Assert.That(markdown, Does.Contain("The code its JIT emits, read under qemu for 1 test: the table's answer in 0, another in 1 (MP+rlx), not judged in 0."));
            Assert.That(markdown, Does.Contain("read under qemu for 1 test: the table's answer in 1, another in 0, not judged in 0."));
        });
    }
}
