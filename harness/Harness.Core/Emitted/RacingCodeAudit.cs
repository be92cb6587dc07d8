using System.Text.RegularExpressions;
using Harness.Programs;

namespace Harness.Emitted;

/// <summary>
/// Checks that the harness adds nothing to the racing window: every instruction of a racing
/// section that touches shared memory or orders anything must be of a kind the test's own
/// primitives produce under the mapping's table (a plain access, an acquire load, a release
/// store, an atomic, a barrier). An acquire, barrier or access of another width than the test's
/// ints (a flag of the harness, an object field) is the kernel measuring something stronger than
/// the mapping, and is reported. Kinds, not counts: the JIT may duplicate a loop's condition.
/// </summary>
public static partial class RacingCodeAudit
{
    /// <summary>What an instruction does to memory ordering, as far as the audit cares.</summary>
    public enum Kind
    {
        /// <summary>No shared-memory access and no ordering: arithmetic, branches, stack spills and reloads.</summary>
        Local,
        Plain,
        AcquireSc,
        AcquirePc,
        Release,
        Exclusive,
        LseAtomic,
        Locked,
        FullFence,
        DmbFull,
        DmbLoad,
        DmbStore,
        Isb,

        /// <summary>An access the test's primitives cannot make: another width, or an instruction the audit does not know.</summary>
        Foreign,
    }

    /// <summary>
    /// The instructions of the sections the test's primitives do not explain, each with its thread and why.
    /// <paramref name="mixedAcquireLoads"/>: the profile reads volatile fields with LDAPUR at an offset
    /// and LDAR elsewhere (RCpc2 on, RCpc off), so an RCsc acquire is as much the test's own as an RCpc one.
    /// </summary>
    public static IReadOnlyList<string> Unexplained(IReadOnlyList<RacingSectionListing> sections, EventProgram table, string architecture,
        bool mixedAcquireLoads = false)
    {
        var findings = new List<string>();
        foreach (var section in sections)
        {
            var thread = table.Threads.FirstOrDefault(t => t.Id == section.Thread);
            if (thread is null) continue;
            var expected = ExpectedKinds(thread);
            if (mixedAcquireLoads && expected.Contains(Kind.AcquirePc)) expected.Add(Kind.AcquireSc);
            var throwing = ControlFlow.ThrowBlockLines(section.Lines);
            foreach (var instruction in section.Lines.Where((line, index) => line.Instruction is not null && !throwing.Contains(index)).Select(line => line.Instruction!))
            {
                var (kind, note) = architecture == "arm64" ? Arm64(instruction) : X64(instruction);
                if (kind == Kind.Local || expected.Contains(kind)) continue;
                findings.Add($"P{section.Thread}: '{instruction}' ({note ?? Describe(kind)}) is not explained by the test's own primitives");
            }
        }
        return findings;
    }

    /// <summary>The kinds the table's program for one thread produces.</summary>
    public static HashSet<Kind> ExpectedKinds(ProgramThread thread)
    {
        var kinds = new HashSet<Kind>();
        foreach (var instruction in thread.Code)
        {
            switch (instruction)
            {
                case LoadInstruction load: kinds.Add(ReadKind(load.Tags)); break;
                case StoreInstruction store: kinds.Add(WriteKind(store.Tags)); break;
                case RmwInstruction rmw:
                    kinds.Add(AtomicKind(rmw.ReadTags | rmw.WriteTags));
                    // Without LSE atomics (x64's lock cmpxchg, arm64's load-/store-exclusive) the JIT does an Interlocked.And
                    // or Or whose result is used as a compare-exchange loop whose first guess is a plain read.
                    if (rmw.Operation is RmwOperation.And or RmwOperation.Or && AtomicKind(rmw.ReadTags | rmw.WriteTags) != Kind.LseAtomic) kinds.Add(Kind.Plain);
                    break;
                case CasInstruction cas: kinds.Add(AtomicKind(cas.SuccessReadTags | cas.SuccessWriteTags | cas.FailureTags)); break;
                case FenceInstruction fence: kinds.Add(FenceKind(fence.Tags)); break;
            }
        }
        return kinds;
    }

