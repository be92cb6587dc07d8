using System.Text;
using Harness.Language;

namespace Harness.Tests.Shapes;

/// <summary>
/// What an access does in the shape's classic reading: a store that <see cref="Publish"/>es
/// (another thread's load reads it, and the cycle goes through that reads-from edge), a load
/// that <see cref="Observe"/>s such a store, or neither (<see cref="Other"/>).
/// </summary>
public enum Role { Other, Publish, Observe }

/// <summary>One access of a shape, before an ordering variant gives it a memory order.</summary>
public abstract record Access(string Location, Role Role);

/// <summary><c>atomic_store_explicit(Location, Value, ...)</c>, or an exchange in the RMW variants.</summary>
public sealed record Store(string Location, int Value, Role Role = Role.Other) : Access(Location, Role);

/// <summary><c>int Register = atomic_load_explicit(Location, ...)</c>.</summary>
public sealed record Load(string Register, string Location, Role Role = Role.Other) : Access(Location, Role);

/// <summary>A classic litmus shape: its threads' accesses and the condition naming its weak outcome.</summary>
public sealed record Shape(string Name, IReadOnlyList<IReadOnlyList<Access>> Threads, string Condition)
{
    public IEnumerable<string> Locations => Threads.SelectMany(t => t).Select(a => a.Location).Distinct().Order(StringComparer.Ordinal);
}

/// <summary>Which fences a variant puts between the (relaxed) accesses of each thread.</summary>
public enum FencePlacement
{
    None,

    /// <summary><c>atomic_thread_fence(memory_order_seq_cst)</c> between every two accesses of a thread.</summary>
    SeqCstBetween,

    /// <summary>A release fence before each publishing store and an acquire fence after each observing load, where the thread has an access on the other side.</summary>
    ReleaseAcquire,
}

/// <summary>
/// An ordering variant: the memory order of each store and load from its role, the fences, and
/// whether stores become <c>atomic_exchange_explicit</c> with the same order.
/// </summary>
public sealed record Variant(string Suffix, Func<Store, MemoryOrder> StoreOrder, Func<Load, MemoryOrder> LoadOrder,
    FencePlacement Fences = FencePlacement.None, bool Exchange = false)
{
    /// <summary>Every access is seq_cst and there are no fences: RC11 and the compiled code must then be exactly SC.</summary>
    public bool AllSeqCst { get; init; }

    public Variant WithExchange() => this with { Suffix = Suffix + "+xchg", Exchange = true };
}

/// <summary>A generated test: its name, shape, variant and C litmus text.</summary>
public sealed record GeneratedTest(string Name, Shape Shape, Variant Variant, string Text)
{
    public override string ToString() => Name;
}

/// <summary>
/// Generates C litmus tests (herdtools7's C dialect, laid out like the oracle's files) for the
/// classic shapes crossed with the ordering variants. Variants that give a shape the same code as
/// an earlier variant (e.g. MP-style "rel+acq" on SB, whose accesses neither publish nor observe)
/// are left out, so every generated test is a distinct program.
/// </summary>
public static class ShapeGenerator
{
    private const MemoryOrder Rlx = MemoryOrder.Relaxed;
    private const MemoryOrder Acq = MemoryOrder.Acquire;
    private const MemoryOrder Rel = MemoryOrder.Release;
    private const MemoryOrder Sc = MemoryOrder.SeqCst;

    public static IReadOnlyList<Shape> Shapes { get; } =
    [
        new("SB", [[new Store("x", 1), new Load("r0", "y")], [new Store("y", 1), new Load("r0", "x")]],
            "exists (0:r0=0 /\\ 1:r0=0)"),
        new("MP", [[new Store("x", 1), new Store("y", 1, Role.Publish)], [new Load("r0", "y", Role.Observe), new Load("r1", "x")]],
            "exists (1:r0=1 /\\ 1:r1=0)"),
        new("LB", [[new Load("r0", "x", Role.Observe), new Store("y", 1, Role.Publish)], [new Load("r0", "y", Role.Observe), new Store("x", 1, Role.Publish)]],
            "exists (0:r0=1 /\\ 1:r0=1)"),
        new("IRIW", [[new Store("x", 1, Role.Publish)], [new Store("y", 1, Role.Publish)],
                [new Load("r0", "x", Role.Observe), new Load("r1", "y")], [new Load("r0", "y", Role.Observe), new Load("r1", "x")]],
            "exists (2:r0=1 /\\ 2:r1=0 /\\ 3:r0=1 /\\ 3:r1=0)"),
        new("2+2W", [[new Store("x", 2), new Store("y", 1)], [new Store("y", 2), new Store("x", 1)]],
            "exists (x=2 /\\ y=2)"),
        new("WRC", [[new Store("x", 1)], [new Load("r0", "x", Role.Observe), new Store("y", 1, Role.Publish)],
                [new Load("r0", "y", Role.Observe), new Load("r1", "x")]],
            "exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)"),
        new("RWC", [[new Store("x", 1, Role.Publish)], [new Load("r0", "x", Role.Observe), new Load("r1", "y")],
                [new Store("y", 1), new Load("r0", "x")]],
            "exists (1:r0=1 /\\ 1:r1=0 /\\ 2:r0=0)"),
        new("R", [[new Store("x", 1), new Store("y", 1)], [new Store("y", 2), new Load("r0", "x")]],
            "exists (y=2 /\\ 1:r0=0)"),
        new("S", [[new Store("x", 2), new Store("y", 1, Role.Publish)], [new Load("r0", "y", Role.Observe), new Store("x", 1, Role.Publish)]],
            "exists (x=2 /\\ 1:r0=1)"),
        new("ISA2", [[new Store("x", 1), new Store("y", 1, Role.Publish)], [new Load("r0", "y", Role.Observe), new Store("z", 1, Role.Publish)],
                [new Load("r0", "z", Role.Observe), new Load("r1", "x")]],
            "exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)"),
        new("3.SB", [[new Store("x", 1), new Load("r0", "y")], [new Store("y", 1), new Load("r0", "z")], [new Store("z", 1), new Load("r0", "x")]],
            "exists (0:r0=0 /\\ 1:r0=0 /\\ 2:r0=0)"),
        new("CoRR", [[new Store("x", 1, Role.Publish)], [new Load("r0", "x", Role.Observe), new Load("r1", "x")]],
            "exists (1:r0=1 /\\ 1:r1=0)"),
        new("CoWW", [[new Store("x", 1), new Store("x", 2)]],
            "exists (x=1)"),
        new("CoRW1", [[new Load("r0", "x"), new Store("x", 1)]],
            "exists (0:r0=1)"),
        new("CoRW2", [[new Load("r0", "x", Role.Observe), new Store("x", 2)], [new Store("x", 1, Role.Publish)]],
            "exists (0:r0=1 /\\ x=1)"),
        new("CoWR", [[new Store("x", 1), new Load("r0", "x", Role.Observe)], [new Store("x", 2, Role.Publish)]],
            "exists (0:r0=2 /\\ x=1)"),
    ];

