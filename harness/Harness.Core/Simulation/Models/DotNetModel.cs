using Harness.Simulation.Executions;
using Harness.Programs;
using Harness.Simulation.Relations;

namespace Harness.Simulation.Models;

/// <summary>
/// How far the compiler may merge two nonvolatile accesses of one location ("adjacent ... can be
/// coalesced"): only when nothing at all lies between them in program order, or across anything
/// that is neither an access to that location nor a full fence.
/// </summary>
public enum Adjacency { Consecutive, SameLocation }

/// <summary>
/// A reading of the sentences of the runtime's memory model document that admit two
/// (docs/net-memory-model.md): whether "multicopy atomic" means what the term means (IRIW with
/// acquire reads and 2+2W with release writes forbidden) or only what its example shows
/// (one location), and which accesses count as "adjacent" for coalescing.
/// </summary>
public sealed record NetReading(string Name, bool MultiCopyAtomic, Adjacency Coalescing)
{
    public static readonly NetReading Default = new("net", MultiCopyAtomic: true, Adjacency.Consecutive);
    public static readonly NetReading Weak = new("net-weak", MultiCopyAtomic: false, Adjacency.SameLocation);
}

/// <summary>
/// The .NET memory model: dotnet/runtime's docs/design/specs/Memory-model.md as relational axioms
/// over events tagged with the primitive that made them (docs/net-memory-model.md cites the
/// sentence behind each line). With multi-copy atomicity it has the shape of ARMv8's model: one
/// order every thread observes (ob) that external communication and the thread-local orderings
/// the document promises must not contradict. Without it, ordering reaches another thread only
/// through reads-from (hb), and coherence and full fences constrain what hb leaves open, as in C++.
/// </summary>
public sealed class DotNetModel(NetReading reading) : MemoryModel
{
    public NetReading Reading => reading;
    public override string Name => reading.Name;
    public override ProgramLevel Level => ProgramLevel.DotNet;

    public override Judgement Judge(Execution x)
    {
        // Coherence and atomicity need no ordering: a candidate that fails them is rejected before any is built.
        var verdict = Require.Acyclic(x.PoLoc | x.Rf | x.Co | x.Fr, "internal")
            ?? Require.Empty(x.Rmw & x.Fre.Then(x.Coe), "atomic");
        if (verdict is not null) return verdict;

        var (R, W, po) = (x.R, x.W, x.Po);
        var volatileRead = x.Tagged(EventTag.VolatileRead) & R;
        var volatileWrite = x.Tagged(EventTag.VolatileWrite) & W;
        var full = x.Tagged(EventTag.Interlocked) | (x.Tagged(EventTag.FullBarrier) & x.F);
        var readBarrier = x.Tagged(EventTag.ReadBarrier) & x.F;
        var writeBarrier = x.Tagged(EventTag.WriteBarrier) & x.F;
        var plain = x.M - x.Tagged(EventTag.VolatileRead | EventTag.VolatileWrite | EventTag.Interlocked);

        // Data-dependent reads are ordered (through the thread's own write too: a read the compiler
        // may forward has the dependency's value); speculative writes are not allowed.
        var dob = x.Addr | x.Data
            | x.Ctrl.To(W)
            | x.Addr.Then(po).To(W)
            | (x.Addr | x.Data).Then(x.Rfi).To(R);
        // Volatile reads acquire, volatile writes release, full-fence operations do both;
        // Volatile.ReadBarrier orders earlier reads, Volatile.WriteBarrier later writes.
        var bob = po.From(volatileRead)
            | po.To(volatileWrite)
            | po.To(full) | po.From(full)
            | po.To(readBarrier).Then(po).From(R)
            | po.To(writeBarrier).Then(po).To(W);

        // The compiler may coalesce adjacent nonvolatile accesses of a location: a read merged into an
        // earlier one takes its value and its place; a write merged into the next one, read by no one,
        // never happens, so what was ordered before it (a dependency) orders nothing.
        var adjacent = (reading.Coalescing == Adjacency.Consecutive
            ? po - po.Then(po)
            : (x.PoLoc - x.PoLoc.Then(x.PoLoc)) - po.To(full).Then(po)) & x.Loc;
        var merged = adjacent.Between(plain & R, plain & R) & x.Rf.Inverse().Then(x.Rf);
        var mergedInto = merged.Plus().From(R - merged.Range());
        var coImmediate = x.Co - x.Co.Then(x.Co);
        var kept = x.All - ((adjacent & coImmediate).Between(plain & W, plain & W).Domain() - x.Rf.Domain());
        var lob = MovedToMergedReads(dob | bob, mergedInto).Between(kept, kept);
        var (rfe, coe, fre) = (x.Rfe.Between(kept, kept), x.Coe.Between(kept, kept), x.Fre.Between(kept, kept));

        if (reading.MultiCopyAtomic)
            return Require.Acyclic(rfe | coe | fre | lob, "external") ?? Judgement.Consistent;

        // A full-fence operation is an access itself (Interlocked) or a fence: an SC fence either way.
        var hb = (lob | rfe).Plus();
        var fenced = hb | hb.Opt().Then(coe | fre).Then(hb.Opt());
        return Require.Irreflexive(hb, "causality")
            ?? Require.Irreflexive(hb.Then(coe | fre), "coherence")
            ?? Require.Acyclic(fenced.Between(full, full), "full-fence")
            ?? Judgement.Consistent;
    }

    /// <summary>Each merged read is ordered after whatever its earlier twin is, and no longer after what lies between them.</summary>
    private static Relation MovedToMergedReads(Relation order, Relation mergedInto) =>
        mergedInto.IsEmpty ? order : (order - order.To(mergedInto.Range())) | order.Then(mergedInto);
}
