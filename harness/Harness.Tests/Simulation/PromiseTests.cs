using Harness.Language;
using Harness.Mapping;
using Harness.Programs;
using Harness.Simulation;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Simulation;

/// <summary>
/// Broken promises: states a hardware model allows for the code the JIT emits that the .NET model
/// forbids. The runtime's document makes every Interlocked method a full fence "whether a
/// compare-exchange succeeds or fails"; on arm64 a failed compare-exchange writes nothing, so only
/// its acquire read orders.
/// </summary>
public class PromiseTests
{
    private static LitmusTest Dotnet(string name) => LitmusParser.ParseFile(Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", name + ".litmus"));

    private static Dictionary<string, PromiseCheck> Checks(LitmusTest test) =>
        Promises.Find(test, InstructionProfile.Arm64Profiles, new SimulationOptions())
            .ToDictionary(p => p.Target.ProfileName ?? p.Target.Profile!.Name, p => p.Check);

    /// <summary>
    /// SB with a compare-exchange that always fails between each store and load: with LSE it is a
    /// casal that writes nothing, its read an acquire that orders only what follows, so the store
    /// before it may still wait in the store buffer: broken. v8.0 and rcpc (exclusives) put a dmb ish
    /// after the loop, which orders the store before the load; x64's lock cmpxchg is a full barrier.
    /// </summary>
    [Test]
    public void A_failed_compare_exchange_breaks_store_buffering_on_arm64_with_LSE_only()
    {
        var checks = Checks(Dotnet("SB+FailedCompareExchange"));
        Assert.Multiple(() =>
        {
            foreach (var profile in new[] { "lse-rcpc", "lse" })
            {
                Assert.That(checks[profile].Broken.Select(s => s.ToString()), Is.EqualTo(new[] { "0:r0=0; 1:r0=0;" }), profile);
                Assert.That(checks[profile].Causes.Select(c => c.Primitive), Is.EqualTo(new[] { DotNetPrimitive.InterlockedCompareExchange }), profile);
                Assert.That(checks[profile].Causes[0].Code, Is.EqualTo("casal"));
                Assert.That(checks[profile].WeakReadingForbids, Is.True, "a full fence under either reading");
            }
            foreach (var profile in new[] { "x64", "rcpc", "v8.0" })
                Assert.That(checks[profile].IsBroken, Is.False, profile);
        });
    }

    /// <summary>
    /// The failed compare-exchange's read is itself the load, the other thread fenced: nothing orders
    /// the store before that read on any arm64 profile (the exclusives' dmb ish comes after the loop),
    /// so v8.0 breaks the promise too. x64 keeps it.
    /// </summary>
    [Test]
    public void A_failed_compare_exchange_is_not_ordered_after_earlier_stores_on_any_arm64_profile()
    {
        var checks = Checks(Dotnet("SB+FailedCompareExchange+MemoryBarrier"));
        Assert.Multiple(() =>
        {
            Assert.That(checks["x64"].IsBroken, Is.False);
            foreach (var profile in InstructionProfile.Arm64Profiles.Select(p => p.Name))
            {
                Assert.That(checks[profile].Broken.Select(s => s.ToString()), Is.EqualTo(new[] { "1:r0=0; e0=0;" }), profile);
                Assert.That(checks[profile].Causes.Select(c => c.Primitive), Is.EqualTo(new[] { DotNetPrimitive.InterlockedCompareExchange }), profile);
            }
        });
    }

    /// <summary>Written in C#, the same program breaks the same promise: the written primitive reaches the code and the model.</summary>
    [Test]
    public void The_same_program_written_in_CSharp_breaks_the_same_promise()
    {
        var test = CSharpPrograms.Test("SB+FailedCompareExchange", @"exists (0:r0=0 /\ 1:r0=0)",
            "x = 1; r1 = Interlocked.CompareExchange(z, 2, 1); r0 = y", "y = 1; r1 = Interlocked.CompareExchange(z, 2, 1); r0 = x");
        var checks = Checks(test);
        Assert.Multiple(() =>
        {
            Assert.That(checks.Where(c => c.Value.IsBroken).Select(c => c.Key), Is.EquivalentTo(new[] { "lse-rcpc", "lse" }));
            Assert.That(checks["lse"].CauseText, Is.EqualTo("Interlocked.CompareExchange (casal)"));
        });
    }

    /// <summary>
    /// Only a primitive whose promise the state rests on is blamed. With Volatile.ReadBarrier before the
    /// failed compare-exchange, a full barrier around the ReadBarrier's dmb ishld would hide the state too,
    /// but net forbids the state by the compare-exchange alone, so the ReadBarrier is not named.
    /// </summary>
    [Test]
    public void Only_the_primitive_whose_promise_the_state_rests_on_is_blamed()
    {
        var test = CSharpPrograms.Test("SB+ReadBarrier+FailedCompareExchange", @"exists (0:r0=0 /\ 1:r0=0)",
            "x = 1; Volatile.ReadBarrier(); r1 = Interlocked.CompareExchange(z, 2, 1); r0 = y",
            "y = 1; Volatile.ReadBarrier(); r1 = Interlocked.CompareExchange(z, 2, 1); r0 = x");
        var check = Checks(test)["lse-rcpc"];
        Assert.That(check.Causes.Select(c => c.Primitive), Is.EqualTo(new[] { DotNetPrimitive.InterlockedCompareExchange }));
    }

    /// <summary>
    /// A Volatile.Write before the failed compare-exchange keeps the promise with LSE: casal's read is an
    /// RCsc acquire, and ARMv8 orders a release store before a later RCsc acquire ([L];po;[A]).
    /// </summary>
    [Test]
    public void A_release_store_before_the_failed_compare_exchange_keeps_the_promise_with_LSE()
    {
        var test = CSharpPrograms.Test("SB+Volatile.Write+FailedCompareExchange", @"exists (0:r0=0 /\ 1:r0=0)",
            "Volatile.Write(x, 1); r1 = Interlocked.CompareExchange(z, 2, 1); r0 = y",
            "Volatile.Write(y, 1); r1 = Interlocked.CompareExchange(z, 2, 1); r0 = x");
        var checks = Checks(test);
        Assert.That(checks.Where(c => c.Value.IsBroken).Select(c => c.Key), Is.Empty);
    }

    /// <summary>At run time, a state net forbids and the hardware allows is its own class: forbidden-net, an alarm (exit 1).</summary>
    [Test]
    public void An_observed_broken_promise_is_graded_forbidden_net()
    {
        var test = Dotnet("SB+FailedCompareExchange");
        var weak = new FinalState(Lowering.ObservedKeys(test), [0, 0]);
        var lse = Predictions.For(test, MappingScheme.DotNet, InstructionProfile.Arm64LseRcpc);
        var v80 = Predictions.For(test, MappingScheme.DotNet, InstructionProfile.Arm64V80);
        Assert.Multiple(() =>
        {
            Assert.That(lse.Classify(weak), Is.EqualTo(OutcomeClass.ForbiddenNet));
            Assert.That(OutcomeClass.ForbiddenNet.ToJsonName(), Is.EqualTo("forbidden-net"));
            Assert.That(OutcomeClass.ForbiddenNet.IsForbidden(), Is.True);
            Assert.That(v80.Classify(weak), Is.EqualTo(OutcomeClass.ForbiddenHardware), "the v8.0 code cannot produce it at all");
            Assert.That(lse.Classify(new FinalState(Lowering.ObservedKeys(test), [1, 0])), Is.EqualTo(OutcomeClass.Sc));
        });
    }
}
