using Harness.Programs;

namespace Harness.Mapping;

public static class DotNetPrimitiveNames
{
    /// <summary>The primitive as C# calls it, for reports.</summary>
    public static string CSharpName(this DotNetPrimitive primitive) => primitive switch
    {
        DotNetPrimitive.PlainLoad => "plain read",
        DotNetPrimitive.PlainStore => "plain write",
        DotNetPrimitive.VolatileRead => "Volatile.Read",
        DotNetPrimitive.VolatileWrite => "Volatile.Write",
        DotNetPrimitive.InterlockedExchange => "Interlocked.Exchange",
        DotNetPrimitive.InterlockedCompareExchange => "Interlocked.CompareExchange",
        DotNetPrimitive.InterlockedAdd => "Interlocked.Add",
        DotNetPrimitive.InterlockedOr => "Interlocked.Or",
        DotNetPrimitive.InterlockedAnd => "Interlocked.And",
        DotNetPrimitive.MemoryBarrier => "Interlocked.MemoryBarrier",
        DotNetPrimitive.ReadBarrier => "Volatile.ReadBarrier",
        DotNetPrimitive.WriteBarrier => "Volatile.WriteBarrier",
        _ => throw new ArgumentOutOfRangeException(nameof(primitive)),
    };
}
