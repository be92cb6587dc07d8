using Harness.Programs;

namespace Harness.Mapping;

/// <summary>
/// A named way of writing C++ atomics with .NET primitives. <see cref="DotNet"/> is DESIGN.md's
/// default; <see cref="UnsoundSeqCst"/> drops the barrier after a seq_cst store on purpose, so
/// that the harness can be seen to catch a wrong mapping.
/// </summary>
public sealed record MappingScheme(string Name, string Description, bool SeqCstStoreBarrier)
{
    public static readonly MappingScheme DotNet = new("dotnet",
        "relaxed: plain; acquire/seq_cst load: Volatile.Read; release store: Volatile.Write; " +
        "seq_cst store: Volatile.Write + Interlocked.MemoryBarrier; RMW: Interlocked (+ MemoryBarrier if seq_cst)",
        SeqCstStoreBarrier: true);

    public static readonly MappingScheme UnsoundSeqCst = new("unsound-sc",
        "as dotnet, but a seq_cst store is a bare Volatile.Write (deliberately wrong: store buffering shows through)",
        SeqCstStoreBarrier: false);

    public static IReadOnlyList<MappingScheme> All { get; } = [DotNet, UnsoundSeqCst];

    public static MappingScheme? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    public IReadOnlyList<DotNetPrimitive> Load(MemoryOrder order) =>
        order is MemoryOrder.NonAtomic or MemoryOrder.Relaxed ? [DotNetPrimitive.PlainLoad] : [DotNetPrimitive.VolatileRead];

    public IReadOnlyList<DotNetPrimitive> Store(MemoryOrder order) => order switch
    {
        MemoryOrder.NonAtomic or MemoryOrder.Relaxed => [DotNetPrimitive.PlainStore],
        MemoryOrder.SeqCst when SeqCstStoreBarrier => [DotNetPrimitive.VolatileWrite, DotNetPrimitive.MemoryBarrier],
        _ => [DotNetPrimitive.VolatileWrite],
    };

    public IReadOnlyList<DotNetPrimitive> ReadModifyWrite(RmwOperation operation, MemoryOrder order)
    {
        var primitive = operation switch
        {
            RmwOperation.Exchange => DotNetPrimitive.InterlockedExchange,
            RmwOperation.Add or RmwOperation.Sub => DotNetPrimitive.InterlockedAdd,
            RmwOperation.Or => DotNetPrimitive.InterlockedOr,
            RmwOperation.And => DotNetPrimitive.InterlockedAnd,
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        return order == MemoryOrder.SeqCst ? [primitive, DotNetPrimitive.MemoryBarrier] : [primitive];
    }

    public IReadOnlyList<DotNetPrimitive> CompareExchange(MemoryOrder success, MemoryOrder failure) =>
        success == MemoryOrder.SeqCst || failure == MemoryOrder.SeqCst
            ? [DotNetPrimitive.InterlockedCompareExchange, DotNetPrimitive.MemoryBarrier]
            : [DotNetPrimitive.InterlockedCompareExchange];

    public IReadOnlyList<DotNetPrimitive> Fence(MemoryOrder order) => order switch
    {
        MemoryOrder.Acquire => [DotNetPrimitive.ReadBarrier],
        MemoryOrder.Release => [DotNetPrimitive.WriteBarrier],
        MemoryOrder.AcqRel or MemoryOrder.SeqCst => [DotNetPrimitive.MemoryBarrier],
        _ => [],
    };
}
