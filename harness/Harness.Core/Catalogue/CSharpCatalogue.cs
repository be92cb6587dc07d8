using System.Text;
using System.Text.RegularExpressions;
using Harness.Programs;

namespace Harness.Catalogue;

/// <summary>How a C# variant writes a shape's accesses, and what it puts between them.</summary>
public enum CSharpStyle
{
    /// <summary>Every access as written by the variant's rule for loads and stores, nothing between them.</summary>
    Accesses,

    /// <summary>Plain accesses with a barrier (or an Interlocked call on a thread-private field) between every two.</summary>
    Between,

    /// <summary>
    /// Each load that observes another thread's store carries a dependency to its thread's next
    /// access (an address, data or control dependency); the threads that only publish do so with
    /// Volatile.Write.
    /// </summary>
    Dependency,
}

/// <summary>A rule that writes the classic shapes in C#, with one family of .NET primitives.</summary>
public sealed record CSharpVariant(string Suffix, string Description, CSharpStyle Style)
{
    /// <summary>How a load is written (<c>Accesses</c>): plain, <c>Volatile.Read</c>, or a volatile field's plain syntax.</summary>
    public Func<Read, string> Load { get; init; } = r => r.Location;

    /// <summary>How a store is written (<c>Accesses</c>), given its register number for the result of an Interlocked store.</summary>
    public Func<Write, int, string> Store { get; init; } = (w, _) => $"{w.Location} = {w.Value};";

    /// <summary>Every field is declared <c>volatile</c>.</summary>
    public bool VolatileFields { get; init; }

    /// <summary>What goes between two accesses of a thread (<c>Between</c>), given the thread number.</summary>
    public Func<int, string>? Separator { get; init; }

    /// <summary>The thread-private field the separator updates, if any (<c>f0</c> for P0).</summary>
    public bool PrivateField { get; init; }

    /// <summary>The dependency kind (<c>Dependency</c>): addr, data or ctrl.</summary>
    public string? Dependency { get; init; }

    public bool ForCoherence { get; init; }

    public bool AppliesTo(Shape shape) => ForCoherence || !shape.IsCoherence;

    public override string ToString() => Suffix;
}

/// <summary>A generated C# test: its name (<c>shape+variant</c>), shape, variant and text.</summary>
public sealed record GeneratedCSharpTest(string Name, Shape Shape, CSharpVariant Variant, string Text) : IGeneratedFile
{
    /// <summary>Where <c>harness generate --family csharp</c> puts it, relative to its output folder: one folder per shape.</summary>
    public string RelativePath => $"{Shape.Name}/{Name}.litmus";

    public override string ToString() => Name;
}

/// <summary>
/// The .NET catalogue's generated family: the classic shapes of <see cref="ShapeCatalogue"/>
/// written in C#, crossed with the .NET primitives — plain accesses, Volatile.Read/Write, volatile
/// fields, Interlocked stores with the result used and dropped, both full barriers and every
/// Interlocked method used as one, and address, data and control dependencies. Each test's
/// comment says what it asks. A variant that writes a shape as an earlier one did is left out.
/// </summary>
public static class CSharpCatalogue
{
    /// <summary>The shapes the Interlocked-as-barrier variants apply to: enough to see each method order (or not) the classic reorderings.</summary>
    public static IReadOnlySet<string> InterlockedBarrierShapes { get; } = new HashSet<string> { "SB", "MP", "LB", "IRIW", "R" };

