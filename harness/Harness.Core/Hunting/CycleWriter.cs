using System.Globalization;
using System.Text;

namespace Harness.Hunting;

/// <summary>
/// Writes a cycle as a litmus test in C# (the <c>CSharp</c> dialect): one field per location, one
/// thread per run of program order, and the condition that closes the cycle. Values follow diy7:
/// the writes of a location take 1, 2, 3 in the order the cycle's coherence puts them, a read
/// asks for the value of the last write before it along the cycle (0 when none), and a location
/// written twice or more asks for its last value at the end, which pins the coherence order.
/// A location an address dependency leads to is an int array whose element k is the cycle's
/// location: the dependent access indexes it with the value read plus k minus the value the cycle
/// asks for, so that it reaches element k exactly when the read saw the cycle's value (and another
/// element, still in the array, otherwise); every other access of the location names element k.
/// </summary>
public static class CycleWriter
{
    /// <summary>Where each access of the cycle is, and what it writes or must read.</summary>
    private sealed record Placed(CycleStep Step, int Thread, string Location, int Value, string? Register)
    {
        /// <summary>For a location an address dependency leads to: the element that is the cycle's location.</summary>
        public int? Element { get; init; }

        /// <summary>The access's own operand: the location, or the array element that is it.</summary>
        public string Operand => Element is { } element ? $"{Location}[{element.ToString(CultureInfo.InvariantCulture)}]" : Location;
    }