    /// <summary>The ordering variants without RMWs; each also exists with exchanges (<see cref="Variant.WithExchange"/>).</summary>
    public static IReadOnlyList<Variant> BaseVariants { get; } =
    [
        new("rlx", _ => Rlx, _ => Rlx),
        new("ra", _ => Rel, _ => Acq),
        new("rel+acq", s => s.Role == Role.Publish ? Rel : Rlx, l => l.Role == Role.Observe ? Acq : Rlx),
        new("sc", _ => Sc, _ => Sc) { AllSeqCst = true },
        new("rlx+fsc", _ => Rlx, _ => Rlx, FencePlacement.SeqCstBetween),
        new("frel+facq", _ => Rlx, _ => Rlx, FencePlacement.ReleaseAcquire),
        new("sc+acq", _ => Sc, _ => Acq),
        new("rel+sc", _ => Rel, _ => Sc),
    ];

    public static IReadOnlyList<Variant> Variants { get; } = [.. BaseVariants, .. BaseVariants.Select(v => v.WithExchange())];

    public static IReadOnlyList<GeneratedTest> All { get; } = Generate();

    public static GeneratedTest Find(string name) => All.Single(t => t.Name == name);

    private static List<GeneratedTest> Generate()
    {
        var tests = new List<GeneratedTest>();
        foreach (var shape in Shapes)
        {
            var bodies = new HashSet<string>(StringComparer.Ordinal);
            foreach (var variant in Variants)
            {
                if (Body(shape, variant) is not { } body || !bodies.Add(body)) continue;
                var name = $"{shape.Name}+{variant.Suffix}";
                tests.Add(new GeneratedTest(name, shape, variant, $"C {name}\n\n{body}"));
            }
        }
        return tests;
    }

    /// <summary>The test text after its name line, or null when the variant does not apply (a fence variant with no fence position).</summary>
    private static string? Body(Shape shape, Variant variant)
    {
        var text = new StringBuilder();
        text.Append("{ ").AppendJoin(" ", shape.Locations.Select(l => $"[{l}]=0;")).Append(" }\n\n");
        var fences = 0;
        for (var t = 0; t < shape.Threads.Count; t++)
        {
            var accesses = shape.Threads[t];
            var parameters = accesses.Select(a => a.Location).Distinct().Order(StringComparer.Ordinal).Select(l => $"atomic_int* {l}");
            text.Append($"P{t} (").AppendJoin(", ", parameters).Append(") {\n");
            var exchanges = 0;
            for (var i = 0; i < accesses.Count; i++)
            {
                var first = i == 0;
                var last = i == accesses.Count - 1;
                if (variant.Fences == FencePlacement.SeqCstBetween && !first) fences += Fence(text, Sc);
                if (variant.Fences == FencePlacement.ReleaseAcquire && !first && accesses[i] is Store { Role: Role.Publish }) fences += Fence(text, Rel);
                switch (accesses[i])
                {
                    case Store store when variant.Exchange:
                        text.Append($"  int e{exchanges++} = atomic_exchange_explicit({store.Location}, {store.Value}, {variant.StoreOrder(store).ToCName()});\n");
                        break;
                    case Store store:
                        text.Append($"  atomic_store_explicit({store.Location}, {store.Value}, {variant.StoreOrder(store).ToCName()});\n");
                        break;
                    case Load load:
                        text.Append($"  int {load.Register} = atomic_load_explicit({load.Location}, {variant.LoadOrder(load).ToCName()});\n");
                        break;
                }
                if (variant.Fences == FencePlacement.ReleaseAcquire && !last && accesses[i] is Load { Role: Role.Observe }) fences += Fence(text, Acq);
            }
            text.Append("}\n\n");
        }
        if (variant.Fences != FencePlacement.None && fences == 0) return null;
        text.Append(shape.Condition).Append('\n');
        return text.ToString();
    }

    private static int Fence(StringBuilder text, MemoryOrder order)
    {
        text.Append($"  atomic_thread_fence({order.ToCName()});\n");
        return 1;
    }
}
