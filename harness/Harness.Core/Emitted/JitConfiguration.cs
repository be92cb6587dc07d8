namespace Harness.Emitted;

/// <summary>
/// How the thread methods whose code <c>harness asm</c> reads are compiled: the runtime
/// variables the <c>jit-listing</c> child runs under (or crossgen2, for ReadyToRun code), whether the kernel leaves its thread methods
/// to tiering (no AggressiveOptimization), and how often the child calls each one before the
/// listing counts. <see cref="Unavailable"/> says why a configuration cannot be read meaningfully
/// here; <c>asm</c> then refuses it rather than show code that is not what it claims.
/// </summary>
public sealed record JitConfiguration(string Name, string Description, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Thread methods without AggressiveOptimization, so that tiered compilation decides how they are compiled.</summary>
    public bool Tiered { get; init; }

    /// <summary>How the child runs the thread methods before their listing is complete; null: compiled once with PrepareMethod.</summary>
    public WarmUp? WarmUp { get; init; }

    /// <summary>What the header of the last body of every thread method must say (e.g. "Tier1"): else that code was not reached and is not shown.</summary>
    public required string ExpectedTier { get; init; }

    public string? Unavailable { get; init; }

    /// <summary>Compiled ahead of time by crossgen2 rather than by a runtime's JIT in a child.</summary>
    public bool Precompiled { get; init; }

    /// <summary>
    /// JitDisasm patterns of the library methods the racing code calls rather than inlines, listed with the
    /// kernel so that the call is read as the code it runs (empty: the racing code calls nothing).
    /// </summary>
    public IReadOnlyList<string> CalleesListed { get; init; } = [];

    /// <summary>What <c>harness run</c> runs: the thread methods compiled straight to optimised code (AggressiveOptimization), no PGO.</summary>
    public static JitConfiguration FullOpts { get; } = new("fullopts", "straight to optimised code (what harness run runs)",
        new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" })
    {
        ExpectedTier = "(FullOpts)",
    };

    /// <summary>
    /// The first code tiering gives a method: Tier0, never promoted (no call counting), no instrumentation,
    /// no patchpoints. Tier0 inlines nothing, so the racing code calls Interlocked.Add, Increment, Decrement
    /// and Thread.MemoryBarrier (the intrinsics it must expand, Exchange, CompareExchange, Volatile, it
    /// expands); the library is JIT-compiled too (no ReadyToRun code) and run once, so those callees are
    /// listed and read as part of the racing code. That is this configuration's code to the instruction;
    /// with ReadyToRun the callees would run crossgen2's optimised bodies of the same instructions.
    /// </summary>
    public static JitConfiguration Tier0 { get; } = new("tier0", "Tier0, the quick first code of tiered compilation",
        new Dictionary<string, string>
        {
            ["DOTNET_TieredCompilation"] = "1",
            ["DOTNET_TC_QuickJit"] = "1",
            ["DOTNET_TC_QuickJitForLoops"] = "1",
            ["DOTNET_TC_OnStackReplacement"] = "0",
            ["DOTNET_TC_CallCounting"] = "0",
            ["DOTNET_TieredPGO"] = "0",
            ["DOTNET_ReadyToRun"] = "0",
        })
    {
        Tiered = true,
        // One call, so that the library methods the racing code calls are compiled (and listed) too.
        WarmUp = new WarmUp(Rounds: 1, CallsPerRound: 1, InstancesPerCall: 1),
        ExpectedTier = "(Tier0)",
        CalleesListed = ["System.Threading.Interlocked:*", "System.Threading.Thread:MemoryBarrier", "System.Threading.Volatile:*"],
    };

    /// <summary>
    /// Tier1 after dynamic PGO: the child calls the thread methods (one instance per call, the
    /// default 30-call threshold, no start-up delay) until the background compiler has promoted them
    /// through instrumented Tier0 to Tier1; the Tier1 body is read.
    /// </summary>
    public static JitConfiguration Tier1Pgo { get; } = new("tier1-pgo", "Tier1 with dynamic PGO, after the methods were called",
        new Dictionary<string, string>
        {
            ["DOTNET_TieredCompilation"] = "1",
            ["DOTNET_TieredPGO"] = "1",
            ["DOTNET_TC_CallCountingDelayMs"] = "0",
        })
    {
        Tiered = true,
        WarmUp = new WarmUp(Rounds: 8, CallsPerRound: 40, InstancesPerCall: 1),
        ExpectedTier = "(Tier1)",
    };

    /// <summary>
    /// On-stack replacement: every kernel loops over its instances, so one call with many instances
    /// makes the Tier0 code's patchpoint (first hit, limit 1) switch to the OSR body mid-loop; the OSR body is read.
    /// </summary>
    public static JitConfiguration Osr { get; } = new("osr", "the OSR body a Tier0 loop switches to",
        new Dictionary<string, string>
        {
            ["DOTNET_TieredCompilation"] = "1",
            ["DOTNET_TC_QuickJitForLoops"] = "1",
            ["DOTNET_TC_OnStackReplacement"] = "1",
            ["DOTNET_TC_OnStackReplacement_InitialCounter"] = "1",
            ["DOTNET_OSR_HitLimit"] = "1",
            // The OSR body addresses the Tier0 frame's slots at offsets the diffable listing masks (0xD1FFAB1E on arm64),
            // which would make two slots one; its listing is read as the JIT prints it.
            ["DOTNET_JitDisasmDiffable"] = "0",
            ["DOTNET_TC_CallCounting"] = "0",
            ["DOTNET_TieredPGO"] = "0",
        })
    {
        Tiered = true,
        WarmUp = new WarmUp(Rounds: 1, CallsPerRound: 1, InstancesPerCall: 64),
        ExpectedTier = "OSR",
    };

    /// <summary>
    /// ReadyToRun code, precompiled by crossgen2 (see <see cref="ReadyToRunListing"/>): the code an app published
    /// with PublishReadyToRun runs until tiering replaces it. The thread methods are left without
    /// AggressiveOptimization, which crossgen2 leaves to the JIT.
    /// </summary>
    public static JitConfiguration ReadyToRun { get; } = new("r2r", "ReadyToRun code precompiled by crossgen2", new Dictionary<string, string>())
    {
        Tiered = true,
        Precompiled = true,
        ExpectedTier = "",
    };

    public static IReadOnlyList<JitConfiguration> All { get; } = [FullOpts, Tier0, Tier1Pgo, Osr, ReadyToRun];

    public static JitConfiguration? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}

/// <summary>
/// How the child runs a kernel's thread methods so that tiering recompiles them: at most <paramref name="Rounds"/>
/// times (fewer once a round compiles nothing new), each thread method called <paramref name="CallsPerRound"/>
/// times over <paramref name="InstancesPerCall"/> instances, then a wait until the background compiler is idle.
/// </summary>
public sealed record WarmUp(int Rounds, int CallsPerRound, int InstancesPerCall);
