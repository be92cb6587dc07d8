using Harness.Programs;

namespace Harness.Programs;

/// <summary>
/// The .NET operations a memory access or barrier is written with: what a C# test states
/// directly, and what a mapping scheme chooses for a C++ atomic operation of a C test.
/// </summary>
public enum DotNetPrimitive
{
    PlainLoad,
    PlainStore,
    VolatileRead,
    VolatileWrite,
    InterlockedExchange,
    InterlockedCompareExchange,
    InterlockedAdd,
    InterlockedOr,
    InterlockedAnd,
    MemoryBarrier,
    ReadBarrier,
    WriteBarrier,
}

/// <summary>
/// The Interlocked read-modify-write methods a C# test may call. Several share a primitive
/// (Increment and Decrement are <see cref="DotNetPrimitive.InterlockedAdd"/> of 1 and -1), but
/// they differ in what they return, and a kernel calls the method the test wrote.
/// </summary>
public enum InterlockedMethod
{
    Exchange,
    Add,
    Increment,
    Decrement,
    And,
    Or,
}
