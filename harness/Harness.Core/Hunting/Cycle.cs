using Harness.Programs;

namespace Harness.Hunting;

/// <summary>An access of a critical cycle, with the .NET primitive it is written with.</summary>
public enum CycleAccess
{
    // Reads: each keeps the value it read in a register.
    Read,
    VolatileRead,

    /// <summary><c>Interlocked.CompareExchange(ref x, -1, -1)</c>: never succeeds (no store writes -1), so it only reads.</summary>
    FailedCompareExchange,

    /// <summary><c>Interlocked.Add(ref x, 0)</c>: an RMW that writes back the value it read.</summary>
    AddZero,

    /// <summary><c>Interlocked.Or(ref x, 0)</c>.</summary>
    OrZero,

    /// <summary><c>Interlocked.And(ref x, -1)</c>.</summary>
    AndAllOnes,

    // Writes: the n-th write of a location in coherence order writes n.
    Write,
    VolatileWrite,
    Exchange,

    /// <summary><c>Interlocked.Add(ref x, 1)</c>: writes n exactly when it reads its coherence predecessor's n - 1.</summary>
    AddOne,
}

/// <summary>
/// The edge from one access of a cycle to the next, as diy7 names them: program order to an access
/// of another location (plain, or with a barrier or a dependency between), or a communication to
/// an access of the same location on another thread (reads-from, from-read, coherence).
/// </summary>
public enum CycleEdge
{
    Po,
    MemoryBarrier,
    Data,
    Ctrl,

    /// <summary>An address dependency: the value read indexes the array element the next access goes to.</summary>
    Addr,
    Rfe,
    Fre,
    Wse,
}

/// <summary>One access of a cycle and the edge that leaves it for the next access.</summary>
public readonly record struct CycleStep(CycleAccess Access, CycleEdge Edge)
{
    public override string ToString() => $"{Access.Code()}+{Edge.Code()}";
}

public static class CycleVocabulary
{
    public static bool IsWrite(this CycleAccess access) => access >= CycleAccess.Write;

    /// <summary>Whether the access is written with the plain C# syntax: the only kind that adds nothing to a cycle's size.</summary>
    public static bool IsPlain(this CycleAccess access) => access is CycleAccess.Read or CycleAccess.Write;

    public static bool IsExternal(this CycleEdge edge) => edge >= CycleEdge.Rfe;

    /// <summary>Program order with something in it (a barrier, a dependency): it adds one to a cycle's size.</summary>
    public static bool IsAnnotated(this CycleEdge edge) => edge is CycleEdge.MemoryBarrier or CycleEdge.Data or CycleEdge.Ctrl or CycleEdge.Addr;

    /// <summary>Whether <paramref name="edge"/> may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool Connects(this CycleEdge edge, CycleAccess from, CycleAccess to) => edge switch
    {
        CycleEdge.Po or CycleEdge.MemoryBarrier => true,
        CycleEdge.Data => !from.IsWrite() && to.IsWrite(),
        CycleEdge.Ctrl or CycleEdge.Addr => !from.IsWrite(),
        CycleEdge.Rfe => from.IsWrite() && !to.IsWrite(),
        CycleEdge.Fre => !from.IsWrite() && to.IsWrite(),
        CycleEdge.Wse => from.IsWrite() && to.IsWrite(),
        _ => throw new ArgumentOutOfRangeException(nameof(edge)),
    };

    /// <summary>The access's short name in a test's name (diy7-like: R, W, with the primitive after it).</summary>
    public static string Code(this CycleAccess access) => access switch
    {
        CycleAccess.Read => "R",
        CycleAccess.VolatileRead => "Rv",
        CycleAccess.FailedCompareExchange => "Rcas",
        CycleAccess.AddZero => "Radd",
        CycleAccess.OrZero => "Ror",
        CycleAccess.AndAllOnes => "Rand",
        CycleAccess.Write => "W",
        CycleAccess.VolatileWrite => "Wv",
        CycleAccess.Exchange => "Wxchg",
        CycleAccess.AddOne => "Wadd",
        _ => throw new ArgumentOutOfRangeException(nameof(access)),
    };

    public static string Code(this CycleEdge edge) => edge switch
    {
        CycleEdge.Po => "po",
        CycleEdge.MemoryBarrier => "mb",
        CycleEdge.Data => "data",
        CycleEdge.Ctrl => "ctrl",
        CycleEdge.Addr => "addr",
        CycleEdge.Rfe => "Rfe",
        CycleEdge.Fre => "Fre",
        CycleEdge.Wse => "Wse",
        _ => throw new ArgumentOutOfRangeException(nameof(edge)),
    };

    /// <summary>The primitive the access is written with (what a finding blames).</summary>
    public static DotNetPrimitive Primitive(this CycleAccess access) => access switch
    {
        CycleAccess.Read => DotNetPrimitive.PlainLoad,
        CycleAccess.VolatileRead => DotNetPrimitive.VolatileRead,
        CycleAccess.FailedCompareExchange => DotNetPrimitive.InterlockedCompareExchange,
        CycleAccess.AddZero or CycleAccess.AddOne => DotNetPrimitive.InterlockedAdd,
        CycleAccess.OrZero => DotNetPrimitive.InterlockedOr,
        CycleAccess.AndAllOnes => DotNetPrimitive.InterlockedAnd,
        CycleAccess.Write => DotNetPrimitive.PlainStore,
        CycleAccess.VolatileWrite => DotNetPrimitive.VolatileWrite,
        CycleAccess.Exchange => DotNetPrimitive.InterlockedExchange,
        _ => throw new ArgumentOutOfRangeException(nameof(access)),
    };

    /// <summary>Whether the access is an Interlocked read-modify-write whose result the test keeps.</summary>
    public static bool IsRmwRead(this CycleAccess access) =>
        access is CycleAccess.FailedCompareExchange or CycleAccess.AddZero or CycleAccess.OrZero or CycleAccess.AndAllOnes;
}

/// <summary>
/// A critical cycle in canonical form: its first step begins a thread, and no rotation to another
/// thread's beginning gives a smaller sequence. Threads follow the cycle; locations are named in
/// order of first access; a test is therefore one cycle, whatever thread or location it was started from.
/// </summary>
public sealed record Cycle(IReadOnlyList<CycleStep> Steps)
{
    /// <summary>Edges, plus one for every access that is not plain and every program order with a barrier or dependency in it.</summary>
    public int Size => Steps.Sum(s => 1 + (s.Access.IsPlain() ? 0 : 1) + (s.Edge.IsAnnotated() ? 1 : 0));

    public int ThreadCount => Steps.Count(s => s.Edge.IsExternal());

    /// <summary>The test's name: the steps in order, diy7-like (<c>W+po+R+Fre+W+po+R+Fre</c> is SB).</summary>
    public string Name => string.Join("+", Steps);

    public override string ToString() => Name;
}
