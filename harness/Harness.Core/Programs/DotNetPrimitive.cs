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
