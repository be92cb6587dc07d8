using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Tests.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Verdicts;

/// <summary>A witness never seen is only evidence when it could have been: threads that took turns, or code that cannot produce it, say otherwise.</summary>
public class UnseenCaveatTests
{
    [Test]
    public void More_threads_than_CPUs_make_an_unseen_witness_carry_its_caveat()
    {
        var alone = RunFixtures.Run(LitmusSamples.MessagePassingRelaxed, [([0, 0], 500), ([1, 1], 500)], cpus: 1);
        var paired = RunFixtures.Run(LitmusSamples.MessagePassingRelaxed, [([0, 0], 500), ([1, 1], 500)], cpus: 2);
        var weakSeen = RunFixtures.Run(LitmusSamples.StoreBufferingRelaxed, [([0, 0], 5), ([0, 1], 500), ([1, 0], 495)], cpus: 1);
        var unknown = RunFixtures.Run(LitmusSamples.MessagePassingRelaxed, [([0, 0], 500), ([1, 1], 500)]);

        Assert.Multiple(() =>
        {
            Assert.That(alone.Oversubscribed, Is.True);
            Assert.That(alone.UnseenCaveats, Is.EqualTo(new[] { "oversubscribed: 2 threads on 1 CPU" }));
            Assert.That(paired.Oversubscribed, Is.False);
            Assert.That(paired.UnseenCaveats, Is.Empty, "a thread per CPU: Never means what it says");
            Assert.That(weakSeen.Oversubscribed, Is.True);
            Assert.That(weakSeen.UnseenCaveats, Is.Empty, "the witness was seen: nothing to excuse");
            Assert.That(unknown.Oversubscribed, Is.False, "no CPU count recorded: nothing claimed");
        });
    }

    [Test]
    public void A_witness_the_JIT_code_cannot_produce_is_said_so()
    {
        var test = LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed, "SB+rlx.litmus");
        var predicted = Predictions.For(test, MappingScheme.DotNet, InstructionProfile.X64);
        var keys = predicted.Sc.Observed;
        var witness = new Harness.Programs.FinalState(keys, [0, 0]);
        var emitted = new EmittedCodeCheck("x64 (test)", "x64", null, [witness], [], [], ["a store the JIT dropped"], []);
        var raw = new RawRun(new Dictionary<Harness.Programs.FinalState, long>
        {
            [new(keys, [0, 1])] = 500, [new(keys, [1, 0])] = 500,
        }, 1000, 0.5, 0, [], false, Cpus: 2);

        var run = TestRun.Judge(test, MappingScheme.DotNet, RunFixtures.Machine, new RunOptions(), predicted, raw, false, emitted);

        Assert.That(run.Observation, Is.EqualTo("Never"));
        Assert.That(run.UnseenCaveats, Is.EqualTo(new[] { "not observable with the JIT's code" }));
    }
}
