using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Simulation.Executions;
using Harness.Tests.Support;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Tests.Verdicts;

/// <summary>
/// States beyond the loop bound are not forbidden: a prediction whose executions were cut at the
/// bound is incomplete, so a state outside it is graded beyond-bound, never forbidden-hw.
/// </summary>
public class LoopBoundGradingTests
{
    private static readonly LitmusTest SpinCount =
        LitmusParser.ParseFile(Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", "MP+spin-count+Volatile.litmus"));

    private static FinalState State(LitmusTest test, params long[] values) =>
        new(Harness.Programs.Lowering.ObservedKeys(test), values);

    [Test]
    public void A_spin_count_past_the_bound_is_beyond_bound_not_forbidden()
    {
        var predicted = Predictions.For(SpinCount, MappingScheme.DotNet, InstructionProfile.X64, loopBound: 2);

        Assert.That(predicted.CutByLoopBound, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(predicted.Classify(State(SpinCount, 1, 1)), Is.EqualTo(OutcomeClass.Sc), "one spin, then the flag");
            Assert.That(predicted.Classify(State(SpinCount, 5, 1)), Is.EqualTo(OutcomeClass.BeyondBound), "five spins");
            Assert.That(predicted.Classify(State(SpinCount, 999, 1)), Is.EqualTo(OutcomeClass.BeyondBound));
            Assert.That(OutcomeClass.BeyondBound.IsForbidden(), Is.False);
            Assert.That(OutcomeClass.BeyondBound.IsWeak(), Is.False, "it may well be an interleaving");
        });
    }

    [Test]
    public void A_larger_bound_grades_what_the_smaller_one_could_not()
    {
        var predicted = Predictions.For(SpinCount, MappingScheme.DotNet, InstructionProfile.X64, loopBound: 8);

        Assert.That(predicted.Classify(State(SpinCount, 5, 1)), Is.EqualTo(OutcomeClass.Sc));
        Assert.That(predicted.LoopBound, Is.EqualTo(8));
    }

    [Test]
    public void Without_a_cut_a_state_outside_the_prediction_is_still_forbidden()
    {
        var test = LitmusParser.ParseFile(Path.Combine(RepositoryPaths.TestsLitmus, "generated", "MP", "MP+rel+acq.litmus"));
        var predicted = Predictions.For(test, MappingScheme.DotNet, InstructionProfile.X64);

        Assert.That(predicted.CutByLoopBound, Is.False);
        Assert.That(predicted.Classify(State(test, 1, 0)), Is.EqualTo(OutcomeClass.ForbiddenHardware));
    }

    [Test]
    public void Beyond_bound_observations_are_not_weak_and_do_not_make_the_verdict_forbidden()
    {
        var predicted = Predictions.For(SpinCount, MappingScheme.DotNet, InstructionProfile.X64);
        var counts = new Dictionary<FinalState, long> { [State(SpinCount, 0, 1)] = 10, [State(SpinCount, 40, 1)] = 7 };
        var raw = new RawRun(counts, 17, 1, 0, [], false);

        var run = TestRun.Judge(SpinCount, MappingScheme.DotNet, MachineInfo.Current, new RunOptions(), predicted, raw, fromCache: false);

        Assert.Multiple(() =>
        {
            Assert.That(run.Verdict, Is.EqualTo("ok"));
            Assert.That(run.BeyondBoundCount, Is.EqualTo(7));
            Assert.That(run.WeakCount, Is.Zero);
            Assert.That(Harness.Reports.RunTable.Render(run), Does.Contain("beyond-bound").And.Not.Contain("FORBIDDEN"));
        });
    }
}