    public static string Write(Cycle cycle)
    {
        var placed = WithElements(Place(cycle));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"CSharp {cycle.Name}\n");
        text.Append(CultureInfo.InvariantCulture, $"\"A critical cycle of size {cycle.Size} on {cycle.ThreadCount} threads: can it end in the state that closes the cycle, which no interleaving gives?\"\n");
        var locations = placed.GroupBy(p => p.Location).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        // An array holds every index a dependent access can compute: values read go up to the number of writes.
        var arrayLength = 2 * cycle.Steps.Count + 1;
        text.Append("{ ").AppendJoin(" ", locations.Select(l => l.First().Element is null
            ? $"int {l.Key} = 0;"
            : $"int[] {l.Key} = {{ {string.Join(", ", Enumerable.Repeat("0", arrayLength))} }};")).Append(" }\n\n");
        foreach (var thread in placed.GroupBy(p => p.Thread))
        {
            text.Append(CultureInfo.InvariantCulture, $"P{thread.Key} {{\n");
            var accesses = thread.ToList();
            var first = accesses[0];
            if (accesses.Count == 1)
                text.Append("  ").Append(Statement(first, null)).Append('\n');
            else
                WriteTwo(text, first, accesses[1]);
            text.Append("}\n\n");
        }
        var atoms = placed.Where(p => p.Register is not null).Select(p => $"{p.Thread}:{p.Register}={p.Value}").ToList();
        foreach (var location in placed.GroupBy(p => p.Location).Where(g => g.Count(p => p.Step.Access.IsWrite()) >= 2))
            atoms.Add($"{location.First().Operand}={location.Where(p => p.Step.Access.IsWrite()).Max(p => p.Value)}");
        text.Append("exists (").AppendJoin(" /\\ ", atoms).Append(")\n");
        return text.ToString();
    }

    /// <summary>A thread of two accesses and what its program-order edge puts between them.</summary>
    private static void WriteTwo(StringBuilder text, Placed first, Placed second)
    {
        text.Append("  ").Append(Statement(first, null)).Append('\n');
        switch (first.Step.Edge)
        {
            case CycleEdge.MemoryBarrier:
                text.Append("  Interlocked.MemoryBarrier();\n");
                text.Append("  ").Append(Statement(second, null)).Append('\n');
                break;
            case CycleEdge.Data:
                text.Append("  ").Append(Statement(second, first)).Append('\n');
                break;
            case CycleEdge.Addr:
                text.Append("  ").Append(Statement(second, null, indexedBy: first)).Append('\n');
                break;
            case CycleEdge.Ctrl:
                // A read under the condition is declared before it, so that it holds 0 when the branch is not taken.
                if (second.Register is { } register) text.Append(CultureInfo.InvariantCulture, $"  int {register} = 0;\n");
                text.Append(CultureInfo.InvariantCulture, $"  if ({first.Register} == {first.Value}) {{\n");
                text.Append("    ").Append(Statement(second, null, declared: true)).Append('\n');
                text.Append("  }\n");
                break;
            default:
                text.Append("  ").Append(Statement(second, null)).Append('\n');
                break;
        }
    }

    /// <summary>
    /// The access as a C# statement. A write with a data dependency on <paramref name="dependsOn"/>
    /// computes its operand from the register read, shifted so that it is the cycle's value when the
    /// read saw the cycle's value. An access with an address dependency on <paramref name="indexedBy"/>
    /// indexes its array with the register read, shifted the same way. A read assigns a register
    /// <paramref name="declared"/> before it, or declares it.
    /// </summary>
    private static string Statement(Placed access, Placed? dependsOn, bool declared = false, Placed? indexedBy = null)
    {
        var x = indexedBy is null ? access.Operand : $"{access.Location}[{Shifted(indexedBy, access.Element!.Value)}]";
        var target = declared ? access.Register : $"int {access.Register}";
        string Operand(int constant) => dependsOn is null ? constant.ToString(CultureInfo.InvariantCulture) : Shifted(dependsOn, constant);
        return access.Step.Access switch
        {
            CycleAccess.Read => $"{target} = {x};",
            CycleAccess.VolatileRead => $"{target} = Volatile.Read(ref {x});",
            CycleAccess.FailedCompareExchange => $"{target} = Interlocked.CompareExchange(ref {x}, -1, -1);",
            CycleAccess.AddZero => $"{target} = Interlocked.Add(ref {x}, 0);",
            CycleAccess.OrZero => $"{target} = Interlocked.Or(ref {x}, 0);",
            CycleAccess.AndAllOnes => $"{target} = Interlocked.And(ref {x}, -1);",
            CycleAccess.Write => $"{x} = {Operand(access.Value)};",
            CycleAccess.VolatileWrite => $"Volatile.Write(ref {x}, {Operand(access.Value)});",
            CycleAccess.Exchange => $"Interlocked.Exchange(ref {x}, {Operand(access.Value)});",
            CycleAccess.AddOne => $"Interlocked.Add(ref {x}, {Operand(1)});",
            _ => throw new ArgumentOutOfRangeException(nameof(access)),
        };
    }

    /// <summary>An expression of the register <paramref name="read"/> set that is <paramref name="wanted"/> when it read the cycle's value.</summary>
    private static string Shifted(Placed read, int wanted)
    {
        var shift = wanted - read.Value;
        return shift switch
        {
            0 => read.Register!,
            > 0 => $"{read.Register} + {shift.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{read.Register} - {(-shift).ToString(CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>
    /// The accesses with the element each location an address dependency leads to is: the largest value
    /// a dependency into it asks for, so that every dependent index (value read, shifted up) is at least 0.
    /// </summary>
    private static List<Placed> WithElements(List<Placed> placed)
    {
        var elements = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < placed.Count; i++)
            if (placed[i].Step.Edge == CycleEdge.Addr)
                elements[placed[i + 1].Location] = Math.Max(elements.GetValueOrDefault(placed[i + 1].Location), placed[i].Value);
        return placed.Select(p => elements.TryGetValue(p.Location, out var element) ? p with { Element = element } : p).ToList();
    }

    /// <summary>Threads, locations, values and registers of the cycle's accesses, in cycle order.</summary>
    private static List<Placed> Place(Cycle cycle)
    {
        var steps = cycle.Steps;
        var count = steps.Count;
        // A location's accesses run from just after a program-order edge to the next one; start at such a point.
        var chainStart = Enumerable.Range(0, count).First(i => !steps[(i + count - 1) % count].Edge.IsExternal());
        var chainOf = new int[count];
        var valueOf = new int[count];
        var chain = -1;
        var writes = 0;
        for (var k = 0; k < count; k++)
        {
            var i = (chainStart + k) % count;
            if (!steps[(i + count - 1) % count].Edge.IsExternal())
            {
                chain++;
                writes = 0;
            }
            chainOf[i] = chain;
            valueOf[i] = steps[i].Access.IsWrite() ? ++writes : writes;
        }
        // Names in order of first access from the cycle's start (x, y, z, a, ...): the canonical cycle gives the canonical names.
        var names = new Dictionary<int, string>();
        var thread = 0;
        var registers = 0;
        var placed = new List<Placed>(count);
        for (var i = 0; i < count; i++)
        {
            if (!names.TryGetValue(chainOf[i], out var name))
                names[chainOf[i]] = name = LocationName(names.Count);
            var register = steps[i].Access.IsWrite() ? null : $"r{registers++}";
            placed.Add(new Placed(steps[i], thread, name, valueOf[i], register));
            if (steps[i].Edge.IsExternal())
            {
                thread++;
                registers = 0;
            }
        }
        return placed;
    }

    private static string LocationName(int index) => index < 3 ? ((char)('x' + index)).ToString() : ((char)('a' + index - 3)).ToString();
}