    private static Kind ReadKind(EventTag tags) =>
        tags.HasFlag(EventTag.Amo) || tags.HasFlag(EventTag.Exclusive) || tags.HasFlag(EventTag.Locked) ? AtomicKind(tags)
        : tags.HasFlag(EventTag.AcquirePc) ? Kind.AcquirePc
        : tags.HasFlag(EventTag.AcquireSc) ? Kind.AcquireSc
        : Kind.Plain;

    private static Kind WriteKind(EventTag tags) =>
        tags.HasFlag(EventTag.Amo) || tags.HasFlag(EventTag.Exclusive) || tags.HasFlag(EventTag.Locked) ? AtomicKind(tags)
        : tags.HasFlag(EventTag.ReleaseL) ? Kind.Release
        : Kind.Plain;

    private static Kind AtomicKind(EventTag tags) =>
        tags.HasFlag(EventTag.Amo) ? Kind.LseAtomic
        : tags.HasFlag(EventTag.Exclusive) ? Kind.Exclusive
        : Kind.Locked;

    private static Kind FenceKind(EventTag tags) =>
        tags.HasFlag(EventTag.MFence) ? Kind.FullFence
        : tags.HasFlag(EventTag.DmbFull) ? Kind.DmbFull
        : tags.HasFlag(EventTag.DmbLoad) ? Kind.DmbLoad
        : tags.HasFlag(EventTag.DmbStore) ? Kind.DmbStore
        : tags.HasFlag(EventTag.Isb) ? Kind.Isb
        : Kind.Local;

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Plain => "a plain access",
        Kind.AcquireSc => "an RCsc acquire load",
        Kind.AcquirePc => "an RCpc acquire load",
        Kind.Release => "a release store",
        Kind.Exclusive => "a load/store-exclusive",
        Kind.LseAtomic => "an LSE atomic",
        Kind.Locked => "a locked read-modify-write",
        Kind.FullFence => "a full fence",
        Kind.DmbFull => "dmb ish",
        Kind.DmbLoad => "dmb ishld",
        Kind.DmbStore => "dmb ishst",
        Kind.Isb => "isb",
        _ => "not an instruction of the test",
    };

    /// <summary>
    /// The throw of a failed bounds check: a C# test's array element indexed by a register is
    /// checked as any C# array access is, and the throw never runs while the index is in range.
    /// </summary>
    private static bool IsBoundsCheckFailure(EmittedInstruction instruction) =>
        instruction.Operands is [var target] && target.Contains("CORINFO_HELP_RNGCHKFAIL", StringComparison.Ordinal);

    [GeneratedRegex(@"\[(?<base>[a-z0-9]+)")]
    private static partial Regex MemoryBase();

    /// <summary>x64: the width is spelled in the operand (dword ptr is the test's int).</summary>
    public static (Kind Kind, string? Note) X64(EmittedInstruction instruction)
    {
        var mnemonic = instruction.Mnemonic;
        if (mnemonic == "mfence") return (Kind.FullFence, null);
        if (mnemonic is "lea" or "align" or "nop" || mnemonic.StartsWith("prefetch", StringComparison.Ordinal)) return (Kind.Local, null);
        // ReadyToRun code calls the helper through its cell: 'call [CORINFO_HELP_RNGCHKFAIL]' is no access.
        if (IsBoundsCheckFailure(instruction)) return (Kind.Local, null);
        var memory = instruction.Operands.FirstOrDefault(o => o.Contains('['));
        if (memory is null)
            return mnemonic is "call" ? (Kind.Foreign, "a call") : (Kind.Local, null);
        var locked = mnemonic.StartsWith("lock ", StringComparison.Ordinal) || mnemonic == "xchg";
        var onStack = MemoryBase().Match(memory) is { Success: true } match && match.Groups["base"].Value is "rsp" or "rbp";
        if (onStack) return locked ? (Kind.FullFence, null) : (Kind.Local, null);
        if (!memory.Contains("dword ptr", StringComparison.Ordinal))
            return (Kind.Foreign, $"a {memory.Split(' ')[0]} access, not the test's 32-bit int");
        return (locked ? Kind.Locked : Kind.Plain, null);
    }

    /// <summary>arm64: the width is the register's (w is the test's int) or the mnemonic's b/h suffix.</summary>
    public static (Kind Kind, string? Note) Arm64(EmittedInstruction instruction)
    {
        var mnemonic = instruction.Mnemonic;
        switch (mnemonic)
        {
            case "dmb":
                var option = instruction.Operands.FirstOrDefault() ?? "sy";
                return option switch
                {
                    "ishld" or "ld" or "oshld" => (Kind.DmbLoad, null),
                    "ishst" or "st" or "oshst" => (Kind.DmbStore, null),
                    _ => (Kind.DmbFull, null),
                };
            case "isb":
                return (Kind.Isb, null);
            case "dsb":
                return (Kind.Foreign, "a dsb barrier");
            case "bl" or "blr":
                return IsBoundsCheckFailure(instruction) ? (Kind.Local, null) : (Kind.Foreign, "a call");
        }
        var memory = instruction.Operands.FirstOrDefault(o => o.StartsWith('['));
        // align is the JIT's loop-alignment padding ("align [0 bytes for IG14]"): its bracket is no address.
        if (memory is null || mnemonic is "prfm" or "prfum" or "align") return (Kind.Local, null);
        if (MemoryBase().Match(memory) is { Success: true } match && match.Groups["base"].Value is "fp" or "sp" or "x29") return (Kind.Local, null);
        var kind = Arm64Memory(mnemonic);
        if (kind == Kind.Foreign) return (Kind.Foreign, $"'{mnemonic}' is not an access the table's instructions make");
        // No word-sized access mnemonic ends in b or h: those are the byte and halfword forms (ldrb, ldaprb, swpalh, ...).
        if (mnemonic.EndsWith('b') || mnemonic.EndsWith('h'))
            return (Kind.Foreign, $"a {(mnemonic.EndsWith('b') ? "byte" : "halfword")} access, not the test's 32-bit int");
        if (mnemonic == "ldrsw") return (kind, null); // a 32-bit int loaded sign-extended into an x register
        var data = instruction.Operands.Where(o => !o.StartsWith('[')).ToList();
        // A store-exclusive's first operand is its status register; the data is the next one.
        var value = kind == Kind.Exclusive && mnemonic.StartsWith("st", StringComparison.Ordinal) && data.Count > 1 ? data[1] : data.FirstOrDefault();
        if (value is not null && value.StartsWith('x'))
            return (Kind.Foreign, "a 64-bit access, not the test's 32-bit int");
        return (kind, null);
    }

    private static Kind Arm64Memory(string mnemonic)
    {
        var core = mnemonic.Length > 3 && (mnemonic.EndsWith('b') || mnemonic.EndsWith('h')) ? mnemonic[..^1] : mnemonic;
        if (core is "ldr" or "ldur" or "str" or "stur" or "ldp" or "stp" or "ldrs" or "ldurs" or "ldrsw" or "ldursw" or "ldpsw") return Kind.Plain;
        if (core is "ldar") return Kind.AcquireSc;
        if (core is "ldapr" or "ldapur") return Kind.AcquirePc;
        if (core is "stlr" or "stlur") return Kind.Release;
        if (core is "ldxr" or "ldaxr" or "stxr" or "stlxr" or "ldxp" or "ldaxp" or "stxp" or "stlxp") return Kind.Exclusive;
        if (core.StartsWith("swp", StringComparison.Ordinal) || core.StartsWith("cas", StringComparison.Ordinal)) return Kind.LseAtomic;
        foreach (var operation in new[] { "add", "clr", "set", "eor", "smax", "smin", "umax", "umin" })
            if (core.StartsWith("ld" + operation, StringComparison.Ordinal) || core.StartsWith("st" + operation, StringComparison.Ordinal))
                return Kind.LseAtomic;
        return Kind.Foreign;
    }
}
