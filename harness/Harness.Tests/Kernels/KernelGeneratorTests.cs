using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Programs;

namespace Harness.Tests.Kernels;

public class KernelGeneratorTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "harness-test-kernels");

    private static string Generate(string body, MappingScheme? scheme = null, string parameters = "atomic_int* x, atomic_int* y, int* e")
    {
        var text = $$"""
            C construct
            { [x]=0; [y]=0; [e]=0; }
            P0 ({{parameters}}) {
            {{body}}
            }
            exists (x=0)
            """;
        return KernelGenerator.Generate(LitmusParser.Parse(text, "construct.litmus"), scheme ?? MappingScheme.DotNet).Source;
    }

    [TestCase("atomic_store_explicit(x, 1, memory_order_relaxed);", "x = 1;")]
    [TestCase("*x = 1;", "x = 1;")]
    [TestCase("atomic_store_explicit(x, 1, memory_order_release);", "Volatile.Write(ref x, 1);")]
    [TestCase("atomic_store_explicit(x, 1, memory_order_seq_cst);", "Volatile.Write(ref x, 1);\n            Interlocked.MemoryBarrier();")]
    [TestCase("atomic_store(x, 1);", "Volatile.Write(ref x, 1);\n            Interlocked.MemoryBarrier();")]
    [TestCase("int r0 = atomic_load_explicit(y, memory_order_relaxed);", "int t0 = y;")]
    [TestCase("int r0 = *y;", "int t0 = y;")]
    [TestCase("int r0 = atomic_load_explicit(y, memory_order_acquire);", "int t0 = Volatile.Read(ref y);")]
    [TestCase("int r0 = atomic_load_explicit(y, memory_order_consume);", "int t0 = Volatile.Read(ref y);")]
    [TestCase("int r0 = atomic_load(y);", "int t0 = Volatile.Read(ref y);")]
    [TestCase("int r0 = atomic_exchange_explicit(x, 2, memory_order_relaxed);", "int t0 = Interlocked.Exchange(ref x, 2);")]
    [TestCase("int r0 = atomic_fetch_add_explicit(x, 3, memory_order_acq_rel);", "int t0 = Interlocked.Add(ref x, 3) - 3;")]
    [TestCase("int r0 = atomic_fetch_sub_explicit(x, 3, memory_order_release);", "int t0 = Interlocked.Add(ref x, -3) + 3;")]
    [TestCase("int r0 = atomic_fetch_or_explicit(x, 4, memory_order_acquire);", "int t0 = Interlocked.Or(ref x, 4);")]
    [TestCase("int r0 = atomic_fetch_and_explicit(x, 4, memory_order_relaxed);", "int t0 = Interlocked.And(ref x, 4);")]
    [TestCase("int r0 = atomic_fetch_add(x, 1);", "int t0 = Interlocked.Add(ref x, 1) - 1; // atomic_fetch_add_explicit(x, ..., memory_order_seq_cst): InterlockedAdd + MemoryBarrier\n            Interlocked.MemoryBarrier();")]
    [TestCase("int r0 = atomic_compare_exchange_strong_explicit(x, e, 2, memory_order_acq_rel, memory_order_acquire);",
        "int t1 = Interlocked.CompareExchange(ref x, 2, t0);")]
    [TestCase("atomic_thread_fence(memory_order_acquire);", "Volatile.ReadBarrier();")]
    [TestCase("atomic_thread_fence(memory_order_release);", "Volatile.WriteBarrier();")]
    [TestCase("atomic_thread_fence(memory_order_acq_rel);", "Interlocked.MemoryBarrier();")]
    [TestCase("atomic_thread_fence(memory_order_seq_cst);", "Interlocked.MemoryBarrier();")]
    [TestCase("atomic_thread_fence(memory_order_relaxed);", "// atomic_thread_fence(memory_order_relaxed): nothing to emit")]
    public void Each_operation_uses_the_primitive_of_the_dotnet_scheme(string operation, string expected)
    {
        Assert.That(Generate(operation), Does.Contain(expected));
    }

    [Test]
    public void The_unsound_scheme_drops_the_barrier_after_a_seq_cst_store()
    {
        var source = Generate("atomic_store_explicit(x, 1, memory_order_seq_cst);", MappingScheme.UnsoundSeqCst);
        Assert.That(source, Does.Contain("Volatile.Write(ref x, 1);"));
        Assert.That(source, Does.Not.Contain("Interlocked.MemoryBarrier();"));
    }

    [Test]
    public void A_failed_compare_exchange_writes_back_to_the_expected_location()
    {
        var source = Generate("int r0 = atomic_compare_exchange_strong_explicit(x, e, 2, memory_order_relaxed, memory_order_relaxed);");
        Assert.Multiple(() =>
        {
            Assert.That(source, Does.Contain("int t0 = e;"));
            Assert.That(source, Does.Contain("int t2 = t1 == t0 ? 1 : 0;"));
            Assert.That(source, Does.Contain("if (t2 == 0) e = t1;"));
        });
    }

    [Test]
    public void Control_flow_is_kept_and_loops_are_bounded()
    {
        var source = Generate("""
            int r0 = atomic_load_explicit(y, memory_order_relaxed);
            if (r0 == 1) { atomic_store_explicit(x, 1, memory_order_relaxed); } else { atomic_store_explicit(x, 2, memory_order_relaxed); }
            while (atomic_load_explicit(y, memory_order_acquire) == 0) { r0++; if (r0 > 3) break; }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(source, Does.Contain("if ((r0 == 1 ? 1 : 0) != 0)"));
            Assert.That(source, Does.Contain("else"));
            // The loop's only bound is a local counter; the round's abandonment is checked before the racing code, never in it.
            Assert.That(source, Does.Contain("if (spin0 == spinBound) goto Abandoned;"));
            Assert.That(source, Does.Contain("if (context.Abandoned) goto Abandoned;\n            // ---- racing code ----"));
            Assert.That(source, Does.Contain("break;"));
            Assert.That(source, Does.Contain("stuck[i] = 1;"));
        });
    }

    [Test]
    public void An_address_dependency_indexes_through_the_value_read()
    {
        var source = Generate("""
            int r0 = atomic_load_explicit(y, memory_order_relaxed);
            int r1 = atomic_load_explicit(x + (r0 & 128), memory_order_relaxed);
            """);
        Assert.That(source, Does.Contain("memory[at + 0 * locationStride + ((r0 & 128))]"));
    }

    [Test]
    public void Names_that_clash_with_the_kernels_own_are_renamed()
    {
        var text = """
            C clash
            { [i]=0; [round]=0; }
            P0 (atomic_int* i, atomic_int* round) {
              int at = atomic_load_explicit(round, memory_order_relaxed);
              atomic_store_explicit(i, at, memory_order_relaxed);
            }
            exists (0:at=0)
            """;
        var plan = KernelGenerator.Generate(LitmusParser.Parse(text, "clash.litmus"), MappingScheme.DotNet);
        using var kernel = KernelCompiler.Compile(plan, Cache);
        Assert.That(plan.Source, Does.Contain("ref int c_i = ref memory"));
        Assert.That(kernel.Threads, Has.Count.EqualTo(1));
    }

    [Test]
    public void Every_construct_compiles()
    {
        var text = """
            C everything
            { [x]=0; [y]=0; [e]=0; 0:r9=3; }
            P0 (atomic_int* x, atomic_int* y, int* e) {
              int r0 = atomic_load_explicit(y, memory_order_relaxed);
              int r1 = atomic_load(y) + *e;
              *e = r1 - 1;
              atomic_store_explicit(x, r0 * 2, memory_order_release);
              atomic_store(x, 3);
              int r2 = atomic_exchange_explicit(x, 4, memory_order_acq_rel) | atomic_fetch_or(y, 1);
              atomic_fetch_add_explicit(x, r2, memory_order_relaxed);
              int r3 = atomic_fetch_sub(x, 1) ^ atomic_fetch_and_explicit(x, 7, memory_order_seq_cst);
              int r4 = atomic_compare_exchange_strong_explicit(x, e, 5, memory_order_seq_cst, memory_order_acquire);
              int r5 = atomic_compare_exchange_weak_explicit(x, e, 6, memory_order_relaxed, memory_order_relaxed);
              atomic_thread_fence(memory_order_acquire);
              atomic_thread_fence(memory_order_release);
              atomic_thread_fence(memory_order_seq_cst);
              if (r0 == 1 && atomic_load_explicit(x, memory_order_relaxed) != 2) { r1 = -r1; } else { r1 = !r1; }
              while (r9 > 0) { r9--; if (r9 == 1) break; }
              int r6 = atomic_load_explicit(x + (r0 & 128), memory_order_relaxed);
              int r7 = ~r6 << 1 >> 1 % 3;
            }
            P1 (atomic_int* x, atomic_int* y) {
              atomic_store_explicit(y, 1, memory_order_relaxed);
            }
            locations [x; y; e; 0:r1; 0:r2; 0:r3; 0:r4; 0:r5; 0:r7; 0:r9;]
            exists (0:r0=0)
            """;
        var plan = KernelGenerator.Generate(LitmusParser.Parse(text, "everything.litmus"), MappingScheme.DotNet);
        using var kernel = KernelCompiler.Compile(plan, Cache);
        Assert.That(kernel.Threads, Has.Count.EqualTo(2));
    }
}
