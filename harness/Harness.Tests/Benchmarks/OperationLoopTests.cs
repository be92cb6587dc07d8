using Harness.Benchmarks;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// What one run of a measuring loop does to memory: each operation, <see cref="OperationLoop.OperationsPerRun"/>
/// times, on the eight slots and on no other int of the line. Nothing here is timed.
/// </summary>
public class OperationLoopTests
{
    private const int SlotValue = 1;
    private const int RunsPerSlot = OperationLoop.Iterations;

    private static readonly int[] Slots = Enumerable.Range(0, OperationLoop.Unrolled).Select(k => k * OperationLoop.SlotStride).ToArray();

    /// <summary>A line as the benchmarks prepare it: every int holds <see cref="SlotValue"/>.</summary>
    private static int[] Line() => Enumerable.Repeat(SlotValue, OperationLoop.LineBytes / sizeof(int)).ToArray();

    private static (int Consumed, int[] Line) Run(OperationLoop loop)
    {
        var line = Line();
        var consumed = loop.Run(ref line[0], SlotValue, zero: 0);
        return (consumed, line);
    }

    private static MeasuredOperation Primitive(string name) => PrimitiveCosts.All.Single(o => o.Name == name);

    [TestCase("plain load")]
    [TestCase("Volatile.Read")]
    public void A_load_loop_consumes_every_value_it_reads_and_writes_nothing(string name)
    {
        var (consumed, line) = Run(Primitive(name).Loop);

        Assert.That(consumed, Is.EqualTo(OperationLoop.OperationsPerRun * SlotValue));
        Assert.That(line, Is.EqualTo(Line()));
    }

    [TestCase("plain store")]
    [TestCase("Volatile.Write")]
    [TestCase("Interlocked.Exchange")]
    [TestCase("Interlocked.CompareExchange (success)")]
    [TestCase("Interlocked.CompareExchange (failure)")]
    [TestCase("Interlocked.Or")]
    [TestCase("Interlocked.And")]
    public void An_operation_that_writes_the_value_already_there_leaves_the_line_as_it_was(string name)
    {
        var (_, line) = Run(Primitive(name).Loop);

        Assert.That(line, Is.EqualTo(Line()), "every run sees the same memory, so the cost does not drift");
    }

    [TestCase("Interlocked.Add")]
    [TestCase("Interlocked.Increment")]
    public void An_addition_loop_adds_once_per_run_to_each_slot_and_never_to_the_neighbour(string name)
    {
        var (_, line) = Run(Primitive(name).Loop);

        Assert.Multiple(() =>
        {
            foreach (var slot in Slots) Assert.That(line[slot], Is.EqualTo(SlotValue + RunsPerSlot), $"slot {slot}");
            Assert.That(line[OperationLoop.NeighbourSlot], Is.EqualTo(SlotValue), "the contender's int is left alone");
        });
    }

    [Test]
    public void A_seq_cst_fetch_add_adds_then_fences()
    {
        var (_, line) = Run(OrderingCosts.All.Single(o => o.Name == "fetch_add seq_cst").Loop);

        Assert.That(Slots.Select(slot => line[slot]), Is.All.EqualTo(SlotValue + RunsPerSlot));
    }

    [Test]
    public void The_slots_and_the_neighbour_share_one_line()
    {
        Assert.That((Slots.Max() + 1) * sizeof(int), Is.LessThanOrEqualTo(OperationLoop.LineBytes));
        Assert.That(Slots, Does.Not.Contain(OperationLoop.NeighbourSlot));
        Assert.That(OperationLoop.SlotStride, Is.GreaterThan(1), "adjacent ints would let the arm64 JIT pair two accesses into one");
    }
}
