using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Running;
using Harness.Tests.Support;
using Harness.Verdicts;
using Harness.Programs;
using Harness.Kernels.Abi;

namespace Harness.Tests.Running;

/// <summary>
/// Real threads on this machine. These assert what x86-64 must and must not show, so they
/// only run there; iteration counts are small enough for CI but far above what the hunt mode
/// needs (it finds store buffering in a few percent of iterations).
/// </summary>
[NonParallelizable]
public class RunnerTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "harness-test-kernels");

    [OneTimeSetUp]
    public void OnlyOnX64()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("these expectations are x86-TSO's");
    }

    private static TestRun Run(string text, MappingScheme scheme, long iterations, RunMode mode = RunMode.Hunt) =>
        RunPipeline.Run(LitmusParser.Parse(text, "test.litmus"), scheme,
            new RunOptions { Iterations = iterations, Mode = mode }, cacheDirectory: Cache);

    private static string StoreBuffering(string order) => order switch
    {
        "relaxed" => LitmusSamples.StoreBufferingRelaxed,
        "release" => LitmusSamples.StoreBufferingReleaseAcquire,
        _ => LitmusSamples.StoreBufferingSeqCst,
    };

    [Test]
    public void Relaxed_store_buffering_shows_its_weak_state()
    {
        MachineRequirements.RequireTwoCpus();
        var run = Run(StoreBuffering("relaxed"), MappingScheme.DotNet, 2_000_000);

        var weak = run.Histogram.Where(o => o.SatisfiesCondition).ToList();
        Assert.That(weak, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(weak[0].Count, Is.GreaterThan(0));
            Assert.That(weak[0].Class, Is.EqualTo(OutcomeClass.WeakAllowed));
            Assert.That(run.ForbiddenObserved, Is.False);
            Assert.That(run.Iterations, Is.EqualTo(2_000_000));
        });
    }

    [Test]
    public void Release_acquire_store_buffering_also_shows_it_on_x86()
    {
        MachineRequirements.RequireTwoCpus();
        var run = Run(StoreBuffering("release"), MappingScheme.DotNet, 2_000_000);

        Assert.That(run.Histogram.Single(o => o.SatisfiesCondition).Class, Is.EqualTo(OutcomeClass.WeakAllowed));
    }

    [Test]
    public void Seq_cst_store_buffering_with_the_dotnet_scheme_never_shows_it()
    {
        var run = Run(StoreBuffering("seq_cst"), MappingScheme.DotNet, 1_000_000);

        Assert.That(run.Histogram.Where(o => o.SatisfiesCondition), Is.Empty);
        Assert.That(run.ForbiddenObserved, Is.False);
    }

    [Test]
    public void The_unsound_scheme_lets_seq_cst_store_buffering_through_and_is_caught()
    {
        MachineRequirements.RequireTwoCpus();
        var run = Run(StoreBuffering("seq_cst"), MappingScheme.UnsoundSeqCst, 2_000_000);

        var weak = run.Histogram.Single(o => o.SatisfiesCondition);
        Assert.Multiple(() =>
        {
            Assert.That(weak.Class, Is.EqualTo(OutcomeClass.ForbiddenCpp20));
            Assert.That(run.ForbiddenObserved, Is.True);
            Assert.That(run.Verdict, Is.EqualTo("forbidden"));
        });
    }

    [Test]
    public void Relaxed_message_passing_never_shows_a_state_tso_forbids()
    {
        var run = Run(LitmusSamples.MessagePassingRelaxed, MappingScheme.DotNet, 2_000_000);

        Assert.That(run.Histogram.Where(o => o.Class == OutcomeClass.ForbiddenHardware), Is.Empty);
        Assert.That(run.Histogram.Where(o => o.SatisfiesCondition), Is.Empty);
    }

    [Test]
    public void Throughput_mode_runs_free_and_counts_every_iteration()
    {
        var run = Run(StoreBuffering("relaxed"), MappingScheme.DotNet, 1_000_000, RunMode.Throughput);

        Assert.That(run.Histogram.Sum(o => o.Count), Is.EqualTo(1_000_000));
        Assert.That(run.ForbiddenObserved, Is.False);
    }

    [Test]
    public void Read_modify_writes_and_compare_exchange_compute_what_cpp_says()
    {
        // One thread: the outcome is determined, and the runner must see exactly it.
        var run = Run("""
            C rmw-ops
            { [x]=6; [e]=9; }
            P0 (atomic_int* x, int* e) {
              int r0 = atomic_fetch_and_explicit(x, 3, memory_order_relaxed);
              int r1 = atomic_fetch_or_explicit(x, 8, memory_order_acq_rel);
              int r2 = atomic_fetch_sub_explicit(x, 1, memory_order_release);
              int r3 = atomic_exchange_explicit(x, 40, memory_order_seq_cst);
              int r4 = atomic_fetch_add(x, 2);
              int r5 = atomic_compare_exchange_strong_explicit(x, e, 7, memory_order_seq_cst, memory_order_relaxed);
              int r6 = *e;
              int r7 = atomic_compare_exchange_strong(x, e, 5);
            }
            locations [x; e;]
            exists (0:r0=6 /\ 0:r1=2 /\ 0:r2=10 /\ 0:r3=9 /\ 0:r4=40 /\ 0:r5=0 /\ 0:r6=42 /\ 0:r7=1 /\ x=5)
            """, MappingScheme.DotNet, 10_000);

        var only = run.Histogram.Single();
        Assert.That(only.SatisfiesCondition, Is.True, only.State.ToString());
        Assert.That(only.Count, Is.EqualTo(10_000));
    }

    [Test]
    public void A_loop_that_never_ends_is_abandoned_and_counted()
    {
        var run = Run("""
            C spin-forever
            { [x]=0; }
            P0 (atomic_int* x) {
              int r0 = 0;
              while (atomic_load_explicit(x, memory_order_acquire) == 0) { r0 = r0 + 1; }
            }
            exists (0:r0=0)
            """, MappingScheme.DotNet, 2_000);

        Assert.That(run.DidNotTerminate, Is.EqualTo(2_000));
        Assert.That(run.Histogram, Is.Empty);
    }

    [Test]
    public void A_second_run_takes_the_kernel_from_the_cache()
    {
        Run(StoreBuffering("relaxed"), MappingScheme.DotNet, 1000);
        var second = Run(StoreBuffering("relaxed"), MappingScheme.DotNet, 1000);

        Assert.That(second.KernelFromCache, Is.True);
    }
}

