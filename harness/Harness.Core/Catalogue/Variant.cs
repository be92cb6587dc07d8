using Harness.Programs;

namespace Harness.Catalogue;

/// <summary>Which fences a variant puts between the (relaxed) accesses of each thread.</summary>
public enum FencePlacement
{
    None,

    /// <summary><c>atomic_thread_fence(memory_order_seq_cst)</c> between every two accesses of a thread.</summary>
    SeqCstBetween,

    /// <summary>
    /// A release fence before each publishing store and an acquire fence after each observing
    /// load, where the thread has an access on the other side of the fence.
    /// </summary>
    ReleaseAcquire,
}

/// <summary>
/// An ordering variant: a rule that gives each store and load of a shape a memory order from its
/// role, places fences, and may turn every store into an <c>atomic_exchange_explicit</c> with the
/// store's order. Its <see cref="Suffix"/> names the generated test (<c>MP+rel+acq</c>), as in
/// herd's and diy7's catalogues.
/// </summary>
public sealed record Variant(string Suffix, Func<Write, MemoryOrder> StoreOrder, Func<Read, MemoryOrder> LoadOrder)
{
    public FencePlacement Fences { get; init; } = FencePlacement.None;

    /// <summary>Stores become exchanges (<c>int eN = atomic_exchange_explicit(...)</c>) with the same order.</summary>
    public bool Exchange { get; init; }

    /// <summary>Every access is seq_cst and there are no fences: RC11 and the compiled code must then be exactly SC.</summary>
    public bool AllSeqCst { get; init; }

    /// <summary>
    /// Whether the variant also applies to coherence shapes. Coherence holds for atomics whatever
    /// their orders, so a coherence shape only gets the four variants of herd's own catalogue
    /// (rlx, ra, sc, rlx+fsc); the others would repeat the same answer.
    /// </summary>
    public bool ForCoherence { get; init; }

    public bool AppliesTo(Shape shape) => ForCoherence || !shape.IsCoherence;

    /// <summary>The same rule with every store an exchange: "+xchg" appended to the suffix.</summary>
    public Variant WithExchange() => this with { Suffix = Suffix + "+xchg", Exchange = true, ForCoherence = false };

    public override string ToString() => Suffix;
}
