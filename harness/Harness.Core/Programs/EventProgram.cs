using Harness.Programs;

namespace Harness.Programs;

/// <summary>
/// Which level a program describes: the C++ source itself, the .NET primitives it is written
/// with (a C# test, or a C test through a mapping scheme), or the instructions the .NET JIT
/// emits on one target. The level decides which models may judge the program.
/// </summary>
public enum ProgramLevel { Language, X64, Arm64, DotNet }

/// <summary>
/// Annotations an event carries. The C++ orders are herd's C annotations; the .NET tags name
/// the primitive an event of the .NET level comes from; the rest are the instruction
/// properties the x86-TSO and ARMv8 models look at.
/// </summary>
[Flags]
public enum EventTag : uint
{
    None = 0,

    // C++ (herd's NA, RLX, ACQ, REL, ACQ_REL, SC)
    NonAtomic = 1 << 0,
    Relaxed = 1 << 1,
    Acquire = 1 << 2,
    Release = 1 << 3,
    AcqRel = 1 << 4,
    SeqCst = 1 << 5,

    // x86: a LOCK-prefixed or XCHG access (herd's X), and MFENCE
    Locked = 1 << 8,
    MFence = 1 << 9,

    // AArch64: LDAR (A), LDAPR (Q), STLR (L), exclusives, LSE atomics, barriers
    AcquireSc = 1 << 12,
    AcquirePc = 1 << 13,
    ReleaseL = 1 << 14,
    Exclusive = 1 << 15,
    Amo = 1 << 16,
    NoReturn = 1 << 17,
    DmbFull = 1 << 18,
    DmbLoad = 1 << 19,
    DmbStore = 1 << 20,
    Isb = 1 << 21,

    // .NET: the primitive that made the event (plain accesses carry none of these)
    VolatileRead = 1 << 24,
    VolatileWrite = 1 << 25,
    Interlocked = 1 << 26,
    FullBarrier = 1 << 27,
    ReadBarrier = 1 << 28,
    WriteBarrier = 1 << 29,
}

/// <summary>A register-level value computation; registers are numbered per thread.</summary>
public abstract record ValueExpr;
public sealed record ConstExpr(long Value) : ValueExpr;
public sealed record RegExpr(int Register) : ValueExpr;
public sealed record BinaryExpr(BinaryOperator Operator, ValueExpr Left, ValueExpr Right) : ValueExpr;
public sealed record UnaryExpr(UnaryOperator Operator, ValueExpr Operand) : ValueExpr;

/// <summary>The unknown value returned by the thread's read event of this index (symbolic execution only).</summary>
public sealed record ReadValueExpr(int Read) : ValueExpr;

/// <summary>
/// One instruction of a thread. Memory addresses are expressions so that a hardware program
/// can compute them from registers (address dependencies); a C program uses constants.
/// </summary>
public abstract record Instruction;

/// <summary>Reads the location <paramref name="Address"/> evaluates to into a register.</summary>
public sealed record LoadInstruction(int Destination, ValueExpr Address, EventTag Tags) : Instruction;

public sealed record StoreInstruction(ValueExpr Address, ValueExpr Value, EventTag Tags) : Instruction;

/// <summary>
/// An atomic read-modify-write: reads the old value (into <paramref name="Destination"/> unless
/// it is -1) and writes <c>Operation(old, Operand)</c>. <paramref name="SingleEvent"/> makes it
/// one event that both reads and writes (herd's C semantics); otherwise a read and a write
/// linked by rmw (the hardware view).
/// </summary>
public sealed record RmwInstruction(
    int Destination, ValueExpr Address, RmwOperation Operation, ValueExpr Operand,
    EventTag ReadTags, EventTag WriteTags, bool SingleEvent) : Instruction;

/// <summary>
/// A strong or weak compare-and-swap. On success the location goes from <paramref name="Expected"/>
/// to <paramref name="Desired"/>; on failure only a read with <paramref name="FailureTags"/> happens.
/// <paramref name="StatusRegister"/> (if not -1) receives 1 or 0, <paramref name="OldValueRegister"/>
/// (if not -1) the value read. <paramref name="Dependencies"/> says what its results depend on.
/// </summary>
public sealed record CasInstruction(
    int StatusRegister, int OldValueRegister, ValueExpr Address, ValueExpr Expected, ValueExpr Desired,
    EventTag SuccessReadTags, EventTag SuccessWriteTags, EventTag FailureTags,
    bool Strong, bool SingleEvent, CasDependencies Dependencies = CasDependencies.LoadStore) : Instruction;

/// <summary>How the results of a compare-and-swap depend on its operands, which ARMv8 orders by.</summary>
public enum CasDependencies
{
    /// <summary>
    /// As a load then a store: the old value depends on the read, the write on the desired value
    /// (x86's CMPXCHG, C's compare-exchange).
    /// </summary>
    LoadStore,

    /// <summary>
    /// herd's AArch64 CAS: the comparison of the value read with the expected one "picks" the
    /// write (iico_ctrl), so the write pick-depends on both; on success the old value is either
    /// the read's (data) or the expected value picked by the comparison, two event structures
    /// herd both tries.
    /// </summary>
    Pick,
}

/// <summary>
/// AArch64's store-exclusive (STXR/STLXR), as herd makes it: it pairs with the thread's latest
/// load-exclusive (a read tagged <see cref="EventTag.Exclusive"/>) and either succeeds (a write
/// rmw-linked to that read, to the same address; <paramref name="StatusRegister"/> = 0) or fails
/// (no event; status 1). With no load-exclusive pending it fails. Any code, memory accesses and
/// branches included, may stand between the pair: retry loops and two pairs in one thread.
/// </summary>
public sealed record StoreExclusiveInstruction(int StatusRegister, ValueExpr Address, ValueExpr Value, EventTag Tags) : Instruction;

public sealed record FenceInstruction(EventTag Tags) : Instruction;

public sealed record AssignInstruction(int Destination, ValueExpr Value) : Instruction;

/// <summary>Jumps to <paramref name="Target"/> when the condition is non-zero (always, when it is null).</summary>
public sealed record JumpInstruction(ValueExpr? Condition, int Target) : Instruction;

/// <summary>One thread's code, with the names of its registers for printing states.</summary>
public sealed record ProgramThread(int Id, IReadOnlyList<Instruction> Code, IReadOnlyList<string> RegisterNames)
{
    public int RegisterIndex(string name)
    {
        for (var i = 0; i < RegisterNames.Count; i++)
            if (RegisterNames[i] == name) return i;
        return -1;
    }
}

/// <summary>
/// A litmus test lowered to what the simulator enumerates: threads of instructions over
/// numbered locations, the initial state, and what a final state records.
/// </summary>
public sealed record EventProgram(
    string Name,
    ProgramLevel Level,
    IReadOnlyList<string> Locations,
    IReadOnlyList<long> InitialValues,
    IReadOnlyList<ProgramThread> Threads,
    IReadOnlyList<IReadOnlyDictionary<int, long>> InitialRegisters,
    IReadOnlyList<StateKey> Observed)
{
    /// <summary>Locations are values too (for addresses computed in registers): location i is encoded as (i+1) &lt;&lt; 40.</summary>
    public static long AddressOf(int location) => (long)(location + 1) << AddressShift;

    public const int AddressShift = 40;

    public static int LocationOf(long address) =>
        address > 0 && (address & ((1L << AddressShift) - 1)) == 0 ? (int)(address >> AddressShift) - 1 : -1;
}
