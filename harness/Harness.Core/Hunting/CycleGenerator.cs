namespace Harness.Hunting;

/// <summary>
/// Generates critical cycles in the manner of herdtools' diy7: threads of one or two accesses,
/// joined by program order (plain, or with <c>Interlocked.MemoryBarrier()</c>, a data, control or
/// address dependency between), and threads joined by communication edges (Rfe, Fre, Wse) on one location
/// each. Every cycle is a test whose condition asks for the outcome that closes the cycle, which
/// sequential consistency forbids. A cycle is "critical" as Shasha and Snir define it: at most two
/// accesses per thread, and at most three per location, on as many threads.
/// </summary>
public static class CycleGenerator
{
    /// <summary>The smallest cycle: two threads of two accesses (SB, MP, LB, 2+2W, R, S).</summary>
    public const int SmallestSize = 4;

    /// <summary>
    /// Every canonical cycle of exactly <paramref name="size"/> (see <see cref="Cycle.Size"/>) with 2 to
    /// <paramref name="maxThreads"/> threads, in a deterministic order.
    /// </summary>
    public static IReadOnlyList<Cycle> OfSize(int size, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 2);
        var found = new List<Cycle>();
        var steps = new CycleStep[size];
        Extend(steps, 0, size, maxThreads, threads: 0, found);
        return found;
    }

    /// <summary>
    /// Every cycle in order of size, from the smallest up to <paramref name="maxSize"/> (unbounded when null),
    /// lazily; with a <paramref name="seed"/> the cycles of each size come shuffled by it, so that a
    /// budget-bound hunt samples a size it cannot finish instead of covering its first families only.
    /// </summary>
    public static IEnumerable<Cycle> InOrderOfSize(int maxThreads, int? seed = null, int? maxSize = null)
    {
        var random = seed is { } s ? new Random(s) : null;
        for (var size = SmallestSize; maxSize is null || size <= maxSize; size++)
        {
            var cycles = OfSize(size, maxThreads);
            if (random is not null)
            {
                var shuffled = cycles.ToArray();
                random.Shuffle(shuffled);
                cycles = shuffled;
            }
            foreach (var cycle in cycles) yield return cycle;
        }
    }

    private static readonly CycleAccess[] Reads = Enum.GetValues<CycleAccess>().Where(a => !a.IsWrite()).ToArray();
    private static readonly CycleAccess[] Writes = Enum.GetValues<CycleAccess>().Where(a => a.IsWrite()).ToArray();
    private static readonly CycleAccess[] AllAccesses = Enum.GetValues<CycleAccess>();
    private static readonly CycleEdge[] Edges = Enum.GetValues<CycleEdge>();

    /// <summary>Places step <paramref name="index"/>: with <paramref name="budget"/> of the size left to spend.</summary>
    private static void Extend(CycleStep[] steps, int index, int budget, int maxThreads, int threads, List<Cycle> found)
    {
        if (budget == 0)
        {
            if (index >= SmallestSize && Closes(steps, index)) found.Add(new Cycle(steps[..index]));
            return;
        }
        if (index == steps.Length) return;
        var accesses = index == 0 ? AllAccesses
            : steps[index - 1].Edge switch
            {
                CycleEdge.Rfe => Reads,
                CycleEdge.Fre or CycleEdge.Wse or CycleEdge.Data => Writes,
                _ => AllAccesses,
            };
        foreach (var access in accesses)
        {
            var accessCost = access.IsPlain() ? 1 : 2;
            if (accessCost > budget) continue;
            foreach (var edge in Edges)
            {
                var cost = accessCost + (edge.IsAnnotated() ? 1 : 0);
                if (cost > budget || !FitsAfter(steps, index, access, edge)) continue;
                var external = edge.IsExternal() ? 1 : 0;
                if (threads + external > maxThreads) continue;
                steps[index] = new CycleStep(access, edge);
                Extend(steps, index + 1, budget - cost, maxThreads, threads + external, found);
            }
        }
    }

    /// <summary>The local rules: the edge fits the access, a thread has at most two accesses, a location at most three.</summary>
    private static bool FitsAfter(CycleStep[] steps, int index, CycleAccess access, CycleEdge edge)
    {
        if (edge is CycleEdge.Data or CycleEdge.Ctrl or CycleEdge.Addr && access.IsWrite()) return false;
        if (edge is CycleEdge.Rfe or CycleEdge.Wse && !access.IsWrite()) return false;
        if (edge is CycleEdge.Fre && access.IsWrite()) return false;
        if (index == 0) return true;
        var previous = steps[index - 1].Edge;
        if (!previous.IsExternal() && !edge.IsExternal()) return false;
        return !(index >= 2 && edge.IsExternal() && previous.IsExternal() && steps[index - 2].Edge.IsExternal());
    }

    /// <summary>
    /// Whether the steps close into a canonical critical cycle: the last edge leads to the first
    /// access and begins its thread, the rules hold across the seam, there are two locations at
    /// least, and no rotation to another thread's beginning is smaller.
    /// </summary>
    private static bool Closes(CycleStep[] steps, int count)
    {
        var last = steps[count - 1];
        if (!last.Edge.IsExternal() || !last.Edge.Connects(last.Access, steps[0].Access)) return false;
        var programOrders = 0;
        for (var i = 0; i < count; i++) if (!steps[i].Edge.IsExternal()) programOrders++;
        if (programOrders < 2 || count - programOrders < 2) return false;
        // The communications across the seam: the run that ends the steps and the one that begins them are one location's.
        var seamRun = 0;
        for (var i = count - 1; steps[i].Edge.IsExternal(); i--) seamRun++;
        for (var i = 0; steps[i].Edge.IsExternal(); i++) seamRun++;
        if (seamRun > 2) return false;
        for (var start = 1; start < count; start++)
            if (steps[start - 1].Edge.IsExternal() && CompareRotation(steps, count, start) < 0) return false;
        return true;
    }

    /// <summary>The rotation starting at <paramref name="start"/> compared with the steps as they are.</summary>
    private static int CompareRotation(CycleStep[] steps, int count, int start)
    {
        for (var i = 0; i < count; i++)
        {
            var rotated = steps[(start + i) % count];
            var order = Key(rotated).CompareTo(Key(steps[i]));
            if (order != 0) return order;
        }
        return 0;
    }

    private static int Key(CycleStep step) => (int)step.Access * 16 + (int)step.Edge;
}
