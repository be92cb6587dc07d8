using Harness.Mapping;
using Harness.Programs;

namespace Harness.Benchmarks;

/// <summary>
/// One .NET memory operation, written as static members so that <see cref="OperationLoop{TOperation}"/>,
/// specialised for each struct that implements this, inlines it: no call and no interface dispatch is
/// measured with it.
/// </summary>
public interface IMemoryOperation
{
    /// <summary>The mapping scheme's names for what <see cref="Execute"/> runs, in order.</summary>
    static abstract IReadOnlyList<DotNetPrimitive> Primitives { get; }

    /// <summary>
    /// Runs the operation on <paramref name="location"/>, which holds <paramref name="value"/> when it
    /// starts, and returns what it read so that the caller can consume it: 0 when it reads nothing, which
    /// the caller's sum then drops instead of paying an addition for it.
    /// </summary>
    static abstract int Execute(ref int location, int value);
}

public readonly struct PlainLoad : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.PlainLoad];
    public static int Execute(ref int location, int value) => location;
}

public readonly struct PlainStore : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.PlainStore];

    public static int Execute(ref int location, int value)
    {
        location = value;
        return 0;
    }
}

public readonly struct VolatileRead : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.VolatileRead];
    public static int Execute(ref int location, int value) => Volatile.Read(ref location);
}

public readonly struct VolatileWrite : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.VolatileWrite];

    public static int Execute(ref int location, int value)
    {
        Volatile.Write(ref location, value);
        return 0;
    }
}

/// <summary>Swaps in the value the location already holds, so that every run sees the same memory.</summary>
public readonly struct InterlockedExchange : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedExchange];
    public static int Execute(ref int location, int value) => Interlocked.Exchange(ref location, value);
}

/// <summary>Compares with the value the location holds: the exchange always happens.</summary>
public readonly struct CompareExchangeSuccess : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedCompareExchange];
    public static int Execute(ref int location, int value) => Interlocked.CompareExchange(ref location, value, value);
}

/// <summary>
/// Compares with a value the location never holds: nothing is written, which on arm64 also means a
/// failed <c>casal</c> orders less than a successful one (DESIGN.md).
/// </summary>
public readonly struct CompareExchangeFailure : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedCompareExchange];
    public static int Execute(ref int location, int value) => Interlocked.CompareExchange(ref location, value, ~value);
}

public readonly struct InterlockedAdd : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedAdd];
    public static int Execute(ref int location, int value) => Interlocked.Add(ref location, value);
}

/// <summary>The scheme never names it (a fetch_add is <c>Interlocked.Add</c>), but code uses it as often.</summary>
public readonly struct InterlockedIncrement : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedAdd];
    public static int Execute(ref int location, int value) => Interlocked.Increment(ref location);
}

public readonly struct InterlockedOr : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedOr];
    public static int Execute(ref int location, int value) => Interlocked.Or(ref location, value);
}

public readonly struct InterlockedAnd : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.InterlockedAnd];
    public static int Execute(ref int location, int value) => Interlocked.And(ref location, value);
}

public readonly struct MemoryBarrier : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.MemoryBarrier];

    public static int Execute(ref int location, int value)
    {
        Interlocked.MemoryBarrier();
        return 0;
    }
}

public readonly struct ReadBarrier : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.ReadBarrier];

    public static int Execute(ref int location, int value)
    {
        Volatile.ReadBarrier();
        return 0;
    }
}

public readonly struct WriteBarrier : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [DotNetPrimitive.WriteBarrier];

    public static int Execute(ref int location, int value)
    {
        Volatile.WriteBarrier();
        return 0;
    }
}

/// <summary>What a scheme maps to no primitive at all (a relaxed fence, say): the loop alone.</summary>
public readonly struct NoOperation : IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [];
    public static int Execute(ref int location, int value) => 0;
}

/// <summary><typeparamref name="TFirst"/> then <typeparamref name="TSecond"/> on the same location.</summary>
public readonly struct Then<TFirst, TSecond> : IMemoryOperation
    where TFirst : struct, IMemoryOperation
    where TSecond : struct, IMemoryOperation
{
    public static IReadOnlyList<DotNetPrimitive> Primitives => [.. TFirst.Primitives, .. TSecond.Primitives];

    public static int Execute(ref int location, int value)
    {
        var first = TFirst.Execute(ref location, value);
        return first + TSecond.Execute(ref location, value);
    }
}
