using Harness.Programs;

namespace Harness.Mapping;

/// <summary>
/// Lowers each operation to the .NET primitives themselves, every event tagged with the primitive
/// that made it: the program the .NET model judges. A C# test's accesses keep the primitive they
/// were written with; a C test's go through the mapping scheme, so that the .NET model judges the
/// very program the kernels run. <paramref name="unpromised"/> takes one primitive's ordering away
/// (its accesses untagged, its barrier gone, its atomicity kept): the experiment that tells which
/// promise a state the .NET model forbids rests on.
/// </summary>
public sealed class DotNetTarget(MappingScheme scheme, DotNetPrimitive? unpromised = null) : LoweringTarget
{
    public MappingScheme Scheme => scheme;
    public override ProgramLevel Level => ProgramLevel.DotNet;

    public override void Load(ThreadBuilder b, int destination, ValueExpr address, MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in written is { } p ? [p] : scheme.Load(order))
            if (primitive is DotNetPrimitive.PlainLoad or DotNetPrimitive.VolatileRead)
                b.Emit(new LoadInstruction(destination, address, TagOf(primitive)));
            else EmitBarrier(b, primitive);
    }

    public override void Store(ThreadBuilder b, ValueExpr address, ValueExpr value, MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in written is { } p ? [p] : scheme.Store(order))
            if (primitive is DotNetPrimitive.PlainStore or DotNetPrimitive.VolatileWrite)
                b.Emit(new StoreInstruction(address, value, TagOf(primitive)));
            else EmitBarrier(b, primitive);
    }

    public override void ReadModifyWrite(ThreadBuilder b, int destination, ValueExpr address, RmwOperation operation, ValueExpr operand,
        MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in written is { } p ? [p] : scheme.ReadModifyWrite(operation, order))
            if (primitive is DotNetPrimitive.InterlockedExchange or DotNetPrimitive.InterlockedAdd
                or DotNetPrimitive.InterlockedOr or DotNetPrimitive.InterlockedAnd)
                b.Emit(new RmwInstruction(destination, address, operation, operand,
                    TagOf(primitive), TagOf(primitive), SingleEvent: false));
            else EmitBarrier(b, primitive);
    }

    /// <summary>
    /// The runtime's document makes every Interlocked method a full fence, so a compare-exchange that
    /// fails, a lone read, is tagged Interlocked like the read and the write of one that succeeds.
    /// </summary>
    public override void CompareExchange(ThreadBuilder b, int status, int oldValue, ValueExpr address, ValueExpr expected, ValueExpr desired,
        MemoryOrder success, MemoryOrder failure, bool strong, DotNetPrimitive? written)
    {
        foreach (var primitive in written is { } p ? [p] : scheme.CompareExchange(success, failure))
            if (primitive == DotNetPrimitive.InterlockedCompareExchange)
                // Interlocked.CompareExchange is strong whatever the C++ source asked for.
                b.Emit(new CasInstruction(status, oldValue, address, expected, desired,
                    TagOf(primitive), TagOf(primitive), TagOf(primitive), Strong: true, SingleEvent: false));
            else EmitBarrier(b, primitive);
    }

    public override void Fence(ThreadBuilder b, MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in written is { } p ? [p] : scheme.Fence(order)) EmitBarrier(b, primitive);
    }

    /// <summary>The tag of an event a primitive makes; plain accesses carry none.</summary>
    public static EventTag Tag(DotNetPrimitive primitive) => primitive switch
    {
        DotNetPrimitive.PlainLoad or DotNetPrimitive.PlainStore => EventTag.None,
        DotNetPrimitive.VolatileRead => EventTag.VolatileRead,
        DotNetPrimitive.VolatileWrite => EventTag.VolatileWrite,
        DotNetPrimitive.InterlockedExchange or DotNetPrimitive.InterlockedCompareExchange or DotNetPrimitive.InterlockedAdd
            or DotNetPrimitive.InterlockedOr or DotNetPrimitive.InterlockedAnd => EventTag.Interlocked,
        DotNetPrimitive.MemoryBarrier => EventTag.FullBarrier,
        DotNetPrimitive.ReadBarrier => EventTag.ReadBarrier,
        DotNetPrimitive.WriteBarrier => EventTag.WriteBarrier,
        _ => throw new ArgumentOutOfRangeException(nameof(primitive)),
    };

    private EventTag TagOf(DotNetPrimitive primitive) => primitive == unpromised ? EventTag.None : Tag(primitive);

    private void EmitBarrier(ThreadBuilder b, DotNetPrimitive primitive)
    {
        if (primitive is not (DotNetPrimitive.MemoryBarrier or DotNetPrimitive.ReadBarrier or DotNetPrimitive.WriteBarrier))
            throw new InvalidOperationException($"{primitive} does not fit this operation");
        if (primitive != unpromised) b.Emit(new FenceInstruction(Tag(primitive)));
    }
}
