using Harness.Programs;

namespace Harness.Mapping;

/// <summary>
/// Lowers each C++ operation to the .NET primitives of a scheme, and each primitive to the
/// instructions of a profile: the program the hardware models judge. <paramref name="fenced"/>
/// puts the profile's full barrier on both sides of every use of one primitive: the experiment
/// that tells which primitive's code lets the hardware break a promise of the .NET model.
/// </summary>
public sealed class MappedTarget(MappingScheme scheme, InstructionProfile profile, DotNetPrimitive? fenced = null) : LoweringTarget
{
    public MappingScheme Scheme => scheme;
    public InstructionProfile Profile => profile;
    public override ProgramLevel Level => profile.Level;

    public override void Load(ThreadBuilder b, int destination, ValueExpr address, MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in Fenced(b, written is { } p ? [p] : scheme.Load(order)))
            switch (primitive)
            {
                case DotNetPrimitive.PlainLoad:
                    b.Emit(new LoadInstruction(destination, address, EventTag.None));
                    break;
                case DotNetPrimitive.VolatileRead:
                    b.Emit(new LoadInstruction(destination, address, profile.VolatileRead));
                    break;
                default:
                    EmitBarrier(b, primitive);
                    break;
            }
    }

    public override void Store(ThreadBuilder b, ValueExpr address, ValueExpr value, MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in Fenced(b, written is { } p ? [p] : scheme.Store(order)))
            switch (primitive)
            {
                case DotNetPrimitive.PlainStore:
                    b.Emit(new StoreInstruction(address, value, EventTag.None));
                    break;
                case DotNetPrimitive.VolatileWrite:
                    b.Emit(new StoreInstruction(address, value, profile.VolatileWrite));
                    break;
                default:
                    EmitBarrier(b, primitive);
                    break;
            }
    }

    public override void ReadModifyWrite(ThreadBuilder b, int destination, ValueExpr address, RmwOperation operation, ValueExpr operand, MemoryOrder order, DotNetPrimitive? written)
    {
        var form = profile.Interlocked;
        foreach (var primitive in Fenced(b, written is { } p ? [p] : scheme.ReadModifyWrite(operation, order)))
            if (primitive is DotNetPrimitive.InterlockedExchange or DotNetPrimitive.InterlockedAdd
                or DotNetPrimitive.InterlockedOr or DotNetPrimitive.InterlockedAnd)
            {
                b.Emit(new RmwInstruction(destination, address, operation, operand,
                    form.ReadTags, form.WriteTags, SingleEvent: false));
                EmitTrailingBarrier(b, form);
            }
            else EmitBarrier(b, primitive);
    }

    public override void CompareExchange(ThreadBuilder b, int status, int oldValue, ValueExpr address, ValueExpr expected, ValueExpr desired,
        MemoryOrder success, MemoryOrder failure, bool strong, DotNetPrimitive? written)
    {
        var form = profile.Interlocked;
        foreach (var primitive in Fenced(b, written is { } p ? [p] : scheme.CompareExchange(success, failure)))
            if (primitive == DotNetPrimitive.InterlockedCompareExchange)
            {
                // Interlocked.CompareExchange is strong whatever the C++ source asked for.
                b.Emit(new CasInstruction(status, oldValue, address, expected, desired,
                    form.ReadTags, form.WriteTags, form.FailedReadTags, Strong: true, SingleEvent: false));
                EmitTrailingBarrier(b, form);
            }
            else EmitBarrier(b, primitive);
    }

    public override void Fence(ThreadBuilder b, MemoryOrder order, DotNetPrimitive? written)
    {
        foreach (var primitive in Fenced(b, written is { } p ? [p] : scheme.Fence(order))) EmitBarrier(b, primitive);
    }

    /// <summary>The primitives, in order, with the full barrier emitted before and after the fenced one's code.</summary>
    private IEnumerable<DotNetPrimitive> Fenced(ThreadBuilder b, IReadOnlyList<DotNetPrimitive> primitives)
    {
        foreach (var primitive in primitives)
        {
            var fencing = primitive == fenced && profile.MemoryBarrier is not null;
            if (fencing) b.Emit(new FenceInstruction(profile.MemoryBarrier!.Value));
            yield return primitive;
            if (fencing) b.Emit(new FenceInstruction(profile.MemoryBarrier!.Value));
        }
    }

    private static void EmitTrailingBarrier(ThreadBuilder b, AtomicForm form)
    {
        if (form.TrailingBarrier is { } tags) b.Emit(new FenceInstruction(tags));
    }

    private void EmitBarrier(ThreadBuilder b, DotNetPrimitive primitive)
    {
        var tags = primitive switch
        {
            DotNetPrimitive.MemoryBarrier => profile.MemoryBarrier,
            DotNetPrimitive.ReadBarrier => profile.ReadBarrier,
            DotNetPrimitive.WriteBarrier => profile.WriteBarrier,
            _ => throw new InvalidOperationException($"{primitive} is not a barrier"),
        };
        if (tags is { } emitted) b.Emit(new FenceInstruction(emitted));
    }
}