    private static readonly (string Method, string Used, string Unused)[] InterlockedBarriers =
    [
        ("Exchange", "Interlocked.Exchange(ref f{0}, 1)", "Interlocked.Exchange(ref f{0}, 1);"),
        ("CompareExchange", "Interlocked.CompareExchange(ref f{0}, 1, 0)", "Interlocked.CompareExchange(ref f{0}, 1, 0);"),
        ("Add", "Interlocked.Add(ref f{0}, 1)", "Interlocked.Add(ref f{0}, 1);"),
        ("Increment", "Interlocked.Increment(ref f{0})", "Interlocked.Increment(ref f{0});"),
        ("Decrement", "Interlocked.Decrement(ref f{0})", "Interlocked.Decrement(ref f{0});"),
        ("And", "Interlocked.And(ref f{0}, 1)", "Interlocked.And(ref f{0}, 1);"),
        ("Or", "Interlocked.Or(ref f{0}, 1)", "Interlocked.Or(ref f{0}, 1);"),
    ];

    public static IReadOnlyList<CSharpVariant> Variants { get; } = BuildVariants();

    private static List<CSharpVariant> BuildVariants()
    {
        var variants = new List<CSharpVariant>
        {
            new("plain", "every access a plain field access", CSharpStyle.Accesses) { ForCoherence = true },
            new("Volatile-roles", "Volatile.Write where the shape publishes, Volatile.Read where it observes, plain accesses elsewhere", CSharpStyle.Accesses)
            {
                Load = r => r.Role == Role.Observe ? $"Volatile.Read(ref {r.Location})" : r.Location,
                Store = (w, _) => w.Role == Role.Publish ? $"Volatile.Write(ref {w.Location}, {w.Value});" : $"{w.Location} = {w.Value};",
            },
            new("Volatile-all", "every load a Volatile.Read, every store a Volatile.Write", CSharpStyle.Accesses)
            {
                Load = r => $"Volatile.Read(ref {r.Location})",
                Store = (w, _) => $"Volatile.Write(ref {w.Location}, {w.Value});",
                ForCoherence = true,
            },
            new("volatile-fields", "every field declared volatile, read and written with plain syntax", CSharpStyle.Accesses)
            {
                VolatileFields = true,
                ForCoherence = true,
            },
            new("Exchange-stores", "every store an Interlocked.Exchange whose result is kept, plain loads", CSharpStyle.Accesses)
            {
                Store = (w, n) => $"int e{n} = Interlocked.Exchange(ref {w.Location}, {w.Value});",
                ForCoherence = true,
            },
            new("Exchange-stores-unused", "every store an Interlocked.Exchange whose result is dropped, plain loads", CSharpStyle.Accesses)
            {
                Store = (w, _) => $"Interlocked.Exchange(ref {w.Location}, {w.Value});",
                ForCoherence = true,
            },
            new("MemoryBarrier-between", "plain accesses with Interlocked.MemoryBarrier() between every two", CSharpStyle.Between)
            {
                Separator = _ => "Interlocked.MemoryBarrier();",
            },
            new("Thread.MemoryBarrier-between", "plain accesses with Thread.MemoryBarrier() between every two", CSharpStyle.Between)
            {
                Separator = _ => "Thread.MemoryBarrier();",
            },
        };
        foreach (var (method, used, unused) in InterlockedBarriers)
        {
            variants.Add(new($"{method}-between", $"plain accesses with Interlocked.{method} on a field of the thread's own between every two, its result kept", CSharpStyle.Between)
            {
                Separator = t => $"int f{t}r{{0}} = {string.Format(System.Globalization.CultureInfo.InvariantCulture, used, t)};",
                PrivateField = true,
            });
            variants.Add(new($"{method}-between-unused", $"plain accesses with Interlocked.{method} on a field of the thread's own between every two, its result dropped", CSharpStyle.Between)
            {
                Separator = t => string.Format(System.Globalization.CultureInfo.InvariantCulture, unused, t),
                PrivateField = true,
            });
        }
        variants.Add(new("addr", "the value each observing load reads indexing its thread's next access (an address dependency), and Volatile.Write in the threads that only publish", CSharpStyle.Dependency) { Dependency = "addr" });
        variants.Add(new("data", "the value each observing load reads written by its thread's next store (a data dependency), and Volatile.Write in the threads that only publish", CSharpStyle.Dependency) { Dependency = "data" });
        variants.Add(new("ctrl", "each observing load's next access in its thread run only when it read the value the condition asks (a control dependency), and Volatile.Write in the threads that only publish", CSharpStyle.Dependency) { Dependency = "ctrl" });
        return variants;
    }

