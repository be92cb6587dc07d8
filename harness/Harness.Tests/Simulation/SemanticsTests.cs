using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Programs;

namespace Harness.Tests.Simulation;

/// <summary>
/// The parts of herd7's C semantics the oracle does not exercise: read-modify-writes,
/// compare-exchange, control and data dependencies, loops and data races. Each expected
/// outcome set is derived by hand in the comment beside it.
/// </summary>
public class SemanticsTests
{
    private static readonly string[] AllTargets = ["sc", "tso", "arm64/lse-rcpc", "arm64/v8.0", "rc11", "cpp20"];

    private static Dictionary<string, ModelResult> Simulate(string text, int loopBound = 2)
    {
        var test = LitmusParser.Parse(text, "test.litmus");
        var targets = AllTargets.Select(name =>
        {
            var parts = name.Split('/');
            var model = ModelCatalog.Find(parts[0])!;
            return ModelCatalog.Target(model, parts.Length > 1 ? InstructionProfile.FindArm64(parts[1]) : null);
        }).ToList();
        var results = Simulator.Simulate(test, targets, new SimulationOptions { LoopBound = loopBound });
        return AllTargets.Zip(results).ToDictionary(p => p.First, p => p.Second);
    }

    private static List<string> States(ModelResult result) => result.States.Select(s => s.ToString()).ToList();

    [Test]
    public void Relaxed_fetch_add_never_loses_an_increment()
    {
        var results = Simulate("""
            C counter+rlx
            { [x]=0; }
            P0 (atomic_int* x) { int r0 = atomic_fetch_add_explicit(x, 1, memory_order_relaxed); }
            P1 (atomic_int* x) { int r0 = atomic_fetch_add_explicit(x, 1, memory_order_relaxed); }
            locations [0:r0; 1:r0;]
            forall (x=2)
            """);
        foreach (var (name, result) in results)
        {
            Assert.That(States(result), Is.EquivalentTo(new[] { "0:r0=0; 1:r0=1; x=2;", "0:r0=1; 1:r0=0; x=2;" }), name);
            Assert.That(result.Verdict, Is.EqualTo("allowed"), name);
        }
    }

    [Test]
    public void Exchange_fetch_sub_or_and_compute_the_old_and_new_values()
    {
        var results = Simulate("""
            C rmw-ops
            { [x]=6; }
            P0 (atomic_int* x) {
              int r0 = atomic_fetch_and_explicit(x, 3, memory_order_relaxed);
              int r1 = atomic_fetch_or_explicit(x, 8, memory_order_acq_rel);
              int r2 = atomic_fetch_sub_explicit(x, 1, memory_order_release);
              int r3 = atomic_exchange_explicit(x, 40, memory_order_seq_cst);
              int r4 = atomic_fetch_add(x, 2);
            }
            exists (0:r0=6 /\ 0:r1=2 /\ 0:r2=10 /\ 0:r3=9 /\ 0:r4=40 /\ x=42)
            """);
        foreach (var (name, result) in results)
        {
            Assert.That(States(result), Is.EqualTo(new[] { "0:r0=6; 0:r1=2; 0:r2=10; 0:r3=9; 0:r4=40; x=42;" }), name);
            Assert.That(result.Verdict, Is.EqualTo("allowed"), name);
        }
    }

    [Test]
    public void Compare_exchange_returns_success_and_writes_back_what_it_saw_on_failure()
    {
        // One CAS wins; the loser reads the winner's value and stores it into its expected location.
        var results = Simulate("""
            C CAS+race
            { [x]=0; [e0]=0; [e1]=0; }
            P0 (atomic_int* x, int* e0) {
              int r0 = atomic_compare_exchange_strong_explicit(x, e0, 1, memory_order_acq_rel, memory_order_acquire);
            }
            P1 (atomic_int* x, int* e1) {
              int r0 = atomic_compare_exchange_strong_explicit(x, e1, 2, memory_order_acq_rel, memory_order_acquire);
            }
            locations [x; e0; e1;]
            exists (0:r0=1 /\ 1:r0=1)
            """);
        foreach (var (name, result) in results)
        {
            Assert.That(States(result), Is.EquivalentTo(new[]
            {
                "0:r0=0; 1:r0=1; e0=2; e1=0; x=2;",
                "0:r0=1; 1:r0=0; e0=0; e1=1; x=1;",
            }), name);
            Assert.That(result.Verdict, Is.EqualTo("forbidden"), name);
        }
    }

