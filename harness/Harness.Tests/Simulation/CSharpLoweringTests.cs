using Harness.Language;
using Harness.Mapping;
using Harness.Programs;
using Harness.Simulation;

namespace Harness.Tests.Simulation;

/// <summary>How a C# test's accesses lower: the primitive written decides the instructions, an array index is an address.</summary>
public class CSharpLoweringTests
{
    private static LitmusTest Parse(string text) => LitmusParser.Parse(text, "cs.litmus");

    private static IReadOnlyList<string> States(LitmusTest test, ModelTarget target) =>
        Simulator.Simulate(test, [target])[0].States.Select(s => s.ToString()).ToList();

    private static readonly ModelTarget Tso = ModelCatalog.Target(ModelCatalog.Tso);
    private static readonly ModelTarget Arm64 = ModelCatalog.Target(ModelCatalog.Arm64, InstructionProfile.Arm64LseRcpc);

    private const string AddressDependency = """
        CSharp MP+addr
        { int[] a = { 0, 0 }; int y = 0; }
        P0 {
          a[1] = 1;
          Volatile.Write(ref y, 1);
        }
        P1 {
          int r0 = y;
          int r1 = a[r0];
        }
        exists (1:r0=1 /\ 1:r1=0)
        """;

    [Test]
    public void An_element_indexed_by_a_register_is_addressed_through_it()
    {
        var program = Lowering.Lower(Parse(AddressDependency), new MappedTarget(MappingScheme.DotNet, InstructionProfile.Arm64LseRcpc));
        var loads = program.Threads[1].Code.OfType<LoadInstruction>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(program.Locations, Is.EqualTo(new[] { "a[0]", "a[1]", "y" }));
            Assert.That(loads[0].Address, Is.TypeOf<ConstExpr>(), "y's address is fixed");
            Assert.That(loads[1].Address, Is.TypeOf<BinaryExpr>(), "a[r0]'s address is computed from r0");
        });
    }

    [Test]
    public void The_address_dependency_orders_the_reader_on_arm64_and_the_index_picks_the_element()
    {
        var test = Parse(AddressDependency);
        var plain = Parse(AddressDependency.Replace("int r1 = a[r0];", "int r1 = a[1];"));
        Assert.Multiple(() =>
        {
            // r0=0 reads a[0], never written: 0; r0=1 reads a[1], which the dependency keeps from being stale.
            Assert.That(States(test, Arm64), Is.EquivalentTo(new[] { "1:r0=0; 1:r1=0;", "1:r0=1; 1:r1=1;" }));
            Assert.That(States(plain, Arm64), Does.Contain("1:r0=1; 1:r1=0;"), "without the dependency the loads reorder");
        });
    }

    [Test]
    public void An_interlocked_call_whose_result_is_unused_is_still_a_full_barrier()
    {
        var test = Parse("""
            CSharp SB+Increment
            { int x = 0; int y = 0; int z = 0; }
            P0 {
              x = 1;
              Interlocked.Increment(ref z);
              int r0 = y;
            }
            P1 {
              y = 1;
              Interlocked.Increment(ref z);
              int r0 = x;
            }
            exists (0:r0=0 /\ 1:r0=0)
            """);
        var program = Lowering.Lower(test, new MappedTarget(MappingScheme.DotNet, InstructionProfile.X64));
        Assert.Multiple(() =>
        {
            Assert.That(test.Threads[0].Body[1], Is.TypeOf<ExpressionStatement>());
            Assert.That(program.Threads[0].Code.OfType<RmwInstruction>().Single().ReadTags, Is.EqualTo(EventTag.Locked));
            Assert.That(States(test, Tso), Does.Not.Contain("0:r0=0; 1:r0=0;"));
            Assert.That(States(test, Arm64), Does.Not.Contain("0:r0=0; 1:r0=0;"));
            Assert.That(States(Parse("""
                CSharp SB
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
                """), Tso), Does.Contain("0:r0=0; 1:r0=0;"), "without it the stores wait in the store buffer");
        });
    }

    [Test]
    public void A_failed_compare_exchange_orders_less_than_a_successful_one_on_lse()
    {
        const string text = """
            CSharp SB+CAS
            { int x = 0; int y = 0; int z = 0; }
            P0 {
              x = 1;
              int r1 = Interlocked.CompareExchange(ref z, 2, COMPARAND);
              int r0 = y;
            }
            P1 {
              y = 1;
              int r1 = Interlocked.CompareExchange(ref z, 2, COMPARAND);
              int r0 = x;
            }
            exists (0:r0=0 /\ 1:r0=0)
            """;
        Assert.Multiple(() =>
        {
            Assert.That(States(Parse(text.Replace("COMPARAND", "1")), Arm64), Does.Contain("0:r0=0; 1:r0=0;"), "a failed casal writes nothing");
            Assert.That(States(Parse(text.Replace("COMPARAND", "1")), Tso), Does.Not.Contain("0:r0=0; 1:r0=0;"), "lock cmpxchg fences even when it fails");
        });
    }

    [Test]
    public void A_volatile_field_lowers_as_volatile_read_and_write()
    {
        var test = Parse("CSharp T\n{ volatile int v = 0; }\nP0 {\nv = 1;\nint r0 = v;\n}\nexists (0:r0=1)\n");
        var program = Lowering.Lower(test, new MappedTarget(MappingScheme.DotNet, InstructionProfile.Arm64V80));
        Assert.Multiple(() =>
        {
            Assert.That(program.Threads[0].Code.OfType<StoreInstruction>().Single().Tags, Is.EqualTo(EventTag.ReleaseL));
            Assert.That(program.Threads[0].Code.OfType<LoadInstruction>().Single().Tags, Is.EqualTo(EventTag.AcquireSc));
        });
    }

    /// <summary>C# would throw: an execution whose index leaves the array ends there, and never reaches a neighbouring field.</summary>
    [Test]
    public void An_index_outside_the_array_reaches_no_other_field()
    {
        var test = Parse("""
            CSharp Out
            { int y = 0; int[] a = { 0, 0 }; int z = 9; }
            P0 {
              y = 2;
            }
            P1 {
              int r0 = y;
              int r1 = a[r0];
            }
            exists (1:r1=9)
            """);
        Assert.That(States(test, Tso), Is.EqualTo(new[] { "1:r1=0;" }));
        var constant = Parse("CSharp T\n{ int[] a = { 0, 0 }; int z = 9; }\nP0 {\nint r0 = 2;\nint r1 = a[r0];\n}\nexists (0:r1=9)\n");
        Assert.Throws<SimulationException>(() => Simulator.Simulate(constant, [Tso]));
    }
}