    /// <summary>Every generated C# test, shape by shape, variants in <see cref="Variants"/> order.</summary>
    public static IReadOnlyList<GeneratedCSharpTest> All { get; } = Generate();

    public static GeneratedCSharpTest Find(string name) =>
        All.SingleOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no generated C# test is named {name}", nameof(name));

    private static List<GeneratedCSharpTest> Generate()
    {
        var tests = new List<GeneratedCSharpTest>();
        foreach (var shape in ShapeCatalogue.Shapes)
        {
            var bodies = new HashSet<string>(StringComparer.Ordinal);
            foreach (var variant in Variants.Where(v => v.AppliesTo(shape)))
            {
                if (variant.PrivateField && !InterlockedBarrierShapes.Contains(shape.Name)) continue;
                if (Body(shape, variant) is not { } body || !bodies.Add(body)) continue;
                var name = $"{shape.Name}+{variant.Suffix}";
                var text = $"CSharp {name}\n\"{shape.Name} with {variant.Description}: {Question(shape)}\"\n{body}";
                tests.Add(new GeneratedCSharpTest(name, shape, variant, text));
            }
        }
        return tests;
    }

    /// <summary>What the shape's condition asks, in words.</summary>
    private static string Question(Shape shape) => $"can it end in {shape.Condition["exists ".Length..]}, which no interleaving gives?";

