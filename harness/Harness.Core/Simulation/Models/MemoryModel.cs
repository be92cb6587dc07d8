using Harness.Simulation.Executions;
using Harness.Programs;
using Harness.Simulation.Relations;

namespace Harness.Simulation.Models;

/// <summary>
/// What a model says of one candidate execution: consistent or not (and which axiom it
/// breaks), and whether it has a data race that makes the whole test undefined.
/// </summary>
public sealed record Judgement(string? ViolatedAxiom, bool Racy = false)
{
    public static readonly Judgement Consistent = new((string?)null);
    public static readonly Judgement ConsistentButRacy = new(null, Racy: true);
    public bool IsConsistent => ViolatedAxiom is null;
}

/// <summary>
/// An axiomatic memory model in the manner of herd's cat files. Subclasses state their
/// axioms as a chain of <see cref="Require"/> checks joined with <c>??</c>: each check is
/// null when it holds, so evaluation stops at the first axiom that fails.
/// </summary>
public abstract class MemoryModel
{
    /// <summary>The name used on the command line and in JSON (<c>sc</c>, <c>tso</c>, ...).</summary>
    public abstract string Name { get; }

    /// <summary>Whether the model judges the C++ program or the instructions emitted for one target.</summary>
    public abstract ProgramLevel Level { get; }

    public abstract Judgement Judge(Execution x);

    public override string ToString() => Name;
}

/// <summary>The axiom forms of cat: each returns null when the axiom holds.</summary>
public static class Require
{
    public static Judgement? Acyclic(Relation r, string axiom) => r.IsAcyclic ? null : new Judgement(axiom);
    public static Judgement? Irreflexive(Relation r, string axiom) => r.IsIrreflexive ? null : new Judgement(axiom);
    public static Judgement? Empty(Relation r, string axiom) => r.IsEmpty ? null : new Judgement(axiom);
}
