using Harness.Programs;

namespace Harness.Mapping;

/// <summary>
/// How one .NET primitive appears in the emitted code, as the events the hardware models see:
/// the tags of its read and write, and a barrier the JIT places after it (v8.0 atomics).
/// </summary>
public sealed record AtomicForm(EventTag ReadTags, EventTag WriteTags, EventTag FailedReadTags, EventTag? TrailingBarrier);

/// <summary>
/// What RyuJIT in .NET 10 emits for each primitive on one target (DESIGN.md's instruction
/// table, read off DOTNET_JitDisasm).
/// </summary>
public sealed record InstructionProfile(
    string Name,
    ProgramLevel Level,
    string Description,
    EventTag VolatileRead,
    EventTag VolatileWrite,
    AtomicForm Interlocked,
    EventTag? MemoryBarrier,
    EventTag? ReadBarrier,
    EventTag? WriteBarrier)
{
    /// <summary>The instructions each primitive becomes, as docs/mapping.md lists them, for reports.</summary>
    public IReadOnlyDictionary<DotNetPrimitive, string> Code { get; init; } = new Dictionary<DotNetPrimitive, string>();

    public string CodeOf(DotNetPrimitive primitive) => Code.TryGetValue(primitive, out var code) ? code : "?";

    /// <summary>Volatile.Read is LDAPUR (RCpc) at an offset and LDAR (RCsc) elsewhere: RCpc2 in use while RCpc is switched off.</summary>
    public bool MixesAcquireLoads { get; init; }

    /// <summary>x64: mov for every load and store, xchg / lock-prefixed RMWs, lock or [rsp],0 as the full barrier.</summary>
    public static readonly InstructionProfile X64 = new("x64", ProgramLevel.X64,
        "mov; xchg / lock cmpxchg / lock xadd; lock or [rsp],0",
        VolatileRead: EventTag.None,
        VolatileWrite: EventTag.None,
        Interlocked: new AtomicForm(EventTag.Locked, EventTag.Locked, EventTag.Locked, TrailingBarrier: null),
        MemoryBarrier: EventTag.MFence,
        ReadBarrier: null,
        WriteBarrier: null)
    {
        Code = new Dictionary<DotNetPrimitive, string>
        {
            [DotNetPrimitive.PlainLoad] = "mov",
            [DotNetPrimitive.PlainStore] = "mov",
            [DotNetPrimitive.VolatileRead] = "mov",
            [DotNetPrimitive.VolatileWrite] = "mov",
            [DotNetPrimitive.InterlockedExchange] = "xchg",
            [DotNetPrimitive.InterlockedCompareExchange] = "lock cmpxchg",
            [DotNetPrimitive.InterlockedAdd] = "lock xadd",
            [DotNetPrimitive.InterlockedOr] = "lock-prefixed",
            [DotNetPrimitive.InterlockedAnd] = "lock-prefixed",
            [DotNetPrimitive.MemoryBarrier] = "lock or [rsp],0",
            [DotNetPrimitive.ReadBarrier] = "nothing",
            [DotNetPrimitive.WriteBarrier] = "nothing",
        },
    };

    /// <summary>arm64 with LSE atomics and RCpc loads (Neoverse, Apple M): ldapr, stlr, swpal/casal/ldaddal.</summary>
    public static readonly InstructionProfile Arm64LseRcpc = Arm64("lse-rcpc", lse: true, rcpc: true);

    /// <summary>arm64 with LSE atomics but no RCpc (or DOTNET_EnableArm64Rcpc=0): ldar, stlr, swpal/casal/ldaddal.</summary>
    public static readonly InstructionProfile Arm64Lse = Arm64("lse", lse: true, rcpc: false);

    /// <summary>arm64 with RCpc but no LSE (or DOTNET_EnableArm64Atomics=0): ldapr, stlr, ldaxr/stlxr loops + dmb ish.</summary>
    public static readonly InstructionProfile Arm64Rcpc = Arm64("rcpc", lse: false, rcpc: true);

    /// <summary>arm64 v8.0 (no LSE, no RCpc): ldar, stlr, ldaxr/stlxr loops followed by dmb ish.</summary>
    public static readonly InstructionProfile Arm64V80 = Arm64("v8.0", lse: false, rcpc: false);

    /// <summary>
    /// The two features that change what the JIT emits for the primitives: LSE atomics (one
    /// instruction per Interlocked call) and RCpc (LDAPR for Volatile.Read).
    /// </summary>
    public static InstructionProfile Arm64For(bool lse, bool rcpc) =>
        (lse, rcpc) switch
        {
            (true, true) => Arm64LseRcpc,
            (true, false) => Arm64Lse,
            (false, true) => Arm64Rcpc,
            _ => Arm64V80,
        };

    private static InstructionProfile Arm64(string name, bool lse, bool rcpc) => new(name, ProgramLevel.Arm64,
        $"{(rcpc ? "ldapr" : "ldar")}; stlr; {(lse ? "swpal / casal / ldaddal" : "ldaxr/stlxr loop + dmb ish")}; dmb ish; dmb ishld",
        VolatileRead: rcpc ? EventTag.AcquirePc : EventTag.AcquireSc,
        VolatileWrite: EventTag.ReleaseL,
        Interlocked: lse
            ? new AtomicForm(EventTag.AcquireSc | EventTag.Amo, EventTag.ReleaseL | EventTag.Amo, EventTag.AcquireSc | EventTag.Amo, TrailingBarrier: null)
            : new AtomicForm(EventTag.AcquireSc | EventTag.Exclusive, EventTag.ReleaseL | EventTag.Exclusive,
                EventTag.AcquireSc | EventTag.Exclusive, TrailingBarrier: EventTag.DmbFull),
        MemoryBarrier: EventTag.DmbFull,
        ReadBarrier: EventTag.DmbLoad,
        WriteBarrier: EventTag.DmbFull)
    {
        Code = new Dictionary<DotNetPrimitive, string>
        {
            [DotNetPrimitive.PlainLoad] = "ldr",
            [DotNetPrimitive.PlainStore] = "str",
            [DotNetPrimitive.VolatileRead] = rcpc ? "ldapr" : "ldar",
            [DotNetPrimitive.VolatileWrite] = "stlr",
            [DotNetPrimitive.InterlockedExchange] = lse ? "swpal" : Exclusives,
            [DotNetPrimitive.InterlockedCompareExchange] = lse ? "casal" : Exclusives,
            [DotNetPrimitive.InterlockedAdd] = lse ? "ldaddal" : Exclusives,
            [DotNetPrimitive.InterlockedOr] = lse ? "ldsetal" : Exclusives,
            [DotNetPrimitive.InterlockedAnd] = lse ? "ldclral" : Exclusives,
            [DotNetPrimitive.MemoryBarrier] = "dmb ish",
            [DotNetPrimitive.ReadBarrier] = "dmb ishld",
            [DotNetPrimitive.WriteBarrier] = "dmb ish",
        },
    };

    private const string Exclusives = "ldaxr/stlxr loop + dmb ish";

    public static IReadOnlyList<InstructionProfile> Arm64Profiles { get; } = [Arm64LseRcpc, Arm64Lse, Arm64Rcpc, Arm64V80];

    /// <summary>
    /// The four profiles with RCpc2 in use as well (<c>lse-rcpc+rcpc2</c>, ...): the JIT then reads a
    /// volatile field at an offset with one LDAPUR, an RCpc acquire, whether or not RCpc itself is on
    /// (DOTNET_EnableArm64Rcpc=0 alone leaves LDAPUR in packed kernels). The table takes every
    /// Volatile.Read as the RCpc acquire it may be; an LDAR where no offset is folded in is stronger.
    /// </summary>
    public static IReadOnlyList<InstructionProfile> Arm64Rcpc2Profiles { get; } = Arm64Profiles.Select(WithRcpc2).ToList();

    private const string Rcpc2Suffix = "+rcpc2";

    private static InstructionProfile WithRcpc2(InstructionProfile profile) => profile with
    {
        Name = profile.Name + Rcpc2Suffix,
        Description = $"{profile.Description}; ldapur where an offset is folded in",
        VolatileRead = EventTag.AcquirePc,
        MixesAcquireLoads = profile.VolatileRead != EventTag.AcquirePc,
        Code = new Dictionary<DotNetPrimitive, string>(profile.Code)
        {
            [DotNetPrimitive.VolatileRead] = $"ldapur (at an offset), else {profile.CodeOf(DotNetPrimitive.VolatileRead)}",
        },
    };

    /// <summary>The profile of the JIT with these three features in use.</summary>
    public static InstructionProfile Arm64For(bool lse, bool rcpc, bool rcpc2) =>
        rcpc2 ? Arm64Rcpc2Profiles.First(p => p.Name == Arm64For(lse, rcpc).Name + Rcpc2Suffix) : Arm64For(lse, rcpc);

    public static InstructionProfile? FindArm64(string name) => Arm64Profiles.Concat(Arm64Rcpc2Profiles).FirstOrDefault(p => p.Name == name);
}
