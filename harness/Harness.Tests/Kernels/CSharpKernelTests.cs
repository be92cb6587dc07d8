using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Running;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Kernels;

/// <summary>A C# test's kernel runs the test's own statements: the primitives written, not a scheme's.</summary>
[NonParallelizable]
public class CSharpKernelTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "harness-test-kernels");

    private const string EveryForm = """
        CSharp Every+Form
        "every construct of the dialect in one kernel"
        { int x = 0; volatile int v = 0; long w = 5; int[] a = { 0, 0 }; int z = 0; }
        P0 {
          a[1] = 1;
          v = 1;
          Interlocked.Increment(ref z);
          Thread.MemoryBarrier();
          int r5 = Interlocked.CompareExchange(ref x, 3, 0);
          w += 1;
        }
        P1 {
          int r0 = v;
          int r1 = a[r0];
          int r2 = Interlocked.Add(ref z, 2);
          int r3 = Interlocked.Decrement(ref z);
          Interlocked.Or(ref a[r0], 4);
          Interlocked.MemoryBarrier();
          while (Volatile.Read(ref x) == 0) { }
          if (r0 == 1) { r3 = 7; } else { Interlocked.Exchange(ref a[r0], 5); }
        }
        exists (1:r0=1 /\ 1:r1=0)
        """;

    private static KernelPlan Plan(string text) => KernelGenerator.Generate(LitmusParser.Parse(text, "cs.litmus"), MappingScheme.DotNet);

    [Test]
    public void The_kernel_writes_each_primitive_as_the_test_did()
    {
        var source = Plan(EveryForm).Source;
        Assert.Multiple(() =>
        {
            Assert.That(source, Does.Contain("a_1 = 1;"));
            Assert.That(source, Does.Contain("Volatile.Write(ref v, 1);"), "a volatile field's write: refs cannot be volatile");
            Assert.That(source, Does.Contain("Interlocked.Increment(ref z);\n"), "a dropped result stays dropped");
            Assert.That(source, Does.Contain("Thread.MemoryBarrier();"));
            Assert.That(source, Does.Contain("Interlocked.MemoryBarrier();"));
            Assert.That(source, Does.Contain("= Interlocked.CompareExchange(ref x, 3, 0);"));
            Assert.That(source, Does.Contain("= Volatile.Read(ref v);"));
            Assert.That(source, Does.Contain("memory[at + (3 + r0) * locationStride]"), "a[r0]: an address computed from r0");
            Assert.That(source, Does.Contain("= Interlocked.Add(ref z, 2);"));
            Assert.That(source, Does.Contain("= Interlocked.Decrement(ref z);"));
            Assert.That(source, Does.Contain("Interlocked.Or(ref memory[at + (3 + r0) * locationStride], 4);"));
            Assert.That(source, Does.Contain("Interlocked.Exchange(ref memory[at + (3 + r0) * locationStride], 5);"));
            Assert.That(source, Does.Contain("if (spin0 == spinBound) goto Abandoned;"));
            Assert.That(source, Does.Contain("if (!(t4 == 0)) break;"), "the loop's condition as the test wrote it");
            Assert.That(source, Does.Contain("if (r0 == 1)\n"), "the if's condition as the test wrote it");
            Assert.That(source, Does.Not.Contain(" - 2"), "Interlocked.Add's new value is the test's, not fetch_add's old one");
            Assert.That(source, Does.Contain("no mapping scheme applies"));
        });
    }

    [Test]
    public void The_kernel_compiles()
    {
        using var kernel = KernelCompiler.Compile(Plan(EveryForm), Cache);
        Assert.That(kernel.Threads, Has.Count.EqualTo(2));
    }

    [Test]
    public void Plain_store_buffering_in_csharp_shows_its_weak_state_on_x86()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("the expectation is x86-TSO's");
        MachineRequirements.RequireTwoCpus();
        var test = LitmusParser.Parse("""
            CSharp SB+plain
            { int x = 0; int y = 0; }
            P0 {
              x = 1;
              int r0 = y;
            }
            P1 {
              y = 1;
              int r0 = x;
            }
            exists (0:r0=0 /\ 1:r0=0)
            """, "cs.litmus");
        var run = RunPipeline.Run(test, MappingScheme.DotNet, new RunOptions { Iterations = 2_000_000 }, cacheDirectory: Cache);
        var weak = run.Histogram.Single(o => o.SatisfiesCondition);
        Assert.Multiple(() =>
        {
            Assert.That(weak.Count, Is.GreaterThan(0));
            Assert.That(weak.Class, Is.EqualTo(OutcomeClass.WeakAllowed));
            Assert.That(run.ForbiddenObserved, Is.False);
            Assert.That(run.Predicted.Cpp20.NotApplicable, Is.Not.Null, "a C# test has no C++ program");
        });
    }

    [Test]
    public void Store_buffering_with_an_unused_interlocked_call_never_shows_it()
    {
        var test = LitmusParser.Parse("""
            CSharp SB+Add-unused
            { int x = 0; int y = 0; int f0 = 0; int f1 = 0; }
            P0 {
              x = 1;
              Interlocked.Add(ref f0, 1);
              int r0 = y;
            }
            P1 {
              y = 1;
              Interlocked.Add(ref f1, 1);
              int r0 = x;
            }
            exists (0:r0=0 /\ 1:r0=0)
            """, "cs.litmus");
        var run = RunPipeline.Run(test, MappingScheme.DotNet, new RunOptions { Iterations = 200_000 }, cacheDirectory: Cache);
        Assert.Multiple(() =>
        {
            Assert.That(run.Histogram.Where(o => o.SatisfiesCondition), Is.Empty);
            Assert.That(run.ForbiddenObserved, Is.False);
        });
    }
}
