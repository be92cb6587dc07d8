using Harness.Mapping;
using Harness.Programs;

namespace Harness.Benchmarks;

public enum AtomicOperation { Load, Store, FetchAdd, Fence }

/// <summary>A C++ atomic operation with a memory order, such as <c>store seq_cst</c>.</summary>
public sealed record OrderingCase(AtomicOperation Operation, MemoryOrder Order)
{
    /// <summary>The orderings measured: every order each operation accepts, consume aside (it is acquire).</summary>
    public static IReadOnlyList<OrderingCase> All { get; } =
    [
        new(AtomicOperation.Load, MemoryOrder.Relaxed),
        new(AtomicOperation.Load, MemoryOrder.Acquire),
        new(AtomicOperation.Load, MemoryOrder.SeqCst),
        new(AtomicOperation.Store, MemoryOrder.Relaxed),
        new(AtomicOperation.Store, MemoryOrder.Release),
        new(AtomicOperation.Store, MemoryOrder.SeqCst),
        new(AtomicOperation.FetchAdd, MemoryOrder.Relaxed),
        new(AtomicOperation.FetchAdd, MemoryOrder.Acquire),
        new(AtomicOperation.FetchAdd, MemoryOrder.Release),
        new(AtomicOperation.FetchAdd, MemoryOrder.AcqRel),
        new(AtomicOperation.FetchAdd, MemoryOrder.SeqCst),
        new(AtomicOperation.Fence, MemoryOrder.Acquire),
        new(AtomicOperation.Fence, MemoryOrder.Release),
        new(AtomicOperation.Fence, MemoryOrder.SeqCst),
    ];

    /// <summary><c>load acquire</c>, <c>fetch_add acq_rel</c>, <c>fence seq_cst</c>.</summary>
    public string Name => $"{OperationName} {Order.ToCName()["memory_order_".Length..]}";

    private string OperationName => Operation switch
    {
        AtomicOperation.Load => "load",
        AtomicOperation.Store => "store",
        AtomicOperation.FetchAdd => "fetch_add",
        AtomicOperation.Fence => "fence",
        _ => throw new ArgumentOutOfRangeException(nameof(Operation)),
    };

    /// <summary>What <paramref name="scheme"/> writes this operation with.</summary>
    public IReadOnlyList<DotNetPrimitive> MappedBy(MappingScheme scheme) => Operation switch
    {
        AtomicOperation.Load => scheme.Load(Order),
        AtomicOperation.Store => scheme.Store(Order),
        AtomicOperation.FetchAdd => scheme.ReadModifyWrite(RmwOperation.Add, Order),
        AtomicOperation.Fence => scheme.Fence(Order),
        _ => throw new ArgumentOutOfRangeException(nameof(Operation)),
    };
}
