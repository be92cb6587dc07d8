using static Harness.Catalogue.Role;
using Harness.Programs;

namespace Harness.Catalogue;

/// <summary>A file of a generated folder: where it goes, relative to the folder, and its text.</summary>
public interface IGeneratedFile
{
    string RelativePath { get; }
    string Text { get; }
}

/// <summary>A generated test: its name (<c>shape+variant</c>), shape, variant and C litmus text.</summary>
public sealed record GeneratedTest(string Name, Shape Shape, Variant Variant, string Text) : IGeneratedFile
{
    /// <summary>Where <c>harness generate</c> puts it, relative to its output folder: one folder per shape.</summary>
    public string RelativePath => $"{Shape.Name}/{Name}.litmus";

    public override string ToString() => Name;
}

/// <summary>
/// The generated part of the catalogue, in the manner of diy7 and jcstress-test-gen: the classic
/// shapes, declared as data, crossed with ordering variants, declared as rules, give C litmus
/// tests laid out like herd's own files (a generated test that has the name of one of herd's
/// tests is the same program). A variant that gives a shape the same code as an earlier variant
/// (e.g. "rel+acq" on SB, whose accesses neither publish nor observe) is left out, so every
/// generated test is a distinct program.
/// </summary>
public static class ShapeCatalogue
{
    private const MemoryOrder Rlx = MemoryOrder.Relaxed;
    private const MemoryOrder Acq = MemoryOrder.Acquire;
    private const MemoryOrder Rel = MemoryOrder.Release;
    private const MemoryOrder Sc = MemoryOrder.SeqCst;

    private static Write W(string location, int value, Role role = Other) => new(location, value, role);
    private static Read R(string register, string location, Role role = Other) => new(register, location, role);
    private static Shape S(string name, string condition, params IReadOnlyList<Access>[] threads) => new(name, condition, threads);

    /// <summary>
    /// The shapes, named as diy7 names the families (by each thread's W/R pattern). Values and
    /// conditions follow diy7: stores to one location take 1, 2 in coherence order, and the
    /// condition asks for the outcome that closes the shape's cycle.
    /// </summary>
    public static IReadOnlyList<Shape> Shapes { get; } =
    [
        // Two threads.
        S("SB", "exists (0:r0=0 /\\ 1:r0=0)",
            [W("x", 1), R("r0", "y")],
            [W("y", 1), R("r0", "x")]),
        S("MP", "exists (1:r0=1 /\\ 1:r1=0)",
            [W("x", 1), W("y", 1, Publish)],
            [R("r0", "y", Observe), R("r1", "x")]),
        S("LB", "exists (0:r0=1 /\\ 1:r0=1)",
            [R("r0", "x", Observe), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("x", 1, Publish)]),
        S("2+2W", "exists (x=2 /\\ y=2)",
            [W("x", 2), W("y", 1)],
            [W("y", 2), W("x", 1)]),
        S("R", "exists (y=2 /\\ 1:r0=0)",
            [W("x", 1), W("y", 1)],
            [W("y", 2), R("r0", "x")]),
        S("S", "exists (x=2 /\\ 1:r0=1)",
            [W("x", 2), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("x", 1, Publish)]),

        // Three threads.
        S("WRC", "exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)",
            [W("x", 1)],
            [R("r0", "x", Observe), W("y", 1, Publish)],
            [R("r0", "y", Observe), R("r1", "x")]),
        S("WWC", "exists (1:r0=2 /\\ 2:r0=1 /\\ x=2)",
            [W("x", 2)],
            [R("r0", "x", Observe), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("x", 1, Publish)]),
        S("RWC", "exists (1:r0=1 /\\ 1:r1=0 /\\ 2:r0=0)",
            [W("x", 1)],
            [R("r0", "x", Observe), R("r1", "y")],
            [W("y", 1), R("r0", "x")]),
        S("W+RWC", "exists (1:r0=1 /\\ 1:r1=0 /\\ 2:r0=0)",
            [W("x", 1), W("y", 1, Publish)],
            [R("r0", "y", Observe), R("r1", "z")],
            [W("z", 1), R("r0", "x")]),
        S("ISA2", "exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)",
            [W("x", 1), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("z", 1, Publish)],
            [R("r0", "z", Observe), R("r1", "x")]),
        S("Z6.0", "exists (1:r0=1 /\\ z=2 /\\ 2:r0=0)",
            [W("x", 1), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("z", 1, Publish)],
            [W("z", 2), R("r0", "x")]),
        S("Z6.1", "exists (x=2 /\\ y=2 /\\ 2:r0=1)",
            [W("x", 2), W("y", 1)],
            [W("y", 2), W("z", 1, Publish)],
            [R("r0", "z", Observe), W("x", 1, Publish)]),
        S("Z6.2", "exists (1:r0=1 /\\ 2:r0=1 /\\ x=2)",
            [W("x", 2), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("z", 1, Publish)],
            [R("r0", "z", Observe), W("x", 1, Publish)]),
        S("Z6.3", "exists (y=2 /\\ 2:r0=1 /\\ 2:r1=0)",
            [W("x", 1), W("y", 1)],
            [W("y", 2), W("z", 1, Publish)],
            [R("r0", "z", Observe), R("r1", "x")]),
        S("3.SB", "exists (0:r0=0 /\\ 1:r0=0 /\\ 2:r0=0)",
            [W("x", 1), R("r0", "y")],
            [W("y", 1), R("r0", "z")],
            [W("z", 1), R("r0", "x")]),
        S("3.LB", "exists (0:r0=1 /\\ 1:r0=1 /\\ 2:r0=1)",
            [R("r0", "x", Observe), W("y", 1, Publish)],
            [R("r0", "y", Observe), W("z", 1, Publish)],
            [R("r0", "z", Observe), W("x", 1, Publish)]),

        // Four threads.
        S("IRIW", "exists (2:r0=1 /\\ 2:r1=0 /\\ 3:r0=1 /\\ 3:r1=0)",
            [W("x", 1)],
            [W("y", 1)],
            [R("r0", "x", Observe), R("r1", "y")],
            [R("r0", "y", Observe), R("r1", "x")]),

        // Coherence: one location.
        S("CoRR", "exists (1:r0=1 /\\ 1:r1=0)",
            [W("x", 1)],
            [R("r0", "x", Observe), R("r1", "x")]),
        S("CoWW", "exists (x=1)",
            [W("x", 1), W("x", 2)]),
        S("CoRW1", "exists (0:r0=1)",
            [R("r0", "x"), W("x", 1)]),
        S("CoRW2", "exists (0:r0=1 /\\ x=1)",
            [R("r0", "x", Observe), W("x", 2)],
            [W("x", 1)]),
        S("CoWR", "exists (0:r0=2 /\\ x=1)",
            [W("x", 1), R("r0", "x")],
            [W("x", 2)]),
    ];