    /// <summary>The test text after its comment line, or null when the variant has nothing to change in the shape.</summary>
    public static string? Body(Shape shape, CSharpVariant variant)
    {
        var plan = variant.Style == CSharpStyle.Dependency ? DependencyPlan(shape, variant.Dependency!) : null;
        if (variant.Style == CSharpStyle.Dependency && plan is null) return null;
        var arrays = plan?.Where(p => p.Value.Array is not null).Select(p => p.Value.Array!).ToHashSet() ?? [];

        var text = new StringBuilder();
        var declarations = shape.Locations.Select(l => arrays.Contains(l)
            ? $"int[] {l} = {{ 0, 0 }};"
            : $"{(variant.VolatileFields ? "volatile " : "")}int {l} = 0;").ToList();
        if (variant.PrivateField)
            declarations.AddRange(Enumerable.Range(0, shape.Threads.Count).Where(t => shape.Threads[t].Count > 1).Select(t => $"int f{t} = 0;"));
        text.Append("{ ").AppendJoin(" ", declarations).Append(" }\n\n");

        var separators = 0;
        for (var t = 0; t < shape.Threads.Count; t++)
        {
            var accesses = shape.Threads[t];
            var publishesOnly = accesses.All(a => a is Write);
            text.Append($"P{t} {{\n");
            var stores = 0;
            for (var i = 0; i < accesses.Count; i++)
            {
                if (variant.Style == CSharpStyle.Between && i > 0)
                {
                    text.Append("  ").Append(variant.Separator!(t).Replace("{0}", (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).Append('\n');
                    separators++;
                }
                var element = arrays.Contains(accesses[i].Location) ? $"{accesses[i].Location}[1]" : accesses[i].Location;
                if (plan is not null && plan.TryGetValue((t, i), out var dependency))
                {
                    text.Append(dependency.Text);
                    continue;
                }
                switch (accesses[i])
                {
                    case Write write when variant.Style == CSharpStyle.Dependency:
                        text.Append(publishesOnly && write.Role == Role.Publish
                            ? $"  Volatile.Write(ref {element}, {write.Value});\n"
                            : $"  {element} = {write.Value};\n");
                        break;
                    case Write write when variant.Style == CSharpStyle.Accesses:
                        text.Append("  ").Append(variant.Store(write with { Location = element }, stores++)).Append('\n');
                        break;
                    case Write write:
                        text.Append($"  {element} = {write.Value};\n");
                        break;
                    case Read read when variant.Style == CSharpStyle.Accesses:
                        text.Append($"  int {read.Register} = {variant.Load(read with { Location = element })};\n");
                        break;
                    case Read read:
                        text.Append($"  int {read.Register} = {element};\n");
                        break;
                }
            }
            text.Append("}\n\n");
        }
        if (variant.Style == CSharpStyle.Between && separators == 0) return null;
        var condition = shape.Condition;
        foreach (var array in arrays)
            condition = Regex.Replace(condition, $@"(?<![\w:\[]){Regex.Escape(array)}=", $"{array}[1]=");
        text.Append(condition).Append('\n');
        return text.ToString();
    }

    private sealed record DependentAccess(string Text, string? Array);

    /// <summary>
    /// Where a dependency variant puts its dependencies: for each load that observes, the thread's
    /// next access. An address dependency indexes a two-element array with the value read, so it
    /// needs a load that reads only 0 or 1 and a condition that asks for 1 (the element every other
    /// access uses); a data dependency needs a store next, and writes the value read shifted to the
    /// store's own value in the condition's state; a control dependency guards the next access with
    /// the condition's value. Null when no dependency can be placed.
    /// </summary>
    private static Dictionary<(int Thread, int Index), DependentAccess>? DependencyPlan(Shape shape, string kind)
    {
        var plan = new Dictionary<(int, int), DependentAccess>();
        var asked = Regex.Matches(shape.Condition, @"(\d+):(r\d+)=(-?\d+)")
            .ToDictionary(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value),
                m => long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
        var arrays = new HashSet<string>();
        for (var t = 0; t < shape.Threads.Count; t++)
        {
            var accesses = shape.Threads[t];
            for (var i = 0; i + 1 < accesses.Count; i++)
            {
                if (accesses[i] is not Read { Role: Role.Observe } read || !asked.TryGetValue((t, read.Register), out var value)) continue;
                var next = accesses[i + 1];
                switch (kind)
                {
                    case "addr":
                        var written = shape.Threads.SelectMany(a => a).OfType<Write>().Where(w => w.Location == read.Location).Select(w => w.Value);
                        if (value != 1 || written.Any(v => v != 1) || next.Location == read.Location) continue;
                        arrays.Add(next.Location);
                        plan[(t, i + 1)] = new(next switch
                        {
                            Write w => $"  {w.Location}[{read.Register}] = {w.Value};\n",
                            Read r => $"  int {r.Register} = {r.Location}[{read.Register}];\n",
                            _ => throw new InvalidOperationException(),
                        }, next.Location);
                        break;
                    case "data":
                        if (next is not Write w2) continue;
                        var shift = w2.Value - value;
                        var expression = shift == 0 ? read.Register : shift > 0 ? $"{read.Register} + {shift}" : $"{read.Register} - {-shift}";
                        plan[(t, i + 1)] = new($"  {w2.Location} = {expression};\n", null);
                        break;
                    case "ctrl":
                        plan[(t, i + 1)] = new(next switch
                        {
                            Write w3 => $"  if ({read.Register} == {value}) {{\n    {w3.Location} = {w3.Value};\n  }}\n",
                            Read r3 => $"  int {r3.Register} = 0;\n  if ({read.Register} == {value}) {{\n    {r3.Register} = {r3.Location};\n  }}\n",
                            _ => throw new InvalidOperationException(),
                        }, null);
                        break;
                }
            }
        }
        if (plan.Count == 0) return null;
        // Every access to an array location goes through its element 1: mark them so the writer indexes them.
        foreach (var array in arrays)
            foreach (var key in plan.Keys.ToList())
                if (plan[key].Array is null && shape.Threads[key.Item1][key.Item2].Location == array)
                    plan[key] = plan[key] with { Array = array };
        return plan;
    }
}