    [Test]
    public void A_weak_compare_exchange_may_fail_spuriously_in_cpp_but_not_once_mapped_to_Interlocked()
    {
        var results = Simulate("""
            C CASweak
            { [x]=0; [e]=0; }
            P0 (atomic_int* x, int* e) {
              int r0 = atomic_compare_exchange_weak_explicit(x, e, 1, memory_order_relaxed, memory_order_relaxed);
            }
            exists (0:r0=0)
            """);
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "sc", "rc11", "cpp20" })
                Assert.That(States(results[name]), Is.EquivalentTo(new[] { "0:r0=0;", "0:r0=1;" }), name);
            // Interlocked.CompareExchange is strong: the mapped code always succeeds here.
            foreach (var name in new[] { "tso", "arm64/lse-rcpc", "arm64/v8.0" })
                Assert.That(States(results[name]), Is.EqualTo(new[] { "0:r0=1;" }), name);
        });
    }

    [Test]
    public void Load_buffering_through_control_dependencies_is_allowed_only_by_cpp20()
    {
        // As herd7's symbolic execution finds it: each store is reached when its branch sees 1,
        // and each 1 is a constant written by the other thread's store. RC11's no-thin-air
        // axiom and every hardware model (ctrl orders the store on arm64) forbid it.
        var results = Simulate("""
            C LB+ctrls
            { [x]=0; [y]=0; }
            P0 (atomic_int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(x, memory_order_relaxed);
              if (r0 == 1) { atomic_store_explicit(y, 1, memory_order_relaxed); }
            }
            P1 (atomic_int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(y, memory_order_relaxed);
              if (r0 == 1) { atomic_store_explicit(x, 1, memory_order_relaxed); }
            }
            exists (0:r0=1 /\ 1:r0=1)
            """);
        Assert.Multiple(() =>
        {
            foreach (var name in AllTargets.Where(n => n != "cpp20"))
                Assert.That(results[name].Verdict, Is.EqualTo("forbidden"), name);
            Assert.That(results["cpp20"].Verdict, Is.EqualTo("allowed"));
        });
    }

    [Test]
    public void Values_that_only_justify_themselves_are_never_produced()
    {
        // P0 writes r0+1 and P1 copies what it reads: 0:r0=1 would need P1 to have read 1,
        // i.e. P0 to have read 0. herd7 rejects such cyclic value equations; so do we, even
        // under C++20 which has no no-thin-air axiom.
        var results = Simulate("""
            C LB+datas
            { [x]=0; [y]=0; }
            P0 (atomic_int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(x, memory_order_relaxed);
              atomic_store_explicit(y, r0 + 1, memory_order_relaxed);
            }
            P1 (atomic_int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(y, memory_order_relaxed);
              atomic_store_explicit(x, r0, memory_order_relaxed);
            }
            exists (0:r0=1)
            """);
        foreach (var (name, result) in results)
            Assert.That(States(result), Is.EquivalentTo(new[] { "0:r0=0;" }), name);
    }

    [Test]
    public void Arm_orders_a_store_after_a_control_dependency_but_not_a_load()
    {
        // MP with the reader's second load under a branch on the first: arm64 may still
        // satisfy the load early (ctrl orders only writes), x86 may not.
        var results = Simulate("""
            C MP+po+ctrl
            { [x]=0; [y]=0; }
            P0 (atomic_int* x, atomic_int* y) {
              atomic_store_explicit(x, 1, memory_order_relaxed);
              atomic_store_explicit(y, 1, memory_order_release);
            }
            P1 (atomic_int* x, atomic_int* y) {
              int r1 = -1;
              int r0 = atomic_load_explicit(y, memory_order_relaxed);
              if (r0 == 1) { r1 = atomic_load_explicit(x, memory_order_relaxed); }
            }
            exists (1:r0=1 /\ 1:r1=0)
            """);
        Assert.Multiple(() =>
        {
            Assert.That(results["sc"].Verdict, Is.EqualTo("forbidden"));
            Assert.That(results["tso"].Verdict, Is.EqualTo("forbidden"));
            Assert.That(results["arm64/lse-rcpc"].Verdict, Is.EqualTo("allowed"));
            Assert.That(results["arm64/v8.0"].Verdict, Is.EqualTo("allowed"));
            Assert.That(results["cpp20"].Verdict, Is.EqualTo("allowed"));
            Assert.That(States(results["sc"]), Is.EquivalentTo(new[] { "1:r0=0; 1:r1=-1;", "1:r0=1; 1:r1=1;" }));
        });
    }

    [Test]
    public void A_spin_loop_is_unrolled_to_the_bound_and_the_cut_executions_are_counted()
    {
        const string text = """
            C MP+spin
            { [x]=0; [y]=0; }
            P0 (int* x, atomic_int* y) {
              *x = 1;
              atomic_store_explicit(y, 1, memory_order_release);
            }
            P1 (int* x, atomic_int* y) {
              while (atomic_load_explicit(y, memory_order_acquire) == 0) { }
              int r1 = *x;
            }
            exists (1:r1=0)
            """;
        var bounded = Simulate(text, loopBound: 2);
        var unbounded = Simulate(text, loopBound: 0);
        Assert.Multiple(() =>
        {
            foreach (var (name, result) in bounded)
            {
                Assert.That(States(result), Is.EqualTo(new[] { "1:r1=1;" }), name);
                Assert.That(result.CutExecutions, Is.GreaterThan(0), name);
                Assert.That(result.Undefined, Is.False, $"{name}: the acquire spin orders the plain accesses");
            }
            // With no iteration allowed, only the path that sees the flag at once completes.
            Assert.That(States(unbounded["rc11"]), Is.EqualTo(new[] { "1:r1=1;" }));
        });
    }

    [Test]
    public void Racy_plain_accesses_make_the_test_undefined_in_cpp_but_not_on_hardware()
    {
        var results = Simulate("""
            C MP+plain+rlx
            { [x]=0; [y]=0; }
            P0 (int* x, atomic_int* y) {
              *x = 1;
              atomic_store_explicit(y, 1, memory_order_relaxed);
            }
            P1 (int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(y, memory_order_relaxed);
              int r1 = *x;
            }
            exists (1:r0=1 /\ 1:r1=0)
            """);
        Assert.Multiple(() =>
        {
            Assert.That(results["rc11"].Undefined, Is.True);
            Assert.That(results["cpp20"].Undefined, Is.True);
            Assert.That(results["tso"].Undefined, Is.False);
            Assert.That(results["tso"].Verdict, Is.EqualTo("forbidden"));
            Assert.That(results["arm64/lse-rcpc"].Verdict, Is.EqualTo("allowed"));
        });
    }

    [Test]
    public void Release_acquire_makes_plain_accesses_race_free()
    {
        var results = Simulate("""
            C MP+plain+rel+acq
            { [x]=0; [y]=0; }
            P0 (int* x, atomic_int* y) {
              *x = 1;
              atomic_store_explicit(y, 1, memory_order_release);
            }
            P1 (int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(y, memory_order_acquire);
              int r1 = 2;
              if (r0 == 1) { r1 = *x; }
            }
            exists (1:r0=1 /\ 1:r1=0)
            """);
        foreach (var (name, result) in results)
        {
            Assert.That(result.Undefined, Is.False, name);
            Assert.That(result.Verdict, Is.EqualTo("forbidden"), name);
            Assert.That(States(result), Is.EquivalentTo(new[] { "1:r0=0; 1:r1=2;", "1:r0=1; 1:r1=1;" }), name);
        }
    }

    [Test]
    public void Exchange_as_a_store_fences_store_buffering_on_hardware()
    {
        var results = Simulate("""
            C SB+xchgs
            { [x]=0; [y]=0; }
            P0 (atomic_int* x, atomic_int* y) {
              int r1 = atomic_exchange_explicit(x, 1, memory_order_relaxed);
              int r0 = atomic_load_explicit(y, memory_order_relaxed);
            }
            P1 (atomic_int* x, atomic_int* y) {
              int r1 = atomic_exchange_explicit(y, 1, memory_order_relaxed);
              int r0 = atomic_load_explicit(x, memory_order_relaxed);
            }
            exists (0:r0=0 /\ 1:r0=0)
            """);
        Assert.Multiple(() =>
        {
            // Interlocked.Exchange is xchg on x64, swpal or ldaxr/stlxr+dmb on arm64: a full fence.
            Assert.That(results["tso"].Verdict, Is.EqualTo("forbidden"));
            Assert.That(results["arm64/lse-rcpc"].Verdict, Is.EqualTo("forbidden"));
            Assert.That(results["arm64/v8.0"].Verdict, Is.EqualTo("forbidden"));
            Assert.That(results["rc11"].Verdict, Is.EqualTo("allowed"));
        });
    }

    [Test]
    public void Logical_operators_short_circuit_their_memory_accesses()
    {
        // y is read only when x was 1; the read of y never happens on the other path.
        var results = Simulate("""
            C short-circuit
            { [x]=0; [y]=5; }
            P0 (atomic_int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(x, memory_order_relaxed) == 1 && atomic_fetch_add_explicit(y, 1, memory_order_relaxed) == 5;
            }
            locations [y;]
            exists (0:r0=1)
            """);
        Assert.That(States(results["sc"]), Is.EqualTo(new[] { "0:r0=0; y=5;" }));
    }
}