    /// <summary>
    /// The ordering variants without RMWs: herd's four (every access relaxed, release/acquire,
    /// seq_cst, relaxed with seq_cst fences between the accesses), then release/acquire only where
    /// the shape publishes and observes, with fences there instead, and two seq_cst/acquire-release
    /// mixes.
    /// </summary>
    public static IReadOnlyList<Variant> BaseVariants { get; } =
    [
        new("rlx", _ => Rlx, _ => Rlx) { ForCoherence = true },
        new("ra", _ => Rel, _ => Acq) { ForCoherence = true },
        new("rel+acq", w => w.Role == Publish ? Rel : Rlx, r => r.Role == Observe ? Acq : Rlx),
        new("sc", _ => Sc, _ => Sc) { AllSeqCst = true, ForCoherence = true },
        new("rlx+fsc", _ => Rlx, _ => Rlx) { Fences = FencePlacement.SeqCstBetween, ForCoherence = true },
        new("frel+facq", _ => Rlx, _ => Rlx) { Fences = FencePlacement.ReleaseAcquire },
        new("sc+acq", _ => Sc, _ => Acq),
        new("rel+sc", _ => Rel, _ => Sc),
    ];

    /// <summary>
    /// Every variant: the base ones, and the relaxed, message-passing and seq_cst ones again with
    /// every store an exchange (does an RMW order what a store does not? Under the dotnet mapping
    /// every RMW is a full barrier on the hardware).
    /// </summary>
    public static IReadOnlyList<Variant> Variants { get; } =
    [
        .. BaseVariants,
        .. BaseVariants.Where(v => v.Suffix is "rlx" or "rel+acq" or "sc").Select(v => v.WithExchange()),
    ];

    /// <summary>Every generated test, shape by shape, variants in <see cref="Variants"/> order.</summary>
    public static IReadOnlyList<GeneratedTest> All { get; } = Generate();

    public static GeneratedTest Find(string name) =>
        All.SingleOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no generated test is named {name}", nameof(name));

    private static List<GeneratedTest> Generate()
    {
        var tests = new List<GeneratedTest>();
        foreach (var shape in Shapes)
        {
            var bodies = new HashSet<string>(StringComparer.Ordinal);
            foreach (var variant in Variants.Where(v => v.AppliesTo(shape)))
            {
                if (LitmusWriter.Body(shape, variant) is not { } body || !bodies.Add(body)) continue;
                var name = $"{shape.Name}+{variant.Suffix}";
                tests.Add(new GeneratedTest(name, shape, variant, $"C {name}\n\n{body}"));
            }
        }
        return tests;
    }
}
