namespace Harness.Emitted;

/// <summary>
/// How the runtime compiles the thread methods whose code <c>harness asm</c> reads: the runtime
/// variables the <c>jit-listing</c> child runs under, whether the kernel leaves its thread methods
/// to tiering (no AggressiveOptimization), and how often the child calls each one before the
/// listing counts. <see cref="Unavailable"/> says why a configuration cannot be read meaningfully
/// here; <c>asm</c> then refuses it rather than show code that is not what it claims.
/// </summary>
public sealed record JitConfiguration(string Name, string Description, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Thread methods without AggressiveOptimization, so that tiered compilation decides how they are compiled.</summary>
    public bool Tiered { get; init; }

    /// <summary>Calls of each thread method in the child before its listing is complete; 0: compiled once with PrepareMethod.</summary>
    public int Calls { get; init; }

    public string? Unavailable { get; init; }

    /// <summary>What <c>harness run</c> runs: the thread methods compiled straight to optimised code (AggressiveOptimization), no PGO.</summary>
    public static JitConfiguration FullOpts { get; } = new("fullopts", "straight to optimised code (what harness run runs)",
        new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" });

    public static IReadOnlyList<JitConfiguration> All { get; } = [FullOpts];

    public static JitConfiguration? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
