using System.Runtime.CompilerServices;
using Harness.Mapping;
using Harness.Programs;

namespace Harness.Benchmarks;

/// <summary>
/// A loop that runs one <see cref="IMemoryOperation"/> <see cref="OperationsPerRun"/> times on the slots of a
/// cache line. A primitive costs a nanosecond or less, so one run holds enough of them to be measured, and
/// the loop is unrolled so that its own counting is a small part of what is measured.
/// </summary>
public abstract class OperationLoop
{
    /// <summary>Operations per loop iteration, each on its own slot.</summary>
    public const int Unrolled = 8;

    public const int Iterations = 128;

    public const int OperationsPerRun = Unrolled * Iterations;

    /// <summary>
    /// Slots are two ints apart: the arm64 JIT would pair plain accesses to adjacent ints into one
    /// <c>ldp</c>/<c>stp</c>, halving what is measured. Eight slots span bytes 0 to 60 of the line.
    /// </summary>
    public const int SlotStride = 2;

    /// <summary>The int of the line between the first two slots: what a contending thread writes.</summary>
    public const int NeighbourSlot = 1;

    /// <summary>The bytes the slots and the neighbour span: one line on every cache (64 or 128 bytes).</summary>
    public const int LineBytes = 64;

    public abstract IReadOnlyList<DotNetPrimitive> Primitives { get; }

    /// <summary>
    /// Runs the operation <see cref="OperationsPerRun"/> times on the slots starting at <paramref name="line"/>,
    /// each holding <paramref name="value"/>. <paramref name="zero"/> must be 0; the JIT cannot know it, so
    /// the slots' addresses look different in each iteration and it neither hoists a plain load out of the
    /// loop nor merges two of them.
    /// </summary>
    public abstract int Run(ref int line, int value, int zero);

    public static OperationLoop For<TOperation>() where TOperation : struct, IMemoryOperation => new OperationLoop<TOperation>();

    /// <summary>The loop that runs <paramref name="primitives"/> one after the other, as one operation.</summary>
    public static OperationLoop For(IReadOnlyList<DotNetPrimitive> primitives)
    {
        var operation = primitives.Count == 0
            ? typeof(NoOperation)
            : primitives.Select(OperationType).Aggregate((first, second) => typeof(Then<,>).MakeGenericType(first, second));
        return (OperationLoop)Activator.CreateInstance(typeof(OperationLoop<>).MakeGenericType(operation))!;
    }

    /// <summary>The operation that measures a primitive; a compare-exchange as a successful one.</summary>
    public static Type OperationType(DotNetPrimitive primitive) => primitive switch
    {
        DotNetPrimitive.PlainLoad => typeof(PlainLoad),
        DotNetPrimitive.PlainStore => typeof(PlainStore),
        DotNetPrimitive.VolatileRead => typeof(VolatileRead),
        DotNetPrimitive.VolatileWrite => typeof(VolatileWrite),
        DotNetPrimitive.InterlockedExchange => typeof(InterlockedExchange),
        DotNetPrimitive.InterlockedCompareExchange => typeof(CompareExchangeSuccess),
        DotNetPrimitive.InterlockedAdd => typeof(InterlockedAdd),
        DotNetPrimitive.InterlockedOr => typeof(InterlockedOr),
        DotNetPrimitive.InterlockedAnd => typeof(InterlockedAnd),
        DotNetPrimitive.MemoryBarrier => typeof(MemoryBarrier),
        DotNetPrimitive.ReadBarrier => typeof(ReadBarrier),
        DotNetPrimitive.WriteBarrier => typeof(WriteBarrier),
        _ => throw new ArgumentOutOfRangeException(nameof(primitive), primitive, "no benchmark operation for this primitive"),
    };
}

public sealed class OperationLoop<TOperation> : OperationLoop where TOperation : struct, IMemoryOperation
{
    public override IReadOnlyList<DotNetPrimitive> Primitives => TOperation.Primitives;

    // Straight to optimised code: a published harness is precompiled (ReadyToRun), and tiering would
    // otherwise measure that code, or Tier0's, for a while.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public override int Run(ref int line, int value, int zero)
    {
        var consumed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            ref var slots = ref Unsafe.Add(ref line, i & zero);
            var r0 = TOperation.Execute(ref Unsafe.Add(ref slots, 0 * SlotStride), value);
            var r1 = TOperation.Execute(ref Unsafe.Add(ref slots, 1 * SlotStride), value);
            var r2 = TOperation.Execute(ref Unsafe.Add(ref slots, 2 * SlotStride), value);
            var r3 = TOperation.Execute(ref Unsafe.Add(ref slots, 3 * SlotStride), value);
            var r4 = TOperation.Execute(ref Unsafe.Add(ref slots, 4 * SlotStride), value);
            var r5 = TOperation.Execute(ref Unsafe.Add(ref slots, 5 * SlotStride), value);
            var r6 = TOperation.Execute(ref Unsafe.Add(ref slots, 6 * SlotStride), value);
            var r7 = TOperation.Execute(ref Unsafe.Add(ref slots, 7 * SlotStride), value);
            // A tree, not a chain: the sum must not serialise operations that could overlap.
            consumed += ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
        }
        return consumed;
    }
}