/// <summary>A failing test thread must end the run with an error, never leave the others waiting at the start line.</summary>
public class RunnerFailureTests
{
    [Test]
    public void A_thread_that_throws_stops_the_run_instead_of_hanging_it() => MachineRequirements.WithinTime(TimeSpan.FromSeconds(60), () =>
    {
        var plan = Harness.Kernels.KernelGenerator.Generate(
            LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed, "SB.litmus"), MappingScheme.DotNet);
        Action<RoundContext> throws = _ => throw new DivideByZeroException("boom");
        // The other thread waits at the start line for instance 0, which the first never reaches.
        Action<RoundContext> waits = context => StartLine.Enter(context.Ready, 0, 1, 2, context.Round, context);
        var context = new System.Runtime.Loader.AssemblyLoadContext("failing-kernel", isCollectible: true);
        using var kernel = new Harness.Kernels.CompiledKernel(plan, [throws, waits], context, [], fromCache: false, TimeSpan.Zero);

        var runner = new Runner(kernel, new RunOptions { Iterations = 1000, Size = 100 }, []);

        var failure = Assert.Throws<KernelRunException>(() => runner.Run());
        Assert.That(failure!.Message, Does.Contain("DivideByZeroException"));
    });

    [Test]
    public void The_round_in_which_a_thread_failed_is_not_counted() => MachineRequirements.WithinTime(TimeSpan.FromSeconds(60), () =>
    {
        var plan = Harness.Kernels.KernelGenerator.Generate(
            LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed, "SB.litmus"), MappingScheme.DotNet);
        // Both threads run round 1 whole (every instance writes r0 = 1), then P0 fails at once in round 2.
        Action<RoundContext> Thread(int t, bool fails) => context =>
        {
            if (fails && context.Round == 2) throw new InvalidOperationException("round 2");
            for (var i = 0; i < context.Instances; i++) context.Registers[t][context.RegisterBases[t] + i] = 1;
        };
        var context = new System.Runtime.Loader.AssemblyLoadContext("failing-in-round-2", isCollectible: true);
        using var kernel = new Harness.Kernels.CompiledKernel(plan, [Thread(0, fails: true), Thread(1, fails: false)], context, [],
            fromCache: false, TimeSpan.Zero);

        var runner = new Runner(kernel, new RunOptions { Iterations = 1000, Size = 100, Mode = RunMode.Throughput }, []);

        var failure = Assert.Throws<KernelRunException>(() => runner.Run());
        Assert.That(failure!.Completed.Iterations, Is.EqualTo(100), "round 1 only");
        Assert.That(failure.Completed.Counts.Values.Sum(), Is.EqualTo(100));
        Assert.That(failure.Completed.Counts.Keys.Select(k => k.ToString()), Is.EqualTo(new[] { "0:r0=1; 1:r0=1;" }));
    });
}

public class RunnerWatchdogTests
{
    /// <summary>
    /// The racing code holds only the spin bound (a local counter): a round being abandoned is
    /// noticed between instances. With a bound of 100 million spins an instance takes a tenth of a
    /// second, a round of 1,000 of them minutes; the watchdog must end it within seconds.
    /// </summary>
    [Test]
    public void A_loop_that_cannot_finish_ends_within_the_time_budget_and_is_reported() => MachineRequirements.WithinTime(TimeSpan.FromSeconds(120), () =>
    {
        var test = LitmusParser.Parse("""
            C spin-forever
            { [x]=0; }
            P0 (atomic_int* x) {
              while (atomic_load_explicit(x, memory_order_acquire) == 0) { }
            }
            P1 (atomic_int* x) {
              int r0 = atomic_load_explicit(x, memory_order_relaxed);
            }
            exists (1:r0=1)
            """, "spin-forever.litmus");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var run = RunPipeline.Run(test, MappingScheme.DotNet,
            new RunOptions { Iterations = 1_000_000, SpinBound = 100_000_000, TimeBudget = TimeSpan.FromSeconds(1) },
            cacheDirectory: Path.Combine(Path.GetTempPath(), "harness-test-kernels"));

        // A round of these instances takes minutes unless the watchdog ends it; 30 s leaves room for a loaded machine.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "the watchdog ends the round");
        Assert.That(run.DidNotTerminate, Is.GreaterThan(0));
    });
}
