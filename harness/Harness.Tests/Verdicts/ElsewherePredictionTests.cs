using Harness.Language;
using Harness.Mapping;
using Harness.Programs;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Verdicts;

/// <summary>
/// Beside every observation, what the other architecture allows: the arm64 profiles for an x64 machine,
/// x64 and the other profiles for an arm64 one — predicted by the simulator from the instruction tables.
/// </summary>
public class ElsewherePredictionTests
{
    private static readonly LitmusTest MessagePassing = LitmusParser.Parse(LitmusSamples.MessagePassingRelaxed, "MP+rlx.litmus");

    private static FinalState State(LitmusTest test, params long[] values) => new(Lowering.ObservedKeys(test), values);

    [Test]
    public void An_x64_machine_gets_every_arm64_profile_and_MP_is_weak_on_all_of_them_not_on_tso()
    {
        var predicted = Predictions.For(MessagePassing, MappingScheme.DotNet, InstructionProfile.X64, elsewhere: true);

        Assert.That(predicted.Hardware.ConditionHolds, Is.False, "x86-TSO keeps two stores and two loads in order");
        Assert.That(predicted.Elsewhere.Select(e => e.Profile.Name), Is.EqualTo(new[] { "lse-rcpc", "lse", "rcpc", "v8.0" }));
        foreach (var arm in predicted.Elsewhere)
            Assert.Multiple(() =>
            {
                Assert.That(arm.Model, Is.EqualTo("arm64"));
                Assert.That(arm.Verdict, Is.EqualTo("allowed"), arm.Target);
                Assert.That(arm.Source, Is.EqualTo(ElsewherePrediction.TableSource));
                Assert.That(arm.WeakStates, Is.EqualTo(new[] { State(MessagePassing, 1, 0) }), "plain ldr/str reorder: the flag without the data");
                Assert.That(arm.States, Is.SupersetOf(predicted.Sc.States));
            });
    }

    [Test]
    public void The_profiles_differ_where_the_table_does_Volatile_SB_is_weak_with_RCpc_only()
    {
        var test = LitmusParser.ParseFile(Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", "SB+Volatile.litmus"));

        var predicted = Predictions.For(test, MappingScheme.DotNet, InstructionProfile.X64, elsewhere: true);

        var verdicts = predicted.Elsewhere.ToDictionary(e => e.Profile.Name, e => e.Verdict);
        Assert.That(verdicts, Is.EqualTo(new Dictionary<string, string>
        {
            ["lse-rcpc"] = "allowed", ["lse"] = "forbidden", ["rcpc"] = "allowed", ["v8.0"] = "forbidden",
        }), "stlr then ldapr may reorder; stlr then ldar may not (README's worked example)");
    }

    [Test]
    public void An_arm64_machine_gets_x64_and_the_other_profiles()
    {
        var predicted = Predictions.For(MessagePassing, MappingScheme.DotNet, InstructionProfile.Arm64LseRcpc, elsewhere: true);

        Assert.That(predicted.Elsewhere.Select(e => e.Target), Is.EqualTo(new[] { "tso", "arm64 (lse)", "arm64 (rcpc)", "arm64 (v8.0)" }));
        var tso = predicted.Elsewhere[0];
        Assert.That(tso.Verdict, Is.EqualTo("forbidden"));
        Assert.That(tso.WeakStates, Is.Empty);
    }

    [Test]
    public void Predictions_elsewhere_are_never_graded_against()
    {
        var plain = Predictions.For(MessagePassing, MappingScheme.DotNet, InstructionProfile.X64);
        var both = Predictions.For(MessagePassing, MappingScheme.DotNet, InstructionProfile.X64, elsewhere: true);

        Assert.That(plain.Elsewhere, Is.Empty, "only asked for");
        var weak = State(MessagePassing, 1, 0);
        Assert.That(both.Classify(weak), Is.EqualTo(plain.Classify(weak)).And.EqualTo(OutcomeClass.ForbiddenHardware),
            "arm64 allowing it does not make it allowed on this x64 machine");
    }
}
